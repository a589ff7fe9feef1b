// Connection management against the real server: keep-alive, pipelining,
// HTTP/1.0, many clients, slow and vanishing clients, and no fd leaks.

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    keepalive_timeout 1s;
}
)";

std::string request(const std::string& path, const std::string& extra = "")
{
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

class ConnectionTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/a.txt", "AAA");
            dir.write("www/b.txt", "BBBB");
            dir.write("www/c.txt", "CCCCC");
            dir.write("www/big.bin", std::string(16 * 1024 * 1024, 'z'));
        });
        baselineFds_ = server_->openFds();
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }

    // A request answered on a fresh connection, read until the server closes
    // it, is a sync point: every connection closed before it was sent, and
    // its own socket and file, have been released by then.
    static void syncWithServer()
    {
        TestClient client(server_->port());
        client.send(request("/a.txt", "Connection: close\r\n"));
        EXPECT_NE(std::string::npos, client.readUntilClose().find("\r\n\r\nAAA"));
    }
    static void expectNoLeakedFds()
    {
        syncWithServer();
        syncWithServer();
        EXPECT_EQ(baselineFds_, server_->openFdsSettlingAt(baselineFds_));
    }

    static ServerProcess* server_;
    static int baselineFds_;
};

ServerProcess* ConnectionTest::server_ = nullptr;
int ConnectionTest::baselineFds_ = 0;

TEST_F(ConnectionTest, KeepAliveServesTwoRequestsOnOneConnection)
{
    TestClient client(port());
    client.send(request("/a.txt"));
    HttpResponse first = client.read();
    EXPECT_EQ("AAA", first.body);
    EXPECT_EQ("keep-alive", first.header("Connection"));
    client.send(request("/b.txt"));
    HttpResponse second = client.read();
    EXPECT_EQ(200, second.status);
    EXPECT_EQ("BBBB", second.body);
}

TEST_F(ConnectionTest, PipelinedRequestsInOneWriteAreAnsweredInOrder)
{
    TestClient client(port());
    client.send(request("/a.txt") + request("/b.txt") + request("/c.txt"));
    EXPECT_EQ("AAA", client.read().body);
    EXPECT_EQ("BBBB", client.read().body);
    EXPECT_EQ("CCCCC", client.read().body);
}

TEST_F(ConnectionTest, PipelinedRequestsSplitAtOddBoundaries)
{
    std::string all = request("/a.txt") + request("/b.txt", "X-Pad: 123\r\n") + request("/c.txt");
    for (size_t step : { 1u, 3u, 7u, 17u, 29u }) {
        TestClient client(port());
        for (size_t pos = 0; pos < all.size(); pos += step)
            client.send(all.substr(pos, step));
        EXPECT_EQ("AAA", client.read().body) << step;
        EXPECT_EQ("BBBB", client.read().body) << step;
        EXPECT_EQ("CCCCC", client.read().body) << step;
    }
}

