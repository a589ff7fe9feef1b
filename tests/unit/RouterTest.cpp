// Routing: server by Host and local address, location by path, file path
// mapping, method decisions (src/router/Router.cpp). Configs are loaded
// from text over temporary roots.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "config/Config.hpp"
#include "config/Loader.hpp"
#include "config/Values.hpp"
#include "router/Router.hpp"
#include "support/ListenAddresses.hpp"
#include "support/TempDir.hpp"

namespace {

std::string nameOf(const ServerConfig& server)
{
    std::string out;
    for (const std::string& name : server.names)
        out += (out.empty() ? "" : ",") + name;
    return out;
}

class RouterTest : public ::testing::Test {
protected:
    // Loads text with "ROOT" replaced by the temporary directory.
    void use(std::string text)
    {
        std::string::size_type pos;
        while ((pos = text.find("ROOT")) != std::string::npos)
            text.replace(pos, 4, dir_.path());
        config_.reset(new Config(loadConfigText(text, "router-test.conf", nullptr)));
        router_.reset(new Router(*config_));
    }

    RouteDecision route(const std::string& method, const std::string& target,
        const std::string& host = "example.org", const std::string& local = "0.0.0.0:8080")
    {
        RouteInput input;
        input.local = addressOf(local);
        input.host = host;
        input.method = method;
        input.target = target;
        return router_->route(input);
    }

    // The first server_name of the server chosen for host on local.
    std::string serverFor(const std::string& host, const std::string& local = "0.0.0.0:8080")
    {
        return nameOf(*route("GET", "/", host, local).server);
    }

    const std::string& T() const { return dir_.path(); }

    TempDir dir_;
    std::unique_ptr<Config> config_;
    std::unique_ptr<Router> router_;
};

}

// ================================================================ server selection

TEST_F(RouterTest, ServerByExactNameCaseInsensitiveWithPort)
{
    use("root ROOT;\n"
        "server { listen 8080; server_name first.test; }\n"
        "server { listen 8080; server_name Example.ORG www.example.org; }\n"
        "server { listen 8080; server_name other.test; }\n");
    EXPECT_EQ("example.org,www.example.org", serverFor("example.org"));
    EXPECT_EQ("example.org,www.example.org", serverFor("EXAMPLE.org"));
    EXPECT_EQ("example.org,www.example.org", serverFor("Example.Org:8080"));
    EXPECT_EQ("example.org,www.example.org", serverFor("www.example.org."));
    EXPECT_EQ("other.test", serverFor("other.test"));
    EXPECT_EQ("first.test", serverFor("first.test:1234"));
    RouteDecision d = route("GET", "/", "WWW.Example.org:8080");
    EXPECT_EQ("www.example.org", d.host);
}

TEST_F(RouterTest, LeadingWildcardLongestWinsAndNeverMatchesTheBareDomain)
{
    use("root ROOT;\n"
        "server { listen 8080 default_server; server_name default.test; }\n"
        "server { listen 8080; server_name *.example.org; }\n"
        "server { listen 8080; server_name *.sub.example.org; }\n"
        "server { listen 8080; server_name exact.sub.example.org; }\n");
    EXPECT_EQ("*.example.org", serverFor("www.example.org"));
    EXPECT_EQ("*.example.org", serverFor("a.b.example.org"));
    EXPECT_EQ("*.sub.example.org", serverFor("x.sub.example.org"));
    EXPECT_EQ("*.sub.example.org", serverFor("X.Sub.Example.Org:8080"));
    EXPECT_EQ("exact.sub.example.org", serverFor("exact.sub.example.org"));
    EXPECT_EQ("*.example.org", serverFor("sub.example.org"));
    EXPECT_EQ("default.test", serverFor("example.org"));
    EXPECT_EQ("default.test", serverFor("notexample.org"));
    EXPECT_EQ("default.test", serverFor(".example.org"));
}

TEST_F(RouterTest, ExactNameBeatsAWildcardDeclaredEarlier)
{
    use("root ROOT;\n"
        "server { listen 8080; server_name *.example.org; }\n"
        "server { listen 8080; server_name www.example.org; }\n");
    EXPECT_EQ("www.example.org", serverFor("www.example.org"));
    EXPECT_EQ("*.example.org", serverFor("ftp.example.org"));
}

TEST_F(RouterTest, DuplicateNameFirstServerWins)
{
    use("root ROOT;\n"
        "server { listen 8080; server_name dup.test one; }\n"
        "server { listen 8080; server_name two dup.test; }\n");
    EXPECT_EQ("dup.test,one", serverFor("dup.test"));
}

