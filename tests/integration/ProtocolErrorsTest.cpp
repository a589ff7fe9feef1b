// Every malformed or refused request of the table in tests/contract/HTTP.md
// ("Parsing"), against the real
// server: the status, Connection: close where the contract closes, and a
// server that still answers a normal request afterwards. Each row is
// followed in the same write by a pipelined request, which is answered
// when the connection stays open and never when it closes.

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    client_max_body_size 100;
    client_header_timeout 1s;
    client_body_timeout 1s;
    location / { allow_methods GET POST; }
    location /ro/ { allow_methods GET; }
    location = /moved { allow_methods GET; return 301 /x; }
}
)";

struct BadRequest {
    const char* name;
    std::string bytes;
    int status;
    bool closes;
};

class ProtocolErrorsTest : public ::testing::TestWithParam<BadRequest> {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/index.html", "home");
            dir.write("www/pipelined.txt", "pipelined");
            dir.write("www/ro/file.txt", "ro");
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    static void expectServerStillAnswers()
    {
        HttpResponse r = httpGet(server_->port(), "/");
        EXPECT_EQ(200, r.status);
        EXPECT_EQ("home", r.body);
    }

    static ServerProcess* server_;
};

ServerProcess* ProtocolErrorsTest::server_ = nullptr;

// gtest prints a parameter with this (instead of its bytes).
void PrintTo(const BadRequest& request, std::ostream* out)
{
    *out << request.name;
}

const std::string kPipelined = "GET /pipelined.txt HTTP/1.1\r\nHost: a\r\n\r\n";

TEST_P(ProtocolErrorsTest, AnswersAndSurvives)
{
    const BadRequest& c = GetParam();
    TestClient client(server_->port());
    client.send(c.bytes + kPipelined);
    HttpResponse r = client.read();
    EXPECT_EQ(c.status, r.status) << c.name;
    EXPECT_EQ("text/html", r.header("Content-Type")) << c.name;
    if (c.closes) {
        EXPECT_EQ("close", r.header("Connection")) << c.name;
        EXPECT_EQ("", client.readUntilClose()) << c.name << ": answered after a closing error";
        EXPECT_TRUE(client.closedByServer()) << c.name;
    } else {
        EXPECT_EQ("keep-alive", r.header("Connection")) << c.name;
        HttpResponse next = client.read();
        EXPECT_EQ(200, next.status) << c.name;
        EXPECT_EQ("pipelined", next.body) << c.name;
    }
    expectServerStillAnswers();
}

const std::string kLongTarget = "/" + std::string(8200, 'a');

std::string manyHeaders(int count)
{
    std::string fields;
    for (int i = 0; i < count; ++i)
        fields += "X-Field-" + std::to_string(i) + ": v\r\n";
    return fields;
}

