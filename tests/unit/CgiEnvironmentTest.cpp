// The environment of a CGI script (RFC 3875 §4.1, src/cgi/CgiEnvironment.cpp):
// built for a request routed through a real Config and Router, compared
// variable by variable, and nothing of the server's own environment but PATH.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cgi/CgiEnvironment.hpp"
#include "config/Config.hpp"
#include "config/Loader.hpp"
#include "config/Values.hpp"
#include "router/RequestContext.hpp"
#include "http/Request.hpp"
#include "router/Router.hpp"
#include "support/ListenAddresses.hpp"
#include "support/TempDir.hpp"
#include "util/Version.hpp"

namespace {

typedef std::map<std::string, std::string> Env;

// "NAME=value" strings as a map; a name given twice is a test failure.
Env toMap(const std::vector<std::string>& env)
{
    Env out;
    for (const std::string& entry : env) {
        std::string::size_type eq = entry.find('=');
        EXPECT_NE(std::string::npos, eq) << entry;
        if (eq == std::string::npos)
            continue;
        std::string name = entry.substr(0, eq);
        EXPECT_EQ(0u, out.count(name)) << "duplicate " << name;
        out[name] = entry.substr(eq + 1);
    }
    return out;
}

std::string describe(const Env& env)
{
    std::string out;
    for (const auto& entry : env)
        out += "  " + entry.first + "=" + entry.second + "\n";
    return out;
}

class CgiEnvironmentTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir_.mkdir("www");
        dir_.mkdir("cgi/cgi-bin");
        std::string text =
            "server {\n"
            "    listen 127.0.0.1:8080;\n"
            "    server_name example.org www.example.org;\n"
            "    root " + T() + "/www;\n"
            "    location /cgi-bin/ {\n"
            "        root " + T() + "/cgi;\n"
            "        allow_methods GET POST;\n"
            "        cgi .py /usr/bin/python3;\n"
            "        cgi .sh;\n"
            "    }\n"
            "    location /app/ {\n"
            "        root " + T() + "/cgi;\n"
            "        cgi .sh;\n"
            "        cgi_param GITWEB_CONFIG /etc/gitweb.conf;\n"
            "        cgi_param SCRIPT_NAME /override;\n"
            "        cgi_param PAGE $uri$is_args$args;\n"
            "        cgi_param ABSENT $http_x_absent if_not_empty;\n"
            "        cgi_param EMPTY \"\";\n"
            "    }\n"
            "}\n";
        config_.reset(new Config(loadConfigText(text, "cgi-env-test.conf", nullptr)));
        router_.reset(new Router(*config_));
    }

    // Routes method target (Host as given, "" for none) and builds the
    // context the connection would: request, route, both addresses.
    RequestContext context(const std::string& method, const std::string& target,
        const std::string& host)
    {
        RouteInput input;
        input.local = addressOf("127.0.0.1:8080");
        input.host = host;
        input.method = method;
        input.target = target;
        RequestContext ctx;
        ctx.config = config_.get();
        ctx.router = router_.get();
        ctx.request = &request_;
        ctx.route = router_->route(input);
        ctx.local = input.local;
        ctx.remoteAddress = "192.0.2.7";
        ctx.remotePort = 54321;
        request_.method = method;
        request_.target = target;
        return ctx;
    }

    const std::string& T() const { return dir_.path(); }

    TempDir dir_;
    std::unique_ptr<Config> config_;
    std::unique_ptr<Router> router_;
    Request request_;
};

}

// ================================================================ header names

TEST(CgiEnvironmentTestHeaderVariable, DashesBecomeUnderscoresAndLettersUpperCase)
{
    EXPECT_EQ("HTTP_ACCEPT_LANGUAGE", cgiHeaderVariable("Accept-Language"));
    EXPECT_EQ("HTTP_ACCEPT_LANGUAGE", cgiHeaderVariable("accept-language"));
    EXPECT_EQ("HTTP_HOST", cgiHeaderVariable("Host"));
    EXPECT_EQ("HTTP_X_FORWARDED_FOR", cgiHeaderVariable("X-Forwarded-For"));
    EXPECT_EQ("HTTP_X_123", cgiHeaderVariable("x-123"));
    EXPECT_EQ("HTTP_DNT", cgiHeaderVariable("DNT"));
}