TEST_F(RouterTest, UnknownHostGoesToTheDefaultServer)
{
    use("root ROOT;\n"
        "server { listen 8080; server_name a.test; }\n"
        "server { listen 8080 default_server; server_name b.test; }\n"
        "server { listen 8080; server_name c.test; }\n");
    EXPECT_EQ("b.test", serverFor("unknown.test"));
    EXPECT_EQ("b.test", serverFor("127.0.0.1:8080"));
    // An invalid Host value does not match any name either.
    EXPECT_EQ("b.test", serverFor("bad host"));
    EXPECT_EQ("a.test", serverFor("a.test"));
}

TEST_F(RouterTest, WithoutDefaultServerTheFirstServerOfTheAddressAnswers)
{
    use("root ROOT;\n"
        "server { listen 9090; server_name elsewhere.test; }\n"
        "server { listen 8080; server_name a.test; }\n"
        "server { listen 8080; server_name b.test; }\n");
    EXPECT_EQ("a.test", serverFor("unknown.test"));
    EXPECT_EQ("b.test", serverFor("b.test"));
    // A name of a server on another port is not considered.
    EXPECT_EQ("a.test", serverFor("elsewhere.test"));
    EXPECT_EQ("elsewhere.test", serverFor("b.test", "0.0.0.0:9090"));
}

TEST_F(RouterTest, DefaultServerIsPerAddress)
{
    use("root ROOT;\n"
        "server { listen 8080; listen 8081 default_server; server_name a.test; }\n"
        "server { listen 8080 default_server; listen 8081; server_name b.test; }\n");
    EXPECT_EQ("b.test", serverFor("x", "0.0.0.0:8080"));
    EXPECT_EQ("a.test", serverFor("x", "0.0.0.0:8081"));
}

TEST_F(RouterTest, NoHostMatchesAServerWithoutServerName)
{
    // As nginx: a server without server_name has the name "", which is what
    // a request without Host (HTTP/1.0) asks for.
    use("root ROOT;\n"
        "server { listen 8080; }\n"
        "server { listen 8080 default_server; server_name b.test; }\n");
    RouteDecision d = route("GET", "/", "");
    EXPECT_EQ("", nameOf(*d.server));
    EXPECT_EQ(&config_->servers[0], d.server);
    EXPECT_EQ("b.test", serverFor("unknown.test"));
}

TEST_F(RouterTest, SpecificAddressOnlyConsidersItsOwnServers)
{
    use("root ROOT;\n"
        "server { listen 8080; server_name wild.test; }\n"
        "server { listen 127.0.0.1:8080; server_name local-a.test; }\n"
        "server { listen 127.0.0.1:8080; server_name local-b.test; }\n");
    // On 127.0.0.1 only the two servers listening there take part.
    EXPECT_EQ("local-a.test", serverFor("wild.test", "127.0.0.1:8080"));
    EXPECT_EQ("local-b.test", serverFor("local-b.test", "127.0.0.1:8080"));
    // Any other local address falls back to the wildcard listeners.
    EXPECT_EQ("wild.test", serverFor("local-a.test", "127.0.0.2:8080"));
    EXPECT_EQ("wild.test", serverFor("wild.test", "10.0.0.1:8080"));
}

TEST_F(RouterTest, Ipv6WildcardAndLiteral)
{
    use("root ROOT;\n"
        "server { listen 8080; server_name v4.test; }\n"
        "server { listen [::]:8080; server_name v6.test; }\n"
        "server { listen [::1]:8080; server_name v6-loopback.test; }\n");
    EXPECT_EQ("v6.test", serverFor("x", "[::2]:8080"));
    EXPECT_EQ("v6-loopback.test", serverFor("v6.test", "[::1]:8080"));
    EXPECT_EQ("v4.test", serverFor("v6.test", "127.0.0.1:8080"));
}

TEST_F(RouterTest, AbsoluteFormAuthorityWinsOverHost)
{
    use("root ROOT;\n"
        "server { listen 8080; server_name a.test; }\n"
        "server { listen 8080; server_name b.test; }\n");
    RouteDecision d = route("GET", "http://B.test:8080/x?y=1", "a.test");
    EXPECT_EQ("b.test", nameOf(*d.server));
    EXPECT_EQ("b.test", d.host);
    EXPECT_EQ("/x", d.path);
    EXPECT_EQ("y=1", d.query);
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/x", d.fsPath);
}

