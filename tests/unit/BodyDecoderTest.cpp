// The request-body decoder (src/http/BodyDecoder.cpp): Content-Length and
// chunked framing, limits, and the same decoded bytes however the input is
// split.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/BodyDecoder.hpp"
#include "support/EverySplit.hpp"
#include "support/TestText.hpp"

namespace {

// The descriptions put bodies between quotes: quotes are escaped too.
std::string visibleInQuotes(const std::string& bytes)
{
    return visible(bytes, kEscapeBackslashAndQuote);
}

struct Body {
    BodyFraming framing;
    off_t contentLength;
    off_t limit;
};

const Body kChunked = { BODY_CHUNKED, 0, 0 };

Body length(off_t n, off_t limit = 0)
{
    Body b = { BODY_LENGTH, n, limit };
    return b;
}

Body chunked(off_t limit)
{
    Body b = { BODY_CHUNKED, 0, limit };
    return b;
}

// What the decoder made of an input, as one comparable line:
//   DONE body="..." rest="..."   (rest: bytes after the body, not consumed)
//   NEED_MORE body="..."
//   FAILED 400 body="..."        (body: the DATA delivered before the error)
struct Decoded {
    BodyDecoder::Result result;
    int status;
    std::string body;
    std::string rest;

    std::string describe() const
    {
        std::string b = " body=\"" + visibleInQuotes(body) + "\"";
        switch (result) {
        case BodyDecoder::DONE: return "DONE" + b + " rest=\"" + visibleInQuotes(rest) + "\"";
        case BodyDecoder::NEED_MORE: return "NEED_MORE" + b;
        case BodyDecoder::FAILED: return "FAILED " + std::to_string(status) + b;
        case BodyDecoder::DATA: break;
        }
        return "DATA?";
    }
};

// Feeds input in pieces ending at the given offsets the way a connection
// does: append the new bytes to its buffer, call next() until it stops
// returning DATA (taking each piece before erasing *consumed bytes), and
// keep whatever was not consumed for the next round.
Decoded decodeCuts(const Body& framing, const std::string& input, const std::vector<size_t>& ends)
{
    Decoded out;
    out.result = BodyDecoder::NEED_MORE;
    out.status = 0;
    BodyDecoder decoder;
    int status = decoder.start(framing.framing, framing.contentLength, framing.limit);
    if (status != 0) {
        out.result = BodyDecoder::FAILED;
        out.status = status;
        return out;
    }
    std::string buffer;
    size_t fed = 0;
    for (size_t i = 0; i < ends.size(); ++i) {
        buffer.append(input, fed, ends[i] - fed);
        fed = ends[i];
        BodyDecoder::Result result;
        do {
            size_t consumed = 12345;
            const char* piece = 0;
            size_t pieceLen = 0;
            result = decoder.next(buffer.data(), buffer.size(), &consumed, &piece, &pieceLen);
            if (consumed > buffer.size()) {
                ADD_FAILURE() << "consumed " << consumed << " of " << buffer.size();
                consumed = buffer.size();
            }
            if (result == BodyDecoder::DATA) {
                // Zero-copy: the piece is the tail of the consumed bytes.
                EXPECT_GT(pieceLen, 0u);
                EXPECT_EQ(buffer.data() + consumed, piece + pieceLen);
                out.body.append(piece, pieceLen);
            }
            buffer.erase(0, consumed);
        } while (result == BodyDecoder::DATA);
        if (result == BodyDecoder::FAILED) {
            out.result = result;
            out.status = decoder.errorStatus();
            return out;
        }
        if (result == BodyDecoder::DONE) {
            out.result = result;
            EXPECT_TRUE(decoder.done());
            EXPECT_EQ(static_cast<off_t>(out.body.size()), decoder.received());
            break;
        }
    }
    out.rest = buffer + input.substr(fed);
    return out;
}

struct Case {
    std::string name;
    Body framing;
    std::string input;
    std::string expected;   // Decoded::describe()
};

std::string doneWith(const std::string& body, const std::string& rest = "")
{
    return "DONE body=\"" + visibleInQuotes(body) + "\" rest=\"" + visibleInQuotes(rest) + "\"";
}

std::string failedWith(int status, const std::string& body = "")
{
    return "FAILED " + std::to_string(status) + " body=\"" + visibleInQuotes(body) + "\"";
}

std::string needMoreWith(const std::string& body)
{
    return "NEED_MORE body=\"" + visibleInQuotes(body) + "\"";
}

// Chunk framing look-alikes, NULs and a high byte inside the data.
const std::string kBinary = std::string(1, '\0') + "\r\n0\r\n\r\n\xFF" + '\0';

void checkEverySplit(const std::vector<Case>& cases)
{
    for (size_t c = 0; c < cases.size(); ++c) {
        const Case& tc = cases[c];
        SCOPED_TRACE(tc.name);
        ::checkEverySplit(tc.input.size(), everySplitPoint(tc.input.size()),
            [&](const std::vector<size_t>& ends) { return decodeCuts(tc.framing, tc.input, ends).describe(); },
            [&](const std::string& whole) { EXPECT_EQ(tc.expected, whole) << "fed whole"; },
            [&](const std::string& whole, const std::string& other, const std::string& how) {
                EXPECT_EQ(whole, other) << how;
                return whole == other;
            });
    }
}

}

