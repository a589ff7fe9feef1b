// The proxy's directives in the config loader: proxy_pass (TCP, names,
// IPv6, unix sockets, with and without a URI), proxy_set_header and its
// inheritance, the three timeouts, set_real_ip_from / real_ip_header, and
// nginx's messages for what is wrong (file:line of the directive).

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/un.h>

#include <stdexcept>
#include <string>

#include "config/Config.hpp"
#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "support/ConfigErrors.hpp"
#include "support/TempDir.hpp"

namespace {

const char* const kFile = "test.conf";

class ProxyConfigTest : public ::testing::Test {
protected:
    ProxyConfigTest() : cwd_(dir_.path()) { dir_.mkdir("www"); }

    Config load(const std::string& text) { return loadConfigText(text, kFile, nullptr); }
    std::string error(const std::string& text) { return configErrorOf(text, kFile); }
    // The error of one proxy_pass line, at line 3.
    std::string passError(const std::string& url)
    {
        return error("server {\n location / {\n  proxy_pass " + url + ";\n }\n}\n");
    }
    ProxyPass pass(const std::string& url)
    {
        return load("server { location /app/ { proxy_pass " + url + "; } }")
            .servers.at(0).locations.at(0).proxyPass;
    }

    TempDir dir_;
    ScopedChdir cwd_;
};

}

TEST_F(ProxyConfigTest, TheUrlGivesTheAddressTheHostAndTheUri)
{
    ProxyPass plain = pass("http://127.0.0.1:9000");
    EXPECT_TRUE(plain.enabled);
    EXPECT_EQ("127.0.0.1", plain.upstream.inet.host);
    EXPECT_EQ(9000, plain.upstream.inet.port);
    EXPECT_EQ(AF_INET, plain.upstream.socket.ss_family);
    EXPECT_EQ("127.0.0.1:9000", plain.host);
    EXPECT_FALSE(plain.hasUri);

    ProxyPass slash = pass("http://127.0.0.1:9000/");
    EXPECT_TRUE(slash.hasUri);
    EXPECT_EQ("/", slash.uri);

    ProxyPass v6 = pass("http://[::1]:9001/api/");
    EXPECT_EQ(AF_INET6, v6.upstream.socket.ss_family);
    EXPECT_EQ(9001, v6.upstream.inet.port);
    EXPECT_EQ("[::1]:9001", v6.host);
    EXPECT_EQ("/api/", v6.uri);

    ProxyPass named = pass("http://localhost");
    EXPECT_EQ(80, named.upstream.inet.port) << "no port is port 80";
    EXPECT_EQ("localhost", named.host);
    EXPECT_EQ(named.upstream.inet.toString(), named.upstream.text) << "the pool's key";
}

TEST_F(ProxyConfigTest, AUnixSocketUpstreamMayHaveAUri)
{
    ProxyPass bare = pass("http://unix:run/app.sock");
    EXPECT_EQ(dir_.path() + "/run/app.sock", bare.upstream.unixPath);
    EXPECT_EQ(AF_UNIX, bare.upstream.socket.ss_family);
    EXPECT_EQ("localhost", bare.host);
    EXPECT_FALSE(bare.hasUri);
    ProxyPass uri = pass("http://unix:/tmp/app.sock:/v1/");
    EXPECT_EQ("/tmp/app.sock", uri.upstream.unixPath);
    EXPECT_TRUE(uri.hasUri);
    EXPECT_EQ("/v1/", uri.uri);
}

TEST_F(ProxyConfigTest, WhatCannotBeAnUpstreamIsRefusedAtItsLine)
{
    EXPECT_EQ("invalid URL prefix in \"ftp://x\" in test.conf:3", passError("ftp://x"));
    EXPECT_EQ("https upstreams are not supported in \"https://a:1\": webserv has no TLS "
        "(proxy to the application over plain http) in test.conf:3", passError("https://a:1"));
    EXPECT_EQ("invalid port in upstream \"127.0.0.1:99999\" in test.conf:3",
        passError("http://127.0.0.1:99999"));
    EXPECT_EQ("invalid host in upstream \"http://\" in test.conf:3", passError("http://"));
    EXPECT_EQ("invalid host in upstream \"*:80\" in test.conf:3", passError("http://*:80"));
    EXPECT_EQ("host not found in upstream \"no-such-host.invalid:80\" in test.conf:3",
        passError("http://no-such-host.invalid:80"));
    EXPECT_EQ("no path in the unix socket upstream \"http://unix:\" in test.conf:3",
        passError("http://unix:"));
    EXPECT_EQ("a query or fragment in \"proxy_pass\" is not supported: \"http://127.0.0.1:1/x?y\" in "
        "test.conf:3", passError("http://127.0.0.1:1/x?y"));
    EXPECT_EQ("variables in \"proxy_pass\" are not supported in test.conf:3",
        passError("http://127.0.0.1:1$uri"));
    EXPECT_EQ("\"proxy_pass\" directive is not allowed here in test.conf:2",
        error("server {\n proxy_pass http://127.0.0.1:1;\n}\n"));
}

