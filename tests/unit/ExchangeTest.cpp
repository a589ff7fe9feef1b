// One request's exchange without a socket (src/exchange/): the head goes
// in, the answer comes out in an OutputQueue, and the return value says
// what the connection does next. Configs are loaded from text over a
// temporary root; the one script runs for real (/bin/sh), its pipes polled
// here as the event loop would.

#include <gtest/gtest.h>

#include <poll.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cgi/CgiProcess.hpp"
#include "config/Loader.hpp"
#include "config/Values.hpp"
#include "exchange/Exchange.hpp"
#include "http/RequestParser.hpp"
#include "support/TempDir.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:8080;
    root ROOT/www;
    index index.html;
    access_log ROOT/access.log;
    location / {
        allow_methods GET HEAD POST;
    }
    location /small/ {
        allow_methods GET POST;
        client_max_body_size 10;
    }
    location /uploads/ {
        allow_methods GET POST;
        upload_store ROOT/store;
    }
    location /app/ {
        allow_methods GET POST;
        index index.sh;
        cgi .sh;
    }
    location /s/ {
        allow_methods GET POST;
        client_max_body_size 10;
        session on;
        cgi .sh;
    }
}
)";

// A script answering STATUS with FIELD (a session field, or none), and
// the session it was given.
std::string sessionScript(const std::string& status, const std::string& field)
{
    return "#!/bin/sh\n"
           "printf 'Status: " + status + "\\r\\n" + field + "Content-Type: text/plain\\r\\n\\r\\n'\n"
           "printf 'id=%s' \"$SESSION_ID\"\n";
}

const char* kIndexScript = "#!/bin/sh\n"
                           "printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                           "body=$(cat)\n"
                           "printf 'script=%s method=%s body=%s' \"$SCRIPT_NAME\" \"$REQUEST_METHOD\" \"$body\"\n";

class ExchangeTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir_.write("www/hello.txt", "hello");
        dir_.write("www/docs/index.html", "<p>docs</p>");
        dir_.write("www/small/index.html", "small");
        dir_.write("www/app/index.sh", kIndexScript, 0755);
        dir_.write("www/s/page.txt", "page");
        dir_.write("www/s/ignores.sh", sessionScript("404 Not Found", ""), 0755);
        dir_.write("www/s/sets.sh", sessionScript("409 Conflict", "Session-Set: k=v\\r\\n"), 0755);
        dir_.mkdir("store");
        std::string text = kConfig;
        for (std::string::size_type at; (at = text.find("ROOT")) != std::string::npos;)
            text.replace(at, 4, dir_.path());
        generation_.reset(new ConfigGeneration(loadConfigText(text, "exchange-test.conf", nullptr)));
        services_.reset(new ServerServices(generation_.get(), 16, nullptr));
        std::string bad;
        ASSERT_EQ(LISTEN_OK, parseListen("127.0.0.1:8080", &client_.local, &bad));
        client_.remoteAddress = "127.0.0.1";
        client_.remotePort = 40000;
        exchange_.reset(new Exchange(services_->context, client_));
    }

    void TearDown() override
    {
        exchange_.reset();
        reapChildren();
    }

    // Parses a complete head into the exchange and begins it.
    Exchange::Next begin(const std::string& head)
    {
        RequestParser parser;
        size_t consumed = 0;
        EXPECT_EQ(RequestParser::DONE,
            parser.parse(head.data(), head.size(), &consumed, exchange_->request()));
        EXPECT_EQ(head.size(), consumed);
        return exchange_->begin(0, out_);
    }

    Exchange::Next feed(const std::string& body)
    {
        size_t consumed = 0;
        Exchange::Next next = exchange_->readBody(body.data(), body.size(), &consumed, 0, out_);
        EXPECT_EQ(body.size(), consumed);
        return next;
    }

    // Polls the upstream's pipes until the answer is complete, taking the
    // output away as a fast client would.
    Exchange::Next runUpstream(Exchange::Next next)
    {
        for (int turn = 0; turn < 1000; ++turn) {
            if (next != Exchange::NEXT_WAIT && next != Exchange::NEXT_STREAM)
                break;
            struct pollfd fds[2];
            Upstream::Channel channels[2] = { Upstream::TO_UPSTREAM, Upstream::FROM_UPSTREAM };
            for (int i = 0; i < 2; ++i) {
                fds[i].fd = exchange_->upstreamFd(channels[i]);
                fds[i].events = exchange_->upstreamInterest(channels[i]);
                fds[i].revents = 0;
            }
            if (poll(fds, 2, 5000) <= 0)
                break;
            for (int i = 0; i < 2; ++i)
                if (fds[i].revents != 0)
                    exchange_->onUpstreamReady(channels[i], fds[i].revents);
            next = exchange_->pump(0, out_);
        }
        return next;
    }

    std::string output()
    {
        return out_.appendable();
    }

    std::string accessLog()
    {
        services_->accessLog.flush();
        std::ifstream in(dir_.file("access.log").c_str());
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    bool has(const std::string& text) { return output().find(text) != std::string::npos; }
    size_t sessions() const { return services_->sessions.size(); }

    TempDir dir_;
    std::unique_ptr<ConfigGeneration> generation_;
    std::unique_ptr<ServerServices> services_;
    ClientAddress client_;
    std::unique_ptr<Exchange> exchange_;
    OutputQueue out_;
};

}

