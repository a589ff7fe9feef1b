// Request smuggling (issue 7 item 4): framing conflicts and malformed
// framing, each sent as ONE write holding the malicious request followed by
// a second, smuggled request. Contract: tests/contract/HTTP.md "Parsing"
// (the table), "Closing", "Chunked bodies" and "Connections" (pipelining,
// leftover bytes are the next request).
//
// For every case the first answer is exact. When the contract closes the
// connection (400, 413, 501...), the test reads until the server closes and
// requires that nothing at all follows the first response: the smuggled
// request is never read as a request, never answered, never logged. When
// the first request is valid, the smuggled one must be answered second,
// exactly, as an ordinary pipelined request.
//
// The first request goes to a CGI script that echoes the body it got (what
// the server decided the body was), because a script's body is read before
// any answer: a static file answers at once and drops the body afterwards
// (see the Discarded* tests for that path).
//
// Sync points: a request read until the server closes the connection, and
// a marker request whose access log line is waited for as an event (every
// request of an earlier connection was logged before it).

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    client_header_timeout 5s;
    client_body_timeout 5s;
    location / { }
    location /echo/ {
        root {DIR};
        allow_methods GET POST;
        client_max_body_size 1m;
        cgi .sh;
    }
}
)";

// What the server decided the body was: its length and its bytes.
const char* kEchoSh = "#!/bin/sh\n"
                      "printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                      "printf 'length=%s body=' \"$CONTENT_LENGTH\"\n"
                      "cat\n";

const std::string kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
const std::string kSmuggledBody = "smuggled request answered\n";
const std::string kSmuggledLogLine = "\"GET /smuggled HTTP/1.1\"";

const std::string kPost = "POST /echo/echo.sh HTTP/1.1\r\nHost: x\r\n";
const std::string kChunkedHello = "5\r\nhello\r\n0\r\n\r\n";
const std::string kEchoHello = "length=5 body=hello";

enum Then {
    CLOSES,          // the first response closes the connection; nothing follows
    PIPELINED,       // the smuggled request is answered second, normally
    SECOND_IS_400,   // the leftover bytes are a bad request: 400, then close
};

struct Framing {
    const char* name;
    std::string request;   // the first request; kSmuggled is appended
    int status;            // of the first response
    std::string body;      // of the first response when it is a 2xx
    Then then;
};

// gtest prints a parameter with this (instead of its bytes).
void PrintTo(const Framing& framing, std::ostream* out)
{
    *out << framing.name;
}

