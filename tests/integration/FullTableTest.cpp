// A full connection table (max_connections) never locks new clients out:
// idle keep-alive connections are closed for them first, oldest first, then
// the request heads that have trickled in the longest (408); a connection
// with work in flight (a response going out, an upload arriving, a script
// running) is never the one closed.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/Bodies.hpp"
#include "support/Gate.hpp"
#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const int kTable = 64;

const char* kConfig = R"(max_connections 64;
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location / { allow_methods GET; }
    location /up/ { allow_methods POST; upload_store {DIR}/up; client_max_body_size 100m; }
    location /cgi-bin/ { root {DIR}; cgi .sh; }
}
)";

// Says so on the error log, then waits until the test opens the gate next
// to it.
const char* kGateScript = "#!/bin/sh\necho 'wait.sh at its gate' >&2\n: < gate\n"
    "printf 'Content-Type: text/plain\\r\\n\\r\\nreleased\\n'\n";

const size_t kLargeFileSize = 32 * 1024 * 1024;

typedef std::vector<std::unique_ptr<TestClient>> Clients;

class FullTableTest : public ::testing::Test {
protected:
    FullTableTest()
        : server_(kConfig, [](const TempDir& dir) {
              dir.write("www/index.html", "hello\n");
              dir.write("www/large.bin", std::string(kLargeFileSize, 'L'));
              dir.write("cgi-bin/wait.sh", kGateScript, 0755);
              dir.mkdir("up");
          })
    {
    }

    int port() const { return server_.port(); }

    // A connection that has been answered once and stays open.
    std::unique_ptr<TestClient> idleClient()
    {
        std::unique_ptr<TestClient> client(new TestClient(port()));
        client->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_EQ(200, client->read().status);
        return client;
    }

    // A connection whose request head has begun and does not end.
    std::unique_ptr<TestClient> tricklingClient()
    {
        std::unique_ptr<TestClient> client(new TestClient(port()));
        client->send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        return client;
    }

    ServerProcess server_;
};

TEST_F(FullTableTest, IdleKeepAliveConnectionsMakeRoomOldestFirst)
{
    Clients idle;
    for (int i = 0; i < kTable; ++i)
        idle.push_back(idleClient());
    // 20 new clients that stay: each is answered, and room is made in
    // batches of an eighth of the table, the oldest first.
    Clients fresh;
    for (int i = 0; i < 20; ++i)
        fresh.push_back(idleClient());
    for (int i = 0; i < 24; ++i)
        EXPECT_TRUE(idle[i]->closedByServer()) << "idle client " << i;
    for (int i = 24; i < kTable; ++i) {
        idle[i]->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_EQ(200, idle[i]->read().status) << "idle client " << i;
    }
    EXPECT_TRUE(server_.waitForErr("[warn] 64 max_connections are not enough, reusing connections"));
}

TEST_F(FullTableTest, TricklingHeadsMakeRoomWith408)
{
    Clients trickling;
    for (int i = 0; i < kTable + 16; ++i)
        trickling.push_back(tricklingClient());
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(200, httpGet(port(), "/").status) << "new client " << i;
    // The first ones in were the first answered 408.
    HttpResponse oldest = trickling.front()->read();
    EXPECT_EQ(408, oldest.status);
    EXPECT_EQ("close", oldest.header("Connection"));
    EXPECT_TRUE(server_.waitForErr("max_connections are not enough, closing the slowest request heads (408)"));
}

TEST_F(FullTableTest, WorkInFlightIsNeverClosed)
{
    Gate gate(server_.dir().file("cgi-bin/gate"));
    // A download the client does not read yet, an upload half sent, a
    // script waiting at its gate.
    TestClient download(port());
    download.send("GET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    TestClient upload(port());
    std::string content = randomBytes(4 * 1024 * 1024, 16);
    std::string request = postWithLength("/up/data.bin", content);
    size_t half = request.size() / 2;
    upload.send(request.substr(0, half));
    TestClient script(port());
    script.send("GET /cgi-bin/wait.sh HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(server_.waitForErr("wait.sh at its gate"));

    // The rest of the table fills, with idle ones and heads trickling in,
    // then three times as many new clients come as there are slots, and
    // stay: every other connection has to go, some more than once.
    Clients others;
    for (int i = 0; i < kTable - 3; ++i)
        others.push_back(i % 2 ? idleClient() : tricklingClient());
    for (int i = 0; i < 3 * kTable; ++i)
        others.push_back(idleClient());

    gate.open();
    HttpResponse released = script.read();
    EXPECT_EQ(200, released.status);
    EXPECT_EQ("released\n", released.body);
    upload.send(request.substr(half));
    EXPECT_EQ(201, upload.read().status);
    HttpResponse downloaded = download.read();
    EXPECT_EQ(200, downloaded.status);
    EXPECT_EQ(kLargeFileSize, downloaded.body.size());
    EXPECT_EQ(std::string::npos, downloaded.body.find_first_not_of('L'));
    EXPECT_EQ(content, readFile(server_.dir().file("up/data.bin")));
}

}