TEST_F(RouterTest, AbsoluteFormWithAnInvalidAuthorityIsABadRequest)
{
    // An absolute-form authority that is no valid uri-host is a 400, as in
    // nginx 1.22, whatever the Host header says.
    use("root ROOT;\nserver { listen 8080; server_name a.test; }\n");
    const char* targets[] = { "http://a<b/x", "http://b:8x/x", "http://a\"b/" };
    for (const char* target : targets) {
        RouteDecision d = route("GET", target, "a.test");
        EXPECT_EQ(ROUTE_ERROR, d.action) << target;
        EXPECT_EQ(400, d.status) << target;
    }
}

// ================================================================ location selection

TEST_F(RouterTest, LocationSelection)
{
    use("root ROOT;\n"
        "server {\n"
        "    location / { }\n"
        "    location /img/ { }\n"
        "    location /img/icons/ { }\n"
        "    location /img/logo { }\n"
        "    location = /img/logo.png { }\n"
        "    location = / { }\n"
        "}\n");
    struct Case {
        const char* path;
        const char* location;
        bool exact;
    } cases[] = {
        { "/img/logo.png", "/img/logo.png", true },
        { "/img/logo.png.bak", "/img/logo", false },
        { "/img/logo", "/img/logo", false },
        { "/img/icons/a.png", "/img/icons/", false },
        { "/img/icons/", "/img/icons/", false },
        { "/img/icons", "/img/", false },
        { "/img/x.png", "/img/", false },
        { "/img", "/", false },
        { "/", "/", true },
        { "/index.html", "/", false },
        { "/IMG/x.png", "/", false },
    };
    for (const Case& c : cases) {
        RouteDecision d = route("GET", c.path);
        ASSERT_NE(nullptr, d.location) << c.path;
        EXPECT_EQ(c.location, d.location->path) << c.path;
        EXPECT_EQ(c.exact, d.location->exact) << c.path;
    }
}

TEST_F(RouterTest, ExactBeatsALongerPrefixWhateverTheOrder)
{
    use("root ROOT;\n"
        "server {\n"
        "    location /a/b/c { }\n"
        "    location = /a/b/c { return 204; }\n"
        "}\n");
    RouteDecision d = route("GET", "/a/b/c");
    EXPECT_TRUE(d.location->exact);
    EXPECT_EQ(ROUTE_RETURN, d.action);
    EXPECT_EQ(204, d.status);
    d = route("GET", "/a/b/cd");
    EXPECT_FALSE(d.location->exact);
    EXPECT_EQ("/a/b/c", d.location->path);
}

TEST_F(RouterTest, MatchingUsesTheNormalisedPath)
{
    use("root ROOT;\n"
        "server {\n"
        "    location /img/ { }\n"
        "    location = /exact { }\n"
        "}\n");
    EXPECT_EQ("/img/", route("GET", "/x/../img/a.png").location->path);
    EXPECT_EQ("/img/", route("GET", "//img//a.png").location->path);
    EXPECT_EQ("/img/", route("GET", "/%69mg/a.png").location->path);
    EXPECT_EQ("/exact", route("GET", "/./exact").location->path);
    EXPECT_EQ("/exact", route("GET", "/%65xact").location->path);
    RouteDecision d = route("GET", "/%69mg/a%20b.png");
    EXPECT_EQ("/img/a b.png", d.path);
    EXPECT_EQ(T() + "/img/a b.png", d.fsPath);
}

TEST_F(RouterTest, NoMatchingLocationUsesTheServersImplicitLocation)
{
    use("root ROOT;\n"
        "server {\n"
        "    autoindex on;\n"
        "    location /only/ { }\n"
        "}\n");
    RouteDecision d = route("GET", "/elsewhere/file.txt");
    EXPECT_EQ(&config_->servers[0].implicit, d.location);
    EXPECT_EQ("", d.location->path);
    EXPECT_TRUE(d.location->autoindex);
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/elsewhere/file.txt", d.fsPath);
}

// ================================================================ file mapping

TEST_F(RouterTest, RootKeepsTheLocationPrefix)
{
    dir_.mkdir("site");
    dir_.mkdir("images");
    use("root ROOT/site;\n"
        "server {\n"
        "    location /img/ { root ROOT/images; }\n"
        "}\n");
    RouteDecision d = route("GET", "/img/a/b.png");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ("/img/a/b.png", d.path);
    EXPECT_EQ(T() + "/images/img/a/b.png", d.fsPath);
    d = route("GET", "/index.html");
    EXPECT_EQ(T() + "/site/index.html", d.fsPath);
    d = route("GET", "/");
    EXPECT_EQ(T() + "/site/", d.fsPath);
}

