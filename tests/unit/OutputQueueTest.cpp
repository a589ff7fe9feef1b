#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/OutputQueue.hpp"

namespace {

// A connected socket pair: the queue sends into one end, the test reads
// the other.
struct SocketPair {
    int ends[2];
    SocketPair() { EXPECT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, ends)); }
    ~SocketPair() { close(ends[0]); close(ends[1]); }

    std::string receive(size_t count)
    {
        std::string got;
        char buffer[65536];
        while (got.size() < count) {
            ssize_t n = read(ends[1], buffer, std::min(sizeof buffer, count - got.size()));
            if (n <= 0)
                break;
            got.append(buffer, static_cast<size_t>(n));
        }
        return got;
    }
};

SharedBytes sharedOf(const std::string& text)
{
    std::string copy = text;
    return SharedBytes(copy);
}

}

TEST(OutputQueueTest, SendsOwnBytesThenTheSharedBody)
{
    SocketPair pair;
    OutputQueue queue;
    queue.appendable() += "HEAD\r\n\r\n";
    queue.appendShared(sharedOf("body"));
    EXPECT_EQ(12u, queue.pending());
    EXPECT_EQ(12, queue.sendTo(pair.ends[0], 0));
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ("HEAD\r\n\r\nbody", pair.receive(12));
}

TEST(OutputQueueTest, AppendingAfterASharedBodyKeepsTheOrder)
{
    SocketPair pair;
    OutputQueue queue;
    queue.appendable() += "one:";
    queue.appendShared(sharedOf("first body;"));
    queue.appendable() += "two:";
    queue.appendShared(sharedOf("second body"));
    EXPECT_EQ(30, queue.sendTo(pair.ends[0], 0));
    EXPECT_EQ("one:first body;two:second body", pair.receive(30));
}

TEST(OutputQueueTest, PartialSendsResumeWhereTheyStopped)
{
    SocketPair pair;
    int size = 4096;
    ASSERT_EQ(0, setsockopt(pair.ends[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size));
    ASSERT_EQ(0, fcntl(pair.ends[0], F_SETFL, O_NONBLOCK));
    std::string body(300000, '\0');
    for (size_t i = 0; i < body.size(); ++i)
        body[i] = static_cast<char>('a' + i % 26);
    OutputQueue queue;
    queue.appendable() += "head|";
    queue.appendShared(sharedOf(body));
    std::string received;
    int sends = 0;
    while (!queue.empty()) {
        ssize_t n = queue.sendTo(pair.ends[0], 0);
        ASSERT_GT(n, 0);
        ++sends;
        received += pair.receive(static_cast<size_t>(n));
    }
    EXPECT_GT(sends, 1);
    EXPECT_TRUE(received == "head|" + body);
    EXPECT_EQ(0, queue.sendTo(pair.ends[0], 0));      // nothing pending
}

TEST(OutputQueueTest, ClearAndReleaseDropEverything)
{
    OutputQueue queue;
    queue.appendable() += "x";
    queue.appendShared(sharedOf("y"));
    queue.clear();
    EXPECT_TRUE(queue.empty());
    queue.appendable() += "z";
    queue.release(0);
    EXPECT_EQ(0u, queue.pending());
}
