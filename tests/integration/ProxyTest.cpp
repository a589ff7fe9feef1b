// proxy_pass against a real upstream (tests/support/proxy_upstream.py):
// what goes upstream (the target by nginx's rule, the forwarding fields,
// hop-by-hop fields left behind, proxy_set_header), what comes back
// (Server and Date the proxy's own), bodies both ways in every framing
// (50 MiB each way with the server's memory bounded), a stream delivered as
// it is written, bodiless answers, pipelining, kept upstream connections,
// methods webserv does not implement itself, and the failures: 502 and 504
// with their error-log lines, a body cut by the upstream never presented as
// complete. Contract: tests/contract/CONFIG.md (proxy_pass).

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <memory>
#include <string>
#include <vector>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/ProxyUpstream.hpp"
#include "support/ServerProcess.hpp"
#include "support/Streaming.hpp"

namespace {

std::string configFor(const ProxyUpstream& upstream, int deadPort)
{
    const std::string up = upstream.address();
    return R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR};
    client_max_body_size 0;
    location /app/ {
        proxy_pass http://)" + up + R"(/;
        proxy_set_header X-Added "$remote_addr $scheme $proxy_host";
        proxy_set_header User-Agent "";
    }
    location /echo {
        proxy_pass http://)" + up + R"(;
    }
    location /quick/ {
        proxy_pass http://)" + up + R"(/;
        proxy_read_timeout 400ms;
    }
    location /dead/ {
        proxy_pass http://127.0.0.1:)" + std::to_string(deadPort) + R"(/;
    }
    location = /status {
        status on;
    }
}
)";
}

// The lines of an /echo answer that start with prefix, in order.
std::vector<std::string> linesWith(const std::string& body, const std::string& prefix)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < body.size()) {
        size_t end = body.find('\n', start);
        std::string line = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (line.compare(0, prefix.size(), prefix) == 0)
            lines.push_back(line);
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return lines;
}

class ProxyTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        upstream_ = new ProxyUpstream();
        deadPort_ = freePort();
        server_ = new ServerProcess(configFor(*upstream_, deadPort_));
    }
    static void TearDownTestSuite()
    {
        delete server_;
        delete upstream_;
        server_ = nullptr;
        upstream_ = nullptr;
    }
    void SetUp() override
    {
        ASSERT_TRUE(upstream_->started());
        ASSERT_TRUE(server_->started());
    }
    static int port() { return server_->port(); }

    static ProxyUpstream* upstream_;
    static ServerProcess* server_;
    static int deadPort_;
};

ProxyUpstream* ProxyTest::upstream_ = nullptr;
ServerProcess* ProxyTest::server_ = nullptr;
int ProxyTest::deadPort_ = 0;

}

TEST_F(ProxyTest, TheUpstreamGetsTheTargetByNginxsRuleAndTheForwardingFields)
{
    HttpResponse r = httpRaw(port(), "GET /app/echo%20x?q=1 HTTP/1.1\r\nHost: site.test\r\n"
        "Connection: keep-alive, X-Secret\r\nX-Secret: s\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
        "Proxy-Authorization: Basic eA==\r\nX-Forwarded-For: 10.1.1.1\r\nUser-Agent: test\r\n"
        "X-Forwarded-Proto: https\r\nAccept: */*\r\n\r\n");
    ASSERT_EQ(200, r.status) << r.raw;
    EXPECT_EQ(std::vector<std::string>{ "target /echo%20x?q=1" }, linesWith(r.body, "target "));
    EXPECT_EQ(std::vector<std::string>({ "header Host: site.test", "header Accept: */*",
        "header X-Forwarded-For: 10.1.1.1, 127.0.0.1", "header X-Real-IP: 127.0.0.1",
        "header X-Forwarded-Proto: http", "header X-Forwarded-Host: site.test",
        "header X-Added: 127.0.0.1 http " + upstream_->address() }), linesWith(r.body, "header "))
        << "hop-by-hop fields, the client's own X-Forwarded-Proto and the removed User-Agent stay behind";
    EXPECT_EQ("webserv/0.1.0", r.header("Server"));
    EXPECT_EQ(1u, r.count("Date"));
    EXPECT_EQ("keep-alive", r.header("Connection"));
    EXPECT_FALSE(r.header("X-Upstream-Connection").empty());

    // Without a URI in proxy_pass the target goes as received.
    HttpResponse raw = httpGet(port(), "/echo/a%2Fb/../c?x=%41");
    EXPECT_EQ(std::vector<std::string>{ "target /echo/a%2Fb/../c?x=%41" }, linesWith(raw.body, "target "));
    EXPECT_EQ(std::vector<std::string>{ "version HTTP/1.1" }, linesWith(raw.body, "version "));
}