TEST_F(RouterTest, AliasWithTrailingSlashReplacesThePrefix)
{
    dir_.mkdir("pics");
    use("root ROOT;\n"
        "server {\n"
        "    location /img/ { alias ROOT/pics/; }\n"
        "}\n");
    RouteDecision d = route("GET", "/img/a/b.png");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/pics/a/b.png", d.fsPath);
    d = route("GET", "/img/");
    EXPECT_EQ(T() + "/pics/", d.fsPath);
}

TEST_F(RouterTest, AliasWithoutTrailingSlash)
{
    dir_.mkdir("pics");
    use("root ROOT;\n"
        "server {\n"
        "    location /img { alias ROOT/pics; }\n"
        "}\n");
    RouteDecision d = route("GET", "/img/a.png");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/pics/a.png", d.fsPath);
    d = route("GET", "/img");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/pics", d.fsPath);
    d = route("GET", "/img/");
    EXPECT_EQ(T() + "/pics/", d.fsPath);
    // "/img" also prefixes "/imgX", which must not become ROOT/picsX.
    d = route("GET", "/imgX");
    EXPECT_EQ("/img", d.location->path);
    EXPECT_EQ(ROUTE_ERROR, d.action);
    EXPECT_EQ(404, d.status);
    d = route("GET", "/img.png");
    EXPECT_EQ(ROUTE_ERROR, d.action);
    EXPECT_EQ(404, d.status);
}

TEST_F(RouterTest, AliasOnAnExactLocationNamesTheFile)
{
    dir_.write("icons/fav.ico", "x");
    use("root ROOT;\n"
        "server {\n"
        "    location = /favicon.ico { alias ROOT/icons/fav.ico; }\n"
        "}\n");
    RouteDecision d = route("GET", "/favicon.ico");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/icons/fav.ico", d.fsPath);
}

TEST_F(RouterTest, TraversalNeverLeavesTheRoot)
{
    dir_.mkdir("www/a");
    dir_.mkdir("pics");
    dir_.write("secret.txt", "secret");
    use("root ROOT/www;\n"
        "server {\n"
        "    location /img/ { alias ROOT/pics/; }\n"
        "}\n");
    const char* rejected[] = {
        "/../secret.txt",
        "/..",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/a/..%2f..%2fsecret.txt",
        "/a/%2e%2e/%2e%2e/secret.txt",
        "/img/../../secret.txt",
        "/img/..%2f..%2fsecret.txt",
        "/img/%2e%2e/%2e%2e/secret.txt",
        "/%00",
        "/a%00.html",
        "/img/a%00",
        "/%",
        "/%zz",
    };
    for (const char* target : rejected) {
        RouteDecision d = route("GET", target);
        EXPECT_EQ(ROUTE_ERROR, d.action) << target;
        EXPECT_EQ(400, d.status) << target;
        EXPECT_EQ("", d.fsPath) << target;
    }
    // Dot segments that stay inside are resolved before mapping.
    const char* inside[] = { "/a/../secret.txt", "/a/%2e%2e/secret.txt", "/./a/./../secret.txt",
        "/img/../secret.txt", "/a%2f..%2fsecret.txt" };
    for (const char* target : inside) {
        RouteDecision d = route("GET", target);
        EXPECT_EQ(ROUTE_STATIC, d.action) << target;
        EXPECT_EQ(T() + "/www/secret.txt", d.fsPath) << target;
    }
    RouteDecision d = route("GET", "/img/x/../y.png");
    EXPECT_EQ(T() + "/pics/y.png", d.fsPath);
}

TEST_F(RouterTest, BadRequestTargetsAre400)
{
    use("root ROOT;\nserver { }\n");
    const char* bad[] = { "*", "", "example.org:80", "ftp://h/x", "http://user@h/x", "relative" };
    for (const char* target : bad) {
        RouteDecision d = route("GET", target);
        EXPECT_EQ(ROUTE_ERROR, d.action) << target;
        EXPECT_EQ(400, d.status) << target;
        ASSERT_NE(nullptr, d.server) << target;
        EXPECT_EQ(&config_->servers[0].implicit, d.location) << target;
    }
}

