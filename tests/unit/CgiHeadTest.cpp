// The CGI header block (RFC 3875 §6): where it ends in the script's output
// and what it means (src/cgi/CgiHead.cpp). Pure functions: bytes in,
// CgiHead out.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cgi/CgiHead.hpp"

namespace {

size_t headEnd(const std::string& data)
{
    return findCgiHeadEnd(data.data(), data.size());
}

// Every field of the parsed head, "Name: value", in order.
std::vector<std::string> fieldsOf(const CgiHead& head)
{
    std::vector<std::string> out;
    for (size_t i = 0; i < head.fields.size(); ++i)
        out.push_back(head.fields.at(i).first + ": " + head.fields.at(i).second);
    return out;
}

}

// ================================================================ findCgiHeadEnd

TEST(CgiHeadTestEnd, LfBlockEndsAfterTheEmptyLine)
{
    std::string head = "Content-Type: text/plain\nX-A: 1\n\n";
    EXPECT_EQ(head.size(), headEnd(head + "body\n\nmore"));
    EXPECT_EQ(head.size(), headEnd(head));
}

TEST(CgiHeadTestEnd, CrlfBlockEndsAfterTheEmptyLine)
{
    std::string head = "Content-Type: text/plain\r\nX-A: 1\r\n\r\n";
    EXPECT_EQ(head.size(), headEnd(head + "body\r\n\r\n"));
    EXPECT_EQ(head.size(), headEnd(head));
}

TEST(CgiHeadTestEnd, MixedLineEnds)
{
    EXPECT_EQ(std::string("Status: 200\r\n\n").size(), headEnd("Status: 200\r\n\nx"));
    EXPECT_EQ(std::string("Status: 200\n\r\n").size(), headEnd("Status: 200\n\r\nx"));
}

TEST(CgiHeadTestEnd, IncompleteBlockIsZero)
{
    EXPECT_EQ(0u, headEnd(""));
    EXPECT_EQ(0u, headEnd("Content-Type: text/plain"));
    EXPECT_EQ(0u, headEnd("Content-Type: text/plain\n"));
    EXPECT_EQ(0u, headEnd("Content-Type: text/plain\r\n"));
    EXPECT_EQ(0u, headEnd("Content-Type: text/plain\r\n\r"));
    EXPECT_EQ(0u, headEnd("Content-Type: text/plain\r\nX-A: 1\r\n"));
}

TEST(CgiHeadTestEnd, SameResultWhateverThePrefixLength)
{
    // The exchange calls it again as output accumulates: every prefix short
    // of the empty line is incomplete, every longer one ends at the same place.
    std::string data = "Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody";
    size_t end = std::string("Content-Type: text/plain\r\nX-A: 1\r\n\r\n").size();
    for (size_t len = 0; len <= data.size(); ++len)
        EXPECT_EQ(len < end ? 0u : end, findCgiHeadEnd(data.data(), len)) << len;
}

// ================================================================ parseCgiHead

TEST(CgiHeadTestParse, ContentTypeOnly)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Content-Type: text/html; charset=utf-8\r\n\r\n", &head));
    EXPECT_EQ(200, head.status);
    EXPECT_EQ("", head.reason);
    EXPECT_EQ(std::vector<std::string>{ "Content-Type: text/html; charset=utf-8" }, fieldsOf(head));
    EXPECT_EQ("", head.location);
    EXPECT_FALSE(head.localRedirect);
    EXPECT_FALSE(head.hasContentLength);
}

TEST(CgiHeadTestParse, LfLinesAndSurroundingSpaceTrimmed)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Content-Type:   text/plain  \nX-Thing:\tvalue\t\n\n", &head));
    EXPECT_EQ((std::vector<std::string>{ "Content-Type: text/plain", "X-Thing: value" }),
        fieldsOf(head));
}

TEST(CgiHeadTestParse, StatusWithReason)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Status: 404 Not Here\r\nContent-Type: text/plain\r\n\r\n", &head));
    EXPECT_EQ(404, head.status);
    EXPECT_EQ("Not Here", head.reason);
    // Status is the server's to send as the status line, not a field.
    EXPECT_EQ(std::vector<std::string>{ "Content-Type: text/plain" }, fieldsOf(head));
    EXPECT_FALSE(head.localRedirect);
}

