// An `index` file that is a script runs it, as nginx's index module does
// (an internal redirect to the script's URI): the front pages of gitweb,
// DokuWiki and Adminer (`index index.cgi;`, `index doku.php;`,
// `index index.php;`). Regression test: this answered 500 when the index
// redirect could only serve static files.

#include <gtest/gtest.h>

#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TempDir.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location /app/ {
        allow_methods GET POST;
        index index.py;
        cgi .py /usr/bin/python3;
    }
    location /docs/ {
        allow_methods GET POST;
        index index.html;
    }
}
)";

const char* kIndexPy = R"(import os, sys
body = sys.stdin.read()
sys.stdout.write("Content-Type: text/plain\r\n\r\n")
sys.stdout.write("SCRIPT_NAME=%s\nREQUEST_METHOD=%s\nQUERY_STRING=%s\nbody=%s\n" % (
    os.environ["SCRIPT_NAME"], os.environ["REQUEST_METHOD"], os.environ.get("QUERY_STRING", ""), body))
)";

class IndexScriptTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/app/index.py", kIndexPy);
            dir.write("www/docs/index.html", "<p>docs</p>\n");
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

ServerProcess* IndexScriptTest::server_ = nullptr;

}

TEST_F(IndexScriptTest, GetOfTheDirectoryRunsTheIndexScript)
{
    HttpResponse r = httpGet(port(), "/app/?page=1");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("text/plain", r.header("Content-Type"));
    EXPECT_EQ("SCRIPT_NAME=/app/index.py\nREQUEST_METHOD=GET\nQUERY_STRING=page=1\nbody=\n", r.body);
}

TEST_F(IndexScriptTest, PostToTheDirectoryGivesTheScriptItsBody)
{
    HttpResponse r = httpRaw(port(), "POST /app/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                     "Content-Type: application/x-www-form-urlencoded\r\n"
                                     "Content-Length: 9\r\n\r\nuser=anne");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("SCRIPT_NAME=/app/index.py\nREQUEST_METHOD=POST\nQUERY_STRING=\nbody=user=anne\n", r.body);
}

TEST_F(IndexScriptTest, KeptAliveConnectionGoesOnAfterTheScript)
{
    TestClient client(port());
    client.send("GET /app/ HTTP/1.1\r\nHost: localhost\r\n\r\n"
                "GET /docs/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    HttpResponse script = client.read();
    EXPECT_EQ(200, script.status);
    EXPECT_EQ("SCRIPT_NAME=/app/index.py\nREQUEST_METHOD=GET\nQUERY_STRING=\nbody=\n", script.body);
    HttpResponse page = client.read();
    EXPECT_EQ(200, page.status);
    EXPECT_EQ("<p>docs</p>\n", page.body);
}

TEST_F(IndexScriptTest, PostToADirectoryWithAStaticIndexIs405)
{
    HttpResponse r = httpRaw(port(), "POST /docs/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                     "Content-Length: 2\r\n\r\nhi");
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
}
