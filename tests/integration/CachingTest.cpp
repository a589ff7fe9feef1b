// Conditional requests and byte ranges on static files against the real
// server (RFC 9110 §13, §14; README "Caching and ranges"): validators on
// every file response, 304 / 412, 206 with exact Content-Range and bytes on
// a small file (served from the file cache) and on a large one (streamed
// from its descriptor), 416, multiple ranges, If-Range, HEAD, and a resumed
// download.
//
// The files get a fixed mtime (Tue, 14 Nov 2023 22:13:20 GMT = 0x6553f100),
// so ETag and Last-Modified are known exactly. "No body bytes were sent" is
// shown by a second request on the same connection: its response must
// start right where the head ended.

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TempDir.hpp"

namespace {

const char* kConfig = R"(
types {
    text/plain txt;
    text/html html;
}
default_type application/octet-stream;
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location / { }
}
)";

const time_t kModified = 1700000000;
const char* kLastModified = "Tue, 14 Nov 2023 22:13:20 GMT";
const char* kSecondBefore = "Tue, 14 Nov 2023 22:13:19 GMT";
const char* kSecondAfter = "Tue, 14 Nov 2023 22:13:21 GMT";

const size_t kSmallSize = 1000;                  // under the cache's 256 KiB limit
const size_t kBigSize = 3 * 1024 * 1024 + 5;    // streamed
const char* kSmallTag = "\"6553f100-3e8\"";
const char* kBigTag = "\"6553f100-300005\"";

// Bytes whose every position is distinct enough to catch an off-by-one.
std::string pattern(size_t size, unsigned seed)
{
    std::string out(size, '\0');
    unsigned state = seed;
    for (size_t i = 0; i < size; ++i) {
        state = state * 1103515245u + 12345u;
        out[i] = static_cast<char>((state >> 16) ^ i);
    }
    return out;
}

const std::string& smallContent()
{
    static const std::string content = pattern(kSmallSize, 7);
    return content;
}

const std::string& bigContent()
{
    static const std::string content = pattern(kBigSize, 11);
    return content;
}

void setMtime(const std::string& path, time_t when)
{
    timeval times[2] = { { when, 0 }, { when, 0 } };
    ASSERT_EQ(0, utimes(path.c_str(), times));
}

std::string tagOf(time_t mtime, size_t size)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "\"%lx-%zx\"", static_cast<unsigned long>(mtime), size);
    return buffer;
}

std::string request(const std::string& method, const std::string& path, const std::string& extra = "")
{
    return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

class CachingTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            setMtime(dir.write("www/small.txt", smallContent()), kModified);
            setMtime(dir.write("www/big.bin", bigContent()), kModified);
            setMtime(dir.write("www/index.html", "<h1>home</h1>\n"), kModified);
            setMtime(dir.write("www/empty.txt", ""), kModified);
            setMtime(dir.write("www/changing.txt", "version one\n"), kModified);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }
    const TempDir& dir() const { return server_->dir(); }

    // One request on a connection that stays open; then a GET of
    // /index.html on the same connection must be answered whole and
    // nothing else: proof that the first response had exactly the body
    // its head announced.
    HttpResponse exchange(const std::string& bytes, bool headOnly = false)
    {
        TestClient client(port());
        client.send(bytes);
        HttpResponse r = client.read(headOnly);
        client.send(request("GET", "/index.html", "Connection: close\r\n"));
        HttpResponse next = client.read();
        EXPECT_EQ(200, next.status) << "the response before it:\n" << r.raw.substr(0, 2000);
        EXPECT_EQ("<h1>home</h1>\n", next.body);
        EXPECT_TRUE(client.closedByServer());
        return r;
    }

    HttpResponse get(const std::string& path, const std::string& extra = "")
    {
        return exchange(request("GET", path, extra));
    }

    static ServerProcess* server_;
};

ServerProcess* CachingTest::server_ = nullptr;

