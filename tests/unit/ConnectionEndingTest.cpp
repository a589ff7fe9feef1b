// The ends of a connection that are not its request's (ConnectionEnding.cpp):
// what a full table may reclaim, what an allocation failure leaves, what a
// graceful stop's timeout cuts. A
// real loopback TCP pair; the test plays the poll() loop.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "config/Loader.hpp"
#include "core/Connection.hpp"
#include "exchange/ServerContext.hpp"
#include "support/FailingAllocations.hpp"
#include "util/Fd.hpp"

namespace {

const char* kConfig = "server { listen 127.0.0.1:8080; location / { return 200 ok; } }";

class ConnectionEndingTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        generation_.reset(new ConfigGeneration(loadConfigText(kConfig, "ending-test.conf", nullptr)));
        services_.reset(new ServerServices(generation_.get(), 16, nullptr));
        Fd listener(socket(AF_INET, SOCK_STREAM, 0));
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        ASSERT_EQ(0, bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address));
        ASSERT_EQ(0, listen(listener.get(), 1));
        ASSERT_EQ(0, getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length));
        client_.reset(socket(AF_INET, SOCK_STREAM, 0));
        ASSERT_EQ(0, connect(client_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address));
        Fd accepted(accept(listener.get(), nullptr, nullptr));
        ASSERT_TRUE(setNonBlockingCloexec(accepted.get()));
        connection_.reset(new Connection(services_->context, accepted, 0));
        ASSERT_FALSE(accepted.valid());
    }

    // The client sends bytes; the connection reads them as poll() would
    // let it.
    void clientSends(const std::string& bytes, long now)
    {
        ASSERT_EQ(static_cast<ssize_t>(bytes.size()), write(client_.get(), bytes.data(), bytes.size()));
        connection_->onReady(Connection::CLIENT_SOCKET, POLLIN, now);
    }

    // Lets the connection write what it queued, then reads what the
    // client got until the server closed or nothing more came.
    std::string clientReceives(long now)
    {
        if (connection_->interest(Connection::CLIENT_SOCKET) & POLLOUT)
            connection_->onReady(Connection::CLIENT_SOCKET, POLLOUT, now);
        std::string received;
        char buffer[4096];
        pollfd entry = pollEntry(client_.get(), POLLIN);
        while (poll(&entry, 1, 200) > 0) {
            ssize_t n = read(client_.get(), buffer, sizeof buffer);
            if (n <= 0)
                break;
            received.append(buffer, static_cast<size_t>(n));
        }
        return received;
    }

    std::unique_ptr<ConfigGeneration> generation_;
    std::unique_ptr<ServerServices> services_;
    Fd client_;
    std::unique_ptr<Connection> connection_;
};

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

TEST_F(ConnectionEndingTest, AFreshConnectionIsReclaimableOnceQuietForASecond)
{
    EXPECT_EQ(Connection::RECLAIM_NEVER, connection_->reclaimable(999));
    EXPECT_EQ(Connection::RECLAIM_IDLE, connection_->reclaimable(1000));
    connection_->reclaim(1000);
    EXPECT_EQ(Connection::CLOSED, connection_->state());
    EXPECT_EQ("", clientReceives(1000));
}