TEST(CgiHeadTestParse, StatusWithoutReason)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Status: 201\r\nContent-Type: text/plain\r\n\r\n", &head));
    EXPECT_EQ(201, head.status);
    EXPECT_EQ("", head.reason);
}

TEST(CgiHeadTestParse, StatusAloneIsEnough)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Status: 204 No Content\r\n\r\n", &head));
    EXPECT_EQ(204, head.status);
    EXPECT_EQ("No Content", head.reason);
    EXPECT_TRUE(fieldsOf(head).empty());
}

TEST(CgiHeadTestParse, StatusNameIsCaseInsensitive)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("status: 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n", &head));
    EXPECT_EQ(403, head.status);
    EXPECT_EQ(std::vector<std::string>{ "content-type: text/plain" }, fieldsOf(head));
}

TEST(CgiHeadTestParse, StatusRangeLimits)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Status: 100\r\n\r\n", &head));
    EXPECT_EQ(100, head.status);
    ASSERT_TRUE(parseCgiHead("Status: 599 Last\r\n\r\n", &head));
    EXPECT_EQ(599, head.status);
}

TEST(CgiHeadTestParse, InvalidStatusIsRejected)
{
    const char* values[] = { "abc", "99", "600", "2000", "", "20", "2x0", "200x", "099", "-200",
        "999 Too Big" };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; ++i) {
        CgiHead head;
        std::string block = std::string("Status: ") + values[i] + "\r\nContent-Type: text/plain\r\n\r\n";
        EXPECT_FALSE(parseCgiHead(block, &head)) << "Status: " << values[i];
    }
}

TEST(CgiHeadTestParse, ContentLengthValid)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Content-Type: text/plain\r\nContent-Length: 12345\r\n\r\n", &head));
    EXPECT_TRUE(head.hasContentLength);
    EXPECT_EQ(12345, head.contentLength);
    // The server frames the response: the length is not passed on as a field.
    EXPECT_EQ(std::vector<std::string>{ "Content-Type: text/plain" }, fieldsOf(head));

    ASSERT_TRUE(parseCgiHead("Content-Type: text/plain\r\ncontent-length: 0\r\n\r\n", &head));
    EXPECT_TRUE(head.hasContentLength);
    EXPECT_EQ(0, head.contentLength);
}

TEST(CgiHeadTestParse, ContentLengthInvalidIsRejected)
{
    const char* values[] = { "", "abc", "-1", "+5", "1 2", "12a", "0x10", "99999999999999999999999" };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; ++i) {
        CgiHead head;
        std::string block = std::string("Content-Type: text/plain\r\nContent-Length: ") + values[i]
            + "\r\n\r\n";
        EXPECT_FALSE(parseCgiHead(block, &head)) << "Content-Length: " << values[i];
    }
}

TEST(CgiHeadTestParse, LocalLocationAloneIsALocalRedirect)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Location: /other/page.html?x=1\r\n\r\n", &head));
    EXPECT_TRUE(head.localRedirect);
    EXPECT_EQ("/other/page.html?x=1", head.location);
    EXPECT_EQ(200, head.status);
}

TEST(CgiHeadTestParse, LocalLocationWithStatusIsAClientRedirectWithThatStatus)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Status: 301 Moved Permanently\r\nLocation: /new\r\n\r\n", &head));
    EXPECT_FALSE(head.localRedirect);
    EXPECT_EQ(301, head.status);
    EXPECT_EQ("Moved Permanently", head.reason);
    EXPECT_EQ("/new", head.location);
    EXPECT_EQ(std::vector<std::string>{ "Location: /new" }, fieldsOf(head));
}

TEST(CgiHeadTestParse, LocalLocationWithOtherFieldsIsAClientRedirect302)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Location: /new\r\nContent-Type: text/html\r\n\r\n", &head));
    EXPECT_FALSE(head.localRedirect);
    EXPECT_EQ(302, head.status);
    EXPECT_EQ((std::vector<std::string>{ "Location: /new", "Content-Type: text/html" }),
        fieldsOf(head));

    ASSERT_TRUE(parseCgiHead("Set-Cookie: a=1\r\nLocation: /new\r\n\r\n", &head));
    EXPECT_FALSE(head.localRedirect);
    EXPECT_EQ(302, head.status);
}

