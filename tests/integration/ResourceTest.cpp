// Resource use under many connections: memory per idle keep-alive
// connection, and descriptors released after all of them close.

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <memory>
#include <vector>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

// Both this process and the server (which inherits the limit) need more
// than 1000 descriptors.
bool raiseFdLimit(rlim_t wanted)
{
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur >= wanted)
        return true;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    return setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= wanted;
}

TEST(Resources, ThousandIdleKeepAliveConnectionsAreCheap)
{
    if (!raiseFdLimit(2200))
        GTEST_SKIP() << "RLIMIT_NOFILE hard limit below 2200";
    ServerProcess server("max_connections 2000;\nserver { listen 127.0.0.1:{PORT}; root {DIR}; }",
        [](const TempDir& dir) { dir.write("index.html", std::string(1024, 'x')); });
    int baselineFds = server.openFds();
    // Warm up allocator and caches with one request before measuring.
    EXPECT_EQ(200, httpGet(server.port(), "/").status);
    long before = server.rssKiB();
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 1000; ++i) {
        clients.emplace_back(new TestClient(server.port()));
        clients.back()->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    int ok = 0;
    for (auto& client : clients)
        ok += client->read().status == 200;
    ASSERT_EQ(1000, ok);
    long after = server.rssKiB();
    long perConnectionBytes = (after - before) * 1024 / 1000;
    RecordProperty("rss_bytes_per_idle_connection", static_cast<int>(perConnectionBytes));
    std::printf("RSS: %ld KiB before, %ld KiB with 1000 idle keep-alive connections "
                "(%ld bytes each)\n", before, after, perConnectionBytes);
    EXPECT_LT(perConnectionBytes, 16 * 1024);
    EXPECT_EQ(baselineFds + 1000, server.openFds());
    clients.clear();
    // Sync point: a request read until the server closes it.
    TestClient sync(server.port());
    sync.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    sync.readUntilClose();
    EXPECT_EQ(baselineFds, server.openFdsSettlingAt(baselineFds));
}

}

namespace {

TEST(Resources, OutOfDescriptorsKeepsServingWhatItAccepted)
{
    // Answers from memory: with no descriptor to spare, a file could not be
    // opened (that would be a 500).
    ServerProcess server("server { listen 127.0.0.1:{PORT}; root {DIR}; location = / { return 200 ok; } }");
    // Leave the server room for about ten clients (prlimit on its pid).
    rlimit low { 16, 16 };
    ASSERT_EQ(0, prlimit(server.pid(), RLIMIT_NOFILE, &low, nullptr));
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 30; ++i)
        clients.emplace_back(new TestClient(server.port()));
    // The ones it could accept are served; accept() failing with EMFILE for
    // the rest neither crashes the server nor stops it.
    clients.front()->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ("ok", clients.front()->read().body);
    ASSERT_TRUE(server.waitForErr("accept() failed (Too many open files)"));
    clients.clear();
    // Once they are gone it accepts again.
    HttpResponse r = httpGet(server.port(), "/");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("ok", r.body);
    EXPECT_TRUE(server.alive());
}

}