void expectWhole(const HttpResponse& r, const std::string& content, const char* tag)
{
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(std::to_string(content.size()), r.header("Content-Length"));
    EXPECT_EQ(0u, r.count("Content-Range"));
    EXPECT_EQ(tag, r.header("ETag"));
    EXPECT_EQ("bytes", r.header("Accept-Ranges"));
    EXPECT_TRUE(r.body == content) << "body of " << r.body.size() << " bytes differs";
}

void expectPartial(const HttpResponse& r, const std::string& content, size_t first, size_t last,
    const char* tag)
{
    EXPECT_EQ(206, r.status);
    EXPECT_EQ("Partial Content", r.reason);
    EXPECT_EQ("bytes " + std::to_string(first) + "-" + std::to_string(last) + "/"
        + std::to_string(content.size()), r.header("Content-Range"));
    EXPECT_EQ(std::to_string(last - first + 1), r.header("Content-Length"));
    EXPECT_EQ(tag, r.header("ETag"));
    EXPECT_EQ(kLastModified, r.header("Last-Modified"));
    EXPECT_EQ("bytes", r.header("Accept-Ranges"));
    EXPECT_EQ(1u, r.count("Content-Range"));
    EXPECT_TRUE(r.body == content.substr(first, last - first + 1))
        << "body of " << r.body.size() << " bytes differs from bytes " << first << "-" << last;
}

void expectNotModified(const HttpResponse& r, const char* tag)
{
    EXPECT_EQ(304, r.status);
    EXPECT_EQ("Not Modified", r.reason);
    EXPECT_EQ(tag, r.header("ETag"));
    EXPECT_EQ(kLastModified, r.header("Last-Modified"));
    EXPECT_EQ(1u, r.count("Date"));
    EXPECT_EQ(0u, r.count("Content-Length"));
    EXPECT_EQ(0u, r.count("Transfer-Encoding"));
    EXPECT_EQ(0u, r.count("Content-Range"));
    EXPECT_EQ("", r.body);
    EXPECT_EQ("\r\n\r\n", r.raw.substr(r.raw.size() - 4));
}

// ================================================================ validators

TEST_F(CachingTest, SmallFileCarriesValidators)
{
    HttpResponse r = get("/small.txt");
    expectWhole(r, smallContent(), kSmallTag);
    EXPECT_EQ(kLastModified, r.header("Last-Modified"));
    EXPECT_EQ("text/plain", r.header("Content-Type"));
    EXPECT_EQ(1u, r.count("ETag"));
    EXPECT_EQ(1u, r.count("Last-Modified"));
    EXPECT_EQ(1u, r.count("Accept-Ranges"));
}

TEST_F(CachingTest, StreamedFileCarriesValidators)
{
    HttpResponse r = get("/big.bin");
    expectWhole(r, bigContent(), kBigTag);
    EXPECT_EQ(kLastModified, r.header("Last-Modified"));
    EXPECT_EQ("application/octet-stream", r.header("Content-Type"));
}

TEST_F(CachingTest, IndexFileCarriesValidators)
{
    HttpResponse r = httpGet(port(), "/");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(tagOf(kModified, 14), r.header("ETag"));
    EXPECT_EQ(kLastModified, r.header("Last-Modified"));
    EXPECT_EQ("bytes", r.header("Accept-Ranges"));
}

TEST_F(CachingTest, EntityTagFollowsTheFile)
{
    struct stat info {};
    ASSERT_EQ(0, stat(dir().file("www/small.txt").c_str(), &info));
    EXPECT_EQ(tagOf(info.st_mtime, static_cast<size_t>(info.st_size)), kSmallTag);
    EXPECT_EQ(kSmallTag, httpGet(port(), "/small.txt").header("ETag"));
    // Two fetches, the same tag.
    EXPECT_EQ(kSmallTag, httpGet(port(), "/small.txt").header("ETag"));
}

TEST_F(CachingTest, ErrorResponsesHaveNoValidators)
{
    HttpResponse r = httpGet(port(), "/missing.txt", "If-None-Match: *\r\nRange: bytes=0-0\r\n");
    EXPECT_EQ(404, r.status);
    EXPECT_EQ(0u, r.count("ETag"));
    EXPECT_EQ(0u, r.count("Content-Range"));
}

// ================================================================ 304