TEST_F(ExchangeTest, StaticFileIsQueuedWholeAndTheConnectionStaysOpen)
{
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE, begin("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"));
    std::string out = output();
    EXPECT_EQ(0u, out.find("HTTP/1.1 200 OK\r\n"));
    EXPECT_TRUE(has("\r\nContent-Length: 5\r\n"));
    EXPECT_TRUE(has("\r\nConnection: keep-alive\r\n"));
    EXPECT_EQ("\r\n\r\nhello", out.substr(out.size() - 9));
    EXPECT_EQ(1ul, services_->stats.requests);
}

TEST_F(ExchangeTest, TheLogLineWaitsForTheLastByteToLeave)
{
    begin("GET /hello.txt HTTP/1.1\r\nHost: a\r\nUser-Agent: unit\r\n\r\n");
    exchange_->onSent(out_.queuedTotal() - 1);
    EXPECT_EQ("", accessLog());
    exchange_->onSent(out_.queuedTotal());
    EXPECT_NE(std::string::npos, accessLog().find("\"GET /hello.txt HTTP/1.1\" 200 5 \"-\" \"unit\""));
}

TEST_F(ExchangeTest, AConnectionEndingMidAnswerLogsTheBytesThatLeft)
{
    begin("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    exchange_->onClosed(out_.queuedTotal() - 3);
    EXPECT_NE(std::string::npos, accessLog().find("\"GET /hello.txt HTTP/1.1\" 200 2 "));
}

TEST_F(ExchangeTest, UnsupportedExpectationIs417AndClosesWhenABodyWouldFollow)
{
    EXPECT_EQ(Exchange::NEXT_CLOSE,
        begin("POST /hello.txt HTTP/1.1\r\nHost: a\r\nExpect: bogus\r\nContent-Length: 3\r\n\r\n"));
    EXPECT_EQ(0u, output().find("HTTP/1.1 417 Expectation Failed\r\n"));
    EXPECT_TRUE(has("\r\nConnection: close\r\n"));
}

TEST_F(ExchangeTest, BodyOverTheLimitIs413BeforeAnyByteIsRead)
{
    EXPECT_EQ(Exchange::NEXT_LINGER,
        begin("POST /small/ HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"));
    EXPECT_EQ(0u, output().find("HTTP/1.1 413 "));
}

TEST_F(ExchangeTest, AMethodTheLocationRefusesIs405EvenOverTheLimit)
{
    // The body over the limit is not read: the connection ends after it.
    EXPECT_EQ(Exchange::NEXT_CLOSE,
        begin("DELETE /small/x HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"));
    EXPECT_EQ(0u, output().find("HTTP/1.1 405 "));
}

TEST_F(ExchangeTest, ABodyNobodyNeedsIsReadAndDroppedAfterTheAnswer)
{
    EXPECT_EQ(Exchange::NEXT_DISCARD_BODY,
        begin("GET /hello.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n"));
    EXPECT_TRUE(has("hello"));
    EXPECT_EQ(Exchange::NEXT_DISCARD_BODY, feed("ab"));
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE, feed("cd"));
}