TEST_F(ProxyConfigTest, SetHeadersAndTimeoutsAreInheritedUntilABlockHasItsOwn)
{
    Config config = load("proxy_set_header X-A a;\nproxy_read_timeout 5s;\nserver {\n"
        " proxy_connect_timeout 300ms;\n"
        " location /a/ { proxy_pass http://127.0.0.1:1; }\n"
        " location /b/ { proxy_pass http://127.0.0.1:1; proxy_set_header X-B $host;"
        " proxy_set_header X-C \"\"; proxy_send_timeout 2m; }\n}\n");
    const LocationConfig& a = config.servers.at(0).locations.at(0);
    const LocationConfig& b = config.servers.at(0).locations.at(1);
    ASSERT_EQ(1u, a.proxy.setHeaders.size());
    EXPECT_EQ("X-A", a.proxy.setHeaders[0].name);
    EXPECT_EQ(300, a.proxy.connectTimeoutMs);
    EXPECT_EQ(5000, a.proxy.readTimeoutMs);
    EXPECT_EQ(60000, a.proxy.sendTimeoutMs);
    ASSERT_EQ(2u, b.proxy.setHeaders.size()) << "a block's own lines replace the inherited ones";
    EXPECT_EQ("X-B", b.proxy.setHeaders[0].name);
    EXPECT_TRUE(b.proxy.setHeaders[0].value.hasVariables());
    EXPECT_EQ("", b.proxy.setHeaders[1].value.text());
    EXPECT_EQ(120000, b.proxy.sendTimeoutMs);
    EXPECT_EQ("invalid header name \"X A\" in \"proxy_set_header\" in test.conf:1",
        error("proxy_set_header \"X A\" v;\nserver { }\n"));
    EXPECT_EQ("unknown \"nope\" variable in test.conf:1",
        error("proxy_set_header X-A $nope;\nserver { }\n"));
}

TEST_F(ProxyConfigTest, TrustedProxiesAreAddressRangesAndOneOfTwoHeaders)
{
    Config config = load("set_real_ip_from 127.0.0.1;\nset_real_ip_from 10.0.0.0/8;\n"
        "real_ip_header x-forwarded-for;\nserver { location /l/ { set_real_ip_from ::1; } }\n");
    const LocationConfig& server = config.servers.at(0).implicit;
    EXPECT_EQ(2u, server.trusted.ranges.size());
    EXPECT_EQ("X-Forwarded-For", server.trusted.header);
    EXPECT_EQ(1u, config.servers.at(0).locations.at(0).trusted.ranges.size());
    EXPECT_EQ("X-Real-IP", load("server { }").servers.at(0).implicit.trusted.header);
    EXPECT_EQ("invalid address \"all\" in \"set_real_ip_from\" in test.conf:1",
        error("set_real_ip_from all;\nserver { }\n"));
    EXPECT_EQ("invalid value \"Forwarded\" in \"real_ip_header\", it must be \"X-Real-IP\" or "
        "\"X-Forwarded-For\" in test.conf:1", error("real_ip_header Forwarded;\nserver { }\n"));
}

// nginx's proxy-only server needs no root: webserv asks for one only
// where a file may be read.
TEST_F(ProxyConfigTest, AServerThatProxiesEveryPathNeedsNoRoot)
{
    TempDir empty;
    ScopedChdir inEmpty(empty.path());
    Config config = load("server {\n location / { proxy_pass http://127.0.0.1:3000; }\n}\n");
    EXPECT_TRUE(config.servers.at(0).locations.at(0).proxyPass.enabled);
    EXPECT_EQ("the default root \"www\" does not exist; set \"root\" in test.conf:1",
        error("server {\n location /app/ { proxy_pass http://127.0.0.1:3000; }\n}\n"))
        << "other paths read files";
}