TEST(BodyDecoderTestTable, ContentLength)
{
    checkEverySplit({
        { "exact body", length(5), "hello", doneWith("hello") },
        { "pipelined bytes after the body are left", length(5),
          "helloGET / HTTP/1.1\r\n", doneWith("hello", "GET / HTTP/1.1\r\n") },
        { "incomplete body", length(5), "hel", needMoreWith("hel") },
        { "binary body with NULs and CRLFs", length(10), kBinary, doneWith(kBinary) },
        { "body exactly at the limit", length(5, 5), "hello!", doneWith("hello", "!") },
        { "no body: every byte is the next request", { BODY_NONE, 0, 0 }, "GET /",
          doneWith("", "GET /") },
        { "Content-Length 0", length(0), "GET /", doneWith("", "GET /") },
    });
}

TEST(BodyDecoderTestTable, Chunked)
{
    checkEverySplit({
        { "one chunk", kChunked, "5\r\nhello\r\n0\r\n\r\n", doneWith("hello") },
        { "several chunks", kChunked, "5\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n",
          doneWith("hello world!") },
        { "hex sizes in both cases", kChunked,
          "a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n",
          doneWith("0123456789abcdefghijk") },
        { "leading zeros in a size", kChunked, "005\r\nhello\r\n000\r\n\r\n", doneWith("hello") },
        { "16 digits that fit", kChunked, "0000000000000005\r\nhello\r\n0\r\n\r\n",
          doneWith("hello") },
        { "largest 16-digit size", kChunked, "7FFFFFFFFFFFFFFF\r\nab", needMoreWith("ab") },
        { "chunk extensions ignored", kChunked,
          "5;a=b\r\nhello\r\n6;x;y=\"q s\"\r\n world\r\n0;last\r\n\r\n",
          doneWith("hello world") },
        { "whitespace then an extension", kChunked, "5 ;ext\r\nhello\r\n5\t \t;e\r\nworld\r\n0\r\n\r\n",
          doneWith("helloworld") },
        { "trailers read and dropped", kChunked,
          "5\r\nhello\r\n0\r\nX-Trailer: v\r\nX-Other: w\r\n\r\n", doneWith("hello") },
        { "LF-only line endings", kChunked, "5\nhello\n0\nX-T: v\n\n", doneWith("hello") },
        { "binary chunk data with NULs and CRLFs", kChunked,
          "a\r\n" + kBinary + "\r\n0\r\n\r\n", doneWith(kBinary) },
        { "bytes after the final chunk are the next request", kChunked,
          "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n", doneWith("hello", "GET / HTTP/1.1\r\n") },
        { "bytes after the trailers are the next request", kChunked,
          "0\r\nX: y\r\n\r\n5\r\n", doneWith("", "5\r\n") },
        { "incomplete: inside chunk data", kChunked, "5\r\nhel", needMoreWith("hel") },
        { "incomplete: before the final empty line", kChunked, "5\r\nhello\r\n0\r\n",
          needMoreWith("hello") },
        { "0x5 -> 400", kChunked, "0x5\r\nhello\r\n0\r\n\r\n", failedWith(400) },
        { "trailing space without ';' -> 400", kChunked, "5 \r\nhello\r\n0\r\n\r\n",
          failedWith(400) },
        { "space then garbage -> 400", kChunked, "5 x\r\nhello\r\n0\r\n\r\n", failedWith(400) },
        { "leading space -> 400", kChunked, " 5\r\nhello\r\n0\r\n\r\n", failedWith(400) },
        { "negative size -> 400", kChunked, "-5\r\nhello\r\n0\r\n\r\n", failedWith(400) },
        { "non-hex digit -> 400", kChunked, "5g\r\nhello\r\n0\r\n\r\n", failedWith(400) },
        { "empty size line -> 400", kChunked, "\r\nhello\r\n0\r\n\r\n", failedWith(400) },
        { "empty size line after a chunk -> 400", kChunked, "5\r\nhello\r\n\r\n0\r\n\r\n",
          failedWith(400, "hello") },
        { "CR not followed by LF after the size -> 400", kChunked, "5\rhello\r\n0\r\n\r\n",
          failedWith(400) },
        { "control byte in an extension -> 400", kChunked, "5;a\x01\r\nhello\r\n0\r\n\r\n",
          failedWith(400) },
        { "missing CRLF after data -> 400", kChunked, "5\r\nhelloX\r\n0\r\n\r\n",
          failedWith(400, "hello") },
        { "data longer than its size -> 400", kChunked, "5\r\nhello!\r\n0\r\n\r\n",
          failedWith(400, "hello") },
        { "CR then garbage after data -> 400", kChunked, "5\r\nhello\rX\n0\r\n\r\n",
          failedWith(400, "hello") },
        { "17 hex digits -> 400", kChunked, "00000000000000005\r\nhello\r\n0\r\n\r\n",
          failedWith(400) },
        { "17 significant hex digits -> 400", kChunked, "10000000000000000\r\n", failedWith(400) },
        { "16 digits over 2^63-1 -> 400", kChunked, "8000000000000000\r\n", failedWith(400) },
        { "16 digits FFFF... -> 400", kChunked, "FFFFFFFFFFFFFFFF\r\n", failedWith(400) },
        { "trailer line starting with whitespace -> 400", kChunked,
          "0\r\n X: y\r\n\r\n", failedWith(400) },
        { "control byte in a trailer -> 400", kChunked, "0\r\nX: \x01\r\n\r\n", failedWith(400) },
        { "CR not followed by LF at the end -> 400", kChunked, "0\r\n\rX", failedWith(400) },
    });
}

