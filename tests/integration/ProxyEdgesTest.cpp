// proxy_pass where the two sides do not keep pace, and what a client must
// not be able to do through it (each a regression found in review): an
// upstream that answers before the body is in, an event stream quieter than
// send_timeout, a slow client with a short proxy_read_timeout, an upstream
// slow to read an upload with a short client_body_timeout, a PUT answered
// early never sent twice, a line end smuggled through a variable into a
// proxy_set_header value, the Host of an absolute-form target, bytes an
// upstream wrote out of turn on a kept connection, an early answer that
// stalls, and an early answer to a client that is not kept alive.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/ProxyUpstream.hpp"
#include "support/ServerProcess.hpp"
#include "support/Streaming.hpp"

namespace {

std::string edgesConfig(const ProxyUpstream& upstream)
{
    const std::string up = "proxy_pass http://" + upstream.address() + "/;\n";
    return "server {\n listen 127.0.0.1:{PORT};\n root {DIR};\n client_max_body_size 0;\n"
        " location /app/ {\n  " + up + "  proxy_set_header X-Uri $uri;\n }\n"
        " location /quiet/ {\n  " + up + "  send_timeout 1s;\n  proxy_read_timeout 10s;\n }\n"
        " location /short/ {\n  " + up + "  proxy_read_timeout 300ms;\n }\n"
        " location /upload/ {\n  " + up + "  client_body_timeout 500ms;\n }\n"
        "}\n";
}

class ProxyEdgesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(upstream_.started());
        ASSERT_TRUE(server_.started());
    }
    int port() const { return server_.port(); }

    ProxyUpstream upstream_;
    ServerProcess server_{ edgesConfig(upstream_) };
};

}

// The answer comes while the client is still sending; the rest of the body
// is read and dropped, and the connection goes on (a 413 would close it,
// as every 413 does).
TEST_F(ProxyEdgesTest, AnAnswerBeforeTheBodyIsInGoesOutAtOnce)
{
    const size_t size = 4 * 1024 * 1024;
    TestClient client(port());
    client.send(requestHead("POST", "/app/early?code=401", "Content-Length: " + std::to_string(size) + "\r\n"));
    std::string piece(64 * 1024, 'b');
    client.send(piece);
    HttpResponse early = client.read();
    EXPECT_EQ(401, early.status) << "not held until the body is in";
    EXPECT_EQ("early\n", early.body);
    for (size_t sent = piece.size(); sent < size; sent += piece.size())
        client.send(piece);
    client.send(requestHead("GET", "/app/echo"));
    EXPECT_EQ(200, client.read().status) << "the dropped body left the connection usable";
}

TEST_F(ProxyEdgesTest, AnEventStreamQuieterThanSendTimeoutIsNotCut)
{
    HttpResponse r = httpGet(port(), "/quiet/events?n=2&pause_ms=1500");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("data: event 0\n\ndata: event 1\n\n", r.body);
}

// A client that stops reading for longer than proxy_read_timeout holds the
// upstream back: the upstream is not the one timed out.
TEST_F(ProxyEdgesTest, ASlowClientIsNotAnUpstreamTimeout)
{
    const size_t size = 4 * 1024 * 1024;
    TestClient client(port(), "127.0.0.1", 10000);
    client.send(requestHead("GET", "/short/download?chunked=1&bytes=" + std::to_string(size)));
    PieceReader reader(client.fd(), 65536);
    std::string head;
    ASSERT_TRUE(reader.readHead(&head));
    std::this_thread::sleep_for(std::chrono::milliseconds(900));   // the slow client
    MeasuredBody body = readChunkedMeasuring(reader, [] { return 0L; });
    EXPECT_TRUE(body.complete) << body.error << " after " << body.received;
    EXPECT_EQ(upstreamPatternSha256(size), body.sha256);
    EXPECT_EQ(std::string::npos, server_.err().find("upstream timed out")) << server_.err();
}

// The body waits on an upstream that reads it late: the client, sending
// as fast as it may, gets no 408.
TEST_F(ProxyEdgesTest, AnUpstreamSlowToReadTheBodyIsNotAClientTimeout)
{
    const size_t size = 8 * 1024 * 1024;
    std::string body = upstreamPattern(0, size);
    HttpResponse r = httpRaw(port(), requestHead("POST", "/upload/slow-read?ms=1500",
        "Content-Length: " + std::to_string(size) + "\r\n") + body);
    EXPECT_EQ(200, r.status) << r.raw.substr(0, 200);
    EXPECT_EQ("length " + std::to_string(size) + "\nsha256 " + sha256(body) + "\n", r.body);
}