TEST(CgiEnvironmentTestHeaderVariable, NamesThatCannotMapAreEmpty)
{
    // "X_Forwarded_For" would collide with "X-Forwarded-For": left out.
    EXPECT_EQ("", cgiHeaderVariable("X_Forwarded_For"));
    EXPECT_EQ("", cgiHeaderVariable("Accept_Language"));
    EXPECT_EQ("", cgiHeaderVariable("X.Dot"));
    EXPECT_EQ("", cgiHeaderVariable("X Space"));
    EXPECT_EQ("", cgiHeaderVariable("X=Eq"));
    EXPECT_EQ("", cgiHeaderVariable("X!"));
    EXPECT_EQ("", cgiHeaderVariable("X\xc3\xa4"));
    EXPECT_EQ("", cgiHeaderVariable(""));
}

// ================================================================ the environment

TEST_F(CgiEnvironmentTest, EveryVariableForAPostWithPathInfoAndQuery)
{
    ScopedEnv secret("WEBSERV_SECRET", "1");
    ScopedEnv path("PATH", "/opt/test/bin:/usr/bin:/bin");
    RequestContext ctx = context("POST", "/cgi-bin/env.py/extra/path?a=1&b=2", "Example.ORG:8080");
    ASSERT_EQ(ROUTE_CGI, ctx.route.action);
    request_.versionText = "HTTP/1.1";
    request_.versionMinor = 1;
    request_.framing = BODY_LENGTH;
    request_.contentLength = 7;
    request_.headers.add("Host", "Example.ORG:8080");
    request_.headers.add("Accept-Language", "en-GB, fr;q=0.5");
    request_.headers.add("User-Agent", "cgi-test/1.0");
    request_.headers.add("Cookie", "a=1");
    request_.headers.add("Accept", "text/html");
    request_.headers.add("Cookie", "b=2; c=3");
    request_.headers.add("Accept", "application/json");
    request_.headers.add("Content-Type", "application/x-www-form-urlencoded");
    request_.headers.add("Content-Length", "7");
    request_.headers.add("x-custom-header", "custom value");
    request_.headers.add("Weird_Name", "dropped");
    request_.headers.add("X.Dot", "dropped");

    Env expected = {
        { "CONTENT_LENGTH", "7" },
        { "CONTENT_TYPE", "application/x-www-form-urlencoded" },
        { "DOCUMENT_ROOT", T() + "/cgi" },
        { "GATEWAY_INTERFACE", "CGI/1.1" },
        { "HTTP_ACCEPT", "text/html, application/json" },
        { "HTTP_ACCEPT_LANGUAGE", "en-GB, fr;q=0.5" },
        { "HTTP_COOKIE", "a=1; b=2; c=3" },
        { "HTTP_HOST", "Example.ORG:8080" },
        { "HTTP_USER_AGENT", "cgi-test/1.0" },
        { "HTTP_X_CUSTOM_HEADER", "custom value" },
        { "PATH", "/opt/test/bin:/usr/bin:/bin" },
        { "PATH_INFO", "/extra/path" },
        // nginx's $document_root$fastcgi_path_info: the location's root.
        { "PATH_TRANSLATED", T() + "/cgi/extra/path" },
        { "QUERY_STRING", "a=1&b=2" },
        { "REDIRECT_STATUS", "200" },
        { "REMOTE_ADDR", "192.0.2.7" },
        { "REMOTE_PORT", "54321" },
        { "REQUEST_METHOD", "POST" },
        { "REQUEST_URI", "/cgi-bin/env.py/extra/path?a=1&b=2" },
        { "SCRIPT_FILENAME", T() + "/cgi/cgi-bin/env.py" },
        { "SCRIPT_NAME", "/cgi-bin/env.py" },
        { "SERVER_NAME", "example.org" },
        { "SERVER_PORT", "8080" },
        { "SERVER_PROTOCOL", "HTTP/1.1" },
        { "SERVER_SOFTWARE", WEBSERV_SOFTWARE },
    };
    std::vector<std::string> raw = cgiEnvironment(ctx, 7);
    Env env = toMap(raw);
    EXPECT_EQ(expected, env) << "got:\n" << describe(env);
    EXPECT_EQ(expected.size(), raw.size());
    EXPECT_EQ(0u, env.count("WEBSERV_SECRET"));
    EXPECT_EQ(0u, env.count("HTTP_CONTENT_LENGTH"));
    EXPECT_EQ(0u, env.count("HTTP_CONTENT_TYPE"));
}

