// proxy_pass beyond plain requests: the WebSocket tunnel a 101 makes
// (frames both ways, large ones too, and an idle tunnel ended by
// proxy_read_timeout), a unix-socket upstream, a connect that never
// completes (proxy_connect_timeout), webserv proxying to another webserv,
// and the trusted-proxy rule (set_real_ip_from): who the client is and
// whether it came over https, only when a trusted peer says so.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/ProxyUpstream.hpp"
#include "support/ServerProcess.hpp"
#include "support/Streaming.hpp"

namespace {

const char kHandshake[] = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

// A client's frame (RFC 6455 §5.2): FIN, the opcode, masked payload.
std::string clientFrame(unsigned char opcode, const std::string& payload)
{
    std::string frame(1, static_cast<char>(0x80 | opcode));
    size_t n = payload.size();
    if (n < 126) {
        frame += static_cast<char>(0x80 | n);
    } else if (n < 65536) {
        frame += static_cast<char>(0x80 | 126);
        frame += static_cast<char>(n >> 8);
        frame += static_cast<char>(n & 0xff);
    } else {
        frame += static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            frame += static_cast<char>((static_cast<unsigned long long>(n) >> shift) & 0xff);
    }
    const unsigned char mask[4] = { 0x12, 0x34, 0x56, 0x78 };
    frame.append(reinterpret_cast<const char*>(mask), 4);
    for (size_t i = 0; i < n; ++i)
        frame += static_cast<char>(payload[i] ^ mask[i % 4]);
    return frame;
}

// Reads from a socket: a head, then the server's (unmasked) frames.
class WebSocketReader {
public:
    explicit WebSocketReader(int fd) : fd_(fd) {}

    std::string head()
    {
        size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (!fill())
                return buffer_;
        std::string head = buffer_.substr(0, end + 4);
        buffer_.erase(0, end + 4);
        return head;
    }

    // false when the connection ended first.
    bool frame(unsigned char* opcode, std::string* payload)
    {
        if (!need(2))
            return false;
        *opcode = static_cast<unsigned char>(buffer_[0]) & 0x0f;
        unsigned long long n = static_cast<unsigned char>(buffer_[1]) & 0x7f;
        size_t header = 2;
        if (n >= 126) {
            size_t bytes = n == 126 ? 2 : 8;
            if (!need(2 + bytes))
                return false;
            n = 0;
            for (size_t i = 0; i < bytes; ++i)
                n = (n << 8) | static_cast<unsigned char>(buffer_[2 + i]);
            header += bytes;
        }
        if (!need(header + n))
            return false;
        *payload = buffer_.substr(header, n);
        buffer_.erase(0, header + n);
        return true;
    }

private:
    bool need(size_t bytes)
    {
        while (buffer_.size() < bytes)
            if (!fill())
                return false;
        return true;
    }
    bool fill()
    {
        char piece[65536];
        ssize_t n = recv(fd_, piece, sizeof piece, 0);
        if (n <= 0)
            return false;
        buffer_.append(piece, static_cast<size_t>(n));
        return true;
    }

    int fd_;
    std::string buffer_;
};

std::string tunnelConfig(const ProxyUpstream& upstream)
{
    return R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR};
    location / {
        proxy_pass http://)" + upstream.address() + R"(;
    }
    location /idle/ {
        proxy_pass http://)" + upstream.address() + R"(/;
        proxy_read_timeout 500ms;
    }
}
)";
}

}