// A PUT on a kept connection, answered before its body was read: the
// failed send does not make it go again.
TEST_F(ProxyEdgesTest, APutAnsweredEarlyIsNeverSentTwice)
{
    ASSERT_EQ(200, httpGet(port(), "/app/echo").status);   // a kept connection
    std::string body(1024 * 1024, 'p');
    HttpResponse r = httpRaw(port(), requestHead("PUT", "/app/early?code=401&close=1",
        "Content-Length: " + std::to_string(body.size()) + "\r\n") + body);
    EXPECT_TRUE(r.status == 401 || r.status == 502) << r.status;
    EXPECT_EQ("connections 2\nrequests 3\n", httpGet(port(), "/app/stats").body)
        << "the echo, the PUT once, this one";
}

TEST_F(ProxyEdgesTest, ALineEndInAVariableNeverReachesTheUpstream)
{
    HttpResponse r = httpRaw(port(), "GET /app/echo%0d%0aX-Injected:%20yes HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(400, r.status);
    EXPECT_TRUE(server_.waitForErr("client sent a control character that proxy_set_header \"X-Uri\" "
        "would pass upstream")) << server_.err();
    EXPECT_EQ("connections 1\nrequests 1\n", httpGet(port(), "/app/stats").body)
        << "nothing of it went upstream";
}

TEST_F(ProxyEdgesTest, AnAbsoluteFormTargetsAuthorityIsTheHostSent)
{
    HttpResponse r = httpRaw(port(), "GET http://public.example/app/echo?q HTTP/1.1\r\n"
        "Host: internal.example\r\n\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_NE(std::string::npos, r.body.find("\ntarget /echo?q\n")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("\nheader Host: public.example\n")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("\nheader X-Forwarded-Host: public.example\n")) << r.body;
}

// Bytes an upstream wrote after a complete answer (a late body, a 408 on
// an idle connection) that wait on a kept connection are never read as
// the next request's answer. (Bytes that come only after the next request
// went out cannot be told from its answer, by any proxy.) The upstream is
// asked directly whether it wrote them, so no request meets them in flight.
TEST_F(ProxyEdgesTest, BytesWrittenOutOfTurnOnAKeptConnectionAreNeverAnAnswer)
{
    HttpResponse late = httpGet(port(), "/app/late-bytes");
    ASSERT_EQ(200, late.status);
    for (int i = 0; i < 200; ++i) {
        if (httpGet(upstream_.port(), "/stats").body.find("\nlate 1\n") != std::string::npos)
            break;
    }
    for (int i = 0; i < 3; ++i) {
        HttpResponse r = httpGet(port(), "/app/echo?" + std::to_string(i));
        EXPECT_NE(std::string::npos, r.body.find("\ntarget /echo?" + std::to_string(i) + "\n"))
            << i << ": " << r.body;
        EXPECT_NE(late.header("X-Upstream-Connection"), r.header("X-Upstream-Connection")) << i;
    }
}

// An answer that began before the body was in, then stalls: the read
// timer still runs, and the connection ends (the answer cut).
TEST_F(ProxyEdgesTest, AnEarlyAnswerThatStallsStillTimesOut)
{
    TestClient client(port());
    client.send(requestHead("POST", "/short/early?stall_ms=8000", "Content-Length: 100000\r\n")
        + std::string(1000, 'x'));
    PieceReader reader(client.fd(), 4096);
    std::string head;
    ASSERT_TRUE(reader.readHead(&head)) << head;
    EXPECT_EQ(0u, head.find("HTTP/1.1 200 OK\r\n")) << head;
    EXPECT_TRUE(client.closedByServer()) << "proxy_read_timeout ends it";
    EXPECT_TRUE(server_.waitForErr("upstream timed out (110: Connection timed out) while reading "
        "upstream")) << server_.err();
}

// An early answer to an HTTP/1.0 client closes the connection after it; the
// rest of the body is read and dropped a while first, so the close does
// not reset the connection and take the answer with it.
TEST_F(ProxyEdgesTest, AnEarlyAnswerToAClientNotKeptAliveIsNotLostToAReset)
{
    TestClient client(port());
    client.send("POST /app/early?code=401 HTTP/1.0\r\nContent-Length: 4194304\r\n\r\n"
        + std::string(64 * 1024, 'b'));
    client.send(std::string(2 * 1024 * 1024, 'b'));    // more than the server read
    std::string all = client.readUntilClose();
    EXPECT_EQ(0u, all.find("HTTP/1.1 401 Unauthorized\r\n")) << all.substr(0, 200);
    EXPECT_NE(std::string::npos, all.find("\r\nConnection: close\r\n"));
    EXPECT_EQ("early\n", all.substr(all.find("\r\n\r\n") + 4));
}