TEST_F(RouterTest, QueryIsKeptAsReceived)
{
    use("root ROOT;\nserver { }\n");
    RouteDecision d = route("GET", "/p%20q?a=%20b&c=/../d&e=%zz");
    EXPECT_EQ("/p q", d.path);
    EXPECT_TRUE(d.hasQuery);
    EXPECT_EQ("a=%20b&c=/../d&e=%zz", d.query);
    d = route("GET", "/p?");
    EXPECT_TRUE(d.hasQuery);
    EXPECT_EQ("", d.query);
    d = route("GET", "/p");
    EXPECT_FALSE(d.hasQuery);
    EXPECT_EQ("", d.query);
}

// ================================================================ methods

TEST_F(RouterTest, MethodNotAllowedListsTheLocationsMethods)
{
    use("root ROOT;\n"
        "server {\n"
        "    location /ro/ { }\n"
        "    location /post-only/ { allow_methods POST; }\n"
        "    location /rw/ { allow_methods GET POST; }\n"
        "}\n");
    RouteDecision d = route("DELETE", "/ro/x");
    EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action);
    EXPECT_EQ(405, d.status);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD | METHOD_OPTIONS), d.allowedMethods);

    d = route("GET", "/post-only/x");
    EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action);
    EXPECT_EQ(405, d.status);
    EXPECT_EQ(unsigned(METHOD_POST | METHOD_OPTIONS), d.allowedMethods);

    d = route("DELETE", "/rw/x");
    EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD | METHOD_POST | METHOD_OPTIONS), d.allowedMethods);
}

TEST_F(RouterTest, UnimplementedAndLowerCaseMethodsAre405)
{
    use("root ROOT;\nserver { location / { allow_methods GET POST DELETE; } }\n");
    const char* methods[] = { "PUT", "options", "get", "TRACE", "" };
    for (const char* method : methods) {
        RouteDecision d = route(method, "/x");
        EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action) << method;
        EXPECT_EQ(405, d.status) << method;
        EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD | METHOD_POST | METHOD_DELETE | METHOD_OPTIONS),
            d.allowedMethods) << method;
    }
}

TEST_F(RouterTest, GetImpliesHead)
{
    use("root ROOT;\nserver { location / { allow_methods GET; } location /h/ { allow_methods HEAD; } }\n");
    RouteDecision d = route("HEAD", "/x");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/x", d.fsPath);
    d = route("GET", "/x");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    // HEAD alone does not allow GET.
    d = route("GET", "/h/x");
    EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action);
    EXPECT_EQ(unsigned(METHOD_HEAD | METHOD_OPTIONS), d.allowedMethods);
    EXPECT_EQ(ROUTE_STATIC, route("HEAD", "/h/x").action);
}

TEST_F(RouterTest, ReturnWinsOverTheMethodCheck)
{
    use("root ROOT;\n"
        "server {\n"
        "    location /old { return 301 /new; }\n"
        "    location /gone { return 410 \"gone for good\"; }\n"
        "}\n");
    const char* methods[] = { "GET", "POST", "DELETE", "PUT" };
    for (const char* method : methods) {
        RouteDecision d = route(method, "/old/page?x");
        EXPECT_EQ(ROUTE_RETURN, d.action) << method;
        EXPECT_EQ(301, d.status) << method;
        EXPECT_EQ("/new", d.location->returnRule.text) << method;
    }
    RouteDecision d = route("POST", "/gone");
    EXPECT_EQ(ROUTE_RETURN, d.action);
    EXPECT_EQ(410, d.status);
    EXPECT_EQ("gone for good", d.location->returnRule.text);
}

