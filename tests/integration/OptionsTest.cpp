// OPTIONS against the real server: every location answers it with 204 and
// an Allow field (its allow_methods and OPTIONS, which needs no line), a
// `return` location answers with its return, a CGI location answers
// itself without running the script, and "OPTIONS *" lists what any
// location of the server answers. The answer has no body and no
// Content-Length, and the connection goes on after it, also when the
// request carried a body (read and dropped).
//
// Sync points: every request is read to the end of its response.

#include <gtest/gtest.h>

#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    client_max_body_size 10;
    location /ro/ { }
    location /rw/ { allow_methods GET POST DELETE; upload_store {DIR}/store; }
    location /post-only/ { allow_methods POST; }
    location /cgi-bin/ { root {DIR}; allow_methods GET POST; cgi .sh /bin/sh; }
    location = /moved { return 301 /ro/; }
    location = /gone { return 410; }
}
)";

// Were it run, the script would answer 500.
const char* kScript = "printf 'Status: 500 Ran\\r\\nContent-Type: text/plain\\r\\n\\r\\nran'\n";

class OptionsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/ro/file.txt", "ro");
            dir.write("cgi-bin/run.sh", kScript);
            dir.mkdir("store");
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }

    // The exact head of a keep-alive 204 to OPTIONS, but for its Date.
    static void expectOptionsAnswer(const HttpResponse& r, const std::string& allow,
        const std::string& what)
    {
        EXPECT_EQ(0u, r.raw.find("HTTP/1.1 204 No Content\r\n")) << what << ": " << r.raw;
        EXPECT_EQ(allow, r.header("Allow")) << what;
        EXPECT_EQ(1u, r.count("Allow")) << what;
        EXPECT_EQ(0u, r.count("Content-Length")) << what;
        EXPECT_EQ(0u, r.count("Transfer-Encoding")) << what;
        EXPECT_EQ(0u, r.count("Content-Type")) << what;
        EXPECT_EQ("keep-alive", r.header("Connection")) << what;
        EXPECT_EQ("", r.body) << what;
        EXPECT_EQ(r.raw.size(), r.raw.find("\r\n\r\n") + 4) << what << ": " << r.raw;
    }

    static HttpResponse options(TestClient& client, const std::string& target)
    {
        client.send("OPTIONS " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
        return client.read();
    }

    static ServerProcess* server_;
};

ServerProcess* OptionsTest::server_ = nullptr;

}

