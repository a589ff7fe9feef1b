// Resource use under many connections: memory per idle keep-alive
// connection, and descriptors released after all of them close.

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <cstdio>
#include <memory>
#include <set>
#include <vector>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

TEST(ResourceTest, ThousandIdleKeepAliveConnectionsAreCheap)
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

TEST(ResourceTest, OutOfDescriptorsKeepsServingWhatItAccepted)
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

namespace {

// A request head that never ends: request line, Host, one 30 000-byte
// header line (under the 32 KiB head limit) and no empty line.
const std::string kUnfinishedHead = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(30000, 'a') + "\r\n";

const long kMemoryMarginKiB = 24 * 1024;


// A head held while it arrives costs about its size: the parser copies its
// lines into the request, and the read buffer does not stay grown beside
// that copy (it did: 88 KiB for each 30 KB head).
TEST(ResourceTest, UnfinishedHeadsCostTheirSizeNotTwice)
{
    if (kUnderAddressSanitizer)
        GTEST_SKIP() << "AddressSanitizer keeps freed memory (quarantine): RSS says nothing here";
    if (!raiseFdLimit(1200))
        GTEST_SKIP() << "RLIMIT_NOFILE hard limit below 1200";
    ServerProcess server("max_connections 2000;\nserver { listen 127.0.0.1:{PORT}; root {DIR}; }",
        [](const TempDir& dir) { dir.write("index.html", "hello\n"); });
    ASSERT_EQ(200, httpGet(server.port(), "/").status);
    long before = server.rssKiB();
    std::vector<std::unique_ptr<TestClient>> heads;
    for (int i = 0; i < 500; ++i) {
        heads.emplace_back(new TestClient(server.port()));
        heads.back()->send(kUnfinishedHead);
    }
    // Sync point: a request on another connection is answered after the
    // server has read what came before it.
    ASSERT_EQ(200, httpGet(server.port(), "/").status);
    long perHeadKiB = (server.rssKiB() - before) / 500;
    std::printf("RSS per unfinished 30 KB head: %ld KiB\n", perHeadKiB);
    EXPECT_LT(perHeadKiB, 40);
}

// Thousands of unfinished request heads and some uploads under an
// address-space limit of the idle server plus 24 MiB: allocations fail,
// and each failure ends one connection, never the server.
TEST(ResourceTest, ExhaustedMemoryEndsConnectionsNotTheServer)
{
    if (kUnderAddressSanitizer)
        GTEST_SKIP() << "AddressSanitizer's shadow memory does not fit an address-space limit";
    if (!raiseFdLimit(5000))
        GTEST_SKIP() << "RLIMIT_NOFILE hard limit below 5000";
    ServerProcess server(R"(max_connections 4096;
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location / { allow_methods GET; }
    location /up/ { allow_methods POST; upload_store {DIR}/up; client_max_body_size 100m; }
})", [](const TempDir& dir) {
        dir.write("www/index.html", "hello\n");
        dir.mkdir("up");
    });
    ASSERT_EQ(200, httpGet(server.port(), "/").status);
    int baselineFds = server.openFds();
    long idleKiB = server.addressSpaceKiB();
    rlim_t limit = static_cast<rlim_t>(idleKiB + kMemoryMarginKiB) * 1024;
    rlimit addressSpace { limit, limit };
    ASSERT_EQ(0, prlimit(server.pid(), RLIMIT_AS, &addressSpace, nullptr));

    // Uploads in flight: half of each body sent, the rest never comes.
    std::vector<std::unique_ptr<TestClient>> uploads;
    for (int i = 0; i < 4; ++i) {
        uploads.emplace_back(new TestClient(server.port()));
        uploads.back()->send(requestHead("POST", "/up/big" + std::to_string(i) + ".bin",
            "Content-Length: 8000000\r\n") + std::string(4000000, 'u'));
    }
    std::vector<std::unique_ptr<TestClient>> heads;
    for (int i = 0; i < 3000; ++i) {
        heads.emplace_back(new TestClient(server.port()));
        ASSERT_TRUE(heads.back()->connected()) << i;
        heads.back()->send(kUnfinishedHead);
    }
    ASSERT_TRUE(server.waitForErr("out of memory (12: Cannot allocate memory) while "));

    // The server is still at its limit: the GET that arrives may be the
    // one whose allocation fails (a 503, or a close when even that cannot
    // be made). Each failure wins memory back, so one of three is served.
    HttpResponse r;
    for (int attempt = 0; attempt < 3 && r.status != 200; ++attempt) {
        r = httpGet(server.port(), "/");
        EXPECT_TRUE(r.status == 200 || r.status == 503 || r.status == 0) << r.status;
    }
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("hello\n", r.body);
    EXPECT_TRUE(server.alive());

    heads.clear();
    uploads.clear();
    // An upload after the storm is stored whole.
    std::string content(1000000, 'c');
    r = httpRaw(server.port(), postWithLength("/up/after.bin", content, "Connection: close\r\n"));
    EXPECT_EQ(201, r.status);
    EXPECT_EQ(baselineFds, server.openFdsSettlingAt(baselineFds));
    EXPECT_EQ(std::set<std::string>{ "after.bin" }, listDirectory(server.dir().file("up")));
    std::printf("address space: %ld KiB idle, limit %ld KiB; 3000 unfinished 30 KB heads, 4 uploads\n",
        idleKiB, idleKiB + kMemoryMarginKiB);
}

}