TEST_F(ConnectionEndingTest, AnIdleKeepAliveConnectionIsReclaimableAtOnce)
{
    clientSends("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 10);
    EXPECT_TRUE(startsWith(clientReceives(10), "HTTP/1.1 200 OK\r\n"));
    ASSERT_EQ(Connection::IDLE, connection_->state());
    EXPECT_EQ(Connection::RECLAIM_IDLE, connection_->reclaimable(10));
    EXPECT_EQ(10, connection_->waitingSince());
    connection_->reclaim(20);
    EXPECT_EQ(Connection::CLOSED, connection_->state());
}

TEST_F(ConnectionEndingTest, ATricklingHeadIsReclaimedWith408AndClosed)
{
    clientSends("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 100);
    ASSERT_EQ(Connection::READING_HEAD, connection_->state());
    EXPECT_EQ(Connection::RECLAIM_NEVER, connection_->reclaimable(1099));
    EXPECT_EQ(Connection::RECLAIM_TRICKLING, connection_->reclaimable(1100));
    connection_->reclaim(1100);
    EXPECT_EQ(Connection::FLUSHING, connection_->state());
    std::string answer = clientReceives(1100);
    EXPECT_TRUE(startsWith(answer, "HTTP/1.1 408 Request Timeout\r\n")) << answer;
    EXPECT_NE(std::string::npos, answer.find("\r\nConnection: close\r\n"));
    EXPECT_EQ(Connection::CLOSED, connection_->state());
}

TEST_F(ConnectionEndingTest, AConnectionWithAnAnswerGoingOutIsNeverReclaimed)
{
    // Answered, but the answer not written yet.
    clientSends("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0);
    EXPECT_EQ(Connection::RECLAIM_NEVER, connection_->reclaimable(60000));
}

TEST_F(ConnectionEndingTest, OutOfMemoryWhileAHeadArrivesAnswers503AndCloses)
{
    clientSends("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 0);
    EXPECT_TRUE(connection_->endForMemory(5));
    std::string answer = clientReceives(5);
    EXPECT_TRUE(startsWith(answer, "HTTP/1.1 503 Service Unavailable\r\n")) << answer;
    EXPECT_NE(std::string::npos, answer.find("\r\nConnection: close\r\n"));
    // As after any error answer: the write side shut, input read and
    // dropped (into no buffer) for a moment, so the client sees the 503.
    EXPECT_EQ(Connection::LINGERING, connection_->state());
}

TEST_F(ConnectionEndingTest, OutOfMemoryWithAnAnswerHalfSentJustCloses)
{
    clientSends("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0);
    ASSERT_EQ(Connection::FLUSHING, connection_->state());
    EXPECT_FALSE(connection_->endForMemory(5));
    EXPECT_EQ(Connection::CLOSED, connection_->state());
    EXPECT_EQ("", clientReceives(5));
}

TEST_F(ConnectionEndingTest, ShutdownTimeoutClosesWhateverTheStateAtOnce)
{
    // A head arriving: no 408, no lingering, just the close.
    clientSends("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 0);
    connection_->endForShutdown(5);
    EXPECT_EQ(Connection::CLOSED, connection_->state());
    EXPECT_EQ(0, connection_->deadline());
    EXPECT_EQ("", clientReceives(5));
    connection_->endForShutdown(6);     // a second time changes nothing
    EXPECT_EQ(Connection::CLOSED, connection_->state());
}

TEST_F(ConnectionEndingTest, ShutdownTimeoutCutsAnAnswerNotYetSent)
{
    clientSends("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0);
    ASSERT_EQ(Connection::FLUSHING, connection_->state());
    connection_->endForShutdown(5);
    EXPECT_EQ(Connection::CLOSED, connection_->state());
    EXPECT_EQ("", clientReceives(5));
}

TEST_F(ConnectionEndingTest, EndingForMemoryWithNoMemoryLeftNeverThrows)
{
    if (!FailingAllocations::supported())
        GTEST_SKIP() << "the allocator cannot be replaced under AddressSanitizer";
    clientSends("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 0);
    bool answered = true;
    bool threw = false;
    unsigned long failed = 0;
    {
        FailingAllocations noMemory;
        try {
            answered = connection_->endForMemory(5);
        } catch (...) {
            threw = true;
        }
        failed = FailingAllocations::failed();
    }
    EXPECT_FALSE(threw);
    EXPECT_GT(failed, 0u);
    EXPECT_FALSE(answered);
    EXPECT_EQ(Connection::CLOSED, connection_->state());
    EXPECT_EQ("", clientReceives(5));
}

TEST_F(ConnectionEndingTest, ReclaimingWithNoMemoryLeftNeverThrows)
{
    if (!FailingAllocations::supported())
        GTEST_SKIP() << "the allocator cannot be replaced under AddressSanitizer";
    clientSends("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 0);
    bool threw = false;
    {
        FailingAllocations noMemory;
        try {
            connection_->reclaim(2000);
        } catch (...) {
            threw = true;
        }
    }
    EXPECT_FALSE(threw);
    EXPECT_EQ(Connection::CLOSED, connection_->state());
}

}