size_t countOf(const std::string& text, const std::string& needle)
{
    size_t count = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

class SmugglingTest : public ::testing::TestWithParam<Framing> {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/index.html", "home");
            dir.write("www/smuggled", kSmuggledBody);
            dir.write("www/next.txt", "next");
            dir.write("www/last.txt", "last");
            dir.write("echo/echo.sh", kEchoSh, 0755);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    static int port() { return server_->port(); }

    // Every request sent before has been handled and logged once this
    // returns: a fresh request's log line is waited for.
    static std::string accessLogAfterSync()
    {
        static int sequence = 0;
        std::string marker = "/sync-" + std::to_string(++sequence);
        HttpResponse r = httpGet(port(), marker);
        EXPECT_EQ(404, r.status);
        EXPECT_TRUE(server_->waitForOut("\"GET " + marker + " HTTP/1.1\"")) << server_->out();
        return server_->out();
    }

    // The first response closed the connection: nothing may follow it.
    static void expectClosedWithNothingAfter(TestClient& client, const std::string& name)
    {
        std::string rest = client.readUntilClose();
        EXPECT_EQ("", rest) << name << ": bytes after the closing response";
        EXPECT_EQ(std::string::npos, rest.find(kSmuggledBody)) << name;
        EXPECT_TRUE(client.closedByServer()) << name << ": the server kept the connection open";
    }

    // The connection is open and idle: one more request, closing, gets one
    // answer and then the end of the connection.
    static void expectOpenAndIdle(TestClient& client, const std::string& name)
    {
        client.send("GET /last.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        HttpResponse last = client.read();
        EXPECT_EQ(200, last.status) << name;
        EXPECT_EQ("last", last.body) << name;
        EXPECT_EQ("", client.readUntilClose()) << name;
    }

    static void expectSmuggledAnswer(const HttpResponse& r, const std::string& name)
    {
        EXPECT_EQ(200, r.status) << name << "\n" << r.raw;
        EXPECT_EQ(kSmuggledBody, r.body) << name;
        EXPECT_EQ("keep-alive", r.header("Connection")) << name;
    }

    static ServerProcess* server_;
};

ServerProcess* SmugglingTest::server_ = nullptr;

TEST_P(SmugglingTest, FirstAnswerIsExactAndTheSmuggledRequestOnlyWhenLegitimate)
{
    const Framing& c = GetParam();
    size_t smuggledBefore = countOf(accessLogAfterSync(), kSmuggledLogLine);

    TestClient client(port());
    ASSERT_TRUE(client.connected());
    client.send(c.request + kSmuggled);
    HttpResponse first = client.read();
    EXPECT_EQ(c.status, first.status) << c.name << "\n" << first.raw;
    if (!c.body.empty()) {
        EXPECT_EQ(c.body, first.body) << c.name;
    }

    size_t smuggledAnswers = 0;
    switch (c.then) {
    case CLOSES:
        EXPECT_EQ("close", first.header("Connection")) << c.name;
        EXPECT_EQ("text/html", first.header("Content-Type")) << c.name;
        expectClosedWithNothingAfter(client, c.name);
        break;
    case PIPELINED: {
        EXPECT_EQ("keep-alive", first.header("Connection")) << c.name;
        HttpResponse second = client.read();
        expectSmuggledAnswer(second, c.name);
        smuggledAnswers = 1;
        expectOpenAndIdle(client, c.name);
        break;
    }
    case SECOND_IS_400: {
        EXPECT_EQ("keep-alive", first.header("Connection")) << c.name;
        HttpResponse second = client.read();
        EXPECT_EQ(400, second.status) << c.name << "\n" << second.raw;
        EXPECT_EQ("close", second.header("Connection")) << c.name;
        expectClosedWithNothingAfter(client, c.name);
        break;
    }
    }

    // The access log agrees: the smuggled request was read as a request
    // only when it legitimately was one.
    EXPECT_EQ(smuggledBefore + smuggledAnswers, countOf(accessLogAfterSync(), kSmuggledLogLine))
        << c.name;
    // And the server is fine.
    HttpResponse after = httpGet(port(), "/index.html");
    EXPECT_EQ(200, after.status) << c.name;
    EXPECT_EQ("home", after.body) << c.name;
}

const std::string kHuge = "99999999999999999999999";          // over 2^63
const std::string kLargestOffT = "9223372036854775807";       // 2^63 - 1

INSTANTIATE_TEST_SUITE_P(SmugglingTest, SmugglingTest, ::testing::Values(
    // ---- Content-Length and Transfer-Encoding together (tests/contract/HTTP.md: 400)
    Framing { "cl_then_te", kPost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_then_cl", kPost + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    // The classic CL.TE probe: CL covers "0\r\n\r\nG", TE ends at "0\r\n\r\n".
    Framing { "cl_te_classic", kPost + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0\r\n\r\nG", 400, "", CLOSES },
    Framing { "te_chunked_cl_zero", kPost + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    // ---- Transfer-Encoding, every field as one list (RFC 9112 §6.3: 400
    // when the length cannot be determined -- the last coding is not chunked,
    // chunked twice, an empty value or element; 501 for chunked after
    // another coding; with a Content-Length always 400)
    Framing { "te_chunked_identity", kPost + "Transfer-Encoding: chunked, identity\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_chunked_gzip", kPost + "Transfer-Encoding: chunked, gzip\r\n\r\n" + kChunkedHello,
        400, "", CLOSES },
    Framing { "te_identity", kPost + "Transfer-Encoding: identity\r\n\r\n" + kChunkedHello, 400, "",
        CLOSES },
    Framing { "te_identity_chunked", kPost + "Transfer-Encoding: identity, chunked\r\n\r\n"
        + kChunkedHello, 501, "", CLOSES },
    Framing { "te_gzip_chunked", kPost + "Transfer-Encoding: gzip, chunked\r\n\r\n" + kChunkedHello,
        501, "", CLOSES },
    Framing { "te_gzip_chunked_with_cl", kPost + "Transfer-Encoding: gzip, chunked\r\n"
        "Content-Length: 15\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    Framing { "te_chunked_chunked_list", kPost + "Transfer-Encoding: chunked, chunked\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_identity_with_cl", kPost + "Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\n"
        "hello", 400, "", CLOSES },
    Framing { "te_quoted", kPost + "Transfer-Encoding: \"chunked\"\r\n\r\n" + kChunkedHello, 400, "",
        CLOSES },
    Framing { "te_xchunked", kPost + "Transfer-Encoding: xchunked\r\n\r\n" + kChunkedHello, 400, "",
        CLOSES },
    Framing { "te_chunked_with_parameter", kPost + "Transfer-Encoding: chunked;q=1\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_leading_comma", kPost + "Transfer-Encoding: , chunked\r\n\r\n" + kChunkedHello, 400,
        "", CLOSES },
    Framing { "te_trailing_comma", kPost + "Transfer-Encoding: chunked,\r\n\r\n" + kChunkedHello, 400,
        "", CLOSES },
    Framing { "te_empty", kPost + "Transfer-Encoding:\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    Framing { "te_empty_with_cl", kPost + "Transfer-Encoding:\r\nContent-Length: 5\r\n\r\nhello", 400,
        "", CLOSES },
    Framing { "cl_with_te_empty", kPost + "Content-Length: 5\r\nTransfer-Encoding: \r\n\r\nhello", 400,
        "", CLOSES },
    // Duplicated fields are one list: "chunked, chunked" names it twice.
    Framing { "te_twice_chunked_with_body", kPost + "Transfer-Encoding: chunked\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    Framing { "te_fields_chunked_then_identity", kPost + "Transfer-Encoding: chunked\r\n"
        "Transfer-Encoding: identity\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    Framing { "te_fields_identity_then_chunked", kPost + "Transfer-Encoding: identity\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" + kChunkedHello, 501, "", CLOSES },
    Framing { "te_fields_chunked_then_empty", kPost + "Transfer-Encoding: chunked\r\n"
        "Transfer-Encoding:\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    Framing { "te_fields_empty_then_chunked", kPost + "Transfer-Encoding:\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    // Tab, chunked inside a value: not a coding name at all.
    Framing { "te_tab_inside_value", kPost + "Transfer-Encoding: chun\tked\r\n\r\n" + kChunkedHello,
        400, "", CLOSES },
    // ---- Whitespace before the colon (tests/contract/HTTP.md: 400), also with a CL that a
    // lenient peer would use instead
    Framing { "te_space_before_colon", kPost + "Transfer-Encoding : chunked\r\n\r\n" + kChunkedHello,
        400, "", CLOSES },
    Framing { "te_space_before_colon_with_cl", kPost + "Content-Length: 15\r\n"
        "Transfer-Encoding : chunked\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    Framing { "te_tab_before_colon", kPost + "Transfer-Encoding\t: chunked\r\n\r\n" + kChunkedHello,
        400, "", CLOSES },
    Framing { "te_vertical_tab_in_name", kPost + "Transfer-Encoding\x0b: chunked\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    // ---- CTLs in the value (tests/contract/HTTP.md: CTL bytes are 400; HTAB is not a CTL)
    Framing { "te_vertical_tab_before_value", kPost + "Transfer-Encoding:\x0b" "chunked\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_vertical_tab_after_value", kPost + "Transfer-Encoding: chunked\x0b\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_form_feed_before_value", kPost + "Transfer-Encoding: \x0c" "chunked\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    // A tab around the value is OWS (RFC 9110 §5.5, which
    // tests/contract/HTTP.md builds on: not part of the value), so this is
    // one "chunked" and the body is chunked. nginx 1.22 only skips spaces
    // and answers 501 to a leading or trailing tab; both are safe (either
    // the framing is agreed or the connection closes), and the contract's
    // RFC reading is asserted here.
    Framing { "te_leading_tab", kPost + "Transfer-Encoding:\tchunked\r\n\r\n" + kChunkedHello, 200,
        kEchoHello, PIPELINED },
    Framing { "te_trailing_tab", kPost + "Transfer-Encoding: chunked\t\r\n\r\n" + kChunkedHello, 200,
        kEchoHello, PIPELINED },
    // ---- obs-fold (tests/contract/HTTP.md: 400)
    Framing { "te_obs_fold", kPost + "Transfer-Encoding: identity\r\n chunked\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_obs_fold_empty_first_line", kPost + "Transfer-Encoding:\r\n chunked\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    Framing { "te_obs_fold_tab", kPost + "Transfer-Encoding: chunked\r\n\tidentity\r\n\r\n"
        + kChunkedHello, 400, "", CLOSES },
    // ---- TE in HTTP/1.0 (tests/contract/HTTP.md: 400), even asking for keep-alive
    Framing { "te_in_http10", "POST /echo/echo.sh HTTP/1.0\r\nConnection: keep-alive\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    Framing { "te_in_http10_with_cl", "POST /echo/echo.sh HTTP/1.0\r\nConnection: keep-alive\r\n"
        "Content-Length: 15\r\nTransfer-Encoding: chunked\r\n\r\n" + kChunkedHello, 400, "", CLOSES },
    // ---- "chunked" in any case is chunked (tests/contract/HTTP.md: case-insensitive)
    Framing { "te_capitalised", kPost + "Transfer-Encoding: Chunked\r\n\r\n" + kChunkedHello, 200,
        kEchoHello, PIPELINED },
    Framing { "te_upper_case", kPost + "Transfer-Encoding: CHUNKED\r\n\r\n" + kChunkedHello, 200,
        kEchoHello, PIPELINED },
    Framing { "te_name_lower_case", kPost + "transfer-encoding: chunked\r\n\r\n" + kChunkedHello, 200,
        kEchoHello, PIPELINED },
    // ---- Content-Length not a single run of digits (tests/contract/HTTP.md: 400)
    Framing { "cl_plus", kPost + "Content-Length: +5\r\n\r\nhello", 400, "", CLOSES },
    Framing { "cl_list_equal", kPost + "Content-Length: 5, 5\r\n\r\nhello", 400, "", CLOSES },
    Framing { "cl_list_different", kPost + "Content-Length: 5, 41\r\n\r\nhello", 400, "", CLOSES },
    Framing { "cl_two_equal_fields", kPost + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        400, "", CLOSES },
    Framing { "cl_two_different_fields", kPost + "Content-Length: 5\r\nContent-Length: 41\r\n\r\n"
        "hello", 400, "", CLOSES },
    Framing { "cl_negative", kPost + "Content-Length: -5\r\n\r\nhello", 400, "", CLOSES },
    Framing { "cl_hex", kPost + "Content-Length: 0x5\r\n\r\nhello", 400, "", CLOSES },
    Framing { "cl_empty", kPost + "Content-Length:\r\n\r\nhello", 400, "", CLOSES },
    Framing { "cl_inner_space", kPost + "Content-Length: 5 5\r\n\r\nhello", 400, "", CLOSES },
    Framing { "cl_vertical_tab", kPost + "Content-Length: 5\x0b\r\n\r\nhello", 400, "", CLOSES },
    // Over 2^63-1: not a valid number (nginx 1.22: 400 too).
    Framing { "cl_huge", kPost + "Content-Length: " + kHuge + "\r\n\r\nhello", 400, "", CLOSES },
    // A valid number over client_max_body_size: 413 before the body.
    Framing { "cl_largest_off_t", kPost + "Content-Length: " + kLargestOffT + "\r\n\r\nhello", 413,
        "", CLOSES },
    // Trailing (and leading) OWS is not part of the value: a valid length.
    // (nginx 1.22 answers 400 to the tabs: it skips spaces only; see
    // te_leading_tab.)
    Framing { "cl_trailing_space", kPost + "Content-Length: 5 \r\n\r\nhello", 200, kEchoHello,
        PIPELINED },
    Framing { "cl_tabs_around", kPost + "Content-Length:\t5\t\r\n\r\nhello", 200, kEchoHello,
        PIPELINED },
    Framing { "cl_leading_zeros", kPost + "Content-Length: 005\r\n\r\nhello", 200, kEchoHello,
        PIPELINED },
    // ---- Chunk sizes (tests/contract/HTTP.md "Chunked bodies": a bad size
    // is a 400; at most 16 hex digits)
    Framing { "chunk_size_0x", kPost + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
        400, "", CLOSES },
    // RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF, where the only blank
    // allowed is the BWS before ';'. The decided answer (BodyDecoderTest:
    // "trailing space without ';' -> 400") is 400; nginx 1.22 would take
    // the space as the start of an extension. Either way the two ends agree
    // on the framing or the connection closes.
    Framing { "chunk_size_trailing_space", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5 \r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_size_trailing_tab", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\t\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "last_chunk_trailing_space", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0 \r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_size_leading_space", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        " 5\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_size_negative", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "-5\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_size_plus", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "+5\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_size_17_digits", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "00000000000000005\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_size_overflow", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    // A valid size over client_max_body_size: 413 mid-stream.
    Framing { "chunk_size_over_the_limit", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "7FFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", 413, "", CLOSES },
    Framing { "chunk_size_missing", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_data_longer_than_size", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "3\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_size_leading_zeros", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "0005\r\nhello\r\n0000\r\n\r\n", 200, kEchoHello, PIPELINED },
    Framing { "chunk_size_16_digits", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "0000000000000005\r\nhello\r\n0\r\n\r\n", 200, kEchoHello, PIPELINED },
    Framing { "chunk_size_upper_hex", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "A\r\nhellohello\r\n0\r\n\r\n", 200, "length=10 body=hellohello", PIPELINED },
    // ---- Chunk extensions: ignored, but a CR or a CTL in one is malformed
    Framing { "chunk_ext_valid", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5;name=value\r\nhello\r\n0;last=\"x y\"\r\n\r\n", 200, kEchoHello, PIPELINED },
    Framing { "chunk_ext_after_space", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5 ;name\r\nhello\r\n0\r\n\r\n", 200, kEchoHello, PIPELINED },
    Framing { "chunk_ext_with_cr", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5;a\rb\r\nhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "chunk_ext_with_nul", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        + std::string("5;a\0b\r\nhello\r\n0\r\n\r\n", sizeof "5;a\0b\r\nhello\r\n0\r\n\r\n" - 1), 400, "", CLOSES },
    Framing { "last_chunk_ext_with_cr", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0;a\rb\r\n\r\n", 400, "", CLOSES },
    // ---- Bare LF is a line end (tests/contract/HTTP.md "Parsing" grammar notes), bare CR is not
    Framing { "lf_only_inside_chunked", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\nhello\n0\n\n", 200, kEchoHello, PIPELINED },
    Framing { "lf_only_everywhere", "POST /echo/echo.sh HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n"
        "5\nhello\n0\n\n", 200, kEchoHello, PIPELINED },
    Framing { "lf_and_crlf_mixed", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\n0\r\nX-Trailer: t\n\r\n", 200, kEchoHello, PIPELINED },
    Framing { "bare_cr_after_chunk_size", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\rhello\r\n0\r\n\r\n", 400, "", CLOSES },
    Framing { "bare_cr_after_chunk_data", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r0\r\n\r\n", 400, "", CLOSES },
    Framing { "bare_cr_ending_the_body", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0\r\n\r", 400, "", CLOSES },
    // ---- Trailers: read and dropped; a malformed one is a 400
    Framing { "trailer_dropped", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0\r\nX-Trailer: a\r\nContent-Length: 99\r\n\r\n", 200, kEchoHello, PIPELINED },
    Framing { "trailer_obs_fold", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0\r\nX-Trailer: a\r\n b\r\n\r\n", 400, "", CLOSES },
    // ---- Bytes after the final chunk are the next request (tests/contract/HTTP.md
    // "Connections": leftover bytes are the next request). A valid one (every case above
    // with PIPELINED) is answered in order; garbage gets 400 and closes, and
    // the smuggled request behind the garbage is never answered.
    Framing { "garbage_after_final_chunk", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        + kChunkedHello + "hello\r\n", 200, kEchoHello, SECOND_IS_400 },
    Framing { "extra_chunk_after_final_chunk", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        + kChunkedHello + "5\r\nhello\r\n0\r\n\r\n", 200, kEchoHello, SECOND_IS_400 },
    Framing { "bytes_after_content_length", kPost + "Content-Length: 5\r\n\r\nhello" "X\r\n", 200,
        kEchoHello, SECOND_IS_400 },
    // An empty line before a request line is skipped (RFC 9112 §2.2, nginx
    // does the same).
    Framing { "empty_line_after_final_chunk", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        + kChunkedHello + "\r\n", 200, kEchoHello, PIPELINED },
    Framing { "valid_chunked_then_pipelined", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        + kChunkedHello, 200, kEchoHello, PIPELINED },
    Framing { "valid_length_then_pipelined", kPost + "Content-Length: 5\r\n\r\nhello", 200, kEchoHello,
        PIPELINED },
    // A body that looks like a request is a body.
    Framing { "request_inside_chunk_data", kPost + "Transfer-Encoding: chunked\r\n\r\n"
        "23\r\n" + kSmuggled + "\r\n0\r\n\r\n", 200, "length=35 body=" + kSmuggled, PIPELINED }),
    [](const ::testing::TestParamInfo<Framing>& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------- discarded bodies

class SmugglingTestDiscard : public SmugglingTest {
};

// Named Smuggling* for the filter; they share the server of the matrix.
TEST_F(SmugglingTestDiscard, BodyOfA405IsSkippedExactlyByContentLength)
{
    TestClient client(port());
    // The body is itself a complete request: it must be skipped, not
    // answered; the request after it must be answered.
    client.send("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: "
        + std::to_string(kSmuggled.size()) + "\r\n\r\n" + kSmuggled
        + "GET /next.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse refused = client.read();
    EXPECT_EQ(405, refused.status) << refused.raw;
    EXPECT_EQ("GET, HEAD, OPTIONS", refused.header("Allow"));
    EXPECT_EQ("keep-alive", refused.header("Connection"));
    HttpResponse next = client.read();
    EXPECT_EQ(200, next.status) << next.raw;
    EXPECT_EQ("next", next.body);
    expectOpenAndIdle(client, "405 with a Content-Length body");
}

TEST_F(SmugglingTestDiscard, ChunkedBodyOfA405IsSkippedExactly)
{
    TestClient client(port());
    client.send("POST /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "23\r\n" + kSmuggled + "\r\n0\r\n\r\n"
        "GET /next.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse refused = client.read();
    EXPECT_EQ(405, refused.status) << refused.raw;
    HttpResponse next = client.read();
    EXPECT_EQ(200, next.status) << next.raw;
    EXPECT_EQ("next", next.body);
    expectOpenAndIdle(client, "405 with a chunked body");
}

TEST_F(SmugglingTestDiscard, BodyOfAGetIsSkippedExactly)
{
    TestClient client(port());
    client.send("GET /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: "
        + std::to_string(kSmuggled.size()) + "\r\n\r\n" + kSmuggled + kSmuggled);
    HttpResponse index = client.read();
    EXPECT_EQ(200, index.status) << index.raw;
    EXPECT_EQ("home", index.body);
    // Exactly one smuggled answer: the one after the body.
    expectSmuggledAnswer(client.read(), "GET with a body");
    expectOpenAndIdle(client, "GET with a body");
}

TEST_F(SmugglingTestDiscard, MalformedDiscardedBodyEndsTheConnection)
{
    // The 405 is already out when the body turns out malformed; no second
    // answer can be given, so the connection just ends (nginx 1.22 does the
    // same when discarding a body fails) and the smuggled request behind it
    // is never answered.
    TestClient client(port());
    client.send("POST /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0x5\r\nhello\r\n0\r\n\r\n" + kSmuggled);
    HttpResponse refused = client.read();
    EXPECT_EQ(405, refused.status) << refused.raw;
    expectClosedWithNothingAfter(client, "malformed discarded body");
}

TEST_F(SmugglingTestDiscard, DiscardedBodyThenSmuggledRequestSplitAcrossWrites)
{
    // Same framing, bytes split at every awkward place: the result must not
    // depend on how the bytes arrive (tests/contract/HTTP.md "Parsing": incremental).
    std::string bytes = "POST /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0\r\n\r\n" + kSmuggled;
    for (size_t split : { size_t(20), size_t(60), size_t(70), size_t(75), size_t(79), size_t(82) }) {
        TestClient client(port());
        client.send(bytes.substr(0, split));
        // The 405 answers as soon as the head is complete, before the body.
        if (split >= 66) {
            HttpResponse refused = client.read();
            EXPECT_EQ(405, refused.status) << "split " << split;
        }
        client.send(bytes.substr(split));
        if (split < 66) {
            HttpResponse refused = client.read();
            EXPECT_EQ(405, refused.status) << "split " << split;
        }
        expectSmuggledAnswer(client.read(), "split " + std::to_string(split));
        expectOpenAndIdle(client, "split " + std::to_string(split));
    }
}

}
