// `status on;` against the real server (README "Status"): the text format
// line by line, the JSON format parsed, and the counters moving as clients
// connect, make requests, wait idle, run CGI scripts and get sessions.
//
// Sync points: a response read in full. The tests of this suite run one
// after the other on one server, and each compares two status fetches made
// around what it does, so counters from earlier tests do not matter.

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/Gate.hpp"
#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location / { }
    location = /status { status on; }
    location /s/ { session on; }
    location /cgi-bin/ {
        root {DIR};
        cgi .py /usr/bin/python3;
    }
    location /upload/ {
        allow_methods POST;
        client_max_body_size 1m;
        upload_store {DIR}/up;
    }
}
)";

// Reports "cgi-pid TAG PID" on the error log, then waits until the test
// opens the FIFO gate-TAG next to it.
const char* kGatePy = R"(import os, sys
tag = os.environ["QUERY_STRING"]
sys.stderr.write("cgi-pid %s %d\n" % (tag, os.getpid()))
sys.stderr.flush()
open("gate-" + tag).close()
sys.stdout.write("Content-Type: text/plain\r\n\r\nreleased " + tag + "\n")
)";

struct Status {
    bool ok = false;
    long active = -1;
    long accepted = -1;
    long handled = -1;
    long requests = -1;
    long reading = -1;
    long writing = -1;
    long waiting = -1;
    long cgi = -1;
    long sessions = -1;
    long uptime = -1;
    std::string text;
};

// The text format, each line matched whole.
Status parseText(const std::string& body)
{
    Status s;
    s.text = body;
    static const std::regex format(
        "Active connections: (\\d+)\n"
        "server accepts handled requests\n"
        " (\\d+) (\\d+) (\\d+)\n"
        "Reading: (\\d+) Writing: (\\d+) Waiting: (\\d+)\n"
        "CGI processes: (\\d+)\n"
        "Sessions: (\\d+)\n"
        "Limits: rate keys \\d+/16384 evicted \\d+, connection addresses \\d+, bytes \\d+\n"
        "FastCGI: kept connections \\d+, reused \\d+\n"
        "Proxy: kept connections \\d+, reused \\d+\n"
        "Uptime: (\\d+)\n");
    std::smatch m;
    if (!std::regex_match(body, m, format))
        return s;
    long* fields[] = { &s.active, &s.accepted, &s.handled, &s.requests, &s.reading, &s.writing,
        &s.waiting, &s.cgi, &s.sessions, &s.uptime };
    for (size_t i = 0; i < 10; ++i)
        *fields[i] = std::atol(m[i + 1].str().c_str());
    s.ok = true;
    return s;
}

