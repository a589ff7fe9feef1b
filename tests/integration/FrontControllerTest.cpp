// try_files, variables and cgi_param against the real binary: a front
// controller (a script answering every path without a file), a single-page
// app falling back to its index.html, `=CODE`, the internal-redirect cycle
// bound, script parameters, and `return` with variables.

#include <gtest/gtest.h>

#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TempDir.hpp"

namespace {

const char* kConfig = R"(
cgi_param APP_ENV production;
server {
    listen 127.0.0.1:{PORT};
    server_name app.test;
    root {DIR}/www;
    location / {
        allow_methods GET POST;
        index index.html index.py;
        try_files $uri $uri/ /index.py$is_args$args;
        cgi .py /usr/bin/python3;
        cgi_param APP_ROUTE $uri;
        cgi_param APP_CLIENT $remote_addr:$server_port;
        cgi_param SERVER_SOFTWARE front/1.0;
        cgi_param APP_AGENT $http_user_agent if_not_empty;
    }
    location /spa/ {
        try_files $uri /spa/index.html;
    }
    location /strict/ {
        try_files $uri =404;
    }
    location /maintenance/ {
        try_files /down.html $uri =503;
    }
    location /loop/ {
        try_files $uri /loop/again;
    }
    location /inherit/ {
        cgi .py /usr/bin/python3;
    }
    location = /go {
        return 301 https://$host$request_uri;
    }
    location = /hello {
        return 200 "hello $args from $uri";
    }
}
)";

// An app's front controller: every path it has no file for reaches it.
const char* kIndexPy = R"(import os, sys
body = sys.stdin.read()
sys.stdout.write("Content-Type: text/plain\r\n\r\n")
for name in ["REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
             "APP_ENV", "APP_ROUTE", "APP_CLIENT", "SERVER_SOFTWARE", "APP_AGENT"]:
    sys.stdout.write("%s=%s\n" % (name, os.environ.get(name, "-")))
sys.stdout.write("body=%s\n" % body)
)";

class FrontControllerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/index.py", kIndexPy);
            dir.write("www/style.css", "body{}\n");
            dir.write("www/docs/index.html", "<p>docs</p>\n");
            dir.write("www/spa/index.html", "<div id=app></div>\n");
            dir.write("www/spa/app.js", "run()\n");
            dir.write("www/strict/here.txt", "here\n");
            dir.write("www/down.html", "<p>back soon</p>\n");
            dir.write("www/inherit/env.py", kIndexPy);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }

    static ServerProcess* server_;
};

ServerProcess* FrontControllerTest::server_ = nullptr;

std::string line(const std::string& body, const std::string& name)
{
    std::string::size_type start = body.find(name + "=");
    if (start == std::string::npos)
        return "(missing)";
    start += name.size() + 1;
    return body.substr(start, body.find('\n', start) - start);
}

}

TEST_F(FrontControllerTest, PathWithoutAFileReachesTheFrontController)
{
    HttpResponse r = httpGet(port(), "/a/b?x=1", "User-Agent: curl/8\r\n");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("REQUEST_METHOD=GET\nREQUEST_URI=/a/b?x=1\nSCRIPT_NAME=/index.py\nPATH_INFO=\n"
              "QUERY_STRING=x=1\nAPP_ENV=-\nAPP_ROUTE=/index.py\n"
              "APP_CLIENT=127.0.0.1:" + std::to_string(port()) + "\nSERVER_SOFTWARE=front/1.0\n"
              "APP_AGENT=curl/8\nbody=\n", r.body);
}

TEST_F(FrontControllerTest, PostReachesTheFrontControllerWithItsBody)
{
    HttpResponse r = httpRaw(port(), "POST /users HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n"
                                     "Content-Length: 9\r\n\r\nname=anne");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("POST", line(r.body, "REQUEST_METHOD"));
    EXPECT_EQ("/users", line(r.body, "REQUEST_URI"));
    EXPECT_EQ("", line(r.body, "QUERY_STRING"));
    EXPECT_EQ("name=anne", line(r.body, "body"));
}

