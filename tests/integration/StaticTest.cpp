// Static files, directories, autoindex, error pages and `return` against
// the real server.

#include <gtest/gtest.h>

#include <regex>

#include <unistd.h>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
types {
    text/html html;
    text/css css;
    image/png png;
}
default_type application/octet-stream;
server {
    listen 127.0.0.1:{PORT};
    server_name localhost;
    root {DIR}/www;
    error_page 404 /errors/404.html;
    location / { }
    location /listing/ { autoindex on; }
    location /plain/ { }
    location = /old { return 301 /new.html; }
    location = /away { return 302 http://example.org/there; }
    location = /teapot { return 418 "short and stout"; }
    location = /gone { return 410; }
    location /aliased/ { alias {DIR}/elsewhere/; }
}
)";

std::string binaryBlob(size_t size)
{
    std::string blob(size, '\0');
    unsigned state = 12345;
    for (size_t i = 0; i < size; ++i) {
        state = state * 1103515245u + 12345u;
        blob[i] = static_cast<char>(state >> 16);
    }
    return blob;
}

class StaticTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/index.html", "<h1>home</h1>\n");
            dir.write("www/style.css", "body{}\n");
            dir.write("www/blob.png", binaryBlob(3 * 1024 * 1024 + 17));
            dir.write("www/NOEXT", "no extension");
            dir.write("www/errors/404.html", "<p>custom not found</p>\n");
            dir.write("www/listing/b.txt", "bb");
            dir.write("www/listing/a&<b>.txt", "x");
            dir.write("www/listing/with space.txt", "s");
            dir.write("www/listing/.hidden", "h");
            dir.mkdir("www/listing/zdir");
            dir.mkdir("www/listing/adir");
            dir.mkdir("www/plain/sub");
            dir.write("www/secret.txt", "no", 0000);
            dir.write("elsewhere/file.txt", "from alias");
            dir.write("outside/secret.txt", "secret");
            symlink(dir.file("outside/secret.txt").c_str(), dir.file("www/escape.txt").c_str());
            symlink(dir.file("outside").c_str(), dir.file("www/escape-dir").c_str());
            symlink("style.css", dir.file("www/inner-link.css").c_str());
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

ServerProcess* StaticTest::server_ = nullptr;

TEST_F(StaticTest, ServesIndexWithHeaders)
{
    HttpResponse r = httpGet(port(), "/");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("OK", r.reason);
    EXPECT_EQ("<h1>home</h1>\n", r.body);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_EQ("14", r.header("Content-Length"));
    EXPECT_EQ("webserv/0.1.0", r.header("Server"));
    EXPECT_TRUE(std::regex_match(r.header("Date"),
        std::regex("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT")));
    EXPECT_TRUE(std::regex_match(r.header("Last-Modified"), std::regex(".* GMT")));
    EXPECT_EQ(0u, r.count("Transfer-Encoding"));
}

TEST_F(StaticTest, BinaryFileIsByteExact)
{
    HttpResponse r = httpGet(port(), "/blob.png");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("image/png", r.header("Content-Type"));
    EXPECT_EQ(std::to_string(3 * 1024 * 1024 + 17), r.header("Content-Length"));
    EXPECT_TRUE(r.body == binaryBlob(3 * 1024 * 1024 + 17));
}

TEST_F(StaticTest, DefaultTypeForUnknownExtension)
{
    HttpResponse r = httpGet(port(), "/NOEXT");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("application/octet-stream", r.header("Content-Type"));
    EXPECT_EQ("no extension", r.body);
}