TEST_F(CachingTest, IfNoneMatchWithTheTagIs304WithoutBody)
{
    HttpResponse r = get("/small.txt", std::string("If-None-Match: ") + kSmallTag + "\r\n");
    expectNotModified(r, kSmallTag);
    EXPECT_EQ("keep-alive", r.header("Connection"));
}

TEST_F(CachingTest, IfNoneMatchForms)
{
    expectNotModified(get("/small.txt", "If-None-Match: W/\"6553f100-3e8\"\r\n"), kSmallTag);
    expectNotModified(get("/small.txt", "If-None-Match: *\r\n"), kSmallTag);
    expectNotModified(get("/small.txt", "If-None-Match: \"x\", \"6553f100-3e8\"\r\n"), kSmallTag);
    expectNotModified(get("/small.txt", "If-None-Match: \"x\"\r\nIf-None-Match: \"6553f100-3e8\"\r\n"),
        kSmallTag);
}

TEST_F(CachingTest, IfNoneMatchMismatchServesTheFile)
{
    expectWhole(get("/small.txt", "If-None-Match: \"6553f100-3e7\"\r\n"), smallContent(), kSmallTag);
    expectWhole(get("/small.txt", "If-None-Match: \"a\", \"b\"\r\n"), smallContent(), kSmallTag);
}

TEST_F(CachingTest, IfNoneMatchOnStreamedFileIs304WithoutBody)
{
    expectNotModified(get("/big.bin", std::string("If-None-Match: ") + kBigTag + "\r\n"), kBigTag);
}

TEST_F(CachingTest, IfModifiedSince)
{
    expectNotModified(get("/small.txt", std::string("If-Modified-Since: ") + kLastModified + "\r\n"),
        kSmallTag);
    expectNotModified(get("/small.txt", std::string("If-Modified-Since: ") + kSecondAfter + "\r\n"),
        kSmallTag);
    expectNotModified(get("/big.bin", std::string("If-Modified-Since: ") + kLastModified + "\r\n"),
        kBigTag);
    expectWhole(get("/small.txt", std::string("If-Modified-Since: ") + kSecondBefore + "\r\n"),
        smallContent(), kSmallTag);
    // An invalid date is ignored.
    expectWhole(get("/small.txt", "If-Modified-Since: last tuesday\r\n"), smallContent(), kSmallTag);
}

TEST_F(CachingTest, IfModifiedSinceIgnoredWhenIfNoneMatchPresent)
{
    expectWhole(get("/small.txt", std::string("If-None-Match: \"other\"\r\nIf-Modified-Since: ")
        + kSecondAfter + "\r\n"), smallContent(), kSmallTag);
}

TEST_F(CachingTest, HeadWithIfNoneMatchIs304)
{
    HttpResponse r = exchange(request("HEAD", "/small.txt",
        std::string("If-None-Match: ") + kSmallTag + "\r\n"), true);
    expectNotModified(r, kSmallTag);
}