INSTANTIATE_TEST_SUITE_P(ProtocolErrorsTestHttpMd, ProtocolErrorsTest, ::testing::Values(
    BadRequest { "uri_too_long", "GET " + kLongTarget + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, true },
    BadRequest { "header_too_large", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(33 * 1024, 'b')
        + "\r\n\r\n", 431, true },
    BadRequest { "too_many_fields", "GET / HTTP/1.1\r\nHost: x\r\n" + manyHeaders(101) + "\r\n", 431, true },
    BadRequest { "garbage_line", "HELLO\r\n\r\n", 400, true },
    BadRequest { "no_version", "GET /\r\n\r\n", 400, true },
    BadRequest { "bad_version_form", "GET / HTTP/1\r\nHost: x\r\n\r\n", 400, true },
    BadRequest { "lowercase_version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400, true },
    BadRequest { "http2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, true },
    BadRequest { "http09", "GET / HTTP/0.9\r\n\r\n", 505, true },
    BadRequest { "missing_host", "GET / HTTP/1.1\r\n\r\n", 400, true },
    BadRequest { "two_hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, true },
    BadRequest { "empty_host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400, true },
    BadRequest { "tab_in_target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "raw_utf8_in_target", "GET /caf\xC3\xA9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "overlong_utf8_in_target", "GET /\xC0\xAF HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "ctl_in_target", "GET /a\x01" "b HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "del_in_target", "GET /a\x7F" "b HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "fragment_in_target", "GET /index.html#top HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "empty_fragment_in_target", "GET /# HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "method_of_100_kib", std::string(100 * 1024, 'M') + " / HTTP/1.1\r\nHost: a\r\n\r\n",
        400, true },
    BadRequest { "long_line_without_space", std::string(9000, 'G') + "\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "space_before_colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, true },
    BadRequest { "obs_fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400, true },
    BadRequest { "nul_in_header", std::string("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 36), 400, true },
    BadRequest { "bare_cr", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400, true },
    BadRequest { "bad_percent", "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400, true },
    BadRequest { "te_gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, true },
    BadRequest { "te_gzip_chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
        "0\r\n\r\n", 501, true },
    BadRequest { "te_chunked_gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
        "0\r\n\r\n", 400, true },
    BadRequest { "te_empty_with_cl", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n"
        "Content-Length: 5\r\n\r\nhello", 400, true },
    BadRequest { "te_and_cl", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        "Content-Length: 3\r\n\r\n0\r\n\r\n", 400, true },
    BadRequest { "te_in_http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, true },
    BadRequest { "cl_list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", 400, true },
    BadRequest { "cl_plus", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400, true },
    BadRequest { "two_cl", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        400, true },
    BadRequest { "method_not_allowed", "DELETE /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n", 405, false },
    BadRequest { "unknown_method", "BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 405, false },
    BadRequest { "lowercase_method", "get / HTTP/1.1\r\nHost: a\r\n\r\n", 405, false },
    BadRequest { "expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", 417, false },
    BadRequest { "missing", "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n", 404, false },
    BadRequest { "traversal", "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n", 400, true }),
    [](const ::testing::TestParamInfo<BadRequest>& info) { return std::string(info.param.name); });

TEST_F(ProtocolErrorsTest, NotAllowedListsAllowedMethods)
{
    HttpResponse r = httpRaw(server_->port(), "PUT /ro/file.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
}

TEST_F(ProtocolErrorsTest, ReturnWinsOverMethodCheck)
{
    HttpResponse r = httpRaw(server_->port(), "DELETE /moved HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(301, r.status);
}

TEST_F(ProtocolErrorsTest, PostToStaticFileIsNotAllowed)
{
    TestClient client(server_->port());
    client.send("POST /index.html HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD, OPTIONS", r.header("Allow"));
    // The body was read and dropped: the next request on the connection is
    // answered normally.
    HttpResponse next = client.read();
    EXPECT_EQ(200, next.status);
    EXPECT_EQ("home", next.body);
}

TEST_F(ProtocolErrorsTest, BodyOverLimitIs413AndCloses)
{
    TestClient client(server_->port());
    client.send("POST /ro/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    // 405 is checked before the body limit...
    EXPECT_EQ(405, client.read().status);
    // ...the body limit applies where allow_methods lets the request in,
    // before its body is read.
    TestClient big(server_->port());
    big.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n");
    HttpResponse r = big.read();
    EXPECT_EQ(413, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(big.closedByServer());
    expectServerStillAnswers();
}

// Refused as soon as the line cannot fit, before any line end: 400 when no
// space has come (no method, so no long URI either), 414 when one has.
TEST_F(ProtocolErrorsTest, OverlongRequestLineWithoutItsEnd)
{
    struct Case {
        std::string bytes;
        int status;
    } cases[] = {
        { std::string(9000, 'G'), 400 },
        { "GET /" + std::string(9000, 'a'), 414 },
    };
    for (const Case& c : cases) {
        TestClient client(server_->port());
        client.send(c.bytes);
        HttpResponse r = client.read();
        EXPECT_EQ(c.status, r.status) << c.bytes.substr(0, 8);
        EXPECT_EQ("close", r.header("Connection"));
        client.send(kPipelined);
        EXPECT_EQ("", client.readUntilClose());
        EXPECT_TRUE(client.closedByServer());
    }
    expectServerStillAnswers();
}

// An answer given before the body is read (405 from allow_methods, 417)
// leaves the body to be read and dropped. When that body cannot be framed,
// nothing after it can be either: the connection ends, and the request
// behind it is never answered -- whether it came in the same write or
// after the answer.
TEST_F(ProtocolErrorsTest, MalformedBodyAfterAnEarlyAnswerEndsTheConnection)
{
    const std::string chunkedHead = "Host: a\r\nTransfer-Encoding: chunked\r\n";
    struct Case {
        const char* name;
        std::string head;
        int status;
    } cases[] = {
        { "405", "POST /ro/file.txt HTTP/1.1\r\n" + chunkedHead + "\r\n", 405 },
        { "405, lower-case method", "post /ro/file.txt HTTP/1.1\r\n" + chunkedHead + "\r\n", 405 },
        { "417", "POST / HTTP/1.1\r\n" + chunkedHead + "Expect: teapot\r\n\r\n", 417 },
    };
    const std::string badBodies[] = { "zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n",
        "-1\r\n\r\n" };
    for (const Case& c : cases) {
        for (const std::string& body : badBodies) {
            for (int split = 0; split < 2; ++split) {
                std::string what = std::string(c.name) + (split ? ", body sent after the answer" : "");
                TestClient client(server_->port());
                client.send(split ? c.head : c.head + body + kPipelined);
                HttpResponse r = client.read();
                EXPECT_EQ(c.status, r.status) << what;
                if (split)
                    client.send(body + kPipelined);
                EXPECT_EQ("", client.readUntilClose()) << what << ": the next request was answered";
                EXPECT_TRUE(client.closedByServer()) << what;
            }
        }
    }
    expectServerStillAnswers();
}

TEST_F(ProtocolErrorsTest, IncompleteHeadTimesOutWith408)
{
    TestClient client(server_->port());
    client.send("GET / HTTP/1.1\r\nHost: a\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(408, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
    expectServerStillAnswers();
}

TEST_F(ProtocolErrorsTest, SilentConnectionIsClosedWithoutResponse)
{
    TestClient client(server_->port());
    EXPECT_EQ("", client.readUntilClose());
    expectServerStillAnswers();
}

}
