// Uploads (multipart and raw), DELETE and Expect: 100-continue against the
// real server: what the client is told, and what is (and is not) left in
// the upload store on disk. Contract: tests/contract/HTTP.md ("Handlers",
// "Closing") and tests/contract/CONFIG.md (upload_store,
// client_max_body_size, allow_methods).
//
// Sync points: a request on a fresh connection read until the server closes
// it. The server reads at most 64 KiB per connection per poll turn, so every
// connection that had at most that much pending (or closed) before the sync
// request was sent has been dealt with when its answer is complete.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TestText.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location /uploads/ {
        allow_methods GET POST DELETE;
        upload_store {DIR}/www/uploads;
        client_max_body_size 64m;
    }
    location /small/ {
        allow_methods GET POST DELETE;
        upload_store {DIR}/www/small;
        client_max_body_size 1k;
    }
    location /gone/ {
        allow_methods POST;
        upload_store {DIR}/www/gone;
    }
    location /broken/ {
        allow_methods POST;
        upload_store {DIR}/www/broken;
    }
    location /readonly/ {
        upload_store {DIR}/www/readonly;
    }
    location /slow/ {
        allow_methods POST;
        upload_store {DIR}/www/slow;
        client_body_timeout 1s;
    }
    location /drop {
        allow_methods POST;
        upload_store {DIR}/www/drop;
    }
    location /listed/ {
        allow_methods GET POST;
        upload_store {DIR}/www/listed;
        autoindex on;
    }
    location "/listed too/" {
        allow_methods GET POST;
        upload_store "{DIR}/www/listed too";
        autoindex on;
    }
}
)";

const std::string kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
const std::string kMultipartType = "Content-Type: multipart/form-data; boundary=" + kBoundary + "\r\n";
const std::string kJson = "Accept: application/json\r\n";

// ---------------------------------------------------------------- disk

bool exists(const std::string& path)
{
    struct stat info;
    return lstat(path.c_str(), &info) == 0;
}

long long sizeOf(const std::string& path)
{
    struct stat info;
    return lstat(path.c_str(), &info) == 0 ? static_cast<long long>(info.st_size) : -1;
}

// Every entry of a directory (hidden ones included), sorted.
std::set<std::string> tempFilesIn(const std::string& path)
{
    std::set<std::string> temps;
    for (const std::string& name : listDirectory(path))
        if (name.compare(0, 16, ".webserv-upload-") == 0)
            temps.insert(name);
    return temps;
}

std::set<std::string> added(const std::set<std::string>& before, const std::set<std::string>& after)
{
    std::set<std::string> out;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
        std::inserter(out, out.end()));
    return out;
}

std::string joined(const std::set<std::string>& names)
{
    std::string out;
    for (const std::string& name : names)
        out += (out.empty() ? "" : ", ") + name;
    return "{" + out + "}";
}

// Byte comparison that does not print megabytes on failure.
::testing::AssertionResult sameBytes(const std::string& expected, const std::string& actual)
{
    if (expected == actual)
        return ::testing::AssertionSuccess();
    size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at])
        ++at;
    return ::testing::AssertionFailure() << "expected " << expected.size() << " bytes, got "
        << actual.size() << "; first difference at offset " << at;
}

// ---------------------------------------------------------------- content

// Binary content meant to trip a multipart parser: NUL runs, CRLFs, and
// prefixes of the delimiter ("\r\n--" + boundary minus its last byte, or with
// a wrong last byte), some of them straddling 64 KiB marks, and a delimiter
// prefix as the very last bytes of the file. (The whole boundary never
// appears: RFC 2046 forbids it inside a part.)
std::string trickyBinary(size_t size)
{
    std::string data = randomBytes(size, 20240601);
    std::string almost = "\r\n--" + kBoundary.substr(0, kBoundary.size() - 1);
    std::vector<std::string> traps = {
        std::string(4096, '\0'),
        "\r\n\r\n",
        "\r\n--",
        almost,
        almost + "!",
        "--" + kBoundary.substr(0, 12),
        "\r\r\n\n--\r\n-",
        std::string("\0\r\n\0--\0", 7),
        "\r\n--" + kBoundary.substr(0, 7) + "\r\n",
    };
    for (size_t i = 0; i < traps.size(); ++i) {
        size_t at = (i + 1) * (size / (traps.size() + 2));
        data.replace(at, traps[i].size(), traps[i]);
        // The same trap across a 64 KiB mark.
        size_t mark = (i + 3) * 65536 - traps[i].size() / 2;
        if (mark + traps[i].size() < size - 64)
            data.replace(mark, traps[i].size(), traps[i]);
    }
    std::string tail = "\r\n--" + kBoundary.substr(0, 5);
    data.replace(size - tail.size(), tail.size(), tail);
    return data;
}

// This file's multipart bodies, all with kBoundary.
using Part = FormPart;

std::string multipart(const std::vector<Part>& parts, bool closed = true)
{
    return multipartBody(kBoundary, parts, closed);
}

// Cut points inside every CRLF and every (real or fake) delimiter of body, so
// that the multipart parser sees them split across pieces.
std::set<size_t> cutsInsideDelimiters(const std::string& body)
{
    std::set<size_t> cuts;
    for (size_t at = body.find("\r\n"); at != std::string::npos; at = body.find("\r\n", at + 1)) {
        cuts.insert(at + 1);
        if (body.compare(at + 2, 2, "--") == 0) {
            cuts.insert(at + 3);
            cuts.insert(at + 4 + kBoundary.size() / 2);
            cuts.insert(at + 4 + kBoundary.size() - 1);
        }
    }
    return cuts;
}

std::string postChunked(const std::string& path, const std::string& encodedBody, const std::string& extra = "")
{
    return requestHead("POST", path, extra + "Transfer-Encoding: chunked\r\n") + encodedBody;
}

std::string jsonEntry(const std::string& name, const std::string& requested, size_t size,
    const std::string& url)
{
    return "{\"name\":\"" + name + "\",\"requested\":\"" + requested + "\",\"renamed\":"
        + (name == requested ? "false" : "true") + ",\"size\":" + std::to_string(size)
        + ",\"url\":\"" + url + "\"}";
}

std::string jsonFiles(const std::vector<std::string>& entries)
{
    std::string out = "{\"files\":[";
    for (size_t i = 0; i < entries.size(); ++i)
        out += (i ? "," : "") + entries[i];
    return out + "]}\n";
}

// The "name" values of a JSON answer, in order.
std::vector<std::string> jsonNames(const std::string& json)
{
    std::vector<std::string> names;
    std::regex name("\"name\":\"([^\"]*)\"");
    for (std::sregex_iterator it(json.begin(), json.end(), name), end; it != end; ++it)
        names.push_back((*it)[1]);
    return names;
}

// Sends the body in pieces of odd sizes (several send() calls).
void sendInPieces(TestClient& client, const std::string& bytes, size_t piece = 1000003)
{
    for (size_t pos = 0; pos < bytes.size(); pos += piece)
        client.send(bytes.substr(pos, piece));
}

// ---------------------------------------------------------------- fixture

class UploadTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/index.html", "home");
            dir.write("www/secret.txt", "next to the store");
            dir.write("secret.txt", "outside the root");
            dir.write("www/uploads/sub/keep.txt", "in a subdirectory");
            dir.mkdir("www/small");
            dir.mkdir("www/gone");
            dir.mkdir("www/broken");
            dir.mkdir("www/slow");
            dir.mkdir("www/drop");
            dir.mkdir("www/listed");
            dir.mkdir("www/listed too");
            dir.write("www/readonly/file.txt", "read only");
        });
        syncWithServer();
        baselineFds_ = server_->openFds();
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }

    static int port() { return server_->port(); }
    static std::string path(const std::string& relative) { return server_->dir().file(relative); }
    static std::string store() { return path("www/uploads"); }
    static std::string stored(const std::string& name) { return store() + "/" + name; }
    static std::string location(const std::string& uri)
    {
        return "http://localhost:" + std::to_string(port()) + uri;
    }

    static HttpResponse send(const std::string& bytes) { return httpRaw(port(), bytes); }

    static void syncWithServer()
    {
        TestClient client(server_->port());
        client.send("GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_NE(std::string::npos, client.readUntilClose().find("\r\n\r\nhome"));
    }

    // GET uri answers exactly content.
    static void expectServed(const std::string& uri, const std::string& content)
    {
        HttpResponse r = httpGet(port(), uri);
        EXPECT_EQ(200, r.status) << uri;
        EXPECT_EQ(std::to_string(content.size()), r.header("Content-Length")) << uri;
        EXPECT_TRUE(sameBytes(content, r.body)) << uri;
    }

    // The store's file name holds exactly content, and GET gives it back.
    static void expectStored(const std::string& name, const std::string& content)
    {
        EXPECT_TRUE(sameBytes(content, readFile(stored(name)))) << name;
        expectServed("/uploads/" + percentEncode(name), content);
    }

    static void expectEmpty(const std::string& directory)
    {
        EXPECT_EQ("{}", joined(listDirectory(directory))) << directory;
    }

    static void expectNoTempFiles(const std::string& directory)
    {
        EXPECT_EQ("{}", joined(tempFilesIn(directory))) << directory;
    }

    static void expectSeveralFiles(const std::string& prefix, bool chunkedFraming);
    static void expectLargeBinary(const std::string& name, bool chunkedFraming);

    static ServerProcess* server_;
    static int baselineFds_;
};

ServerProcess* UploadTest::server_ = nullptr;
int UploadTest::baselineFds_ = 0;

// ---------------------------------------------------------------- multipart

TEST_F(UploadTest, MultipartOneFileIsStoredAndServedBack)
{
    std::string content = "Hello, upload!\nSecond line.\n";
    HttpResponse r = send(postWithLength("/uploads/", multipart({ filePart("file", "one.txt", content) }),
        kMultipartType));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ("Created", r.reason);
    EXPECT_EQ(location("/uploads/one.txt"), r.header("Location"));
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_EQ("keep-alive", r.header("Connection"));
    EXPECT_NE(std::string::npos, r.body.find("<a href=\"/uploads/one.txt\">one.txt</a> ("
        + std::to_string(content.size()) + " bytes)")) << r.body;
    expectStored("one.txt", content);
    expectNoTempFiles(store());
}

// Without JavaScript the browser shows this answer: a page in the site's
// look with the files and ways on -- back to the form (its Referer), the
// store's listing where there is one, home.
TEST_F(UploadTest, FormAnswerIsAPageWithLinksBack)
{
    std::string form = location("/upload.html");
    HttpResponse r = send(postWithLength("/listed/", multipart({ filePart("file", "page.txt", "x") }),
        kMultipartType + "Referer: " + form + "\r\n"));
    ASSERT_EQ(201, r.status) << r.raw;
    EXPECT_EQ(0u, r.body.find("<!DOCTYPE html>\n")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("<style>")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("<title>Stored</title>")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("<li><a href=\"/listed/page.txt\">page.txt</a> (1 byte)</li>"))
        << r.body;
    EXPECT_NE(std::string::npos, r.body.find("<nav>\n<a href=\"" + form + "\">Back to the form</a>\n"
        "<a href=\"/listed/\">All files in /listed/</a>\n<a href=\"/\">Home</a>\n</nav>\n")) << r.body;
}

// No Referer, or one naming the store or home: no "back" link that would
// repeat another; no listing link where the store has none.
TEST_F(UploadTest, FormAnswerLinksOnlyWhereThereIsSomewhereToGo)
{
    HttpResponse plain = send(postWithLength("/uploads/", multipart({ filePart("file", "nav.txt", "x") }),
        kMultipartType));
    ASSERT_EQ(201, plain.status) << plain.raw;
    EXPECT_NE(std::string::npos, plain.body.find("<nav>\n<a href=\"/\">Home</a>\n</nav>\n")) << plain.body;
    for (const std::string& referer : { location("/"), location("/listed/") }) {
        HttpResponse r = send(postWithLength("/listed/", multipart({ filePart("file", "nav.txt", "x") }),
            kMultipartType + "Referer: " + referer + "\r\n"));
        ASSERT_EQ(201, r.status) << r.raw;
        EXPECT_NE(std::string::npos, r.body.find("<nav>\n<a href=\"/listed/\">All files in /listed/</a>\n"
            "<a href=\"/\">Home</a>\n</nav>\n")) << referer << "\n" << r.body;
    }
}

// The listing's Referer is percent-encoded, as the browser sends it.
TEST_F(UploadTest, FormAnswerKnowsItsListingByItsEncodedUrl)
{
    HttpResponse r = send(postWithLength("/listed%20too/", multipart({ filePart("file", "nav.txt", "x") }),
        kMultipartType + "Referer: " + location("/listed%20too/") + "\r\n"));
    ASSERT_EQ(201, r.status) << r.raw;
    EXPECT_NE(std::string::npos, r.body.find("<nav>\n<a href=\"/listed%20too/\">All files in /listed too/</a>\n"
        "<a href=\"/\">Home</a>\n</nav>\n")) << r.body;
}

// "--" + boundary followed by anything but "--", padding or a line end is
// no delimiter (RFC 2046 §5.1.1), so a file may hold it -- here a file that
// is itself a multipart body whose boundary starts with ours. Stored byte
// for byte, with Content-Length and chunked with cuts inside every one.
TEST_F(UploadTest, NearDelimitersInAFileAreStoredByteForByte)
{
    const std::string d = "\r\n--" + kBoundary;
    const std::string content = "head" + d + "X" + d + "-X\r\n" + d + " \tY" + d + "\rZ" + d
        + "YZ\r\nContent-Disposition: form-data; name=\"in\"\r\n\r\nx" + d + "YZ--\r\ntail";
    for (bool chunkedFraming : { false, true }) {
        std::string name = chunkedFraming ? "near-chunked.bin" : "near-length.bin";
        std::string body = multipart({ filePart("f", name, content) });
        HttpResponse r = send(chunkedFraming
            ? postChunked("/uploads/", chunked(body, cutsInsideDelimiters(body), 7), kMultipartType)
            : postWithLength("/uploads/", body, kMultipartType));
        EXPECT_EQ(201, r.status) << name << "\n" << r.raw;
        EXPECT_EQ(location("/uploads/" + name), r.header("Location"));
        expectStored(name, content);
    }
    expectNoTempFiles(store());
}