TEST_F(RouterTest, OptionsIsAnsweredByEveryLocationWithItsMethods)
{
    dir_.mkdir("store");
    use("root ROOT;\n"
        "server {\n"
        "    location /ro/ { }\n"
        "    location /post-only/ { allow_methods POST; }\n"
        "    location /uploads/ { allow_methods GET POST DELETE; upload_store ROOT/store; }\n"
        "    location /cgi-bin/ { allow_methods GET POST; cgi .py /usr/bin/python3; }\n"
        "    location = /status { status on; }\n"
        "    location /listed/ { allow_methods GET OPTIONS; }\n"
        "}\n");
    struct Case {
        const char* target;
        unsigned allowed;
    } cases[] = {
        { "/ro/x", METHOD_GET | METHOD_HEAD },
        { "/ro/", METHOD_GET | METHOD_HEAD },
        { "/post-only/x", METHOD_POST },
        { "/uploads/a.txt", METHOD_GET | METHOD_HEAD | METHOD_POST | METHOD_DELETE },
        // A script never sees OPTIONS: the location answers it.
        { "/cgi-bin/env.py/x?y", METHOD_GET | METHOD_HEAD | METHOD_POST },
        { "/status", METHOD_GET | METHOD_HEAD },
        // Listing OPTIONS is allowed, and changes nothing.
        { "/listed/x", METHOD_GET | METHOD_HEAD },
        { "/elsewhere", METHOD_GET | METHOD_HEAD },
        { "http://example.org/ro/x", METHOD_GET | METHOD_HEAD },
    };
    for (const Case& c : cases) {
        RouteDecision d = route("OPTIONS", c.target);
        EXPECT_EQ(ROUTE_OPTIONS, d.action) << c.target;
        EXPECT_EQ(204, d.status) << c.target;
        EXPECT_EQ(c.allowed | METHOD_OPTIONS, d.allowedMethods) << c.target;
        EXPECT_EQ(nullptr, d.cgi) << c.target;
    }
    // Bad targets stay bad requests.
    EXPECT_EQ(400, route("OPTIONS", "/../x").status);
    EXPECT_EQ(400, route("OPTIONS", "**").status);
}

TEST_F(RouterTest, ReturnWinsOverOptions)
{
    use("root ROOT;\n"
        "server {\n"
        "    location /old { return 301 /new; }\n"
        "    location /gone { return 410; }\n"
        "}\n");
    RouteDecision d = route("OPTIONS", "/old/page");
    EXPECT_EQ(ROUTE_RETURN, d.action);
    EXPECT_EQ(301, d.status);
    EXPECT_EQ(410, route("OPTIONS", "/gone").status);
}

TEST_F(RouterTest, OptionsAsteriskListsWhatAnyLocationOfTheServerAnswers)
{
    use("root ROOT;\n"
        "server {\n"
        "    listen 8080;\n"
        "    server_name a.test;\n"
        "    location /post-only/ { allow_methods POST; }\n"
        "    location /del/ { allow_methods DELETE; }\n"
        "}\n"
        "server { listen 8080; server_name b.test; allow_methods POST; }\n");
    RouteDecision d = route("OPTIONS", "*", "a.test");
    EXPECT_EQ(ROUTE_OPTIONS, d.action);
    EXPECT_EQ(204, d.status);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD | METHOD_POST | METHOD_DELETE | METHOD_OPTIONS),
        d.allowedMethods);
    EXPECT_EQ(&config_->servers[0].implicit, d.location);
    EXPECT_EQ("a.test", d.host);
    EXPECT_EQ("", d.path);

    d = route("OPTIONS", "*", "B.test:8080");
    EXPECT_EQ(ROUTE_OPTIONS, d.action);
    EXPECT_EQ(unsigned(METHOD_POST | METHOD_OPTIONS), d.allowedMethods);
    EXPECT_EQ(&config_->servers[1].implicit, d.location);

    // Only OPTIONS has an asterisk-form; a bad Host is still a 400.
    EXPECT_EQ(400, route("GET", "*", "a.test").status);
    EXPECT_EQ(400, route("OPTIONS", "*", "a b").status);
}

TEST_F(RouterTest, PostOrDeleteOnAStaticLocationIsNotAllowed)
{
    use("root ROOT;\nserver { location / { allow_methods GET POST DELETE; } }\n");
    const char* methods[] = { "POST", "DELETE" };
    for (const char* method : methods) {
        RouteDecision d = route(method, "/file.txt");
        EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action) << method;
        EXPECT_EQ(405, d.status) << method;
        EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD | METHOD_OPTIONS), d.allowedMethods) << method;
    }
}

TEST_F(RouterTest, StatusLocation)
{
    use("root ROOT;\nserver { location = /status { status on; } }\n");
    EXPECT_EQ(ROUTE_STATUS, route("GET", "/status").action);
    EXPECT_EQ(ROUTE_NOT_ALLOWED, route("POST", "/status").action);
    EXPECT_EQ(ROUTE_STATIC, route("GET", "/status2").action);
}

// ================================================================ CGI