TEST_F(OptionsTest, EveryLocationAnswersWithItsMethods)
{
    struct Case {
        const char* target;
        const char* allow;
    } cases[] = {
        { "/ro/file.txt", "GET, HEAD, OPTIONS" },
        { "/ro/missing", "GET, HEAD, OPTIONS" },
        { "/rw/a.txt", "GET, HEAD, POST, DELETE, OPTIONS" },
        { "/post-only/", "POST, OPTIONS" },
        { "/cgi-bin/run.sh", "GET, HEAD, POST, OPTIONS" },
        { "/cgi-bin/missing.sh", "GET, HEAD, POST, OPTIONS" },
        { "/elsewhere", "GET, HEAD, OPTIONS" },
    };
    TestClient client(server_->port());
    for (const Case& c : cases)
        expectOptionsAnswer(options(client, c.target), c.allow, c.target);
    // The same connection still serves a GET.
    client.send("GET /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("ro", r.body);
}

TEST_F(OptionsTest, AsteriskListsWhatAnyLocationAnswers)
{
    TestClient client(server_->port());
    expectOptionsAnswer(options(client, "*"), "GET, HEAD, POST, DELETE, OPTIONS", "*");
    expectOptionsAnswer(options(client, "/ro/"), "GET, HEAD, OPTIONS", "after *");
}

TEST_F(OptionsTest, ReturnLocationsAnswerWithTheirReturn)
{
    TestClient client(server_->port());
    HttpResponse r = options(client, "/moved");
    EXPECT_EQ(301, r.status);
    EXPECT_EQ("http://a:" + std::to_string(server_->port()) + "/ro/", r.header("Location"));
    EXPECT_EQ(0u, r.count("Allow"));
    r = options(client, "/gone");
    EXPECT_EQ(410, r.status);
    EXPECT_EQ(0u, r.count("Allow"));
}

TEST_F(OptionsTest, BodyIsReadAndDropped)
{
    TestClient client(server_->port());
    client.send("OPTIONS /ro/ HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                "Content-Length: 5\r\n\r\nhello"
                "OPTIONS /rw/ HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                "3\r\nabc\r\n0\r\n\r\n"
                "GET /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    expectOptionsAnswer(client.read(), "GET, HEAD, OPTIONS", "with a body");
    expectOptionsAnswer(client.read(), "GET, HEAD, POST, DELETE, OPTIONS", "chunked body");
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("ro", r.body);
}

TEST_F(OptionsTest, BodyOverTheLimitIs413)
{
    TestClient client(server_->port());
    client.send("OPTIONS /ro/ HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
    HttpResponse r = client.read();
    EXPECT_EQ(413, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(OptionsTest, AsteriskFormWithAnotherMethodIs400)
{
    const char* methods[] = { "GET", "HEAD", "POST", "DELETE" };
    for (const char* method : methods) {
        TestClient client(server_->port());
        client.send(std::string(method) + " * HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpResponse r = client.read(std::string(method) == "HEAD");
        EXPECT_EQ(400, r.status) << method;
        EXPECT_EQ("close", r.header("Connection")) << method;
        EXPECT_TRUE(client.closedByServer()) << method;
    }
}

TEST_F(OptionsTest, OtherUnimplementedMethodsStay405)
{
    TestClient client(server_->port());
    client.send("PUT /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
    EXPECT_EQ("keep-alive", r.header("Connection"));
}

// The body of an OPTIONS is framed as any other request's: consumed to its
// exact end (here a body that would be a 400 if it were read as a request),
// so the request after it is answered next -- for "*" and a path alike,
// with the body in the same write or after the head.
TEST_F(OptionsTest, BodyIsFramedAndThePipelinedRequestAnswered)
{
    const std::string notARequest = "GET /x\r\n\r\n";   // 10 bytes: the limit
    const std::string bodies[] = {
        "Content-Length: 10\r\n\r\n" + notARequest,
        "Transfer-Encoding: chunked\r\n\r\n6\r\nGET /x\r\n4\r\n\r\n\r\n\r\n0\r\n\r\n",
    };
    struct Target {
        const char* target;
        const char* allow;
    } targets[] = {
        { "*", "GET, HEAD, POST, DELETE, OPTIONS" },
        { "/", "GET, HEAD, OPTIONS" },
        { "/rw/", "GET, HEAD, POST, DELETE, OPTIONS" },
    };
    for (const Target& t : targets) {
        for (const std::string& body : bodies) {
            for (int split = 0; split < 2; ++split) {
                std::string what = std::string(t.target) + (split ? " split" : "") + ": " + body;
                std::string head = "OPTIONS " + std::string(t.target) + " HTTP/1.1\r\nHost: a\r\n";
                std::string next = "GET /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n";
                TestClient client(server_->port());
                client.send(split ? head : head + body + next);
                if (split)
                    client.send(body + next);
                expectOptionsAnswer(client.read(), t.allow, what);
                HttpResponse r = client.read();
                EXPECT_EQ(200, r.status) << what << "\n" << r.raw;
                EXPECT_EQ("ro", r.body) << what;
            }
        }
    }
}

// A body that cannot be framed ends the connection after the 204: the
// request behind it is never answered.
TEST_F(OptionsTest, MalformedChunkedBodyEndsTheConnection)
{
    const char* targets[] = { "*", "/ro/" };
    for (const char* target : targets) {
        TestClient client(server_->port());
        client.send("OPTIONS " + std::string(target) + " HTTP/1.1\r\nHost: a\r\n"
                    "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
                    "GET /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpResponse r = client.read();
        EXPECT_EQ(204, r.status) << target;
        EXPECT_EQ("", client.readUntilClose()) << target << ": the next request was answered";
        EXPECT_TRUE(client.closedByServer()) << target;
    }
}

// RFC 9112 §6.3 applies to OPTIONS too: a body whose length cannot be
// determined is a 400 that closes, and the next request is never answered.
TEST_F(OptionsTest, UnframeableBodyIs400AndCloses)
{
    const char* framings[] = { "Transfer-Encoding: chunked, gzip\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "Transfer-Encoding:\r\n" };
    for (const char* framing : framings) {
        TestClient client(server_->port());
        client.send("OPTIONS * HTTP/1.1\r\nHost: a\r\n" + std::string(framing)
                    + "\r\n0\r\n\r\nGET /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpResponse r = client.read();
        EXPECT_EQ(400, r.status) << framing;
        EXPECT_EQ("close", r.header("Connection")) << framing;
        EXPECT_EQ("", client.readUntilClose()) << framing;
        EXPECT_TRUE(client.closedByServer()) << framing;
    }
}