TEST(ProxyTunnelTest, AWebSocketGoesThroughBothWaysUntilEitherSideCloses)
{
    ProxyUpstream upstream;
    ServerProcess server(tunnelConfig(upstream));
    TestClient client(server.port());
    client.send(kHandshake);
    WebSocketReader reader(client.fd());
    std::string head = reader.head();
    EXPECT_EQ(0u, head.find("HTTP/1.1 101 Switching Protocols\r\n")) << head;
    EXPECT_NE(std::string::npos, head.find("\r\nUpgrade: websocket\r\n")) << head;
    EXPECT_NE(std::string::npos, head.find("\r\nConnection: upgrade\r\n")) << head;
    EXPECT_NE(std::string::npos, head.find("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        << head;
    EXPECT_EQ(std::string::npos, head.find("Content-Length")) << head;

    const std::string big = randomBytes(3 * 1024 * 1024, 11);
    for (const std::string& payload : { std::string("hello"), std::string(300, 'x'), big }) {
        client.send(clientFrame(payload.size() < 1000 ? 0x1 : 0x2, payload));
        unsigned char opcode = 0;
        std::string echoed;
        ASSERT_TRUE(reader.frame(&opcode, &echoed)) << payload.size();
        EXPECT_EQ(payload.size() < 1000 ? 0x1 : 0x2, opcode);
        EXPECT_EQ(sha256(payload), sha256(echoed)) << payload.size();
    }
    client.send(clientFrame(0x8, std::string("\x03\xe8", 2)));
    unsigned char opcode = 0;
    std::string closing;
    ASSERT_TRUE(reader.frame(&opcode, &closing));
    EXPECT_EQ(0x8, opcode);
    EXPECT_TRUE(client.closedByServer()) << "the upstream closed: so does the tunnel";
    EXPECT_TRUE(server.waitForOut("\"GET /ws HTTP/1.1\" 101 ")) << server.out();
}

TEST(ProxyTunnelTest, AnIdleTunnelEndsAfterProxyReadTimeoutAndARefusedUpgradeIsAnAnswer)
{
    ProxyUpstream upstream;
    ServerProcess server(tunnelConfig(upstream));
    TestClient client(server.port());
    std::string handshake = kHandshake;
    client.send(handshake.replace(4, 3, "/idle/ws"));
    WebSocketReader reader(client.fd());
    EXPECT_EQ(0u, reader.head().find("HTTP/1.1 101 "));
    EXPECT_TRUE(client.closedByServer());
    EXPECT_TRUE(server.waitForErr("upstream timed out (110: Connection timed out) while proxying "
        "upgraded connection")) << server.err();

    std::string refused = kHandshake;
    HttpResponse r = httpRaw(server.port(), refused.replace(4, 3, "/upgrade-refused"));
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("no upgrade", r.body);
    EXPECT_EQ("keep-alive", r.header("Connection"));
    EXPECT_EQ(0u, r.count("Upgrade"));
}

TEST(ProxyTunnelTest, AUnixSocketUpstreamGetsLocalhostWhenTheClientSentNoHost)
{
    ProxyUpstream upstream(true);
    ASSERT_TRUE(upstream.started());
    ServerProcess server(tunnelConfig(upstream));
    TestClient client(server.port());
    client.send("GET /echo HTTP/1.0\r\n\r\n");
    std::string all = client.readUntilClose();
    EXPECT_EQ(0u, all.find("HTTP/1.1 200 OK\r\n")) << all;
    EXPECT_NE(std::string::npos, all.find("\nheader Host: localhost\n")) << all;
    EXPECT_EQ(std::string::npos, all.find("X-Forwarded-Host")) << all;
}

// A listener whose backlog is full never completes another connect.
TEST(ProxyTunnelTest, AConnectThatNeverCompletesIsA504AfterProxyConnectTimeout)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(0, bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address));
    ASSERT_EQ(0, listen(listener, 0));
    socklen_t length = sizeof address;
    getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    int port = ntohs(address.sin_port);
    std::vector<int> fillers;
    for (int i = 0; i < 3; ++i) {
        fillers.push_back(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        connect(fillers.back(), reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
    ServerProcess server("server {\n listen 127.0.0.1:{PORT};\n location / {\n"
        "  proxy_pass http://127.0.0.1:" + std::to_string(port) + ";\n  proxy_connect_timeout 300ms;\n"
        " }\n}\n");
    EXPECT_EQ(504, httpGet(server.port(), "/x").status);
    EXPECT_TRUE(server.waitForErr("upstream timed out (110: Connection timed out) while connecting to "
        "upstream")) << server.err();
    for (int fd : fillers)
        close(fd);
    close(listener);
}

// webserv behind webserv: the inner one's static answers (validators,
// conditional requests) come through as it made them.
TEST(ProxyTunnelTest, WebservProxiesToAnotherWebserv)
{
    ServerProcess inner("server {\n listen 127.0.0.1:{PORT};\n root {DIR};\n}\n",
        [](const TempDir& dir) { dir.write("page.txt", "inner page\n"); });
    ServerProcess outer("server {\n listen 127.0.0.1:{PORT};\n location /in/ {\n"
        "  proxy_pass http://127.0.0.1:" + std::to_string(inner.port()) + "/;\n }\n}\n");
    HttpResponse page = httpGet(outer.port(), "/in/page.txt");
    EXPECT_EQ(200, page.status);
    EXPECT_EQ("inner page\n", page.body);
    EXPECT_EQ("application/octet-stream", page.header("Content-Type")) << "the inner one has no types";
    std::string etag = page.header("ETag");
    ASSERT_FALSE(etag.empty());
    HttpResponse again = httpGet(outer.port(), "/in/page.txt", "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(304, again.status);
    EXPECT_EQ("", again.body);
    EXPECT_EQ(404, httpGet(outer.port(), "/in/missing").status);
    EXPECT_TRUE(inner.waitForOut("\"GET /page.txt HTTP/1.1\" 304 ")) << inner.out();
}

// From a set_real_ip_from peer, the client's address and scheme are the
// forwarding fields' (the session cookie then says Secure); from anyone
// else those fields are only passed on.
TEST(ProxyTunnelTest, OnlyATrustedPeerSaysWhoTheClientIsAndThatItCameOverHttps)
{
    ProxyUpstream upstream;
    ServerProcess server(R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR};
    location /trusted/ {
        set_real_ip_from 127.0.0.0/8;
        real_ip_header X-Forwarded-For;
        proxy_pass http://)" + upstream.address() + R"(/;
    }
    location /untrusted/ {
        set_real_ip_from 10.0.0.0/8;
        proxy_pass http://)" + upstream.address() + R"(/;
    }
    location /s/ {
        set_real_ip_from 127.0.0.1;
        session on;
    }
    location = /moved {
        set_real_ip_from 127.0.0.1;
        return 302 /here;
    }
}
)", [](const TempDir& dir) { dir.mkdir("s"); dir.write("s/page.txt", "p"); });
    const std::string forwarded = "X-Forwarded-For: 192.0.2.1, 198.51.100.7\r\nX-Forwarded-Proto: https\r\n";
    HttpResponse trusted = httpGet(server.port(), "/trusted/echo", forwarded);
    EXPECT_NE(std::string::npos, trusted.body.find("\nheader X-Real-IP: 198.51.100.7\n")) << trusted.body;
    EXPECT_NE(std::string::npos, trusted.body.find("\nheader X-Forwarded-Proto: https\n")) << trusted.body;
    EXPECT_NE(std::string::npos, trusted.body.find(
        "\nheader X-Forwarded-For: 192.0.2.1, 198.51.100.7, 198.51.100.7\n")) << trusted.body;
    HttpResponse untrusted = httpGet(server.port(), "/untrusted/echo", forwarded);
    EXPECT_NE(std::string::npos, untrusted.body.find("\nheader X-Real-IP: 127.0.0.1\n")) << untrusted.body;
    EXPECT_NE(std::string::npos, untrusted.body.find("\nheader X-Forwarded-Proto: http\n")) << untrusted.body;
    EXPECT_TRUE(server.waitForOut("198.51.100.7 - - [")) << "the access log names the real client";

    HttpResponse secure = httpGet(server.port(), "/s/page.txt", "X-Forwarded-Proto: https\r\n");
    EXPECT_NE(std::string::npos, secure.header("Set-Cookie").find("; HttpOnly; SameSite=Lax; Secure"))
        << secure.header("Set-Cookie");
    HttpResponse plain = httpGet(server.port(), "/s/page.txt");
    EXPECT_EQ(std::string::npos, plain.header("Set-Cookie").find("Secure")) << plain.header("Set-Cookie");

    // A redirect points where the client went: the proxy's scheme and Host.
    HttpResponse moved = httpRaw(server.port(), "GET /moved HTTP/1.1\r\nHost: front.test:8443\r\n"
        "X-Forwarded-Proto: https\r\n\r\n");
    EXPECT_EQ("https://front.test:8443/here", moved.header("Location"));
    EXPECT_EQ("http://localhost/here", httpGet(server.port(), "/moved").header("Location"))
        << "a trusted http proxy: the Host as it came";
}

// A kept connection the upstream closes as the next request arrives on it:
// a GET goes again on a fresh connection; a POST that may have run is never
// sent twice (502).
TEST(ProxyTunnelTest, ARequestOnAKeptConnectionThatDiesIsRetriedOnlyWhenThatIsSafe)
{
    ProxyUpstream upstream;
    ServerProcess server(tunnelConfig(upstream));
    HttpResponse first = httpGet(server.port(), "/drop-next");
    ASSERT_EQ(200, first.status);
    HttpResponse again = httpGet(server.port(), "/echo");
    EXPECT_EQ(200, again.status) << again.raw;
    EXPECT_NE(first.header("X-Upstream-Connection"), again.header("X-Upstream-Connection"));
    EXPECT_EQ("1", again.header("X-Upstream-Request")) << "a fresh connection";

    ASSERT_EQ(200, httpGet(server.port(), "/drop-next").status);
    HttpResponse post = httpRaw(server.port(), postWithLength("/upload", "data"));
    EXPECT_EQ(502, post.status);
    EXPECT_TRUE(server.waitForErr("upstream prematurely closed connection while reading response header "
        "from upstream, client: 127.0.0.1, server: , request: \"POST /upload HTTP/1.1\"")) << server.err();
    // drop-next, the GET (dropped, then again), drop-next, the POST once, this one.
    EXPECT_EQ("connections 3\nrequests 6\n", httpGet(server.port(), "/stats").body);
}
