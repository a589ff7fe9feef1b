// The head of a proxied server's response: status line, fields, framing,
// keep-alive, the refusals (nginx's words), and every split point.

#include <gtest/gtest.h>

#include <string>

#include "http/UpstreamResponse.hpp"

namespace {

// Feeds text in pieces of `piece` bytes (0: whole); the result, with the
// bytes the head took in *consumed (summed over the pieces).
UpstreamResponseParser::Result parseIn(const std::string& text, size_t piece, UpstreamResponse* r,
    size_t* consumed, std::string* error = nullptr)
{
    UpstreamResponseParser parser;
    *consumed = 0;
    UpstreamResponseParser::Result result = UpstreamResponseParser::NEED_MORE;
    for (size_t pos = 0; pos < text.size() && result == UpstreamResponseParser::NEED_MORE;) {
        size_t len = piece == 0 ? text.size() - pos : std::min(piece, text.size() - pos);
        size_t used = 0;
        result = parser.parse(text.data() + pos, len, &used, r);
        *consumed += used;
        pos += len;
    }
    if (error)
        *error = parser.error();
    return result;
}

UpstreamResponse interpreted(const std::string& head, bool headRequest = false)
{
    UpstreamResponse r;
    size_t consumed = 0;
    EXPECT_EQ(UpstreamResponseParser::DONE, parseIn(head, 0, &r, &consumed)) << head;
    std::string error;
    EXPECT_TRUE(interpretResponse(&r, headRequest, &error)) << error;
    return r;
}

std::string refusal(const std::string& head)
{
    UpstreamResponse r;
    size_t consumed = 0;
    std::string error;
    if (parseIn(head, 0, &r, &consumed, &error) != UpstreamResponseParser::DONE)
        return error;
    return interpretResponse(&r, false, &error) ? "accepted" : error;
}

TEST(UpstreamResponseTest, StatusLineFieldsAndTheBodyAfterThem)
{
    std::string text = "HTTP/1.1 201 Created Here\r\nContent-Type: text/plain\r\n"
                       "X-Empty:\r\nContent-Length: 5\r\n\r\nhello";
    for (size_t piece : { 0, 1, 2, 3, 7, 64 }) {
        UpstreamResponse r;
        size_t consumed = 0;
        ASSERT_EQ(UpstreamResponseParser::DONE, parseIn(text, piece, &r, &consumed)) << piece;
        EXPECT_EQ(text.size() - 5, consumed) << piece;
        EXPECT_EQ(1, r.versionMinor);
        EXPECT_EQ(201, r.status);
        EXPECT_EQ("Created Here", r.reason);
        ASSERT_EQ(3u, r.headers.size());
        EXPECT_EQ("text/plain", *r.headers.find("content-type"));
        EXPECT_EQ("", *r.headers.find("X-Empty"));
    }
}

TEST(UpstreamResponseTest, ResponsesMayOmitTheReasonAndEndLinesWithLf)
{
    UpstreamResponse r = interpreted("HTTP/1.0 200\nServer: x\n\n");
    EXPECT_EQ(0, r.versionMinor);
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("", r.reason);
    EXPECT_EQ(RESPONSE_UNTIL_CLOSE, r.framing);
    EXPECT_FALSE(r.keepAlive);
    EXPECT_EQ(200, interpreted("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").status);
}

TEST(UpstreamResponseTest, Framing)
{
    UpstreamResponse r = interpreted("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
    EXPECT_EQ(RESPONSE_LENGTH, r.framing);
    EXPECT_EQ(1234, r.contentLength);
    EXPECT_TRUE(r.keepAlive);
    r = interpreted("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n");
    EXPECT_EQ(RESPONSE_CHUNKED, r.framing);
    EXPECT_TRUE(r.keepAlive);
    r = interpreted("HTTP/1.1 200 OK\r\n\r\n");
    EXPECT_EQ(RESPONSE_UNTIL_CLOSE, r.framing);
    EXPECT_FALSE(r.keepAlive);
    // No body whatever the fields say: HEAD, 1xx, 204, 304.
    EXPECT_EQ(RESPONSE_NO_BODY, interpreted("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", true).framing);
    EXPECT_EQ(RESPONSE_NO_BODY, interpreted("HTTP/1.1 204 No Content\r\n\r\n").framing);
    EXPECT_EQ(RESPONSE_NO_BODY, interpreted("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").framing);
    EXPECT_EQ(RESPONSE_NO_BODY, interpreted("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n").framing);
    EXPECT_TRUE(interpreted("HTTP/1.1 204 No Content\r\n\r\n").keepAlive);
}

TEST(UpstreamResponseTest, KeepAlive)
{
    EXPECT_FALSE(interpreted("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive);
    EXPECT_FALSE(interpreted("HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 0\r\n\r\n").keepAlive);
    EXPECT_FALSE(interpreted("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive);
    EXPECT_TRUE(interpreted("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").keepAlive);
}

TEST(UpstreamResponseTest, RefusedHeadsSayWhyInNginxsWords)
{
    EXPECT_EQ("sent no valid HTTP/1.0 header", refusal("<html>hello</html>\n\n"));
    EXPECT_EQ("sent no valid HTTP/1.0 header", refusal("HTTP/2.0 200 OK\r\n\r\n"));
    EXPECT_EQ("sent no valid HTTP/1.0 header", refusal("HTTP/1.1 2000 OK\r\n\r\n"));
    EXPECT_EQ("sent no valid HTTP/1.0 header", refusal("HTTP/1.1 099 Low\r\n\r\n"));
    EXPECT_EQ("sent no valid HTTP/1.0 header", refusal("HTTP/1.1 200OK\r\n\r\n"));
    EXPECT_EQ("sent no valid HTTP/1.0 header", refusal("HTTP/1.1 200 O\x01K\r\n\r\n"));
    EXPECT_EQ("sent invalid header line", refusal("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n"));
    EXPECT_EQ("sent invalid header line", refusal("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"));
    EXPECT_EQ("sent invalid header line", refusal("HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n"));
    EXPECT_EQ("sent invalid header line", refusal("HTTP/1.1 200 OK\r\nA: 1\r2\r\n\r\n"));
    EXPECT_EQ("sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time",
        refusal("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"));
    EXPECT_EQ("sent unknown \"Transfer-Encoding\"",
        refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
    EXPECT_EQ("sent duplicate header line: \"Content-Length\"",
        refusal("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"));
    EXPECT_EQ("sent invalid \"Content-Length\" header",
        refusal("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n"));
    std::string many = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 101; ++i)
        many += "X-" + std::to_string(i) + ": v\r\n";
    EXPECT_EQ("sent too many header lines", refusal(many + "\r\n"));
}

TEST(UpstreamResponseTest, AHeadThatNeverEndsIsRefusedAtTheLimit)
{
    UpstreamResponseParser parser;
    UpstreamResponse r;
    std::string line = "X-Long: " + std::string(1000, 'a') + "\r\n";
    std::string text = "HTTP/1.1 200 OK\r\n";
    size_t used = 0;
    ASSERT_EQ(UpstreamResponseParser::NEED_MORE, parser.parse(text.data(), text.size(), &used, &r));
    UpstreamResponseParser::Result result = UpstreamResponseParser::NEED_MORE;
    size_t fed = text.size();
    while (result == UpstreamResponseParser::NEED_MORE && fed < 64 * 1024) {
        result = parser.parse(line.data(), line.size(), &used, &r);
        fed += line.size();
    }
    EXPECT_EQ(UpstreamResponseParser::FAILED, result);
    EXPECT_LE(fed, UpstreamResponseParser::kMaxHeadBytes + line.size() + text.size());
    EXPECT_EQ("sent too big header", parser.error());
    EXPECT_EQ(UpstreamResponseParser::FAILED, parser.parse("\r\n", 2, &used, &r));
    parser.reset();
    EXPECT_EQ(UpstreamResponseParser::DONE, parser.parse("HTTP/1.1 204 \r\n\r\n", 17, &used, &r));
}

}