TEST(BodyDecoderTestTable, ChunkedLimit)
{
    checkEverySplit({
        { "running total exactly at the limit", chunked(10),
          "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", doneWith("helloworld") },
        { "second chunk breaks the limit -> 413", chunked(10),
          "5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n", failedWith(413, "hello") },
        { "first chunk over the limit -> 413", chunked(10), "b\r\nhello world\r\n0\r\n\r\n",
          failedWith(413) },
        { "refused once the size line is complete, before its data", chunked(10),
          "5\r\nhello\r\n6;ext\r\n", failedWith(413, "hello") },
        { "size line not complete yet: not refused yet", chunked(10), "5\r\nhello\r\n6;ext",
          needMoreWith("hello") },
        { "huge size against a limit -> 413 (not 400)", chunked(10), "7FFFFFFFFFFFFFFF\r\n",
          failedWith(413) },
    });
}

TEST(BodyDecoderTest, ContentLengthOverTheLimitIsRefusedAtStart)
{
    BodyDecoder decoder;
    EXPECT_EQ(413, decoder.start(BODY_LENGTH, 11, 10));
    EXPECT_EQ(413, decoder.errorStatus());
    size_t consumed = 99;
    const char* piece = 0;
    size_t pieceLen = 0;
    std::string data = "hello world";
    EXPECT_EQ(BodyDecoder::FAILED, decoder.next(data.data(), data.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ(0u, consumed);

    EXPECT_EQ(0, decoder.start(BODY_LENGTH, 10, 10));
    EXPECT_EQ(0, decoder.errorStatus());
    EXPECT_EQ(0, decoder.start(BODY_LENGTH, static_cast<off_t>(~0UL >> 1), 0));
    EXPECT_EQ(0, decoder.start(BODY_CHUNKED, 0, 10));
    EXPECT_EQ(0, decoder.start(BODY_NONE, 0, 10));
}

TEST(BodyDecoderTest, DataPiecesPointIntoTheCallersBytes)
{
    BodyDecoder decoder;
    ASSERT_EQ(0, decoder.start(BODY_CHUNKED, 0, 0));
    std::string data = "3;x\r\nabc\r\n2\r\nde\r\n0\r\n\r\nNEXT";
    size_t consumed = 0;
    const char* piece = 0;
    size_t pieceLen = 0;
    ASSERT_EQ(BodyDecoder::DATA, decoder.next(data.data(), data.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ(data.data() + 5, piece);
    EXPECT_EQ(3u, pieceLen);
    EXPECT_EQ(8u, consumed);
    size_t offset = consumed;
    ASSERT_EQ(BodyDecoder::DATA, decoder.next(data.data() + offset, data.size() - offset, &consumed,
        &piece, &pieceLen));
    EXPECT_EQ(data.data() + 13, piece);
    EXPECT_EQ("de", std::string(piece, pieceLen));
    offset += consumed;
    EXPECT_EQ(15u, offset);
    ASSERT_EQ(BodyDecoder::DONE, decoder.next(data.data() + offset, data.size() - offset, &consumed,
        &piece, &pieceLen));
    offset += consumed;
    EXPECT_EQ("NEXT", data.substr(offset));
    EXPECT_TRUE(decoder.done());
    EXPECT_EQ(5, decoder.received());
}

TEST(BodyDecoderTest, ContentLengthBodyArrivesInPieces)
{
    BodyDecoder decoder;
    ASSERT_EQ(0, decoder.start(BODY_LENGTH, 6, 0));
    size_t consumed = 0;
    const char* piece = 0;
    size_t pieceLen = 0;
    std::string first = "abcd";
    ASSERT_EQ(BodyDecoder::DATA, decoder.next(first.data(), first.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ(first.data(), piece);
    EXPECT_EQ(4u, pieceLen);
    EXPECT_EQ(4u, consumed);
    EXPECT_FALSE(decoder.done());
    EXPECT_EQ(BodyDecoder::NEED_MORE, decoder.next(first.data(), 0, &consumed, &piece, &pieceLen));
    EXPECT_EQ(0u, consumed);
    std::string second = "efGH";
    ASSERT_EQ(BodyDecoder::DATA, decoder.next(second.data(), second.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ("ef", std::string(piece, pieceLen));
    EXPECT_EQ(2u, consumed);
    EXPECT_TRUE(decoder.done());
    EXPECT_EQ(BodyDecoder::DONE, decoder.next(second.data() + 2, 2, &consumed, &piece, &pieceLen));
    EXPECT_EQ(0u, consumed);
    EXPECT_EQ(6, decoder.received());
}

TEST(BodyDecoderTest, FailureIsStickyAndStartResets)
{
    BodyDecoder decoder;
    ASSERT_EQ(0, decoder.start(BODY_CHUNKED, 0, 0));
    size_t consumed = 0;
    const char* piece = 0;
    size_t pieceLen = 0;
    std::string bad = "x\r\n";
    EXPECT_EQ(BodyDecoder::FAILED, decoder.next(bad.data(), bad.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ(400, decoder.errorStatus());
    std::string good = "0\r\n\r\n";
    EXPECT_EQ(BodyDecoder::FAILED, decoder.next(good.data(), good.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ(0u, consumed);
    ASSERT_EQ(0, decoder.start(BODY_CHUNKED, 0, 0));
    EXPECT_EQ(0, decoder.errorStatus());
    EXPECT_EQ(BodyDecoder::DONE, decoder.next(good.data(), good.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ(good.size(), consumed);
    EXPECT_EQ(0, decoder.received());
}