std::string get(const std::string& path, const std::string& extra = "")
{
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

// GET /status on an open connection, read and parsed.
Status fetchStatus(TestClient& client)
{
    client.send(get("/status"));
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    Status s = parseText(r.body);
    EXPECT_TRUE(s.ok) << "status text not in the expected format:\n" << r.body;
    return s;
}

Status fetchStatus(int port)
{
    TestClient client(port);
    return fetchStatus(client);
}

// ---------------------------------------------------------------- JSON

// A small strict JSON reader: every leaf by its dotted path, with its kind
// ('n' number, 's' string, 'b' true/false, 'z' null) and text; objects get
// 'o', arrays 'a'.
class Json {
public:
    struct Leaf {
        char kind;
        std::string text;
    };
    typedef std::map<std::string, Leaf> Leaves;

    static bool parse(const std::string& text, Leaves* out, std::string* error)
    {
        Json j(text, out);
        j.skipSpace();
        if (!j.value("")) {
            *error = "bad value at offset " + std::to_string(j.pos_);
            return false;
        }
        j.skipSpace();
        if (j.pos_ != text.size()) {
            *error = "trailing bytes at offset " + std::to_string(j.pos_);
            return false;
        }
        return true;
    }

private:
    Json(const std::string& text, Leaves* out)
        : s_(text), pos_(0), out_(out)
    {
    }
    void skipSpace()
    {
        while (pos_ < s_.size() && std::strchr(" \t\r\n", s_[pos_]))
            ++pos_;
    }
    bool literal(const char* word)
    {
        size_t n = std::strlen(word);
        if (s_.compare(pos_, n, word) != 0)
            return false;
        pos_ += n;
        return true;
    }
    bool string(std::string* value)
    {
        if (pos_ >= s_.size() || s_[pos_] != '"')
            return false;
        ++pos_;
        while (pos_ < s_.size() && s_[pos_] != '"') {
            if (static_cast<unsigned char>(s_[pos_]) < 0x20)
                return false;
            if (s_[pos_] == '\\') {
                ++pos_;
                if (pos_ >= s_.size())
                    return false;
            }
            *value += s_[pos_++];
        }
        if (pos_ >= s_.size())
            return false;
        ++pos_;
        return true;
    }
    bool number(std::string* text)
    {
        static const std::regex format("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        size_t end = pos_;
        while (end < s_.size() && std::strchr("+-0123456789.eE", s_[end]))
            ++end;
        *text = s_.substr(pos_, end - pos_);
        if (text->empty() || !std::regex_match(*text, format))
            return false;
        pos_ = end;
        return true;
    }
    bool value(const std::string& path)
    {
        if (pos_ >= s_.size())
            return false;
        char c = s_[pos_];
        Leaf leaf;
        if (c == '{') {
            ++pos_;
            (*out_)[path] = Leaf { 'o', "" };
            skipSpace();
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                return true;
            }
            for (;;) {
                skipSpace();
                std::string key;
                if (!string(&key))
                    return false;
                std::string child = path.empty() ? key : path + "." + key;
                if (out_->count(child))
                    return false;       // duplicate key
                skipSpace();
                if (pos_ >= s_.size() || s_[pos_++] != ':')
                    return false;
                skipSpace();
                if (!value(child))
                    return false;
                skipSpace();
                if (pos_ >= s_.size())
                    return false;
                if (s_[pos_] == '}') {
                    ++pos_;
                    return true;
                }
                if (s_[pos_++] != ',')
                    return false;
            }
        }
        if (c == '[') {
            ++pos_;
            (*out_)[path] = Leaf { 'a', "" };
            skipSpace();
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                return true;
            }
            for (size_t i = 0;; ++i) {
                skipSpace();
                if (!value(path + "[" + std::to_string(i) + "]"))
                    return false;
                skipSpace();
                if (pos_ >= s_.size())
                    return false;
                if (s_[pos_] == ']') {
                    ++pos_;
                    return true;
                }
                if (s_[pos_++] != ',')
                    return false;
            }
        }
        if (c == '"') {
            leaf.kind = 's';
            if (!string(&leaf.text))
                return false;
        } else if (literal("true") || literal("false")) {
            leaf.kind = 'b';
        } else if (literal("null")) {
            leaf.kind = 'z';
        } else {
            leaf.kind = 'n';
            if (!number(&leaf.text))
                return false;
        }
        (*out_)[path] = leaf;
        return true;
    }

    const std::string& s_;
    size_t pos_;
    Leaves* out_;
};

// ---------------------------------------------------------------- fixture

class StatusTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/index.html", "<h1>home</h1>\n");
            dir.write("www/s/index.html", "session area\n");
            dir.write("cgi-bin/gate.py", kGatePy);
            dir.mkdir("up");
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }
    const std::string& dir() const { return server_->dir().path(); }

    static ServerProcess* server_;
};

ServerProcess* StatusTest::server_ = nullptr;

// ================================================================ formats

TEST_F(StatusTest, TextFormat)
{
    HttpResponse r = httpGet(port(), "/status");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("text/plain", r.header("Content-Type"));
    EXPECT_EQ("no-store", r.header("Cache-Control"));
    EXPECT_EQ(std::to_string(r.body.size()), r.header("Content-Length"));
    // Line by line, so that a failure says which one.
    static const char* lines[] = {
        "Active connections: \\d+",
        "server accepts handled requests",
        " \\d+ \\d+ \\d+",
        "Reading: \\d+ Writing: \\d+ Waiting: \\d+",
        "CGI processes: \\d+",
        "Sessions: \\d+",
        "Limits: rate keys \\d+/16384 evicted \\d+, connection addresses \\d+, bytes \\d+",
        "FastCGI: kept connections \\d+, reused \\d+",
        "Proxy: kept connections \\d+, reused \\d+",
        "Uptime: \\d+",
    };
    ASSERT_FALSE(r.body.empty());
    EXPECT_EQ('\n', r.body.back());
    std::vector<std::string> got;
    size_t pos = 0;
    while (pos < r.body.size()) {
        size_t lf = r.body.find('\n', pos);
        if (lf == std::string::npos)
            lf = r.body.size();
        got.push_back(r.body.substr(pos, lf - pos));
        pos = lf + 1;
    }
    const size_t count = sizeof lines / sizeof lines[0];
    ASSERT_EQ(count, got.size()) << r.body;
    for (size_t i = 0; i < count; ++i)
        EXPECT_TRUE(std::regex_match(got[i], std::regex(lines[i])))
            << "line " << i + 1 << ": \"" << got[i] << "\" does not match " << lines[i];

    Status s = parseText(r.body);
    ASSERT_TRUE(s.ok);
    EXPECT_GE(s.active, 1);
    EXPECT_GE(s.writing, 1);       // this very request
    EXPECT_EQ(s.active, s.reading + s.writing + s.waiting) << s.text;
    EXPECT_GE(s.accepted, 1);
    EXPECT_GE(s.handled, 1);
    EXPECT_LE(s.handled, s.accepted);
    EXPECT_GE(s.requests, 1);
    EXPECT_GE(s.uptime, 0);
}