void UploadTest::expectSeveralFiles(const std::string& prefix, bool chunkedFraming)
{
    std::string alpha = "alpha\r\ncontent\r\n";
    std::string beta = std::string("\0\x01\x02\xff\r\n\0beta", 11) + std::string(300, '\0');
    std::string gamma = "<p>gamma</p>";
    std::string body = multipart({
        filePart("first", prefix + "alpha.txt", alpha),
        fieldPart("comment", "just a field, not a file"),
        filePart("second", prefix + "beta.bin", beta),
        fieldPart("empty", ""),
        filePart("third", prefix + "gamma.html", gamma),
    });
    std::set<std::string> before = listDirectory(store());
    // Chunked: tiny chunks, and cuts inside every CRLF and delimiter.
    std::string request = chunkedFraming
        ? postChunked("/uploads/", chunked(body, cutsInsideDelimiters(body), 7), kMultipartType + kJson)
        : postWithLength("/uploads/", body, kMultipartType + kJson);
    HttpResponse r = send(request);
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/" + prefix + "alpha.txt"), r.header("Location"));
    EXPECT_EQ("application/json", r.header("Content-Type"));
    EXPECT_EQ(jsonFiles({
        jsonEntry(prefix + "alpha.txt", prefix + "alpha.txt", alpha.size(), "/uploads/" + prefix + "alpha.txt"),
        jsonEntry(prefix + "beta.bin", prefix + "beta.bin", beta.size(), "/uploads/" + prefix + "beta.bin"),
        jsonEntry(prefix + "gamma.html", prefix + "gamma.html", gamma.size(),
            "/uploads/" + prefix + "gamma.html"),
    }), r.body);
    // The files and nothing else: plain fields are not stored.
    std::set<std::string> expected = { prefix + "alpha.txt", prefix + "beta.bin", prefix + "gamma.html" };
    EXPECT_EQ(joined(expected), joined(added(before, listDirectory(store()))));
    expectStored(prefix + "alpha.txt", alpha);
    expectStored(prefix + "beta.bin", beta);
    expectStored(prefix + "gamma.html", gamma);
}

TEST_F(UploadTest, MultipartSeveralFilesAndFieldsWithContentLength)
{
    expectSeveralFiles("cl-", false);
}

TEST_F(UploadTest, MultipartSeveralFilesAndFieldsChunked)
{
    expectSeveralFiles("chunked-", true);
}

void UploadTest::expectLargeBinary(const std::string& name, bool chunkedFraming)
{
    std::string content = trickyBinary(3 * 1024 * 1024 + 17);
    std::string small = std::string("\r\n--", 4) + kBoundary.substr(0, 20) + "\r";
    std::string body = multipart({
        fieldPart("description", "binary"),
        filePart("file", name, content),
        filePart("file", "ends-" + name, small),
    });
    TestClient client(port());
    if (chunkedFraming) {
        client.send(requestHead("POST", "/uploads/", kMultipartType + kJson + "Transfer-Encoding: chunked\r\n"));
        sendInPieces(client, chunked(body, cutsInsideDelimiters(body), 65521));
    } else {
        client.send(requestHead("POST", "/uploads/",
            kMultipartType + kJson + "Content-Length: " + std::to_string(body.size()) + "\r\n"));
        sendInPieces(client, body);
    }
    HttpResponse r = client.read();
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/" + name), r.header("Location"));
    EXPECT_EQ(jsonFiles({
        jsonEntry(name, name, content.size(), "/uploads/" + name),
        jsonEntry("ends-" + name, "ends-" + name, small.size(), "/uploads/ends-" + name),
    }), r.body);
    expectStored(name, content);
    expectStored("ends-" + name, small);
    expectNoTempFiles(store());
}

TEST_F(UploadTest, MultipartMultiMiBBinaryWithContentLength)
{
    expectLargeBinary("big-cl.bin", false);
}

TEST_F(UploadTest, MultipartMultiMiBBinaryChunked)
{
    expectLargeBinary("big-chunked.bin", true);
}

TEST_F(UploadTest, JsonOnlyWhenAcceptPrefersIt)
{
    struct Case {
        const char* accept;
        const char* type;
    };
    const Case cases[] = {
        { "application/json", "application/json" },
        { "text/html;q=0.5, application/json", "application/json" },
        { "application/*;q=0.9, text/*;q=0.1", "application/json" },
        { "text/html, application/json", "text/html" },
        { "text/html, application/json;q=0.9", "text/html" },
        { "*/*", "text/html" },
        { "", "text/html" },
    };
    int n = 0;
    for (const Case& c : cases) {
        std::string name = "accept-" + std::to_string(n++) + ".txt";
        std::string accept = *c.accept ? std::string("Accept: ") + c.accept + "\r\n" : "";
        HttpResponse r = send(postWithLength("/uploads/" + name, "x", accept));
        EXPECT_EQ(201, r.status) << c.accept;
        EXPECT_EQ(c.type, r.header("Content-Type")) << c.accept;
    }
}

TEST_F(UploadTest, UploadAndGetPipelinedOnOneConnection)
{
    std::string body = multipart({ filePart("f", "pipelined.txt", "pipelined content") });
    TestClient client(port());
    client.send(postWithLength("/uploads/", body, kMultipartType)
        + requestHead("GET", "/uploads/pipelined.txt"));
    HttpResponse created = client.read();
    EXPECT_EQ(201, created.status);
    EXPECT_EQ("keep-alive", created.header("Connection"));
    HttpResponse fetched = client.read();
    EXPECT_EQ(200, fetched.status);
    EXPECT_EQ("pipelined content", fetched.body);
}

// ---------------------------------------------------------------- raw bodies

