// Directory listings against the real server: autoindex_format html|json
// and autoindex_exact_size on|off, inherited like autoindex. The expected
// bytes are what nginx 1.22.1 answered for the same directory (created the
// same way, the same mtimes) with the same directives.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    autoindex on;
    autoindex_format json;
    location /d/ { autoindex_format html; }
    location /human/ { alias {DIR}/www/d/; autoindex_format HTML; autoindex_exact_size off; }
    location /json/ { alias {DIR}/www/d/; autoindex_exact_size off; }
    location /both/ { alias {DIR}/www/d/; autoindex_format json; }
}
)";

const time_t kMtime = 1577934245;   // Thu, 02 Jan 2020 03:04:05 GMT

void sized(const TempDir& dir, const std::string& name, off_t size)
{
    std::string path = dir.write("www/d/" + name, "");
    ASSERT_EQ(0, truncate(path.c_str(), size)) << path;
}

void stamp(const std::string& path)
{
    struct timeval times[2] = { { kMtime, 0 }, { kMtime, 0 } };
    ASSERT_EQ(0, lutimes(path.c_str(), times)) << path;
}

class AutoindexTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            const char* names[] = { "b9999", "b10000", "k10751", "k10752", "m1a", "m2", "g4",
                "q\"uote", "back\\slash", "tab\there", "<b>&amp", "fifo", "sub" };
            sized(dir, "b9999", 9999);
            sized(dir, "b10000", 10000);
            sized(dir, "k10751", 10751);
            sized(dir, "k10752", 10752);
            sized(dir, "m1a", 1048576 + 524287);
            sized(dir, "m2", 1048576 + 524288);
            sized(dir, "g4", 3758096384LL);   // sparse: 3.5 GiB -> 4G
            dir.write("www/d/q\"uote", "");
            dir.write("www/d/back\\slash", "");
            dir.write("www/d/tab\there", "");
            dir.write("www/d/<b>&amp", "");
            dir.write("www/d/.hidden", "");
            mkfifo(dir.file("www/d/fifo").c_str(), 0644);
            dir.mkdir("www/d/sub");
            for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
                stamp(dir.file("www/d/") + names[i]);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    HttpResponse get(const std::string& path) { return httpGet(server_->port(), path); }

    static ServerProcess* server_;
};

ServerProcess* AutoindexTest::server_ = nullptr;

const std::string kDate = "\"mtime\":\"Thu, 02 Jan 2020 03:04:05 GMT\"";

// nginx 1.22.1, `autoindex on; autoindex_format json;` on this directory.
const std::string kJson = "[\r\n"
    "{ \"name\":\"sub\", \"type\":\"directory\", " + kDate + " },\r\n"
    "{ \"name\":\"<b>&amp\", \"type\":\"file\", " + kDate + ", \"size\":0 },\r\n"
    "{ \"name\":\"b10000\", \"type\":\"file\", " + kDate + ", \"size\":10000 },\r\n"
    "{ \"name\":\"b9999\", \"type\":\"file\", " + kDate + ", \"size\":9999 },\r\n"
    "{ \"name\":\"back\\\\slash\", \"type\":\"file\", " + kDate + ", \"size\":0 },\r\n"
    "{ \"name\":\"fifo\", \"type\":\"other\", " + kDate + " },\r\n"
    "{ \"name\":\"g4\", \"type\":\"file\", " + kDate + ", \"size\":3758096384 },\r\n"
    "{ \"name\":\"k10751\", \"type\":\"file\", " + kDate + ", \"size\":10751 },\r\n"
    "{ \"name\":\"k10752\", \"type\":\"file\", " + kDate + ", \"size\":10752 },\r\n"
    "{ \"name\":\"m1a\", \"type\":\"file\", " + kDate + ", \"size\":1572863 },\r\n"
    "{ \"name\":\"m2\", \"type\":\"file\", " + kDate + ", \"size\":1572864 },\r\n"
    "{ \"name\":\"q\\\"uote\", \"type\":\"file\", " + kDate + ", \"size\":0 },\r\n"
    "{ \"name\":\"tab\\there\", \"type\":\"file\", " + kDate + ", \"size\":0 }\r\n"
    "]";

