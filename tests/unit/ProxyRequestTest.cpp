// The request a reverse proxy sends upstream: hop-by-hop fields dropped,
// X-Forwarded-* added, framing set again, proxy_set_header last; the
// target by nginx's URI rule; which response fields stay behind.

#include <gtest/gtest.h>

#include <string>

#include "http/ProxyRequest.hpp"

namespace {

Request requestWith(const std::string& method, const std::string& fields)
{
    Request r;
    r.method = method;
    r.versionMinor = 1;
    std::string::size_type from = 0;
    while (from < fields.size()) {
        std::string::size_type end = fields.find('\n', from);
        std::string line = fields.substr(from, end - from);
        std::string::size_type colon = line.find(": ");
        r.headers.add(line.substr(0, colon), line.substr(colon + 2));
        from = end == std::string::npos ? fields.size() : end + 1;
    }
    return r;
}

ProxyForwarding forwarding(const std::string& target)
{
    ProxyForwarding f;
    f.target = target;
    f.fallbackHost = "127.0.0.1:9000";
    f.clientAddress = "192.0.2.7";
    f.scheme = "http";
    return f;
}

TEST(ProxyRequestTest, HopByHopFieldsStayAndForwardingFieldsAreAdded)
{
    Request r = requestWith("GET", "Host: example.org\nUser-Agent: curl\n"
        "Connection: keep-alive, X-Secret\nX-Secret: hop\nKeep-Alive: 5\nTE: trailers\n"
        "Proxy-Authorization: Basic x\nUpgrade: h2c\nX-Forwarded-For: 10.0.0.1\n"
        "X-Real-IP: 6.6.6.6\nExpect: 100-continue\nAccept: */*");
    EXPECT_EQ("GET /a?b=1 HTTP/1.1\r\n"
              "Host: example.org\r\n"
              "User-Agent: curl\r\n"
              "Accept: */*\r\n"
              "X-Forwarded-For: 10.0.0.1, 192.0.2.7\r\n"
              "X-Real-IP: 192.0.2.7\r\n"
              "X-Forwarded-Proto: http\r\n"
              "X-Forwarded-Host: example.org\r\n"
              "\r\n", proxyRequestHead(r, forwarding("/a?b=1")));
}

TEST(ProxyRequestTest, FramingIsSetAgainFromTheBody)
{
    Request chunked = requestWith("POST", "Host: h\nTransfer-Encoding: chunked\nContent-Type: text/plain");
    chunked.framing = BODY_CHUNKED;
    std::string head = proxyRequestHead(chunked, forwarding("/up"));
    EXPECT_NE(std::string::npos, head.find("\r\nTransfer-Encoding: chunked\r\n")) << head;
    EXPECT_EQ(std::string::npos, head.find("Content-Length")) << head;

    Request sized = requestWith("POST", "Host: h\nContent-Length: 0012");
    sized.framing = BODY_LENGTH;
    sized.contentLength = 12;
    head = proxyRequestHead(sized, forwarding("/up"));
    EXPECT_NE(std::string::npos, head.find("\r\nContent-Length: 12\r\n")) << head;
    Request empty = requestWith("POST", "Host: h\nContent-Length: 0");
    EXPECT_NE(std::string::npos, proxyRequestHead(empty, forwarding("/")).find("\r\nContent-Length: 0\r\n"));
}

TEST(ProxyRequestTest, NoHostMeansTheUpstreamsAndNoForwardedHost)
{
    Request r = requestWith("GET", "Accept: */*");
    r.versionMinor = 0;
    std::string head = proxyRequestHead(r, forwarding("/"));
    EXPECT_EQ(0u, head.find("GET / HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n")) << head;
    EXPECT_EQ(std::string::npos, head.find("X-Forwarded-Host"));
}

TEST(ProxyRequestTest, AWebSocketUpgradeIsPassedOnWhenTunnelling)
{
    Request r = requestWith("GET", "Host: h\nConnection: Upgrade\nUpgrade: websocket\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13");
    ProxyForwarding f = forwarding("/ws");
    f.tunnel = true;
    std::string head = proxyRequestHead(r, f);
    EXPECT_NE(std::string::npos, head.find("\r\nUpgrade: websocket\r\nConnection: upgrade\r\n")) << head;
    EXPECT_NE(std::string::npos, head.find("\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    f.tunnel = false;
    EXPECT_EQ(std::string::npos, proxyRequestHead(r, f).find("Upgrade"));
}

TEST(ProxyRequestTest, ProxySetHeaderReplacesOrRemoves)
{
    Request r = requestWith("GET", "Host: h\nAccept: */*\nCookie: a=1");
    ProxyForwarding f = forwarding("/");
    f.setHeaders.push_back(std::make_pair("Host", "backend.internal"));
    f.setHeaders.push_back(std::make_pair("Cookie", ""));
    f.setHeaders.push_back(std::make_pair("X-App", "webserv"));
    std::string head = proxyRequestHead(r, f);
    EXPECT_EQ(std::string::npos, head.find("\r\nHost: h\r\n")) << head;
    EXPECT_NE(std::string::npos, head.find("\r\nHost: backend.internal\r\n")) << head;
    EXPECT_EQ(std::string::npos, head.find("Cookie"));
    EXPECT_NE(std::string::npos, head.find("\r\nX-App: webserv\r\n"));
}

TEST(ProxyRequestTest, TargetsByNginxsUriRule)
{
    // No URI in proxy_pass: the target as received, encoding and all.
    EXPECT_EQ("/app/a%20b/../c?x=%41", proxyTarget("/app/a%20b/../c?x=%41", "/app/c", "x=%41",
        "/app/", false, ""));
    // A URI: the location's prefix of the normalised path replaced.
    EXPECT_EQ("/v2/users/a%20b?x=1", proxyTarget("/api/users/a%20b?x=1", "/api/users/a b", "x=1",
        "/api/", true, "/v2/"));
    EXPECT_EQ("/", proxyTarget("/api/", "/api/", "", "/api/", true, "/"));
    EXPECT_EQ("/backendrest", proxyTarget("/apirest", "/apirest", "", "/api", true, "/backend"));
}

TEST(ProxyRequestTest, ResponseFieldsThatStayBehind)
{
    const std::vector<std::string> none;
    EXPECT_TRUE(isHopByHopField("Connection", none));
    EXPECT_TRUE(isHopByHopField("keep-alive", none));
    EXPECT_TRUE(isHopByHopField("Transfer-Encoding", none));
    EXPECT_TRUE(isHopByHopField("Content-Length", none));
    EXPECT_TRUE(isHopByHopField("X-Internal", connectionTokens("close, x-internal")));
    EXPECT_TRUE(isHopByHopField("x-other", connectionTokens("X-Other\t,close")));
    EXPECT_FALSE(isHopByHopField("Set-Cookie", connectionTokens("close")));
    EXPECT_FALSE(isHopByHopField("Content-Type", none));
}

}