TEST_F(CachingTest, RevalidationOfAChangedFileServesTheNewVersion)
{
    std::string path = dir().file("www/changing.txt");
    HttpResponse first = httpGet(port(), "/changing.txt");
    ASSERT_EQ(200, first.status);
    std::string oldTag = first.header("ETag");
    EXPECT_EQ(tagOf(kModified, 12), oldTag);
    dir().write("www/changing.txt", "version two\n");
    setMtime(path, kModified + 60);
    HttpResponse r = get("/changing.txt", "If-None-Match: " + oldTag + "\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("version two\n", r.body);
    EXPECT_EQ(tagOf(kModified + 60, 12), r.header("ETag"));
    EXPECT_EQ("Tue, 14 Nov 2023 22:14:20 GMT", r.header("Last-Modified"));
    // A range with If-Range naming the old version: the whole new file.
    r = get("/changing.txt", "Range: bytes=0-6\r\nIf-Range: " + oldTag + "\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("version two\n", r.body);
    EXPECT_EQ(0u, r.count("Content-Range"));
    // With the new one: the range.
    r = get("/changing.txt", "Range: bytes=0-6\r\nIf-Range: " + tagOf(kModified + 60, 12) + "\r\n");
    EXPECT_EQ(206, r.status);
    EXPECT_EQ("version", r.body);
    EXPECT_EQ("bytes 0-6/12", r.header("Content-Range"));
    dir().write("www/changing.txt", "version one\n");
    setMtime(path, kModified);
}

// ================================================================ 412

TEST_F(CachingTest, IfMatchMismatchIs412)
{
    HttpResponse r = get("/small.txt", "If-Match: \"6553f100-3e7\"\r\n");
    EXPECT_EQ(412, r.status);
    EXPECT_EQ("Precondition Failed", r.reason);
    EXPECT_EQ(std::to_string(r.body.size()), r.header("Content-Length"));
    EXPECT_NE(std::string::npos, r.body.find("412")) << r.body;
    EXPECT_EQ(0u, r.count("Content-Range"));
    EXPECT_TRUE(r.body != smallContent());
}

TEST_F(CachingTest, IfMatchWeakTagIs412)
{
    EXPECT_EQ(412, get("/small.txt", "If-Match: W/\"6553f100-3e8\"\r\n").status);
    EXPECT_EQ(412, get("/big.bin", "If-Match: W/\"6553f100-300005\"\r\n").status);
}

TEST_F(CachingTest, IfMatchCurrentTagOrStarServesTheFile)
{
    expectWhole(get("/small.txt", std::string("If-Match: ") + kSmallTag + "\r\n"), smallContent(),
        kSmallTag);
    expectWhole(get("/small.txt", "If-Match: *\r\n"), smallContent(), kSmallTag);
    expectWhole(get("/big.bin", std::string("If-Match: \"x\", ") + kBigTag + "\r\n"), bigContent(),
        kBigTag);
}

TEST_F(CachingTest, IfUnmodifiedSince)
{
    EXPECT_EQ(412, get("/small.txt", std::string("If-Unmodified-Since: ") + kSecondBefore + "\r\n").status);
    EXPECT_EQ(412, get("/big.bin", std::string("If-Unmodified-Since: ") + kSecondBefore + "\r\n").status);
    expectWhole(get("/small.txt", std::string("If-Unmodified-Since: ") + kLastModified + "\r\n"),
        smallContent(), kSmallTag);
    expectWhole(get("/small.txt", std::string("If-Unmodified-Since: ") + kSecondAfter + "\r\n"),
        smallContent(), kSmallTag);
}

TEST_F(CachingTest, IfMatchFailureWinsOverRange)
{
    HttpResponse r = get("/small.txt", "If-Match: \"nope\"\r\nRange: bytes=0-9\r\n");
    EXPECT_EQ(412, r.status);
    EXPECT_EQ(0u, r.count("Content-Range"));
}

// ================================================================ 206, small file

TEST_F(CachingTest, SmallFileRanges)
{
    const std::string& c = smallContent();
    expectPartial(get("/small.txt", "Range: bytes=0-0\r\n"), c, 0, 0, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=0-99\r\n"), c, 0, 99, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=99-99\r\n"), c, 99, 99, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=100-199\r\n"), c, 100, 199, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=100-\r\n"), c, 100, 999, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=999-\r\n"), c, 999, 999, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=999-999\r\n"), c, 999, 999, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=-1\r\n"), c, 999, 999, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=-100\r\n"), c, 900, 999, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=-5000\r\n"), c, 0, 999, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=990-5000\r\n"), c, 990, 999, kSmallTag);
    expectPartial(get("/small.txt", "Range: bytes=0-\r\n"), c, 0, 999, kSmallTag);
}

TEST_F(CachingTest, SeveralRangesOnOneConnection)
{
    const std::string& c = smallContent();
    TestClient client(port());
    client.send(request("GET", "/small.txt", "Range: bytes=10-19\r\n")
        + request("GET", "/small.txt", "Range: bytes=-10\r\n")
        + request("GET", "/big.bin", "Range: bytes=1000000-1000009\r\n")
        + request("GET", "/small.txt", "Connection: close\r\n"));
    expectPartial(client.read(), c, 10, 19, kSmallTag);
    expectPartial(client.read(), c, 990, 999, kSmallTag);
    expectPartial(client.read(), bigContent(), 1000000, 1000009, kBigTag);
    expectWhole(client.read(), c, kSmallTag);
    EXPECT_TRUE(client.closedByServer());
}