// The size cell of name's row in an HTML listing, "" if there is none.
std::string sizeCell(const std::string& html, const std::string& href)
{
    size_t row = html.find("<a href=\"" + href + "\">");
    if (row == std::string::npos)
        return "";
    size_t cell = html.find("<td class=\"size\">", row);
    size_t end = html.find("</td>", cell);
    if (cell == std::string::npos || end == std::string::npos)
        return "";
    cell += sizeof "<td class=\"size\">" - 1;
    return html.substr(cell, end - cell);
}

}

TEST_F(AutoindexTest, JsonIsNginxsByteForByte)
{
    HttpResponse r = get("/json/");
    ASSERT_EQ(200, r.status) << r.raw;
    EXPECT_EQ("application/json", r.header("Content-Type"));
    EXPECT_EQ(kJson, r.body);
    EXPECT_EQ(std::to_string(kJson.size()), r.header("Content-Length"));
}

TEST_F(AutoindexTest, HeadOfAJsonListingHasItsLengthAndNoBody)
{
    HttpResponse r = httpRaw(server_->port(), "HEAD /json/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        true);
    ASSERT_EQ(200, r.status) << r.raw;
    EXPECT_EQ("application/json", r.header("Content-Type"));
    EXPECT_EQ(std::to_string(kJson.size()), r.header("Content-Length"));
    EXPECT_EQ("", r.body);
}

TEST_F(AutoindexTest, ExactSizesByDefault)
{
    HttpResponse r = get("/d/");
    ASSERT_EQ(200, r.status) << r.raw;
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_EQ("9999", sizeCell(r.body, "b9999"));
    EXPECT_EQ("10000", sizeCell(r.body, "b10000"));
    EXPECT_EQ("3758096384", sizeCell(r.body, "g4"));
    EXPECT_EQ("-", sizeCell(r.body, "sub/"));
}

// The sizes nginx 1.22.1 showed with autoindex_exact_size off.
TEST_F(AutoindexTest, HumanSizesRoundAsNginx)
{
    HttpResponse r = get("/human/");
    ASSERT_EQ(200, r.status) << r.raw;
    const std::pair<const char*, const char*> cases[] = {
        { "b9999", "9999" }, { "b10000", "10K" }, { "k10751", "10K" }, { "k10752", "11K" },
        { "m1a", "1M" }, { "m2", "2M" }, { "g4", "4G" }, { "sub/", "-" },
        { "%3Cb%3E%26amp", "0" },
    };
    for (const auto& c : cases)
        EXPECT_EQ(c.second, sizeCell(r.body, c.first)) << c.first << "\n" << r.body;
    EXPECT_NE(std::string::npos, r.body.find(">&lt;b&gt;&amp;amp</a>"));
    EXPECT_EQ(std::string::npos, r.body.find(".hidden"));
}

// /json/ inherits the server's json (autoindex_exact_size does not change
// it); /both/ sets it itself; /d/ and /human/ override it.
TEST_F(AutoindexTest, TheFormatIsInheritedAndOverridden)
{
    for (const char* path : { "/json/", "/both/", "/" }) {
        HttpResponse r = get(path);
        ASSERT_EQ(200, r.status) << path << "\n" << r.raw;
        EXPECT_EQ("application/json", r.header("Content-Type")) << path;
        if (std::string(path) != "/") {
            EXPECT_EQ(kJson, r.body) << path;
        }
    }
    EXPECT_EQ(0u, get("/").body.find("[\r\n{ \"name\":\"d\", \"type\":\"directory\", \"mtime\":"));
    HttpResponse html = get("/d/");
    EXPECT_EQ("text/html", html.header("Content-Type"));
    EXPECT_NE(std::string::npos, html.body.find("<meta name=\"viewport\""));
}
