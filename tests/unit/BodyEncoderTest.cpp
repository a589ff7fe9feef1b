// The writer side of framing (src/http/BodyEncoder.cpp): exact bytes for
// each framing, the cut at an announced length, and the end of a body.

#include <gtest/gtest.h>

#include <string>

#include "http/BodyEncoder.hpp"

TEST(BodyEncoderTest, ChunkedFramesEachPieceAndEndsWithTheLastChunk)
{
    BodyEncoder encoder;
    encoder.start(BodyEncoder::CHUNKED, 0);
    std::string out;
    EXPECT_EQ(5u, encoder.write(out, "hello", 5));
    EXPECT_EQ(26u, encoder.write(out, "abcdefghijklmnopqrstuvwxyz", 26));
    encoder.finish(out);
    EXPECT_EQ("5\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n", out);
    EXPECT_EQ(31, encoder.bodyBytes());
    EXPECT_TRUE(encoder.chunked());
    EXPECT_FALSE(encoder.complete());
}

TEST(BodyEncoderTest, ChunkedNeverWritesAnEmptyChunkBeforeTheEnd)
{
    BodyEncoder encoder;
    encoder.start(BodyEncoder::CHUNKED, 0);
    std::string out;
    EXPECT_EQ(0u, encoder.write(out, "", 0));
    EXPECT_EQ("", out);
}

TEST(BodyEncoderTest, LengthPassesBytesUnchangedAndCutsWhatIsBeyond)
{
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 3);
    std::string out;
    EXPECT_EQ(2u, encoder.write(out, "ab", 2));
    EXPECT_FALSE(encoder.complete());
    EXPECT_EQ(1u, encoder.write(out, "cdef", 4));
    EXPECT_TRUE(encoder.complete());
    EXPECT_EQ(0u, encoder.write(out, "gh", 2));
    encoder.finish(out);
    EXPECT_EQ("abc", out);
    EXPECT_FALSE(encoder.shortOfLength());
}

TEST(BodyEncoderTest, LengthEndingEarlyIsShort)
{
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 10);
    std::string out;
    encoder.write(out, "1234", 4);
    encoder.finish(out);
    EXPECT_EQ("1234", out);
    EXPECT_TRUE(encoder.shortOfLength());
}

TEST(BodyEncoderTest, BytesASourceWroteItselfCountAgainstTheLength)
{
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 6);
    encoder.wrote(6);
    EXPECT_TRUE(encoder.complete());
    EXPECT_EQ(6, encoder.bodyBytes());
}

TEST(BodyEncoderTest, UntilCloseTakesEverythingAndWritesNoEnd)
{
    BodyEncoder encoder;
    encoder.start(BodyEncoder::UNTIL_CLOSE, 0);
    std::string out;
    EXPECT_EQ(3u, encoder.write(out, "xyz", 3));
    encoder.finish(out);
    EXPECT_EQ("xyz", out);
    EXPECT_FALSE(encoder.complete());
    EXPECT_FALSE(encoder.shortOfLength());
}

TEST(BodyEncoderTest, StartForgetsThePreviousBody)
{
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 2);
    std::string out;
    encoder.write(out, "ab", 2);
    encoder.start(BodyEncoder::LENGTH, 1);
    EXPECT_EQ(0, encoder.bodyBytes());
    EXPECT_FALSE(encoder.complete());
}