TEST(CgiHeadTestParse, AbsoluteLocationIsAClientRedirect302)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Location: http://example.org/elsewhere?q=1\r\n\r\n", &head));
    EXPECT_FALSE(head.localRedirect);
    EXPECT_EQ(302, head.status);
    EXPECT_EQ("http://example.org/elsewhere?q=1", head.location);
    EXPECT_EQ(std::vector<std::string>{ "Location: http://example.org/elsewhere?q=1" }, fieldsOf(head));
}

TEST(CgiHeadTestParse, AbsoluteLocationKeepsAnExplicitStatus)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Location: https://example.org/\r\nStatus: 303 See Other\r\n"
                             "Content-Type: text/html\r\n\r\n", &head));
    EXPECT_FALSE(head.localRedirect);
    EXPECT_EQ(303, head.status);
    EXPECT_EQ("See Other", head.reason);
}

TEST(CgiHeadTestParse, FramingFieldsFromTheScriptAreDropped)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                             "Connection: close\r\nKeep-Alive: timeout=5\r\nX-Kept: yes\r\n\r\n", &head));
    EXPECT_EQ((std::vector<std::string>{ "Content-Type: text/plain", "X-Kept: yes" }), fieldsOf(head));
    EXPECT_FALSE(head.hasContentLength);
}

TEST(CgiHeadTestParse, LineWithoutColonIsRejected)
{
    CgiHead head;
    EXPECT_FALSE(parseCgiHead("Content-Type: text/plain\r\nnot a header line\r\n\r\n", &head));
    EXPECT_FALSE(parseCgiHead("Content-Type text/plain\r\n\r\n", &head));
    EXPECT_FALSE(parseCgiHead(": no name\r\nContent-Type: text/plain\r\n\r\n", &head));
}

TEST(CgiHeadTestParse, NeitherContentTypeLocationNorStatusIsRejected)
{
    CgiHead head;
    EXPECT_FALSE(parseCgiHead("X-Only: 1\r\n\r\n", &head));
    EXPECT_FALSE(parseCgiHead("Content-Length: 5\r\n\r\n", &head));
    EXPECT_FALSE(parseCgiHead("Set-Cookie: a=1\r\nX-Other: 2\r\n\r\n", &head));
    EXPECT_FALSE(parseCgiHead("\r\n", &head));
}

TEST(CgiHeadTestParse, SeveralSetCookieFieldsKeptSeparateInOrder)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Content-Type: text/plain\r\n"
                             "Set-Cookie: a=1; Path=/\r\n"
                             "X-Between: x\r\n"
                             "Set-Cookie: b=2; HttpOnly\r\n"
                             "set-cookie: c=3, d=4; Expires=Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n", &head));
    EXPECT_EQ((std::vector<std::string>{
                  "Content-Type: text/plain",
                  "Set-Cookie: a=1; Path=/",
                  "X-Between: x",
                  "Set-Cookie: b=2; HttpOnly",
                  "set-cookie: c=3, d=4; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
              }),
        fieldsOf(head));
    EXPECT_EQ(3u, head.fields.count("Set-Cookie"));
}

TEST(CgiHeadTestParse, ValueWithColonsKeptWhole)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Content-Type: text/plain\r\nX-Time: 12:34:56\r\n\r\n", &head));
    EXPECT_EQ((std::vector<std::string>{ "Content-Type: text/plain", "X-Time: 12:34:56" }),
        fieldsOf(head));
}

TEST(CgiHeadTestParse, ResultIsResetBetweenCalls)
{
    CgiHead head;
    ASSERT_TRUE(parseCgiHead("Status: 404\r\nLocation: /x\r\nContent-Length: 3\r\n\r\n", &head));
    ASSERT_TRUE(parseCgiHead("Content-Type: text/plain\r\n\r\n", &head));
    EXPECT_EQ(200, head.status);
    EXPECT_EQ("", head.location);
    EXPECT_FALSE(head.hasContentLength);
    EXPECT_EQ(std::vector<std::string>{ "Content-Type: text/plain" }, fieldsOf(head));
}

// Found by fuzz_cgi_head: " : x" trimmed to an empty field name, which the
// server would have written as ": x" in its own response head.
TEST(CgiHeadTestRegression, BlankFieldNameIsMalformed)
{
    CgiHead head;
    EXPECT_FALSE(parseCgiHead("Content-Type: text/plain\n : x\n\n", &head));
    EXPECT_FALSE(parseCgiHead("Content-Type: text/plain\r\n\t: x\r\n\r\n", &head));
}