TEST_F(StatusTest, JsonOnAcceptApplicationJson)
{
    HttpResponse r = httpGet(port(), "/status", "Accept: application/json\r\n");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("application/json", r.header("Content-Type"));
    EXPECT_EQ("no-store", r.header("Cache-Control"));
    Json::Leaves leaves;
    std::string error;
    ASSERT_TRUE(Json::parse(r.body, &leaves, &error)) << error << "\n" << r.body;
    std::map<std::string, char> expected = {
        { "", 'o' },
        { "connections", 'o' },
        { "connections.active", 'n' },
        { "connections.reading", 'n' },
        { "connections.writing", 'n' },
        { "connections.waiting", 'n' },
        { "accepted", 'n' },
        { "handled", 'n' },
        { "requests", 'n' },
        { "cgi_processes", 'n' },
        { "sessions", 'n' },
        { "limits", 'o' },
        { "limits.rate_keys", 'n' },
        { "limits.rate_max_keys", 'n' },
        { "limits.rate_evictions", 'n' },
        { "limits.connection_addresses", 'n' },
        { "limits.bytes", 'n' },
        { "fastcgi", 'o' },
        { "fastcgi.kept", 'n' },
        { "fastcgi.reused", 'n' },
        { "proxy", 'o' },
        { "proxy.kept", 'n' },
        { "proxy.reused", 'n' },
        { "uptime_seconds", 'n' },
    };
    std::map<std::string, char> got;
    for (const auto& leaf : leaves)
        got[leaf.first] = leaf.second.kind;
    EXPECT_EQ(expected, got) << r.body;
    // Counters are non-negative integers.
    for (const auto& leaf : leaves) {
        if (leaf.second.kind == 'n') {
            EXPECT_TRUE(std::regex_match(leaf.second.text, std::regex("0|[1-9][0-9]*")))
                << leaf.first << " = " << leaf.second.text;
        }
    }
    long active = std::atol(leaves["connections.active"].text.c_str());
    long sum = std::atol(leaves["connections.reading"].text.c_str())
        + std::atol(leaves["connections.writing"].text.c_str())
        + std::atol(leaves["connections.waiting"].text.c_str());
    EXPECT_EQ(active, sum) << r.body;
    EXPECT_GE(std::atol(leaves["connections.writing"].text.c_str()), 1);
}

TEST_F(StatusTest, AcceptDecidesTheFormat)
{
    struct Case {
        const char* accept;
        const char* type;
    } cases[] = {
        { "application/json", "application/json" },
        { "application/json, text/html;q=0.5", "application/json" },
        { "text/html, application/json;q=0.9", "text/plain" },
        { "text/plain", "text/plain" },
        { "*/*", "text/plain" },
    };
    for (const Case& c : cases) {
        HttpResponse r = httpGet(port(), "/status", std::string("Accept: ") + c.accept + "\r\n");
        EXPECT_EQ(200, r.status);
        EXPECT_EQ(c.type, r.header("Content-Type")) << "Accept: " << c.accept;
        EXPECT_EQ(c.type == std::string("text/plain"), parseText(r.body).ok) << r.body;
    }
    EXPECT_EQ("text/plain", httpGet(port(), "/status").header("Content-Type"));
}

TEST_F(StatusTest, HeadHasTheHeadOnly)
{
    TestClient client(port());
    client.send("HEAD /status HTTP/1.1\r\nHost: localhost\r\n\r\n");
    HttpResponse head = client.read(true);
    EXPECT_EQ(200, head.status);
    EXPECT_EQ("text/plain", head.header("Content-Type"));
    // Nothing after the head: the next response follows at once.
    EXPECT_TRUE(fetchStatus(client).ok);
}

// ================================================================ counters

TEST_F(StatusTest, RequestsCountEveryRequestExactly)
{
    TestClient client(port());
    Status before = fetchStatus(client);
    const int kRequests = 5;
    for (int i = 0; i < kRequests; ++i) {
        client.send(get(i % 2 ? "/index.html" : "/missing"));
        EXPECT_NE(0, client.read().status);
    }
    Status after = fetchStatus(client);
    // The requests made in between, plus the second status request itself.
    EXPECT_EQ(before.requests + kRequests + 1, after.requests);
    // No connection was opened meanwhile.
    EXPECT_EQ(before.accepted, after.accepted);
    EXPECT_EQ(before.handled, after.handled);
}

TEST_F(StatusTest, PipelinedRequestsCountToo)
{
    TestClient client(port());
    Status before = fetchStatus(client);
    client.send(get("/index.html") + get("/index.html") + get("/index.html"));
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(200, client.read().status);
    Status after = fetchStatus(client);
    EXPECT_EQ(before.requests + 4, after.requests);
}