TEST_F(ConnectionTest, ConnectionCloseIsHonoured)
{
    TestClient client(port());
    client.send(request("/a.txt", "Connection: close\r\n") + request("/b.txt"));
    HttpResponse r = client.read();
    EXPECT_EQ("AAA", r.body);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(ConnectionTest, Http10ClosesByDefault)
{
    TestClient client(port());
    client.send("GET /a.txt HTTP/1.0\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("HTTP/1.1", r.version);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_EQ("3", r.header("Content-Length"));
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(ConnectionTest, Http10KeepAliveOnRequest)
{
    TestClient client(port());
    client.send("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ("keep-alive", r.header("Connection"));
    client.send("GET /b.txt HTTP/1.0\r\n\r\n");
    EXPECT_EQ("BBBB", client.read().body);
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(ConnectionTest, IdleKeepAliveConnectionIsClosedSilently)
{
    TestClient client(port());
    client.send(request("/a.txt"));
    EXPECT_EQ(200, client.read().status);
    // keepalive_timeout 1s: the server closes without sending anything.
    EXPECT_EQ("", client.readUntilClose());
}

TEST_F(ConnectionTest, TwoHundredConcurrentClientsAreAllServed)
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 200; ++i) {
        clients.emplace_back(new TestClient(port()));
        ASSERT_TRUE(clients.back()->connected()) << i;
    }
    for (auto& client : clients)
        client->send(request(clients.size() % 2 ? "/a.txt" : "/b.txt"));
    int ok = 0;
    for (auto& client : clients) {
        HttpResponse r = client->read();
        ok += r.status == 200 && (r.body == "AAA" || r.body == "BBBB");
    }
    EXPECT_EQ(200, ok);
}

TEST_F(ConnectionTest, SlowClientDoesNotDelayOthers)
{
    // The slow client's head arrives one byte at a time; between two of its
    // bytes, a whole request of another client is answered.
    std::string slowRequest = request("/c.txt");
    TestClient slow(port());
    for (size_t i = 0; i < slowRequest.size(); ++i) {
        slow.send(slowRequest.substr(i, 1));
        if (i % 4 == 0) {
            HttpResponse other = httpGet(port(), "/a.txt");
            ASSERT_EQ(200, other.status) << "after byte " << i;
        }
    }
    EXPECT_EQ("CCCCC", slow.read().body);
}

// A head still arriving a second after its first byte is read outside the
// main poll() set, a few times a second (slowloris defence): it must still
// be read whole, answered, and the connection must return to normal.
TEST_F(ConnectionTest, HeadTricklingForOverASecondIsAnswered)
{
    std::string slowRequest = request("/c.txt");
    TestClient slow(port());
    slow.send(slowRequest.substr(0, 5));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));   // no event to wait for
    slow.send(slowRequest.substr(5, 10));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    slow.send(slowRequest.substr(15));
    HttpResponse first = slow.read();
    EXPECT_EQ(200, first.status);
    EXPECT_EQ("CCCCC", first.body);
    slow.send(request("/b.txt") + request("/a.txt"));
    EXPECT_EQ("BBBB", slow.read().body);
    EXPECT_EQ("AAA", slow.read().body);
}

TEST_F(ConnectionTest, TricklingClientVanishingLeavesNoFd)
{
    {
        TestClient slow(port());
        slow.send("GET /a.txt HTTP/1.1\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        slow.send("Ho");
    }
    // A slow reader's socket is polled every 250 ms.
    expectNoLeakedFds();
}

TEST_F(ConnectionTest, ClientVanishingMidResponseLeavesServerRunning)
{
    for (int i = 0; i < 5; ++i) {
        TestClient client(port());
        client.send(request("/big.bin"));
        char some[1000];
        ASSERT_GT(recv(client.fd(), some, sizeof some, 0), 0);
        client.close();
    }
    EXPECT_TRUE(server_->alive());
    expectNoLeakedFds();
}

TEST_F(ConnectionTest, ClientVanishingMidHeadLeavesNoFd)
{
    for (int i = 0; i < 20; ++i) {
        TestClient client(port());
        client.send("GET /a.txt HTTP/1.1\r\nHo");
    }
    expectNoLeakedFds();
}

TEST_F(ConnectionTest, LargeFileIsStreamedWhole)
{
    HttpResponse r = httpGet(port(), "/big.bin");
    EXPECT_EQ(200, r.status);
    ASSERT_EQ(16u * 1024 * 1024, r.body.size());
    EXPECT_EQ(std::string::npos, r.body.find_first_not_of('z'));
}

// The file shrinks while its body is being sent (straight from the file):
// the length promised is a lie now, so the connection closes early; the
// server stays up and leaks nothing.
TEST_F(ConnectionTest, FileShrinkingMidResponseClosesTheConnection)
{
    const size_t size = 16 * 1024 * 1024;
    std::string path = server_->dir().write("www/shrinking.bin", std::string(size, 's'));
    TestClient client(port());
    client.send(request("/shrinking.bin"));
    HttpResponse head = client.read(true);
    ASSERT_EQ(200, head.status);
    ASSERT_EQ(std::to_string(size), head.header("Content-Length"));
    ASSERT_EQ(0, truncate(path.c_str(), 0));
    std::string rest = client.readUntilClose();
    EXPECT_LT(rest.size(), size);
    EXPECT_EQ(std::string::npos, rest.find_first_not_of('s'));
    EXPECT_TRUE(server_->alive());
    unlink(path.c_str());
    expectNoLeakedFds();
}

TEST_F(ConnectionTest, NoFdLeaksAfterEverything)
{
    expectNoLeakedFds();
}

TEST(ConnectionTestLimits, MaxConnectionsStopsAcceptingUntilOneCloses)
{
    // Answers from memory, so no file descriptor comes and goes with them.
    ServerProcess server(R"(
max_connections 2;
server { listen 127.0.0.1:{PORT}; root {DIR}; location = /r { return 200 "R"; } }
)");
    int baseline = server.openFds();
    TestClient first(server.port());
    TestClient second(server.port());
    first.send(request("/r"));
    second.send(request("/r"));
    EXPECT_EQ("R", first.read().body);
    EXPECT_EQ("R", second.read().body);
    TestClient third(server.port());
    third.send(request("/r"));
    EXPECT_EQ(baseline + 2, server.openFds());
    first.close();
    HttpResponse r = third.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("R", r.body);
}

TEST(ConnectionTestLimits, SigtermExitsCleanlyWithOpenConnections)
{
    ServerProcess server("server { listen 127.0.0.1:{PORT}; root {DIR}; }",
        [](const TempDir& dir) { dir.write("a.txt", "A"); });
    TestClient idle(server.port());
    idle.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n");
    EXPECT_EQ(0, server.stop());
    EXPECT_TRUE(idle.closedByServer());
}

}

namespace {

// A connection idle for over a second is polled apart from the main set
// while other connections are active (src/core/PollSetLanes.cpp), and back in
// it once the server is quiet: either way its next request is answered.
TEST(ConnectionTestLanes, IdleConnectionIsAnsweredWhetherTheServerIsBusyOrQuiet)
{
    ServerProcess server(R"(
server { listen 127.0.0.1:{PORT}; root {DIR}/www; keepalive_timeout 30s; }
)", [](const TempDir& dir) {
        dir.write("www/a.txt", "AAA");
        dir.write("www/big.bin", std::string(16 * 1024 * 1024, 'b'));
    });
    TestClient idle(server.port());
    idle.send(request("/a.txt"));
    EXPECT_EQ("AAA", idle.read().body);
    // Busy: a download the client does not read keeps its connection active.
    TestClient busy(server.port());
    busy.send(request("/big.bin"));
    ASSERT_EQ(200, busy.read(true).status);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // no event to wait for
    // Another client's request wakes the loop up: its lane scan moves the
    // idle connection apart.
    EXPECT_EQ("AAA", httpGet(server.port(), "/a.txt").body);
    idle.send(request("/a.txt"));
    EXPECT_EQ("AAA", idle.read().body);
    // Quiet: nothing else is open.
    busy.close();
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    idle.send(request("/a.txt"));
    EXPECT_EQ("AAA", idle.read().body);
}