TEST_F(ProxyTest, MethodsWebservDoesNotImplementAndOptionsGoToTheApplication)
{
    std::string body = randomBytes(3000, 7);
    HttpResponse put = httpRaw(port(), "PUT /app/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + body);
    ASSERT_EQ(200, put.status) << put.raw;
    EXPECT_EQ("length 3000\nsha256 " + sha256(body) + "\n", put.body);
    HttpResponse options = httpRaw(port(), "OPTIONS /app/echo HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(std::vector<std::string>{ "method OPTIONS" }, linesWith(options.body, "method "));
    HttpResponse patch = httpRaw(port(), "PATCH /app/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab");
    EXPECT_EQ(std::vector<std::string>{ "method PATCH" }, linesWith(patch.body, "method "));
    EXPECT_EQ(std::vector<std::string>{ "body-length 2" }, linesWith(patch.body, "body-length "));
}

TEST_F(ProxyTest, AChunkedRequestBodyGoesOnChunkedAndEveryResponseFramingIsRelayed)
{
    std::string body = randomBytes(200000, 3);
    HttpResponse up = httpRaw(port(), requestHead("POST", "/app/echo", "Transfer-Encoding: chunked\r\n")
        + chunked(body, {}, 7000));
    ASSERT_EQ(200, up.status) << up.raw.substr(0, 300);
    EXPECT_EQ(std::vector<std::string>{ "header Transfer-Encoding: chunked" },
        linesWith(up.body, "header Transfer-Encoding"));
    EXPECT_EQ("200000", up.header("X-Body-Length"));
    EXPECT_EQ(sha256(body), up.header("X-Body-Sha256"));

    const size_t size = 300000;
    for (const char* variant : { "", "&chunked=1", "&close=1" }) {
        HttpResponse r = httpGet(port(), "/app/download?bytes=" + std::to_string(size) + variant);
        ASSERT_EQ(200, r.status) << variant;
        EXPECT_EQ(size, r.body.size()) << variant;
        EXPECT_EQ(upstreamPatternSha256(size), sha256(r.body)) << variant;
        EXPECT_EQ(std::string(*variant ? "chunked" : ""), r.header("Transfer-Encoding")) << variant;
    }
    // An HTTP/1.0 client gets a body without a length until the close.
    TestClient client(port());
    client.send("GET /app/download?bytes=1000&chunked=1 HTTP/1.0\r\n\r\n");
    std::string all = client.readUntilClose();
    EXPECT_EQ(0u, all.find("HTTP/1.1 200 OK\r\n")) << all.substr(0, 200);
    EXPECT_EQ(std::string::npos, all.find("Transfer-Encoding")) << all.substr(0, 300);
    EXPECT_EQ(upstreamPattern(0, 1000), all.substr(all.find("\r\n\r\n") + 4));
}

TEST_F(ProxyTest, HeadAndBodilessAnswersCarryNoBody)
{
    TestClient client(port());
    client.send(requestHead("HEAD", "/app/download?bytes=5000"));
    HttpResponse head = client.read(true);
    EXPECT_EQ(200, head.status);
    EXPECT_EQ("5000", head.header("Content-Length"));
    client.send(requestHead("GET", "/app/status?code=204"));
    HttpResponse noContent = client.read(true);
    EXPECT_EQ(204, noContent.status);
    EXPECT_EQ(0u, noContent.count("Content-Length") + noContent.count("Transfer-Encoding"));
    client.send(requestHead("GET", "/app/status?code=304"));
    EXPECT_EQ(304, client.read(true).status);
    client.send(requestHead("GET", "/app/status?code=404"));
    HttpResponse missing = client.read();
    EXPECT_EQ(404, missing.status) << "the application's own error goes out as it wrote it";
    EXPECT_EQ("status 404\n", missing.body);
}

// Sequential requests from fresh client connections share one upstream
// connection; pipelined ones are answered in order.
TEST_F(ProxyTest, UpstreamConnectionsAreKeptAndPipelinedRequestsAnsweredInOrder)
{
    std::string first = httpGet(port(), "/app/echo").header("X-Upstream-Connection");
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(first, httpGet(port(), "/app/echo").header("X-Upstream-Connection")) << i;
    TestClient client(port());
    client.send(requestHead("GET", "/app/echo?1") + requestHead("GET", "/app/echo?2")
        + requestHead("GET", "/app/echo?3"));
    for (int i = 1; i <= 3; ++i) {
        HttpResponse r = client.read();
        EXPECT_EQ(std::vector<std::string>{ "target /echo?" + std::to_string(i) },
            linesWith(r.body, "target ")) << i;
        EXPECT_EQ(first, r.header("X-Upstream-Connection")) << i;
    }
    EXPECT_NE(std::string::npos, httpGet(port(), "/status").body.find("\nProxy: kept connections 1, reused "));
}

// Requests in flight together each take a connection, and every one is
// kept for the next ones (the pool does not close one because another
// request waits on a fresh connection: that rule is php-fpm's).
TEST_F(ProxyTest, ConcurrentRequestsKeepTheirConnectionsForTheNextOnes)
{
    for (int round = 0; round < 2; ++round) {
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 8; ++i) {
            clients.emplace_back(new TestClient(port()));
            clients.back()->send(requestHead("GET", "/app/slow-head?ms=200"));
        }
        for (int i = 0; i < 8; ++i) {
            HttpResponse r = clients[i]->read();
            EXPECT_EQ(200, r.status) << round << " " << i;
            if (round == 1) {
                EXPECT_NE("1", r.header("X-Upstream-Request")) << "a kept connection, " << i;
            }
        }
    }
}

// The first event reaches the client while the upstream still waits to
// write the second one (20 s later: far past the client's 5 s timeout).
TEST_F(ProxyTest, AnEventStreamIsDeliveredAsItIsWritten)
{
    TestClient client(port());
    client.send(requestHead("GET", "/app/events?n=2&pause_ms=20000"));
    PieceReader reader(client.fd(), 65536);
    std::string head;
    ASSERT_TRUE(reader.readHead(&head)) << head;
    EXPECT_NE(std::string::npos, head.find("Content-Type: text/event-stream\r\n")) << head;
    std::string first;
    std::string error;
    reader.readChunkedBody([&](const char* data, size_t len) {
        first.append(data, len);
        if (first.size() >= 15)
            shutdown(client.fd(), SHUT_RDWR);
    }, &error);
    EXPECT_EQ("data: event 0\n\n", first);
}

TEST_F(ProxyTest, FiftyMebibytesGoEachWayWithTheServersMemoryBounded)
{
    const size_t size = 50u * 1024 * 1024;
    long baseline = server_->rssKiB();
    TestClient client(port(), "127.0.0.1", 20000);
    client.send(requestHead("GET", "/app/download?chunked=1&bytes=" + std::to_string(size)));
    PieceReader reader(client.fd(), 4096);
    std::string head;
    ASSERT_TRUE(reader.readHead(&head)) << head;
    MeasuredBody down = readChunkedMeasuring(reader, [] { return server_->rssKiB(); });
    EXPECT_TRUE(down.complete) << down.error << " after " << down.received;
    EXPECT_EQ(size, down.received);
    EXPECT_EQ(upstreamPatternSha256(size), down.sha256);

    std::string piece = upstreamPattern(0, 1024 * 1024);
    client.send(requestHead("POST", "/app/upload", "Content-Length: " + std::to_string(size) + "\r\n"));
    long maxUp = baseline;
    Sha256 sent;
    for (int i = 0; i < 50; ++i) {
        client.send(piece);
        sent.update(piece);
        maxUp = std::max(maxUp, server_->rssKiB());
    }
    HttpResponse up = client.read();
    EXPECT_EQ("length " + std::to_string(size) + "\nsha256 " + sent.hex() + "\n", up.body);
    if (!kUnderAddressSanitizer) {
        EXPECT_LT(std::max(down.maxRssKiB, maxUp) - baseline, 16 * 1024)
            << "baseline " << baseline << " KiB, down " << down.maxRssKiB << ", up " << maxUp;
    }
}

TEST_F(ProxyTest, AnUnreachableSlowOrBrokenUpstreamIsA502OrA504WithItsLogLine)
{
    HttpResponse dead = httpGet(port(), "/dead/x");
    EXPECT_EQ(502, dead.status);
    EXPECT_TRUE(server_->waitForErr("connect() failed (111: Connection refused) while connecting to "
        "upstream, client: 127.0.0.1, server: , request: \"GET /dead/x HTTP/1.1\", upstream: "
        "\"http://127.0.0.1:" + std::to_string(deadPort_) + "/x\", host: \"localhost\"")) << server_->err();

    EXPECT_EQ(504, httpGet(port(), "/quick/slow-head?ms=3000").status);
    EXPECT_TRUE(server_->waitForErr("upstream timed out (110: Connection timed out) while reading "
        "response header from upstream, client: 127.0.0.1, server: , request: \"GET /quick/slow-head?ms=3000 "
        "HTTP/1.1\", upstream: \"http://" + upstream_->address() + "/slow-head?ms=3000\"")) << server_->err();

    EXPECT_EQ(502, httpGet(port(), "/app/malformed").status);
    EXPECT_TRUE(server_->waitForErr("upstream sent invalid header line while reading response header "
        "from upstream")) << server_->err();
    EXPECT_EQ(502, httpGet(port(), "/app/close-early").status);
    EXPECT_TRUE(server_->waitForErr("upstream prematurely closed connection while reading response "
        "header from upstream")) << server_->err();
}

// A reset after part of a Content-Length body: the client gets the head and
// those bytes, then the connection ends, short of the announced length.
TEST_F(ProxyTest, ABodyTheUpstreamCutsEndsTheClientsConnection)
{
    TestClient client(port());
    client.send(requestHead("GET", "/app/reset?after=1000"));
    std::string all = client.readUntilClose();
    ASSERT_EQ(0u, all.find("HTTP/1.1 200 OK\r\n")) << all.substr(0, 200);
    EXPECT_NE(std::string::npos, all.find("Content-Length: 1000000\r\n"));
    std::string body = all.substr(all.find("\r\n\r\n") + 4);
    EXPECT_EQ(upstreamPattern(0, 1000), body);
    EXPECT_TRUE(server_->waitForErr("recv() failed (104: Connection reset by peer) while reading upstream"))
        << server_->err();
    EXPECT_EQ(200, httpGet(port(), "/app/echo").status) << "the server goes on";
}