TEST_F(CgiEnvironmentTest, ContentLengthIsTheDecodedSizeGiven)
{
    // A chunked body: the request has no Content-Length field, the
    // exchange passes the spooled size.
    RequestContext ctx = context("POST", "/cgi-bin/env.py", "example.org");
    request_.versionText = "HTTP/1.1";
    request_.framing = BODY_CHUNKED;
    request_.headers.add("Transfer-Encoding", "chunked");
    Env env = toMap(cgiEnvironment(ctx, 3145728));
    EXPECT_EQ("3145728", env["CONTENT_LENGTH"]);
    EXPECT_EQ("chunked", env["HTTP_TRANSFER_ENCODING"]);
    EXPECT_EQ(0u, env.count("CONTENT_TYPE"));
}

TEST_F(CgiEnvironmentTest, NoBodyNoContentLengthAndNoPathInfo)
{
    ScopedEnv secret("WEBSERV_SECRET", "1");
    ScopedEnv home("HOME", "/home/secret");
    ScopedEnv path("PATH", "/only/this");
    RequestContext ctx = context("GET", "/cgi-bin/env.py", "");
    ASSERT_EQ(ROUTE_CGI, ctx.route.action);
    request_.versionText = "HTTP/1.0";
    request_.versionMinor = 0;
    request_.framing = BODY_NONE;

    Env expected = {
        { "DOCUMENT_ROOT", T() + "/cgi" },
        { "GATEWAY_INTERFACE", "CGI/1.1" },
        { "PATH", "/only/this" },
        { "PATH_INFO", "" },
        { "QUERY_STRING", "" },
        { "REDIRECT_STATUS", "200" },
        { "REMOTE_ADDR", "192.0.2.7" },
        { "REMOTE_PORT", "54321" },
        { "REQUEST_METHOD", "GET" },
        { "REQUEST_URI", "/cgi-bin/env.py" },
        { "SCRIPT_FILENAME", T() + "/cgi/cgi-bin/env.py" },
        { "SCRIPT_NAME", "/cgi-bin/env.py" },
        // No Host: the server's first name.
        { "SERVER_NAME", "example.org" },
        { "SERVER_PORT", "8080" },
        { "SERVER_PROTOCOL", "HTTP/1.0" },
        { "SERVER_SOFTWARE", WEBSERV_SOFTWARE },
    };
    Env env = toMap(cgiEnvironment(ctx, -1));
    EXPECT_EQ(expected, env) << "got:\n" << describe(env);
}

TEST_F(CgiEnvironmentTest, EmptyBodyHasContentLengthZero)
{
    RequestContext ctx = context("POST", "/cgi-bin/env.py", "example.org");
    request_.versionText = "HTTP/1.1";
    request_.framing = BODY_LENGTH;
    request_.contentLength = 0;
    request_.headers.add("Content-Length", "0");
    Env env = toMap(cgiEnvironment(ctx, 0));
    EXPECT_EQ("0", env["CONTENT_LENGTH"]);
    EXPECT_EQ(0u, env.count("HTTP_CONTENT_LENGTH"));
}