TEST_F(FrontControllerTest, ParameterWithIfNotEmptyIsLeftOutWhenEmpty)
{
    HttpResponse r = httpGet(port(), "/x");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("-", line(r.body, "APP_AGENT"));
}

TEST_F(FrontControllerTest, AnExistingFileIsServedAsIs)
{
    HttpResponse r = httpGet(port(), "/style.css");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("body{}\n", r.body);
}

TEST_F(FrontControllerTest, ADirectoryIsServedWithItsIndex)
{
    HttpResponse r = httpGet(port(), "/docs/");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("<p>docs</p>\n", r.body);
}

TEST_F(FrontControllerTest, TheRootDirectoryReachesTheControllerThroughItsIndex)
{
    // "/" is a directory ($uri/ matches); its index is the script.
    HttpResponse r = httpGet(port(), "/?page=3");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("/index.py", line(r.body, "SCRIPT_NAME"));
    EXPECT_EQ("page=3", line(r.body, "QUERY_STRING"));
}

TEST_F(FrontControllerTest, TheScriptItselfRunsWhenAskedForByName)
{
    HttpResponse r = httpGet(port(), "/index.py?page=2");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("/index.py?page=2", line(r.body, "REQUEST_URI"));
    EXPECT_EQ("page=2", line(r.body, "QUERY_STRING"));
}

TEST_F(FrontControllerTest, SinglePageAppFallsBackToItsIndexHtml)
{
    HttpResponse deep = httpGet(port(), "/spa/users/42");
    EXPECT_EQ(200, deep.status);
    EXPECT_EQ("<div id=app></div>\n", deep.body);
    HttpResponse asset = httpGet(port(), "/spa/app.js");
    EXPECT_EQ(200, asset.status);
    EXPECT_EQ("run()\n", asset.body);
}

TEST_F(FrontControllerTest, EqualsCodeAnswersThatStatus)
{
    EXPECT_EQ(404, httpGet(port(), "/strict/missing.txt").status);
    HttpResponse found = httpGet(port(), "/strict/here.txt");
    EXPECT_EQ(200, found.status);
    EXPECT_EQ("here\n", found.body);
}

TEST_F(FrontControllerTest, AFixedFileComesFirstWhenItExists)
{
    HttpResponse r = httpGet(port(), "/maintenance/anything");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("<p>back soon</p>\n", r.body);
}

TEST_F(FrontControllerTest, ARedirectCycleIs500WithALogLine)
{
    HttpResponse r = httpGet(port(), "/loop/x");
    EXPECT_EQ(500, r.status);
    EXPECT_TRUE(server_->waitForErr(
        "[error] rewrite or internal redirection cycle while internally redirecting to "
        "\"/loop/again\", client: 127.0.0.1, server: app.test, request: \"GET /loop/x HTTP/1.1\", "
        "host: \"localhost\"\n"))
        << server_->err();
    // The connection's next request is not affected.
    EXPECT_EQ(200, httpGet(port(), "/style.css").status);
}

// A block with cgi_param lines of its own replaces the inherited ones
// (location / has no APP_ENV), as nginx's fastcgi_param does.
TEST_F(FrontControllerTest, ParametersAreInheritedFromMain)
{
    HttpResponse r = httpGet(port(), "/inherit/env.py");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("production", line(r.body, "APP_ENV"));
    EXPECT_EQ("-", line(r.body, "APP_ROUTE"));
    EXPECT_NE("front/1.0", line(r.body, "SERVER_SOFTWARE"));
}

TEST_F(FrontControllerTest, ReturnExpandsVariables)
{
    HttpResponse r = httpRaw(port(), "GET /go?a=1 HTTP/1.1\r\nHost: App.Test:8080\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(301, r.status);
    EXPECT_EQ("https://app.test/go?a=1", r.header("Location"));
    HttpResponse text = httpGet(port(), "/hello?x=y");
    EXPECT_EQ(200, text.status);
    EXPECT_EQ("hello x=y from /hello", text.body);
}