TEST_F(UploadTest, RawBodyByPathWithContentLength)
{
    std::string content = "raw body\r\nwith CRLF and \0 NUL";
    HttpResponse r = send(postWithLength("/uploads/raw.txt", content,
        "Content-Type: text/plain\r\n" + kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/raw.txt"), r.header("Location"));
    EXPECT_EQ(jsonFiles({ jsonEntry("raw.txt", "raw.txt", content.size(), "/uploads/raw.txt") }), r.body);
    expectStored("raw.txt", content);

    // A percent-encoded name is stored decoded and answered encoded.
    r = send(postWithLength("/uploads/hello%20world.txt", "hi", kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/hello%20world.txt"), r.header("Location"));
    EXPECT_EQ(jsonFiles({ jsonEntry("hello world.txt", "hello world.txt", 2, "/uploads/hello%20world.txt") }),
        r.body);
    expectStored("hello world.txt", "hi");
    expectNoTempFiles(store());
}

TEST_F(UploadTest, RawBodyByPathChunked)
{
    std::string content = randomBytes(1024 * 1024 + 3, 7);
    std::set<size_t> cuts = { 1, 2, 3, 65535, 65536, 65537 };
    HttpResponse r = send(postChunked("/uploads/raw-chunked.bin", chunked(content, cuts, 4093), kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/raw-chunked.bin"), r.header("Location"));
    EXPECT_EQ(jsonFiles({ jsonEntry("raw-chunked.bin", "raw-chunked.bin", content.size(),
        "/uploads/raw-chunked.bin") }), r.body);
    expectStored("raw-chunked.bin", content);
    expectNoTempFiles(store());
}

TEST_F(UploadTest, RawBodyToTheStoreGetsAGeneratedName)
{
    std::set<std::string> before = listDirectory(store());
    HttpResponse first = send(postWithLength("/uploads/", "first generated", kJson));
    HttpResponse second = send(postChunked("/uploads/", chunked("second generated"), kJson));
    ASSERT_EQ(201, first.status);
    ASSERT_EQ(201, second.status);
    std::vector<std::string> names = jsonNames(first.body);
    std::vector<std::string> more = jsonNames(second.body);
    ASSERT_EQ(1u, names.size()) << first.body;
    ASSERT_EQ(1u, more.size()) << second.body;
    names.push_back(more[0]);
    EXPECT_NE(names[0], names[1]);
    for (const std::string& name : names)
        EXPECT_TRUE(std::regex_match(name, std::regex("upload-[0-9]+-[0-9]+-[0-9]+"))) << name;
    EXPECT_EQ(jsonFiles({ jsonEntry(names[0], names[0], 15, "/uploads/" + names[0]) }), first.body);
    EXPECT_EQ(jsonFiles({ jsonEntry(names[1], names[1], 16, "/uploads/" + names[1]) }), second.body);
    EXPECT_EQ(location("/uploads/" + names[0]), first.header("Location"));
    EXPECT_EQ(location("/uploads/" + names[1]), second.header("Location"));
    EXPECT_EQ(joined({ names[0], names[1] }), joined(added(before, listDirectory(store()))));
    expectStored(names[0], "first generated");
    expectStored(names[1], "second generated");
}

TEST_F(UploadTest, RawEmptyBodyIsAnEmptyFile)
{
    HttpResponse r = send(postWithLength("/uploads/empty.txt", "", kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(jsonFiles({ jsonEntry("empty.txt", "empty.txt", 0, "/uploads/empty.txt") }), r.body);
    EXPECT_EQ(0, sizeOf(stored("empty.txt")));
    r = send(postChunked("/uploads/empty-chunked.txt", "0\r\n\r\n", kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(0, sizeOf(stored("empty-chunked.txt")));
}

TEST_F(UploadTest, RawUploadToNestedPathOrDotNameIs403)
{
    std::set<std::string> before = listDirectory(store());
    std::set<std::string> subBefore = listDirectory(stored("sub"));
    const char* targets[] = {
        "/uploads/sub/nested.txt",      // a subdirectory of the store
        "/uploads/nosuchdir/x.txt",
        "/uploads/sub/",
        "/uploads/.hidden",             // would be renamed: refused instead
        "/uploads/...",
        "/uploads/a%5cb.txt",           // a backslash: a Windows path component
        "/uploads/tab%09name.txt",
    };
    for (const char* target : targets) {
        // The refusal keeps the connection: the body is read and dropped and
        // the pipelined GET is answered.
        TestClient client(port());
        client.send(postWithLength(target, "should not be stored") + requestHead("GET", "/index.html"));
        HttpResponse r = client.read();
        EXPECT_EQ(403, r.status) << target;
        EXPECT_EQ("text/html", r.header("Content-Type")) << target;
        EXPECT_EQ("keep-alive", r.header("Connection")) << target;
        HttpResponse next = client.read();
        EXPECT_EQ(200, next.status) << target;
        EXPECT_EQ("home", next.body) << target;
    }
    EXPECT_EQ(joined(before), joined(listDirectory(store())));
    EXPECT_EQ(joined(subBefore), joined(listDirectory(stored("sub"))));
    EXPECT_FALSE(exists(stored("nosuchdir")));
}

// ---------------------------------------------------------------- names

TEST_F(UploadTest, SameNameTwiceGetsANumberedName)
{
    HttpResponse r = send(postWithLength("/uploads/dup.txt", "original", kJson));
    ASSERT_EQ(201, r.status);
    EXPECT_EQ(jsonFiles({ jsonEntry("dup.txt", "dup.txt", 8, "/uploads/dup.txt") }), r.body);

    r = send(postWithLength("/uploads/dup.txt", "second", kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/dup-1.txt"), r.header("Location"));
    EXPECT_EQ("{\"files\":[{\"name\":\"dup-1.txt\",\"requested\":\"dup.txt\",\"renamed\":true,\"size\":6,"
              "\"url\":\"/uploads/dup-1.txt\"}]}\n", r.body);

    // The HTML answer says so too.
    r = send(postWithLength("/uploads/", multipart({ filePart("f", "dup.txt", "third") }), kMultipartType));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/dup-2.txt"), r.header("Location"));
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_NE(std::string::npos, r.body.find("<a href=\"/uploads/dup-2.txt\">dup-2.txt</a> (5 bytes)")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("dup.txt")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("already existed")) << r.body;

    // Nothing was overwritten.
    expectStored("dup.txt", "original");
    expectStored("dup-1.txt", "second");
    expectStored("dup-2.txt", "third");

    // A name without an extension is numbered at its end.
    ASSERT_EQ(201, send(postWithLength("/uploads/README", "a")).status);
    r = send(postWithLength("/uploads/README", "b", kJson));
    EXPECT_EQ(location("/uploads/README-1"), r.header("Location"));
    expectStored("README", "a");
    expectStored("README-1", "b");

    // The name of a directory in the store is taken too.
    r = send(postWithLength("/uploads/", multipart({ filePart("f", "sub", "not a directory") }),
        kMultipartType + kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(jsonFiles({ jsonEntry("sub-1", "sub", 15, "/uploads/sub-1") }), r.body);
    expectStored("sub-1", "not a directory");
    EXPECT_EQ("in a subdirectory", readFile(stored("sub/keep.txt")));
}

TEST_F(UploadTest, SameNameTwiceInOneRequest)
{
    HttpResponse r = send(postWithLength("/uploads/", multipart({
        filePart("a", "twin.txt", "first twin"),
        filePart("b", "twin.txt", "second twin"),
    }), kMultipartType + kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/twin.txt"), r.header("Location"));
    EXPECT_EQ(jsonFiles({
        jsonEntry("twin.txt", "twin.txt", 10, "/uploads/twin.txt"),
        jsonEntry("twin-1.txt", "twin.txt", 11, "/uploads/twin-1.txt"),
    }), r.body);
    expectStored("twin.txt", "first twin");
    expectStored("twin-1.txt", "second twin");
}

TEST_F(UploadTest, ClientFilenamesAreSanitised)
{
    std::set<std::string> before = listDirectory(store());
    std::set<std::string> wwwBefore = listDirectory(path("www"));
    std::set<std::string> dirBefore = listDirectory(path(""));
    HttpResponse r = send(postWithLength("/uploads/", multipart({
        filePart("a", "../../evil.txt", "evil"),
        filePart("b", "C:\\dir\\win.txt", "windows"),           // as browsers send it
        filePart("c", "C:\\\\dir\\\\win2.txt", "escaped"),      // quoted-pair escapes
        filePart("d", ".hidden", "hidden"),
        filePart("e", "/etc/cron.d/job", "absolute"),
        filePart("f", "tab\tname.txt", "tab"),
    }), kMultipartType + kJson));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/evil.txt"), r.header("Location"));
    EXPECT_EQ(jsonFiles({
        jsonEntry("evil.txt", "evil.txt", 4, "/uploads/evil.txt"),
        jsonEntry("win.txt", "win.txt", 7, "/uploads/win.txt"),
        jsonEntry("win2.txt", "win2.txt", 7, "/uploads/win2.txt"),
        jsonEntry("hidden", "hidden", 6, "/uploads/hidden"),
        jsonEntry("job", "job", 8, "/uploads/job"),
        jsonEntry("tabname.txt", "tabname.txt", 3, "/uploads/tabname.txt"),
    }), r.body);
    EXPECT_EQ(joined({ "evil.txt", "win.txt", "win2.txt", "hidden", "job", "tabname.txt" }),
        joined(added(before, listDirectory(store()))));
    // Inside the store, and nowhere else.
    EXPECT_EQ(joined(wwwBefore), joined(listDirectory(path("www"))));
    EXPECT_EQ(joined(dirBefore), joined(listDirectory(path(""))));
    EXPECT_FALSE(exists(path("evil.txt")));
    EXPECT_FALSE(exists(path("www/evil.txt")));
    expectStored("evil.txt", "evil");
    expectStored("win.txt", "windows");
    expectStored("win2.txt", "escaped");
    expectStored("hidden", "hidden");
}

TEST_F(UploadTest, NameWithNothingUsableGetsAGeneratedName)
{
    HttpResponse r = send(postWithLength("/uploads/", multipart({ filePart("f", "..", "dots") }),
        kMultipartType + kJson));
    EXPECT_EQ(201, r.status);
    std::vector<std::string> names = jsonNames(r.body);
    ASSERT_EQ(1u, names.size()) << r.body;
    EXPECT_TRUE(std::regex_match(names[0], std::regex("upload-[0-9]+-[0-9]+-[0-9]+"))) << names[0];
    expectStored(names[0], "dots");
}

TEST_F(UploadTest, NamesAreEscapedInResponses)
{
    HttpResponse r = send(postWithLength("/uploads/", multipart({ filePart("f", "a<b>&c d.txt", "x") }),
        kMultipartType));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/a%3Cb%3E%26c%20d.txt"), r.header("Location"));
    EXPECT_NE(std::string::npos,
        r.body.find("<a href=\"/uploads/a%3Cb%3E%26c%20d.txt\">a&lt;b&gt;&amp;c d.txt</a>")) << r.body;
    EXPECT_EQ("x", readFile(stored("a<b>&c d.txt")));
    expectServed("/uploads/a%3Cb%3E%26c%20d.txt", "x");
}

// ---------------------------------------------------------------- Expect

TEST_F(UploadTest, ExpectContinueAcceptedWithContentLength)
{
    std::string content = "sent after 100 Continue";
    TestClient client(port());
    client.send(requestHead("POST", "/uploads/expected.txt",
        "Expect: 100-continue\r\nContent-Length: " + std::to_string(content.size()) + "\r\n" + kJson));
    HttpResponse interim = client.read();
    EXPECT_EQ(100, interim.status);
    EXPECT_EQ("HTTP/1.1 100 Continue\r\n\r\n", interim.raw);
    client.send(content);
    HttpResponse r = client.read();
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(jsonFiles({ jsonEntry("expected.txt", "expected.txt", content.size(), "/uploads/expected.txt") }),
        r.body);
    expectStored("expected.txt", content);
}

TEST_F(UploadTest, ExpectContinueAcceptedChunkedMultipart)
{
    std::string body = multipart({ filePart("f", "expected-chunked.txt", "multipart after 100") });
    TestClient client(port());
    client.send(requestHead("POST", "/uploads/",
        "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n" + kMultipartType));
    HttpResponse interim = client.read();
    EXPECT_EQ(100, interim.status);
    EXPECT_EQ("HTTP/1.1 100 Continue\r\n\r\n", interim.raw);
    client.send(chunked(body, {}, 10));
    HttpResponse r = client.read();
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(location("/uploads/expected-chunked.txt"), r.header("Location"));
    expectStored("expected-chunked.txt", "multipart after 100");
}

TEST_F(UploadTest, ExpectContinueRefusedWhenTooLarge)
{
    // The final answer comes while the client still waits: no body is sent.
    TestClient client(port());
    client.send(requestHead("POST", "/small/big.txt", "Expect: 100-continue\r\nContent-Length: 5000\r\n"));
    HttpResponse r = client.read();
    EXPECT_EQ(413, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
    expectEmpty(path("www/small"));
}

TEST_F(UploadTest, ExpectContinueRefusedWhenMethodNotAllowed)
{
    TestClient client(port());
    client.send(requestHead("POST", "/readonly/new.txt", "Expect: 100-continue\r\nContent-Length: 10\r\n"));
    HttpResponse r = client.read();
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
    EXPECT_EQ("text/html", r.header("Content-Type"));
    // The body was never sent, so the connection cannot go on.
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
    EXPECT_EQ(joined({ "file.txt" }), joined(listDirectory(path("www/readonly"))));
}

TEST_F(UploadTest, ExpectContinueRefusedForANestedName)
{
    TestClient client(port());
    client.send(requestHead("POST", "/uploads/sub/x.txt", "Expect: 100-continue\r\nContent-Length: 10\r\n"));
    HttpResponse r = client.read();
    EXPECT_EQ(403, r.status);
    EXPECT_FALSE(exists(stored("sub/x.txt")));
}

TEST_F(UploadTest, ExpectContinueRefusedWhenNotFound)
{
    // "/dropzone/..." matches the prefix "/drop" inside a segment: no file
    // of that store can be meant.
    TestClient client(port());
    client.send(requestHead("POST", "/dropzone/x.txt", "Expect: 100-continue\r\nContent-Length: 10\r\n"));
    HttpResponse r = client.read();
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    expectEmpty(path("www/drop"));
}

TEST_F(UploadTest, OtherExpectationIs417)
{
    std::set<std::string> before = listDirectory(store());
    HttpResponse r = send(postWithLength("/uploads/teapot.txt", "tea", "Expect: 200-ok\r\n"));
    EXPECT_EQ(417, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_EQ(joined(before), joined(listDirectory(store())));
}

// ---------------------------------------------------------------- 413

TEST_F(UploadTest, TooLargeContentLengthIs413BeforeTheBody)
{
    TestClient client(port());
    client.send(requestHead("POST", "/small/too-big.txt", "Content-Length: 1025\r\n"));
    HttpResponse r = client.read();
    EXPECT_EQ(413, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
    expectEmpty(path("www/small"));
}

TEST_F(UploadTest, TooLargeContentLengthWithItsBodyIs413)
{
    std::string body = multipart({ filePart("f", "too-big.txt", std::string(2000, 'x')) });
    TestClient client(port());
    client.send(postWithLength("/small/", body, kMultipartType));
    HttpResponse r = client.read();
    EXPECT_EQ(413, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
    expectEmpty(path("www/small"));
}

TEST_F(UploadTest, TooLargeChunkedIs413MidStream)
{
    {
        // Raw: its temporary file exists from the first byte.
        TestClient client(port());
        client.send(requestHead("POST", "/small/raw.txt", "Transfer-Encoding: chunked\r\n"));
        client.send("258\r\n" + std::string(600, 'a') + "\r\n");   // 600 bytes: accepted
        client.send("258\r\n" + std::string(600, 'b') + "\r\n");   // 1200 > 1k
        HttpResponse r = client.read();
        EXPECT_EQ(413, r.status);
        EXPECT_EQ("close", r.header("Connection"));
        EXPECT_TRUE(client.closedByServer());
    }
    {
        std::string body = multipart({ filePart("f", "multi.txt", std::string(3000, 'm')) });
        TestClient client(port());
        client.send(postChunked("/small/", chunked(body, {}, 100), kMultipartType));
        HttpResponse r = client.read();
        EXPECT_EQ(413, r.status);
        EXPECT_EQ("close", r.header("Connection"));
        EXPECT_TRUE(client.closedByServer());
    }
    expectEmpty(path("www/small"));
}

TEST_F(UploadTest, BodyExactlyAtTheLimitIsAccepted)
{
    std::string content(1024, 'L');
    HttpResponse r = send(postWithLength("/small/limit.txt", content));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(content, readFile(path("www/small/limit.txt")));
    r = send(postChunked("/small/limit-chunked.txt", chunked(content, {}, 300)));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(content, readFile(path("www/small/limit-chunked.txt")));
    EXPECT_EQ(204, send(requestHead("DELETE", "/small/limit.txt")).status);
    EXPECT_EQ(204, send(requestHead("DELETE", "/small/limit-chunked.txt")).status);
    expectEmpty(path("www/small"));
}

// ---------------------------------------------------------------- failures

TEST_F(UploadTest, ClientGoneMidRawUploadLeavesNothing)
{
    std::string gone = path("www/gone");
    TestClient client(port());
    client.send(requestHead("POST", "/gone/half.bin", "Content-Length: 32768\r\n") + std::string(16384, 'h'));
    syncWithServer();
    // Mid-upload: only the hidden temporary file, with what arrived so far.
    std::set<std::string> temps = tempFilesIn(gone);
    ASSERT_EQ(1u, temps.size()) << joined(listDirectory(gone));
    EXPECT_EQ(joined(temps), joined(listDirectory(gone)));
    EXPECT_EQ(16384, sizeOf(gone + "/" + *temps.begin()));
    client.close();
    syncWithServer();
    expectEmpty(gone);
}

TEST_F(UploadTest, ClientGoneMidMultipartUploadLeavesNothing)
{
    std::string gone = path("www/gone");
    std::string body = multipart({
        filePart("a", "complete.txt", "this part is complete"),
        filePart("b", "partial.txt", std::string(20000, 'p')),
    });
    TestClient client(port());
    client.send(postWithLength("/gone/", body, kMultipartType).substr(0, body.size() / 2 + 200));
    syncWithServer();
    EXPECT_EQ(2u, tempFilesIn(gone).size()) << joined(listDirectory(gone));
    EXPECT_EQ(joined(tempFilesIn(gone)), joined(listDirectory(gone)));
    client.close();
    syncWithServer();
    expectEmpty(gone);
}

TEST_F(UploadTest, BodyTimeoutIs408AndLeavesNothing)
{
    std::string slow = path("www/slow");
    std::string body = multipart({ filePart("f", "slow.txt", std::string(5000, 's')) });
    TestClient raw(port());
    raw.send(requestHead("POST", "/slow/raw.txt", "Content-Length: 100\r\n") + "only half of it");
    TestClient form(port());
    form.send(postWithLength("/slow/", body, kMultipartType).substr(0, 3000));
    // client_body_timeout 1s: the 408 is the sync point.
    for (TestClient* client : { &raw, &form }) {
        HttpResponse r = client->read();
        EXPECT_EQ(408, r.status);
        EXPECT_EQ("close", r.header("Connection"));
        EXPECT_TRUE(client->closedByServer());
    }
    expectEmpty(slow);
}

TEST_F(UploadTest, MissingFinalBoundaryIs400AndStoresNothing)
{
    std::string broken = path("www/broken");
    std::vector<Part> parts = {
        filePart("a", "first.txt", "complete part"),
        filePart("b", "second.txt", "last part, no close delimiter after it"),
    };
    std::string unclosed = multipart(parts, false);   // ends "...it\r\n"
    std::string cut = unclosed.substr(0, unclosed.size() - 10);   // ends inside the data
    std::string noFinal = unclosed + "--" + kBoundary + "\r\n";   // a delimiter, then nothing
    for (const std::string& body : { unclosed, cut, noFinal }) {
        HttpResponse r = send(postWithLength("/broken/", body, kMultipartType));
        EXPECT_EQ(400, r.status);
        EXPECT_EQ("text/html", r.header("Content-Type"));
        r = send(postChunked("/broken/", chunked(body, {}, 11), kMultipartType));
        EXPECT_EQ(400, r.status);
    }
    // No delimiter at all: all preamble.
    EXPECT_EQ(400, send(postWithLength("/broken/", "no multipart here", kMultipartType)).status);
    // Only fields, or an empty file input: nothing to store.
    EXPECT_EQ(400, send(postWithLength("/broken/", multipart({ fieldPart("x", "y") }), kMultipartType)).status);
    EXPECT_EQ(400, send(postWithLength("/broken/", multipart({ filePart("x", "", "") }), kMultipartType)).status);
    expectEmpty(broken);
}

TEST_F(UploadTest, MalformedPartHeaderIs400MidStreamAndCloses)
{
    std::string body = "--" + kBoundary + "\r\nContent-Disposition: attachment; filename=\"x.txt\"\r\n\r\n"
        "data\r\n--" + kBoundary + "--\r\n";
    TestClient client(port());
    client.send(postWithLength("/broken/", body, kMultipartType));
    HttpResponse r = client.read();
    EXPECT_EQ(400, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
    expectEmpty(path("www/broken"));
}

TEST_F(UploadTest, MultipartTypeWithoutBoundaryIs400)
{
    HttpResponse r = send(postWithLength("/broken/", multipart({ filePart("f", "x.txt", "x") }),
        "Content-Type: multipart/form-data\r\n"));
    EXPECT_EQ(400, r.status);
    expectEmpty(path("www/broken"));
}

TEST_F(UploadTest, Malformed400ClosesTheConnection)
{
    // tests/contract/HTTP.md ("Closing"): every 400 is sent with Connection: close and the
    // connection closes, as nginx does, wherever it was found.
    const std::string bodies[] = {
        multipart({ filePart("a", "x.txt", "x") }, false),
        multipart({ fieldPart("x", "y") }),
    };
    for (const std::string& body : bodies) {
        TestClient client(port());
        client.send(postWithLength("/broken/", body, kMultipartType));
        HttpResponse r = client.read();
        EXPECT_EQ(400, r.status);
        EXPECT_EQ("close", r.header("Connection"));
        EXPECT_TRUE(client.closedByServer());
    }
    TestClient client(port());
    client.send(postWithLength("/broken/", "x", "Content-Type: multipart/form-data\r\n"));
    HttpResponse r = client.read();
    EXPECT_EQ(400, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
}

// ---------------------------------------------------------------- DELETE

TEST_F(UploadTest, DeleteRemovesAFile)
{
    server_->dir().write("www/uploads/delete-me.txt", "bye");
    HttpResponse r = send(requestHead("DELETE", "/uploads/delete-me.txt"));
    EXPECT_EQ(204, r.status);
    EXPECT_EQ("No Content", r.reason);
    EXPECT_EQ(0u, r.count("Content-Length"));
    EXPECT_EQ("", r.body);
    EXPECT_FALSE(exists(stored("delete-me.txt")));
    EXPECT_EQ(404, httpGet(port(), "/uploads/delete-me.txt").status);

    // An uploaded file, by the URL the upload answered.
    HttpResponse created = send(postWithLength("/uploads/", multipart({ filePart("f", "made here.txt", "m") }),
        kMultipartType + kJson));
    ASSERT_EQ(201, created.status);
    EXPECT_EQ(204, send(requestHead("DELETE", "/uploads/made%20here.txt")).status);
    EXPECT_FALSE(exists(stored("made here.txt")));
}

TEST_F(UploadTest, DeleteMissingIs404AndDirectoryIs403)
{
    HttpResponse r = send(requestHead("DELETE", "/uploads/never-there.txt"));
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    for (const char* target : { "/uploads/sub", "/uploads/sub/", "/uploads/", "/uploads/sub/keep.txt",
             "/uploads/sub/missing.txt" }) {
        r = send(requestHead("DELETE", target));
        EXPECT_EQ(403, r.status) << target;
        EXPECT_EQ("text/html", r.header("Content-Type")) << target;
    }
    EXPECT_EQ("in a subdirectory", readFile(stored("sub/keep.txt")));
    EXPECT_TRUE(exists(store()));
}

TEST_F(UploadTest, DeleteNeverLeavesTheStore)
{
    struct Case {
        const char* target;
        int status;
    };
    const Case cases[] = {
        // These normalise to /secret.txt, a static file of the root where
        // DELETE is not allowed: the upload location is never involved.
        { "/uploads/../secret.txt", 405 },
        { "/uploads/%2e%2e/secret.txt", 405 },
        { "/uploads/..%2fsecret.txt", 405 },
        { "/uploads/sub%2f..%2f..%2fsecret.txt", 405 },
        { "/uploads/sub/..%2F..%2Fsecret.txt", 405 },
        { "/uploads/./%2E%2E/secret.txt", 405 },
        // These would leave the root: refused before any file system access.
        { "/uploads/../../secret.txt", 400 },
        { "/uploads/%2e%2e/%2e%2e/secret.txt", 400 },
        { "/uploads/..%2f..%2fsecret.txt", 400 },
        { "/uploads/sub%2f..%2f..%2f..%2fsecret.txt", 400 },
        // A backslash is an ordinary byte of a name: no such file in the store.
        { "/uploads/..%5csecret.txt", 404 },
        { "/uploads/..%5c..%5csecret.txt", 404 },
        // A NUL cannot cut a name short.
        { "/uploads/secret.txt%00.png", 400 },
    };
    for (const Case& c : cases) {
        HttpResponse r = send(requestHead("DELETE", c.target));
        EXPECT_EQ(c.status, r.status) << c.target;
        if (c.status == 405) {
            EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow")) << c.target;
        }
    }
    EXPECT_EQ("next to the store", readFile(path("www/secret.txt")));
    EXPECT_EQ("outside the root", readFile(path("secret.txt")));
    expectServed("/secret.txt", "next to the store");
}

TEST_F(UploadTest, DeleteOfASymlinkRemovesTheLinkOnly)
{
    ASSERT_EQ(0, symlink("../secret.txt", stored("link-to-secret").c_str()));
    ASSERT_EQ(0, symlink("sub", stored("link-to-sub").c_str()));
    EXPECT_EQ(204, send(requestHead("DELETE", "/uploads/link-to-secret")).status);
    EXPECT_EQ(204, send(requestHead("DELETE", "/uploads/link-to-sub")).status);
    EXPECT_FALSE(exists(stored("link-to-secret")));
    EXPECT_FALSE(exists(stored("link-to-sub")));
    EXPECT_EQ("next to the store", readFile(path("www/secret.txt")));
    EXPECT_EQ("in a subdirectory", readFile(stored("sub/keep.txt")));
}

TEST_F(UploadTest, StoreStaysConfinedWhileLinksAreFollowed)
{
    // disable_symlinks is off here (the default): GET follows a link in the
    // store wherever it leads, but DELETE and uploads never go through one.
    ASSERT_EQ(0, symlink("..", stored("up").c_str()));
    ASSERT_EQ(0, symlink("../secret.txt", stored("to-secret").c_str()));
    HttpResponse read = send(requestHead("GET", "/uploads/up/secret.txt"));
    EXPECT_EQ(200, read.status);
    EXPECT_EQ("next to the store", read.body);
    EXPECT_EQ(403, send(requestHead("DELETE", "/uploads/up/secret.txt")).status);
    EXPECT_EQ(403, send(postWithLength("/uploads/up/secret.txt", "overwritten?")).status);
    HttpResponse onto = send(postWithLength("/uploads/to-secret", "overwritten?", kJson));
    EXPECT_EQ(201, onto.status);
    EXPECT_EQ(location("/uploads/to-secret-1"), onto.header("Location"));
    expectStored("to-secret-1", "overwritten?");
    EXPECT_EQ("next to the store", readFile(path("www/secret.txt")));
    EXPECT_EQ(204, send(requestHead("DELETE", "/uploads/to-secret")).status);
    EXPECT_EQ(204, send(requestHead("DELETE", "/uploads/up")).status);
    EXPECT_EQ("next to the store", readFile(path("www/secret.txt")));
    EXPECT_FALSE(exists(stored("up")));
    EXPECT_FALSE(exists(stored("to-secret")));
    ASSERT_EQ(0, unlink(stored("to-secret-1").c_str()));
}

TEST_F(UploadTest, DeleteWhereNotAllowedIs405WithAllow)
{
    HttpResponse r = send(requestHead("DELETE", "/readonly/file.txt"));
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
    r = send(requestHead("DELETE", "/index.html"));
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
    r = send(requestHead("DELETE", "/gone/x.txt"));
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("POST, OPTIONS", r.header("Allow"));
    EXPECT_EQ("read only", readFile(path("www/readonly/file.txt")));
    EXPECT_EQ("home", readFile(path("www/index.html")));
}

TEST_F(UploadTest, PostWhereNotAllowedIs405WithAllow)
{
    TestClient client(port());
    client.send(postWithLength("/readonly/new.txt", "data") + requestHead("GET", "/readonly/file.txt"));
    HttpResponse r = client.read();
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
    EXPECT_EQ("keep-alive", r.header("Connection"));
    EXPECT_EQ("read only", client.read().body);
    EXPECT_EQ(joined({ "file.txt" }), joined(listDirectory(path("www/readonly"))));
}

// GET, DELETE, GET, PUT-like POST, GET pipelined in one write: each answer
// reflects the requests before it, though all are answered in one turn of
// the loop (where stat() results are otherwise shared).
TEST_F(UploadTest, PipelinedChangesAreSeenByTheRequestsAfterThem)
{
    server_->dir().write("www/uploads/pipelined.txt", "old");
    TestClient client(port());
    client.send(requestHead("GET", "/uploads/pipelined.txt")
        + requestHead("DELETE", "/uploads/pipelined.txt")
        + requestHead("GET", "/uploads/pipelined.txt")
        + postWithLength("/uploads/pipelined.txt", "new!")
        + requestHead("GET", "/uploads/pipelined.txt"));
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("old", r.body);
    EXPECT_EQ(204, client.read().status);
    EXPECT_EQ(404, client.read().status);
    EXPECT_EQ(201, client.read().status);
    r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("new!", r.body);
    EXPECT_EQ(204, send(requestHead("DELETE", "/uploads/pipelined.txt")).status);
}

TEST_F(UploadTest, DeleteAnswersKeepTheConnectionOpen)
{
    server_->dir().write("www/uploads/keepalive.txt", "k");
    TestClient client(port());
    client.send(requestHead("DELETE", "/uploads/keepalive-missing.txt"));
    HttpResponse r = client.read();
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("keep-alive", r.header("Connection"));
    client.send(requestHead("DELETE", "/uploads/sub"));
    r = client.read();
    EXPECT_EQ(403, r.status);
    EXPECT_EQ("keep-alive", r.header("Connection"));
    client.send(requestHead("DELETE", "/uploads/keepalive.txt"));
    r = client.read();
    EXPECT_EQ(204, r.status);
    EXPECT_EQ("keep-alive", r.header("Connection"));
    client.send(requestHead("GET", "/index.html"));
    EXPECT_EQ("home", client.read().body);
    EXPECT_FALSE(exists(stored("keepalive.txt")));
}

// ---------------------------------------------------------------- concurrency

TEST_F(UploadTest, OtherClientsAreServedDuringALargeUpload)
{
    std::string content = randomBytes(32 * 1024 * 1024, 99);
    size_t half = content.size() / 2;
    server_->dir().write("www/uploads/static-during.txt", "static");
    TestClient uploader(port());
    uploader.send(requestHead("POST", "/uploads/during.bin",
        "Content-Length: " + std::to_string(content.size()) + "\r\n" + kJson));
    sendInPieces(uploader, content.substr(0, half));

    // Half-way: complete requests on other connections are answered.
    expectServed("/index.html", "home");
    expectServed("/uploads/static-during.txt", "static");
    HttpResponse other = send(postWithLength("/uploads/during-small.txt", "small", kJson));
    EXPECT_EQ(201, other.status);
    EXPECT_EQ(204, send(requestHead("DELETE", "/uploads/static-during.txt")).status);
    // The large file is not in place yet: only its temporary file is.
    EXPECT_FALSE(exists(stored("during.bin")));
    EXPECT_EQ(1u, tempFilesIn(store()).size());

    sendInPieces(uploader, content.substr(half));
    HttpResponse r = uploader.read();
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(jsonFiles({ jsonEntry("during.bin", "during.bin", content.size(), "/uploads/during.bin") }),
        r.body);
    expectStored("during.bin", content);
    expectStored("during-small.txt", "small");
    expectNoTempFiles(store());
}

// Runs last: every connection and temporary file of the tests above is gone.
TEST_F(UploadTest, NoFdLeakAfterEverything)
{
    syncWithServer();
    syncWithServer();
    EXPECT_EQ(baselineFds_, server_->openFdsSettlingAt(baselineFds_));
    expectNoTempFiles(store());
    EXPECT_TRUE(server_->alive());
}

// ---------------------------------------------------------------- memory

// Deterministic bytes produced in pieces (xorshift64), so a huge body is
// never held in memory: the same seed regenerates it for the comparison.
class ByteStream {
public:
    explicit ByteStream(uint64_t seed) : state_(seed) {}
    void fill(std::string& chunk)
    {
        for (size_t i = 0; i < chunk.size(); i += 8) {
            state_ ^= state_ << 13;
            state_ ^= state_ >> 7;
            state_ ^= state_ << 17;
            uint64_t value = state_;
            std::memcpy(&chunk[i], &value, std::min<size_t>(8, chunk.size() - i));
        }
    }

private:
    uint64_t state_;
};

TEST(UploadTestMemory, RawUploadOf256MiBKeepsRssSmall)
{
    const size_t kChunk = 1024 * 1024;
    const size_t kChunks = 256;
    const long long kTotal = static_cast<long long>(kChunk) * kChunks;
    ServerProcess server(R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location /uploads/ {
        allow_methods GET POST DELETE;
        upload_store {DIR}/www/uploads;
        client_max_body_size 0;
    }
}
)", [](const TempDir& dir) { dir.mkdir("www/uploads"); });
    std::string file = server.dir().file("www/uploads/huge.bin");

    // Warm up: one upload of a few MiB, so the steady state is measured.
    std::string warm(8 * kChunk, 'w');
    HttpResponse r = httpRaw(server.port(), postWithLength("/uploads/warm.bin", warm));
    ASSERT_EQ(201, r.status);
    long before = server.rssKiB();
    long peak = before;

    TestClient client(server.port(), "127.0.0.1", 30000);
    client.send(requestHead("POST", "/uploads/huge.bin", "Content-Length: " + std::to_string(kTotal) + "\r\n"
        + kJson));
    ByteStream stream(0x9E3779B97F4A7C15ull);
    std::string chunk(kChunk, '\0');
    for (size_t i = 0; i < kChunks; ++i) {
        stream.fill(chunk);
        client.send(chunk);
        if (i % 8 == 7)
            peak = std::max(peak, server.rssKiB());
    }
    r = client.read();
    long after = server.rssKiB();
    peak = std::max(peak, after);
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(jsonFiles({ jsonEntry("huge.bin", "huge.bin", static_cast<size_t>(kTotal), "/uploads/huge.bin") }),
        r.body);

    long growth = peak - before;
    RecordProperty("upload_bytes", std::to_string(kTotal));
    RecordProperty("rss_kib_before", static_cast<int>(before));
    RecordProperty("rss_kib_peak", static_cast<int>(peak));
    RecordProperty("rss_kib_after", static_cast<int>(after));
    RecordProperty("rss_kib_growth", static_cast<int>(growth));
    std::printf("RSS during a 256 MiB raw upload: %ld KiB before, %ld KiB peak, %ld KiB after "
                "(growth %ld KiB)\n", before, peak, after, growth);
    std::fflush(stdout);
    EXPECT_LT(growth, 16 * 1024);

    // The stored file, compared piece by piece with the regenerated bytes.
    ASSERT_EQ(kTotal, sizeOf(file));
    std::ifstream in(file, std::ios::binary);
    ByteStream again(0x9E3779B97F4A7C15ull);
    std::string got(kChunk, '\0');
    for (size_t i = 0; i < kChunks; ++i) {
        again.fill(chunk);
        in.read(&got[0], static_cast<std::streamsize>(kChunk));
        ASSERT_TRUE(sameBytes(chunk, got)) << "in MiB " << i;
    }
    in.close();

    // Removed through the server (and the TempDir goes with the test anyway).
    EXPECT_EQ(204, httpRaw(server.port(), requestHead("DELETE", "/uploads/huge.bin")).status);
    EXPECT_FALSE(exists(file));
    EXPECT_EQ("{}", joined(tempFilesIn(server.dir().file("www/uploads"))));
}

}