TEST_F(StaticTest, HeadHasGetHeadersAndNoBody)
{
    TestClient client(port());
    client.send("HEAD /style.css HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse head = client.read(true);
    EXPECT_EQ(200, head.status);
    EXPECT_EQ("7", head.header("Content-Length"));
    EXPECT_EQ("text/css", head.header("Content-Type"));
    // The next response on the same connection starts right after the head:
    // no body bytes were sent.
    client.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse get = client.read();
    EXPECT_EQ(200, get.status);
    EXPECT_EQ("body{}\n", get.body);
}

TEST_F(StaticTest, DirectoryWithoutSlashRedirects)
{
    HttpResponse r = httpRaw(port(), "GET /listing?x=1 HTTP/1.1\r\nHost: Example.ORG:8080\r\n\r\n");
    EXPECT_EQ(301, r.status);
    EXPECT_EQ("http://example.org:" + std::to_string(port()) + "/listing/?x=1", r.header("Location"));
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_NE(std::string::npos, r.body.find("301 Moved Permanently"));
}

TEST_F(StaticTest, DirectoryWithoutIndexIsForbidden)
{
    HttpResponse r = httpGet(port(), "/plain/sub/");
    EXPECT_EQ(403, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_NE(std::string::npos, r.body.find("403 Forbidden"));
}

TEST_F(StaticTest, UnreadableFileIsForbiddenUnlessRoot)
{
    HttpResponse r = httpGet(port(), "/secret.txt");
    // root reads any file; an ordinary user gets 403.
    if (geteuid() == 0)
        EXPECT_EQ(200, r.status);
    else
        EXPECT_EQ(403, r.status);
}

TEST_F(StaticTest, MissingFileUsesCustomErrorPageWithStatus404)
{
    HttpResponse r = httpGet(port(), "/nope.html");
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("<p>custom not found</p>\n", r.body);
    EXPECT_EQ("text/html", r.header("Content-Type"));
}

TEST_F(StaticTest, FileWithTrailingSlashIsNotFound)
{
    EXPECT_EQ(404, httpGet(port(), "/style.css/").status);
}

TEST_F(StaticTest, AutoindexListsSortedAndEscaped)
{
    HttpResponse r = httpGet(port(), "/listing/");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    const std::string& html = r.body;
    size_t adir = html.find(">adir/</a>");
    size_t zdir = html.find(">zdir/</a>");
    size_t amp = html.find("href=\"a%26%3Cb%3E.txt\">a&amp;&lt;b&gt;.txt</a>");
    size_t b = html.find(">b.txt</a>");
    size_t space = html.find("href=\"with%20space.txt\">with space.txt</a>");
    ASSERT_NE(std::string::npos, adir);
    ASSERT_NE(std::string::npos, zdir);
    ASSERT_NE(std::string::npos, amp);
    ASSERT_NE(std::string::npos, b);
    ASSERT_NE(std::string::npos, space);
    EXPECT_LT(adir, zdir);
    EXPECT_LT(zdir, amp);
    EXPECT_LT(amp, b);
    EXPECT_LT(b, space);
    EXPECT_EQ(std::string::npos, html.find(".hidden"));
    EXPECT_EQ(std::string::npos, html.find("<b>"));
}

TEST_F(StaticTest, ReturnRedirectIsAbsolute)
{
    HttpResponse r = httpRaw(port(), "GET /old HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(301, r.status);
    EXPECT_EQ("http://localhost:" + std::to_string(port()) + "/new.html", r.header("Location"));
    HttpResponse away = httpGet(port(), "/away");
    EXPECT_EQ(302, away.status);
    EXPECT_EQ("http://example.org/there", away.header("Location"));
}

TEST_F(StaticTest, RedirectWithoutHostUsesLocalAddress)
{
    HttpResponse r = httpRaw(port(), "GET /old HTTP/1.0\r\n\r\n");
    EXPECT_EQ(301, r.status);
    EXPECT_EQ("http://127.0.0.1:" + std::to_string(port()) + "/new.html", r.header("Location"));
}

TEST_F(StaticTest, ReturnWithTextAndWithErrorCode)
{
    HttpResponse teapot = httpGet(port(), "/teapot");
    EXPECT_EQ(418, teapot.status);
    EXPECT_EQ("short and stout", teapot.body);
    EXPECT_EQ("text/plain", teapot.header("Content-Type"));
    HttpResponse gone = httpGet(port(), "/gone");
    EXPECT_EQ(410, gone.status);
    EXPECT_NE(std::string::npos, gone.body.find("410 Gone"));
}

TEST_F(StaticTest, AliasReplacesLocationPrefix)
{
    HttpResponse r = httpGet(port(), "/aliased/file.txt");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("from alias", r.body);
}

TEST_F(StaticTest, TraversalNeverLeavesRoot)
{
    for (const char* target : { "/../elsewhere/file.txt", "/%2e%2e/elsewhere/file.txt",
             "/listing/..%2f..%2felsewhere/file.txt", "/aliased/../../elsewhere/file.txt",
             "/%2E%2E%2Fwebserv.conf", "/a/%00" }) {
        HttpResponse r = httpGet(port(), target);
        EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " -> " << r.status;
        EXPECT_EQ(std::string::npos, r.body.find("from alias")) << target;
    }
}

TEST_F(StaticTest, SymlinksAreFollowedByDefault)
{
    // disable_symlinks off, as in nginx: a link is followed wherever it
    // leads (Debian's packaged web apps are trees of links into /usr/share
    // and /var/lib). The URI still cannot climb above the root ("..").
    HttpResponse file = httpGet(port(), "/escape.txt");
    EXPECT_EQ(200, file.status);
    EXPECT_EQ("secret", file.body);
    HttpResponse inDir = httpGet(port(), "/escape-dir/secret.txt");
    EXPECT_EQ(200, inDir.status);
    EXPECT_EQ("secret", inDir.body);
    HttpResponse slash = httpGet(port(), "/escape-dir");
    EXPECT_EQ(301, slash.status);
    EXPECT_EQ("http://localhost:" + std::to_string(port()) + "/escape-dir/", slash.header("Location"));
    // A directory behind a link is like any other: no index, no autoindex.
    EXPECT_EQ(403, httpGet(port(), "/listing/../escape-dir/").status);
    HttpResponse inner = httpGet(port(), "/inner-link.css");
    EXPECT_EQ(200, inner.status);
    EXPECT_EQ("body{}\n", inner.body);
}

TEST_F(StaticTest, PercentEncodedNamesAreDecoded)
{
    HttpResponse r = httpGet(port(), "/listing/with%20space.txt");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("s", r.body);
}

TEST_F(StaticTest, AccessLogHasCombinedFormat)
{
    httpGet(port(), "/style.css", "Referer: http://ref/\r\nUser-Agent: tester/1.0\r\n");
    ASSERT_TRUE(server_->waitForOut("\"GET /style.css HTTP/1.1\" 200 7 \"http://ref/\" \"tester/1.0\""))
        << server_->out();
    std::string log = server_->out();
    EXPECT_TRUE(std::regex_search(log, std::regex("127\\.0\\.0\\.1 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] \"GET /style.css HTTP/1.1\" 200 7")));
}

}