TEST_F(ExchangeTest, AMalformedDiscardedBodyEndsTheConnectionAfterTheAnswer)
{
    EXPECT_EQ(Exchange::NEXT_DISCARD_BODY,
        begin("GET /hello.txt HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
    std::string body = "zz\r\n";
    size_t consumed = 0;
    EXPECT_EQ(Exchange::NEXT_LINGER, exchange_->readBody(body.data(), body.size(), &consumed, 0, out_));
}

TEST_F(ExchangeTest, UploadGetsItsContinueThenItsBodyThen201)
{
    EXPECT_EQ(Exchange::NEXT_READ_BODY, begin("POST /uploads/note.txt HTTP/1.1\r\nHost: a\r\n"
                                              "Expect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
    EXPECT_EQ("HTTP/1.1 100 Continue\r\n\r\n", output());
    out_.clear();
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE, feed("note"));
    EXPECT_EQ(0u, output().find("HTTP/1.1 201 Created\r\n"));
    std::ifstream stored(dir_.file("store/note.txt").c_str());
    std::string content;
    std::getline(stored, content);
    EXPECT_EQ("note", content);
}

TEST_F(ExchangeTest, AnErrorBeforeAnyHeadUsesTheDefaultServerAndLingers)
{
    EXPECT_EQ(Exchange::NEXT_LINGER, exchange_->fail(400, 0, out_));
    EXPECT_EQ(0u, output().find("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_TRUE(has("\r\nConnection: close\r\n"));
}

TEST_F(ExchangeTest, AStaticIndexFileIsServedForItsDirectory)
{
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE, begin("GET /docs/ HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_TRUE(has("\r\n\r\n<p>docs</p>"));
}

TEST_F(ExchangeTest, PostToADirectoryWithAStaticIndexIs405)
{
    begin("POST /docs/ HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(0u, output().find("HTTP/1.1 405 Method Not Allowed\r\n"));
}

TEST_F(ExchangeTest, AnIndexThatIsAScriptRunsIt)
{
    Exchange::Next next = runUpstream(begin("GET /app/ HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE, next);
    EXPECT_EQ(0u, output().find("HTTP/1.1 200 OK\r\n"));
    EXPECT_TRUE(has("\r\nTransfer-Encoding: chunked\r\n"));
    EXPECT_TRUE(has("script=/app/index.sh method=GET body="));
    EXPECT_EQ("0\r\n\r\n", output().substr(output().size() - 5));
}

TEST_F(ExchangeTest, PostToADirectoryWhoseIndexIsAScriptGivesItTheBody)
{
    Exchange::Next next = begin("POST /app/ HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n");
    EXPECT_EQ(Exchange::NEXT_READ_BODY, next);
    next = feed("posted");
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE, runUpstream(next));
    EXPECT_TRUE(has("script=/app/index.sh method=POST body=posted"));
}

TEST_F(ExchangeTest, ASessionStartsWithAnAnswerThatIsNoError)
{
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE, begin("GET /s/page.txt HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_EQ(0u, output().find("HTTP/1.1 200 OK\r\n"));
    EXPECT_TRUE(has("\r\nSet-Cookie: WEBSERV_SID="));
    EXPECT_EQ(1u, sessions());
}

TEST_F(ExchangeTest, A404StartsNoSession)
{
    begin("GET /s/missing HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(0u, output().find("HTTP/1.1 404 Not Found\r\n"));
    EXPECT_FALSE(has("Set-Cookie"));
    EXPECT_EQ(0u, sessions());
}

TEST_F(ExchangeTest, A413StartsNoSession)
{
    EXPECT_EQ(Exchange::NEXT_LINGER,
        begin("POST /s/page.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"));
    EXPECT_EQ(0u, output().find("HTTP/1.1 413 "));
    EXPECT_FALSE(has("Set-Cookie"));
    EXPECT_EQ(0u, sessions());
}

TEST_F(ExchangeTest, OptionsStartsNoSession)
{
    begin("OPTIONS /s/page.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(0u, output().find("HTTP/1.1 204 No Content\r\n"));
    EXPECT_FALSE(has("Set-Cookie"));
    EXPECT_EQ(0u, sessions());
}

TEST_F(ExchangeTest, AScriptGetsASessionThatItsIgnoredErrorDropsAgain)
{
    EXPECT_EQ(Exchange::NEXT_KEEP_ALIVE,
        runUpstream(begin("GET /s/ignores.sh HTTP/1.1\r\nHost: a\r\n\r\n")));
    EXPECT_EQ(0u, output().find("HTTP/1.1 404 Not Found\r\n"));
    std::string::size_type id = output().find("id=");
    ASSERT_NE(std::string::npos, id);
    EXPECT_EQ(32u, output().find_first_not_of("0123456789abcdef", id + 3) - (id + 3));
    EXPECT_FALSE(has("Set-Cookie"));
    EXPECT_EQ(0u, sessions());
}

TEST_F(ExchangeTest, AScriptThatSetsSessionDataOnAnErrorKeepsItsSession)
{
    runUpstream(begin("GET /s/sets.sh HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_EQ(0u, output().find("HTTP/1.1 409 Conflict\r\n"));
    EXPECT_TRUE(has("\r\nSet-Cookie: WEBSERV_SID="));
    EXPECT_FALSE(has("Session-Set"));
    EXPECT_EQ(1u, sessions());
}

TEST_F(ExchangeTest, AMissingScriptStartsNoSession)
{
    begin("GET /s/missing.sh HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(0u, output().find("HTTP/1.1 404 Not Found\r\n"));
    EXPECT_FALSE(has("Set-Cookie"));
    EXPECT_EQ(0u, sessions());
}