// ================================================================ 206, streamed file

TEST_F(CachingTest, StreamedFileRanges)
{
    const std::string& c = bigContent();
    const size_t last = kBigSize - 1;
    expectPartial(get("/big.bin", "Range: bytes=0-0\r\n"), c, 0, 0, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=0-99\r\n"), c, 0, 99, kBigTag);
    // Across the server's 64 KiB read pieces.
    expectPartial(get("/big.bin", "Range: bytes=65535-65537\r\n"), c, 65535, 65537, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=1048576-2097151\r\n"), c, 1048576, 2097151, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=1234567-2345678\r\n"), c, 1234567, 2345678, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=3145732-3145732\r\n"), c, last, last, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=3145732-\r\n"), c, last, last, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=-1\r\n"), c, last, last, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=-100000\r\n"), c, kBigSize - 100000, last, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=3000000-\r\n"), c, 3000000, last, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=1-\r\n"), c, 1, last, kBigTag);
    expectPartial(get("/big.bin", "Range: bytes=3000000-99999999\r\n"), c, 3000000, last, kBigTag);
}

// ================================================================ 416

TEST_F(CachingTest, UnsatisfiableRangeIs416WithSize)
{
    HttpResponse r = get("/small.txt", "Range: bytes=1000-\r\n");
    EXPECT_EQ(416, r.status);
    EXPECT_EQ("Range Not Satisfiable", r.reason);
    EXPECT_EQ("bytes */1000", r.header("Content-Range"));
    EXPECT_EQ(std::to_string(r.body.size()), r.header("Content-Length"));
    EXPECT_TRUE(r.body.find(smallContent().substr(0, 20)) == std::string::npos);

    r = get("/small.txt", "Range: bytes=-0\r\n");
    EXPECT_EQ(416, r.status);
    EXPECT_EQ("bytes */1000", r.header("Content-Range"));

    r = get("/big.bin", "Range: bytes=3145733-\r\n");
    EXPECT_EQ(416, r.status);
    EXPECT_EQ("bytes */3145733", r.header("Content-Range"));
    EXPECT_LT(r.body.size(), 10000u);

    r = get("/empty.txt", "Range: bytes=0-\r\n");
    EXPECT_EQ(416, r.status);
    EXPECT_EQ("bytes */0", r.header("Content-Range"));
}

TEST_F(CachingTest, HeadWithUnsatisfiableRange)
{
    HttpResponse r = exchange(request("HEAD", "/small.txt", "Range: bytes=5000-\r\n"), true);
    EXPECT_EQ(416, r.status);
    EXPECT_EQ("bytes */1000", r.header("Content-Range"));
}

// ================================================================ whole file instead

TEST_F(CachingTest, MultipleRangesServeTheWholeFile)
{
    expectWhole(get("/small.txt", "Range: bytes=0-1,5-6\r\n"), smallContent(), kSmallTag);
    expectWhole(get("/small.txt", "Range: bytes=0-0, -1\r\n"), smallContent(), kSmallTag);
    expectWhole(get("/big.bin", "Range: bytes=0-99,200-299\r\n"), bigContent(), kBigTag);
}

TEST_F(CachingTest, MalformedOrForeignRangeServesTheWholeFile)
{
    expectWhole(get("/small.txt", "Range: items=0-1\r\n"), smallContent(), kSmallTag);
    expectWhole(get("/small.txt", "Range: bytes=abc\r\n"), smallContent(), kSmallTag);
    expectWhole(get("/small.txt", "Range: bytes=9-5\r\n"), smallContent(), kSmallTag);
    expectWhole(get("/small.txt", "Range: bytes=\r\n"), smallContent(), kSmallTag);
}