TEST_F(CgiEnvironmentTest, PathInfoIsDecodedQueryStringIsNot)
{
    RequestContext ctx = context("GET", "/cgi-bin/env.py/a%20b/c?x=%41%20y&z", "example.org");
    ASSERT_EQ(ROUTE_CGI, ctx.route.action);
    request_.versionText = "HTTP/1.1";
    Env env = toMap(cgiEnvironment(ctx, -1));
    EXPECT_EQ("/a b/c", env["PATH_INFO"]);
    EXPECT_EQ(T() + "/cgi/a b/c", env["PATH_TRANSLATED"]);
    EXPECT_EQ("x=%41%20y&z", env["QUERY_STRING"]);
    EXPECT_EQ("/cgi-bin/env.py/a%20b/c?x=%41%20y&z", env["REQUEST_URI"]);
    EXPECT_EQ("/cgi-bin/env.py", env["SCRIPT_NAME"]);
}

TEST_F(CgiEnvironmentTest, ScriptIsTheFirstSegmentWithACgiExtension)
{
    RequestContext ctx = context("GET", "/cgi-bin/tool.sh/more.py/x", "example.org");
    ASSERT_EQ(ROUTE_CGI, ctx.route.action);
    request_.versionText = "HTTP/1.1";
    Env env = toMap(cgiEnvironment(ctx, -1));
    EXPECT_EQ("/cgi-bin/tool.sh", env["SCRIPT_NAME"]);
    EXPECT_EQ(T() + "/cgi/cgi-bin/tool.sh", env["SCRIPT_FILENAME"]);
    EXPECT_EQ("/more.py/x", env["PATH_INFO"]);
}

TEST_F(CgiEnvironmentTest, RepeatedFieldsJoinedCookiesWithSemicolon)
{
    RequestContext ctx = context("GET", "/cgi-bin/env.py", "example.org");
    request_.versionText = "HTTP/1.1";
    request_.headers.add("cookie", "one=1");
    request_.headers.add("X-Multi", "a");
    request_.headers.add("COOKIE", "two=2");
    request_.headers.add("x-multi", "b, c");
    request_.headers.add("Cookie", "three=3");
    request_.headers.add("X-Multi", "d");
    Env env = toMap(cgiEnvironment(ctx, -1));
    EXPECT_EQ("one=1; two=2; three=3", env["HTTP_COOKIE"]);
    EXPECT_EQ("a, b, c, d", env["HTTP_X_MULTI"]);
}

TEST_F(CgiEnvironmentTest, EmptyHeaderValueIsKept)
{
    RequestContext ctx = context("GET", "/cgi-bin/env.py", "example.org");
    request_.versionText = "HTTP/1.1";
    request_.headers.add("X-Empty", "");
    Env env = toMap(cgiEnvironment(ctx, -1));
    ASSERT_EQ(1u, env.count("HTTP_X_EMPTY"));
    EXPECT_EQ("", env["HTTP_X_EMPTY"]);
}

TEST_F(CgiEnvironmentTest, CgiParamsAddAndOverrideVariables)
{
    RequestContext ctx = context("GET", "/app/run.sh?x=1", "example.org");
    ASSERT_EQ(ROUTE_CGI, ctx.route.action);
    Env env = toMap(cgiEnvironment(ctx, -1));
    EXPECT_EQ("/etc/gitweb.conf", env["GITWEB_CONFIG"]);
    EXPECT_EQ("/override", env["SCRIPT_NAME"]);
    EXPECT_EQ("/app/run.sh?x=1", env["PAGE"]);
    EXPECT_EQ(0u, env.count("ABSENT"));
    ASSERT_EQ(1u, env.count("EMPTY"));
    EXPECT_EQ("", env["EMPTY"]);
}