// Many connections polled apart while some of them leave: their slots move
// within the poll set (src/core/PollSet.cpp), and every connection
// must go on getting its own readiness, and no descriptor may be lost.
TEST(ConnectionTestLanes, IdleConnectionsLeavingWhileApartDoNotMixUpTheOthers)
{
    const int kIdle = 30;
    ServerProcess server(R"(
server { listen 127.0.0.1:{PORT}; root {DIR}/www; keepalive_timeout 30s; }
)", [](const TempDir& dir) {
        for (int i = 0; i < kIdle; ++i)
            dir.write("www/n" + std::to_string(i) + ".txt", "N" + std::to_string(i));
        dir.write("www/big.bin", std::string(16 * 1024 * 1024, 'b'));
    });
    int baseline = server.openFds();
    std::vector<std::unique_ptr<TestClient>> idle;
    auto expectOwnFile = [&](int i) {
        std::string name = "/n" + std::to_string(i) + ".txt";
        idle[i]->send(request(name));
        EXPECT_EQ("N" + std::to_string(i), idle[i]->read().body) << name;
    };
    for (int i = 0; i < kIdle; ++i) {
        idle.emplace_back(new TestClient(server.port()));
        expectOwnFile(i);
    }
    TestClient busy(server.port());
    busy.send(request("/big.bin"));
    ASSERT_EQ(200, busy.read(true).status);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // no event to wait for
    EXPECT_EQ(200, httpGet(server.port(), "/n0.txt").status);     // wakes a lane scan
    for (int i = 0; i < kIdle; i += 3)
        idle[i]->close();
    for (int i = 0; i < kIdle; ++i)
        if (i % 3 != 0)
            expectOwnFile(i);
    int open = baseline + (kIdle - kIdle / 3) + 2;      // and the download's socket and file
    EXPECT_EQ(open, server.openFdsSettlingAt(open));
    busy.close();
    for (int i = 0; i < kIdle; ++i)
        if (i % 3 != 0)
            expectOwnFile(i);
}
}