TEST_F(CachingTest, IfRange)
{
    const std::string& c = smallContent();
    // Stale validators: the whole file, 200.
    expectWhole(get("/small.txt", "Range: bytes=0-9\r\nIf-Range: \"6553f0ff-3e8\"\r\n"), c, kSmallTag);
    expectWhole(get("/small.txt", std::string("Range: bytes=0-9\r\nIf-Range: ") + kSecondBefore + "\r\n"),
        c, kSmallTag);
    expectWhole(get("/big.bin", "Range: bytes=0-9\r\nIf-Range: \"6553f100-300004\"\r\n"), bigContent(),
        kBigTag);
    // Weak tags never satisfy If-Range.
    expectWhole(get("/small.txt", "Range: bytes=0-9\r\nIf-Range: W/\"6553f100-3e8\"\r\n"), c, kSmallTag);
    // Current validators: the range.
    expectPartial(get("/small.txt", std::string("Range: bytes=0-9\r\nIf-Range: ") + kSmallTag + "\r\n"),
        c, 0, 9, kSmallTag);
    expectPartial(get("/small.txt", std::string("Range: bytes=500-\r\nIf-Range: ") + kLastModified
        + "\r\n"), c, 500, 999, kSmallTag);
    expectPartial(get("/big.bin", std::string("Range: bytes=-10\r\nIf-Range: ") + kBigTag + "\r\n"),
        bigContent(), kBigSize - 10, kBigSize - 1, kBigTag);
}

// ================================================================ HEAD

TEST_F(CachingTest, HeadWithRange)
{
    HttpResponse r = exchange(request("HEAD", "/small.txt", "Range: bytes=0-99\r\n"), true);
    EXPECT_EQ(206, r.status);
    EXPECT_EQ("bytes 0-99/1000", r.header("Content-Range"));
    EXPECT_EQ("100", r.header("Content-Length"));
    EXPECT_EQ(kSmallTag, r.header("ETag"));

    r = exchange(request("HEAD", "/big.bin", "Range: bytes=100-\r\n"), true);
    EXPECT_EQ(206, r.status);
    EXPECT_EQ("bytes 100-3145732/3145733", r.header("Content-Range"));
    EXPECT_EQ("3145633", r.header("Content-Length"));
    EXPECT_EQ(kBigTag, r.header("ETag"));
}

// ================================================================ resume

// What `curl -C -` does: a download cut off after some bytes, then
// "Range: bytes=N-" for the rest.
TEST_F(CachingTest, ResumedDownloadEqualsTheFile)
{
    std::string partial;
    {
        TestClient client(port());
        client.send(request("GET", "/big.bin"));
        std::string received;
        size_t headEnd = std::string::npos;
        char buffer[16384];
        while (headEnd == std::string::npos || received.size() - (headEnd + 4) < 500000) {
            ssize_t n = recv(client.fd(), buffer, sizeof buffer, 0);
            ASSERT_GT(n, 0) << "the download ended early";
            received.append(buffer, static_cast<size_t>(n));
            headEnd = received.find("\r\n\r\n");
        }
        ASSERT_EQ(0u, received.find("HTTP/1.1 200 OK\r\n"));
        partial = received.substr(headEnd + 4);
        ASSERT_LT(partial.size(), kBigSize);
        // The client goes away mid-transfer.
    }
    HttpResponse r = get("/big.bin", "Range: bytes=" + std::to_string(partial.size()) + "-\r\n");
    expectPartial(r, bigContent(), partial.size(), kBigSize - 1, kBigTag);
    EXPECT_TRUE(partial + r.body == bigContent());

    // The same with If-Range, as a careful client sends it.
    r = get("/big.bin", "Range: bytes=" + std::to_string(partial.size()) + "-\r\nIf-Range: "
        + kBigTag + "\r\n");
    EXPECT_EQ(206, r.status);
    EXPECT_TRUE(partial + r.body == bigContent());
}

TEST_F(CachingTest, ResumingACompleteDownloadIs416)
{
    HttpResponse r = get("/small.txt", "Range: bytes=1000-\r\n");
    EXPECT_EQ(416, r.status);
    EXPECT_EQ("bytes */1000", r.header("Content-Range"));
}

}