TEST_F(RouterTest, CgiScriptWithPathInfo)
{
    dir_.mkdir("cgi-bin");
    use("root ROOT;\n"
        "server {\n"
        "    location /cgi-bin/ {\n"
        "        allow_methods GET POST;\n"
        "        cgi .py /usr/bin/python3;\n"
        "        cgi .sh;\n"
        "    }\n"
        "}\n");
    RouteDecision d = route("GET", "/cgi-bin/env.py/extra/path?a=1&b=%20");
    EXPECT_EQ(ROUTE_CGI, d.action);
    ASSERT_NE(nullptr, d.cgi);
    EXPECT_EQ(".py", d.cgi->extension);
    EXPECT_EQ("/usr/bin/python3", d.cgi->interpreter);
    EXPECT_EQ("/cgi-bin/env.py", d.scriptName);
    EXPECT_EQ("/extra/path", d.pathInfo);
    EXPECT_EQ(T() + "/cgi-bin/env.py", d.fsPath);
    EXPECT_EQ("a=1&b=%20", d.query);

    d = route("POST", "/cgi-bin/run.sh");
    EXPECT_EQ(ROUTE_CGI, d.action);
    ASSERT_NE(nullptr, d.cgi);
    EXPECT_EQ(".sh", d.cgi->extension);
    EXPECT_EQ("", d.cgi->interpreter);
    EXPECT_EQ("/cgi-bin/run.sh", d.scriptName);
    EXPECT_EQ("", d.pathInfo);
    EXPECT_EQ(T() + "/cgi-bin/run.sh", d.fsPath);

    d = route("GET", "/cgi-bin/env.py/");
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ("/cgi-bin/env.py", d.scriptName);
    EXPECT_EQ("/", d.pathInfo);

    // The path info is decoded and normalised like the rest of the path.
    d = route("GET", "/cgi-bin/env.py/a%20b/./c/../d");
    EXPECT_EQ("/a b/d", d.pathInfo);
}

// OPTIONS: answered by webserv for a CGI script, passed on to a FastCGI
// one (its application answers preflights).
TEST_F(RouterTest, OptionsReachesFastcgiScriptsOnly)
{
    dir_.mkdir("app");
    use("root ROOT;\n"
        "server {\n"
        "    location /app/ {\n"
        "        fastcgi .php unix:/run/php/php8.2-fpm.sock;\n"
        "        cgi .py /usr/bin/python3;\n"
        "    }\n"
        "}\n");
    RouteDecision d = route("OPTIONS", "/app/api.php/items");
    EXPECT_EQ(ROUTE_CGI, d.action);
    ASSERT_NE(nullptr, d.cgi);
    EXPECT_TRUE(d.cgi->fastcgi);
    EXPECT_EQ("/app/api.php", d.scriptName);
    EXPECT_EQ("/items", d.pathInfo);
    EXPECT_EQ(ROUTE_OPTIONS, route("OPTIONS", "/app/env.py").action);
    EXPECT_EQ(ROUTE_OPTIONS, route("OPTIONS", "/app/page.html").action);
}

TEST_F(RouterTest, CgiOnlyForMatchingExtensionsAndAllowedMethods)
{
    use("root ROOT;\n"
        "server {\n"
        "    location /cgi-bin/ { allow_methods GET POST; cgi .py /usr/bin/python3; }\n"
        "}\n");
    RouteDecision d = route("GET", "/cgi-bin/readme.txt");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(nullptr, d.cgi);
    EXPECT_EQ(T() + "/cgi-bin/readme.txt", d.fsPath);
    d = route("GET", "/cgi-bin/.py");
    EXPECT_EQ(ROUTE_ERROR, d.action);        // no script: a hidden file
    EXPECT_EQ(404, d.status);
    d = route("GET", "/cgi-bin/x.pyc");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    d = route("DELETE", "/cgi-bin/env.py");
    EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD | METHOD_POST | METHOD_OPTIONS), d.allowedMethods);
    // The first segment that names a script is the script.
    d = route("GET", "/cgi-bin/a.py/b.py/c");
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ("/cgi-bin/a.py", d.scriptName);
    EXPECT_EQ("/b.py/c", d.pathInfo);
}

TEST_F(RouterTest, CgiWithAlias)
{
    dir_.mkdir("scripts");
    use("root ROOT;\n"
        "server {\n"
        "    location /run/ { alias ROOT/scripts/; cgi .sh; }\n"
        "}\n");
    RouteDecision d = route("GET", "/run/hello.sh/x");
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ("/run/hello.sh", d.scriptName);
    EXPECT_EQ("/x", d.pathInfo);
    EXPECT_EQ(T() + "/scripts/hello.sh", d.fsPath);
}

