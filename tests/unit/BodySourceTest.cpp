// Response body sources (src/http/BodySource.cpp): a body in memory, owned
// or shared with the file cache, and a file range read in bounded pieces
// that breaks when the file shrinks under it.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "http/BodySource.hpp"
#include "support/TempDir.hpp"

namespace {

std::string pendingOf(OutputQueue& out)
{
    return out.appendable();
}

// A response whose body is length bytes of the file at path, from offset.
void openFileBody(Response& response, const std::string& path, off_t offset, off_t length)
{
    response.file.reset(open(path.c_str(), O_RDONLY));
    response.fileOffset = offset;
    response.fileLength = length;
}

}

TEST(BodySourceTest, MemoryBodyIsQueuedWholeAtOnce)
{
    Response response;
    response.body = "in memory";
    MemoryBody body;
    body.open(response);
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 9);
    OutputQueue out;
    EXPECT_EQ(BodySource::BODY_ENDED, body.pull(encoder, out));
    EXPECT_EQ("in memory", pendingOf(out));
    EXPECT_TRUE(encoder.complete());
}

TEST(BodySourceTest, SharedMemoryBodyIsQueuedWithoutACopy)
{
    std::string content = "cached";
    Response response;
    response.sharedBody = SharedBytes(content);
    MemoryBody body;
    body.open(response);
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 6);
    OutputQueue out;
    EXPECT_EQ(BodySource::BODY_ENDED, body.pull(encoder, out));
    EXPECT_EQ(6u, out.pending());
    EXPECT_EQ(6u, out.queuedTotal());
    EXPECT_EQ("cached", pendingOf(out));
}

TEST(BodySourceTest, FileBodyComesInPiecesUpToTheHighWater)
{
    TempDir dir;
    std::string content(FileBody::kFileChunk * 2 + 10, 'x');
    content[0] = 'a';
    content[content.size() - 1] = 'z';
    std::string path = dir.write("big.bin", content);
    Response response;
    openFileBody(response, path, 0, static_cast<off_t>(content.size()));
    FileBody body;
    body.open(response);
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, response.fileLength);
    OutputQueue out;
    EXPECT_EQ(BodySource::BODY_MORE, body.pull(encoder, out));
    EXPECT_EQ(FileBody::kFileChunk, out.pending());
    // The output is full: nothing more until it has been sent.
    EXPECT_EQ(BodySource::BODY_MORE, body.pull(encoder, out));
    EXPECT_EQ(FileBody::kFileChunk, out.pending());
    std::string got = pendingOf(out);
    out.clear();
    EXPECT_EQ(BodySource::BODY_MORE, body.pull(encoder, out));
    got += pendingOf(out);
    out.clear();
    EXPECT_EQ(BodySource::BODY_ENDED, body.pull(encoder, out));
    got += pendingOf(out);
    EXPECT_EQ(content, got);
    EXPECT_TRUE(encoder.complete());
}

TEST(BodySourceTest, FileBodyThatShrankIsBroken)
{
    TempDir dir;
    std::string path = dir.write("shrinks.txt", "0123456789");
    Response response;
    openFileBody(response, path, 0, 10);
    ASSERT_EQ(0, truncate(path.c_str(), 0));
    FileBody body;
    body.open(response);
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 10);
    OutputQueue out;
    EXPECT_EQ(BodySource::BODY_BROKEN, body.pull(encoder, out));
    EXPECT_EQ(0u, out.pending());
}

TEST(BodySourceTest, FileBodyStartsAtTheResponseOffset)
{
    TempDir dir;
    std::string path = dir.write("range.txt", "0123456789");
    Response response;
    openFileBody(response, path, 3, 4);
    FileBody body;
    body.open(response);
    BodyEncoder encoder;
    encoder.start(BodyEncoder::LENGTH, 4);
    OutputQueue out;
    EXPECT_EQ(BodySource::BODY_ENDED, body.pull(encoder, out));
    EXPECT_EQ("3456", pendingOf(out));
}