TEST_F(StatusTest, AcceptedAndHandledCountNewConnections)
{
    TestClient client(port());
    Status before = fetchStatus(client);
    const int kConnections = 3;
    for (int i = 0; i < kConnections; ++i) {
        TestClient other(port());
        other.send(get("/index.html", "Connection: close\r\n"));
        EXPECT_NE(std::string::npos, other.readUntilClose().find("<h1>home</h1>"));
    }
    Status after = fetchStatus(client);
    EXPECT_EQ(before.accepted + kConnections, after.accepted);
    EXPECT_EQ(before.handled + kConnections, after.handled);
    EXPECT_EQ(before.requests + kConnections + 1, after.requests);
}

TEST_F(StatusTest, IdleKeepAliveConnectionsAreWaiting)
{
    const size_t kIdle = 4;
    std::vector<std::unique_ptr<TestClient>> idle;
    for (size_t i = 0; i < kIdle; ++i) {
        idle.emplace_back(new TestClient(port()));
        idle.back()->send(get("/index.html"));
        HttpResponse r = idle.back()->read();
        ASSERT_EQ(200, r.status);
        ASSERT_EQ("keep-alive", r.header("Connection"));
    }
    // Each has had its answer: they sit idle between requests.
    Status s = fetchStatus(port());
    EXPECT_GE(s.waiting, static_cast<long>(kIdle)) << s.text;
    EXPECT_GE(s.writing, 1) << s.text;
    EXPECT_GE(s.active, static_cast<long>(kIdle) + 1) << s.text;
    EXPECT_EQ(s.active, s.reading + s.writing + s.waiting) << s.text;

    // One of them starts a request again: the others still wait.
    idle[0]->send(get("/index.html"));
    EXPECT_EQ(200, idle[0]->read().status);
    s = fetchStatus(port());
    EXPECT_GE(s.waiting, static_cast<long>(kIdle)) << s.text;
}

TEST_F(StatusTest, ConnectionReadingABodyIsReading)
{
    // The 100 Continue proves the server has the head and now reads the
    // body, which never comes.
    TestClient upload(port());
    upload.send("POST /upload/pending.bin HTTP/1.1\r\nHost: localhost\r\n"
                "Content-Length: 100\r\nExpect: 100-continue\r\n\r\n");
    HttpResponse interim = upload.read();
    ASSERT_EQ(100, interim.status);
    Status s = fetchStatus(port());
    EXPECT_GE(s.reading, 1) << s.text;
    EXPECT_EQ(s.active, s.reading + s.writing + s.waiting) << s.text;
}

// ================================================================ CGI, sessions

TEST_F(StatusTest, CgiProcessesWhileAScriptRuns)
{
    Gate gate(dir() + "/cgi-bin/gate-status");
    TestClient cgi(port());
    cgi.send(get("/cgi-bin/gate.py?status"));
    ASSERT_TRUE(server_->waitForErr("cgi-pid status "));    // it runs and waits
    Status during = fetchStatus(port());
    EXPECT_EQ(1, during.cgi) << during.text;
    EXPECT_GE(during.writing, 2) << during.text;   // the script's client and this one

    gate.open();
    HttpResponse r = cgi.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("released status\n", r.body);

    // The script's output ended before it exited; its exit and the
    // server's waitpid() follow asynchronously, with no event of the server
    // to wait for. So this one check polls, boundedly (100 x 20 ms).
    Status after;
    for (int i = 0; i < 100; ++i) {
        after = fetchStatus(port());
        if (after.cgi == 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(0, after.cgi) << after.text;
}

TEST_F(StatusTest, SessionsCountSessionsCreated)
{
    Status before = fetchStatus(port());
    const int kNew = 3;
    std::string cookie;
    for (int i = 0; i < kNew; ++i) {
        HttpResponse r = httpGet(port(), "/s/");
        ASSERT_EQ(200, r.status);
        ASSERT_EQ("session area\n", r.body);
        std::string setCookie = r.header("Set-Cookie");
        ASSERT_EQ(0u, setCookie.find("WEBSERV_SID=")) << setCookie;
        if (cookie.empty())
            cookie = setCookie.substr(0, setCookie.find(';'));
    }
    Status after = fetchStatus(port());
    EXPECT_EQ(before.sessions + kNew, after.sessions) << after.text;

    // A known session, and a location without sessions: nothing new.
    EXPECT_EQ(200, httpGet(port(), "/s/", "Cookie: " + cookie + "\r\n").status);
    EXPECT_EQ(200, httpGet(port(), "/index.html").status);
    Status last = fetchStatus(port());
    EXPECT_EQ(after.sessions, last.sessions) << last.text;
}

}