TEST_F(RouterTest, HiddenFilesAndPycacheUnderACgiLocationAre404)
{
    use("root ROOT;\n"
        "server {\n"
        "    location /cgi-bin/ { allow_methods GET POST; cgi .py /usr/bin/python3; }\n"
        "    location /.well-known/ { allow_methods GET POST; cgi .sh; }\n"
        "    location /cgi { allow_methods GET POST; cgi .sh; }\n"
        "    location /static/ { }\n"
        "}\n");
    const char* hidden[] = {
        "/cgi-bin/__pycache__/session.cpython-311.pyc", "/cgi-bin/__pycache__/",
        "/cgi-bin/.git/config", "/cgi-bin/.env", "/cgi-bin/a/.hg/x",
        "/cgi-bin/.venv/lib/site.py",            // a script, but in a hidden directory
        "/cgi-bin/.venv/run.py/x", "/cgi-bin/%2Egit/HEAD", "/.well-known/.x.sh",
        "/cgi.d/.x",
    };
    for (const char* target : hidden) {
        for (const char* method : { "GET", "HEAD", "POST" }) {
            RouteDecision d = route(method, target);
            EXPECT_EQ(ROUTE_ERROR, d.action) << method << " " << target;
            EXPECT_EQ(404, d.status) << method << " " << target;
            EXPECT_EQ(nullptr, d.cgi) << method << " " << target;
        }
    }
    // Scripts and other files still run and serve; the path info is not
    // looked at; a prefix named in full is the administrator's own; no
    // location without cgi hides anything.
    RouteDecision d = route("GET", "/cgi-bin/session.py/.hidden/__pycache__");
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ("/.hidden/__pycache__", d.pathInfo);
    EXPECT_EQ(ROUTE_STATIC, route("GET", "/cgi-bin/x.pyc").action);
    EXPECT_EQ(ROUTE_STATIC, route("GET", "/cgi-bin/a.b/__pycache__x").action);
    EXPECT_EQ(ROUTE_CGI, route("GET", "/.well-known/acme.sh").action);
    EXPECT_EQ(ROUTE_CGI, route("GET", "/cgi.d/x.sh").action);
    EXPECT_EQ(ROUTE_STATIC, route("GET", "/static/.git/config").action);
    EXPECT_EQ(ROUTE_STATIC, route("GET", "/static/__pycache__/x.pyc").action);
}

// ================================================================ uploads

TEST_F(RouterTest, UploadLocation)
{
    dir_.mkdir("store");
    use("root ROOT;\n"
        "server {\n"
        "    location /uploads/ {\n"
        "        allow_methods GET POST DELETE;\n"
        "        upload_store ROOT/store;\n"
        "    }\n"
        "}\n");
    RouteDecision d = route("POST", "/uploads/");
    EXPECT_EQ(ROUTE_UPLOAD, d.action);
    EXPECT_EQ(T() + "/store", d.storePath);

    d = route("POST", "/uploads/a.txt");
    EXPECT_EQ(ROUTE_UPLOAD, d.action);
    EXPECT_EQ(T() + "/store/a.txt", d.storePath);

    d = route("DELETE", "/uploads/a.txt");
    EXPECT_EQ(ROUTE_DELETE, d.action);
    EXPECT_EQ(T() + "/store/a.txt", d.storePath);

    d = route("DELETE", "/uploads/sub/b%20c.txt");
    EXPECT_EQ(ROUTE_DELETE, d.action);
    EXPECT_EQ(T() + "/store/sub/b c.txt", d.storePath);

    d = route("GET", "/uploads/a.txt");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ(T() + "/uploads/a.txt", d.fsPath);
    EXPECT_EQ("", d.storePath);

    // Not allowed here at all.
    d = route("PUT", "/uploads/a.txt");
    EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD | METHOD_POST | METHOD_DELETE | METHOD_OPTIONS),
        d.allowedMethods);

    // Climbing out of the store is a bad request.
    d = route("DELETE", "/uploads/%2e%2e/%2e%2e/etc/passwd");
    EXPECT_EQ(ROUTE_ERROR, d.action);
    EXPECT_EQ(400, d.status);
}

TEST_F(RouterTest, UploadStoreOnAnExactLocation)
{
    dir_.mkdir("store");
    use("root ROOT;\n"
        "server { location = /upload { allow_methods POST; upload_store ROOT/store; } }\n");
    RouteDecision d = route("POST", "/upload");
    EXPECT_EQ(ROUTE_UPLOAD, d.action);
    EXPECT_EQ(T() + "/store", d.storePath);
}
