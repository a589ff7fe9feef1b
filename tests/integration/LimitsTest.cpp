// limit_conn and limit_req against the real server: exact counts of
// refusals under a bounded burst, the refusal's status and what happens to
// the connection, one error-log line per burst of connection refusals, a
// delayed request that waits without holding up anyone else, and the
// tables on the status page.
//
// Sync points: every request is read to the end of its response; the
// delayed request is known to wait because another connection's request
// is answered first.

#include <gtest/gtest.h>

#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location /conn/ { limit_conn 2; }
    location /burst/ { limit_req rate=1r/m burst=2 nodelay; limit_req_status 429; }
    location /strict/ { limit_req rate=1r/m; }
    location /slow/ { limit_req rate=1r/s burst=1; }
    location = /status { status on; }
}
)";

std::string get(const std::string& path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
}

size_t countOf(const std::string& text, const std::string& part)
{
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

class LimitsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        server_.reset(new ServerProcess(kConfig, [](const TempDir& dir) {
            for (const char* place : { "conn", "burst", "strict", "slow" })
                dir.write(std::string("www/") + place + "/index.html", place);
            dir.write("www/index.html", "home");
        }));
    }
    int port() const { return server_->port(); }

    std::unique_ptr<ServerProcess> server_;
};

TEST_F(LimitsTest, LimitConnRefusesConnectionsPastTheLimitAndClosesThem)
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 5; ++i) {
        clients.emplace_back(new TestClient(port()));
        ASSERT_TRUE(clients.back()->connected());
    }
    int served = 0;
    int refused = 0;
    for (auto& client : clients) {
        client->send(get("/conn/"));
        HttpResponse r = client->read();
        if (r.status == 200) {
            ++served;
        } else {
            EXPECT_EQ(503, r.status) << r.raw;
            EXPECT_EQ("close", r.header("Connection"));
            EXPECT_TRUE(client->closedByServer());
            ++refused;
        }
    }
    EXPECT_EQ(2, served);
    EXPECT_EQ(3, refused);
    ASSERT_TRUE(server_->waitForErr("limiting connections to 2 by client address"));
    // The two that got in keep their slots for their next requests.
    clients[0]->send(get("/conn/"));
    EXPECT_EQ(200, clients[0]->read().status);
    // One burst, one line.
    EXPECT_EQ(1u, countOf(server_->err(), "limiting connections"));
    // A slot given back (once the server has seen the close) is taken by
    // the next connection.
    int open = server_->openFds();
    clients[1]->close();
    ASSERT_EQ(open - 1, server_->openFdsSettlingAt(open - 1));
    TestClient later(port());
    later.send(get("/conn/"));
    EXPECT_EQ(200, later.read().status);
    // Other locations have no limit.
    TestClient free(port());
    free.send(get("/"));
    EXPECT_EQ(200, free.read().status);
}

TEST_F(LimitsTest, LimitReqNodelayServesTheBurstAndRefusesTheRest)
{
    TestClient client(port());
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 10; ++i) {
        client.send(get("/burst/"));
        HttpResponse r = client.read();
        if (r.status == 200)
            ++ok;
        else if (r.status == 429)
            ++limited;
        else
            ADD_FAILURE() << r.raw;
    }
    EXPECT_EQ(3, ok);           // one at the rate, two of burst
    EXPECT_EQ(7, limited);      // the connection stayed usable throughout
    EXPECT_EQ(7u, server_->waitForErrCount("limiting requests by \"limit_req\" in ", 7));
    // The bucket is per client address: a fresh connection from the same
    // address is limited too.
    EXPECT_EQ(429, httpGet(port(), "/burst/").status);
}

TEST_F(LimitsTest, LimitReqWithoutBurstAnswers503)
{
    EXPECT_EQ(200, httpGet(port(), "/strict/").status);
    HttpResponse r = httpGet(port(), "/strict/");
    EXPECT_EQ(503, r.status);
    EXPECT_NE(std::string::npos, r.body.find("<h1>503 Service Unavailable</h1>")) << r.body;
}

TEST_F(LimitsTest, ADelayedRequestWaitsWithoutBlockingOthers)
{
    TestClient first(port());
    first.send(get("/slow/"));
    EXPECT_EQ(200, first.read().status);
    TestClient delayed(port());
    delayed.send(get("/slow/"));        // within the burst: waits about a second
    TestClient other(port());
    other.send(get("/"));
    HttpResponse r = other.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("home", r.body);
    pollfd p = { delayed.fd(), POLLIN, 0 };
    EXPECT_EQ(0, poll(&p, 1, 0)) << "the delayed request was answered before the other one";
    HttpResponse late = delayed.read();
    EXPECT_EQ(200, late.status);
    EXPECT_EQ("slow", late.body);
}

TEST_F(LimitsTest, TheStatusPageCountsTheTables)
{
    EXPECT_EQ(200, httpGet(port(), "/burst/").status);
    TestClient holder(port());
    holder.send(get("/conn/"));
    EXPECT_EQ(200, holder.read().status);
    HttpResponse s = httpGet(port(), "/status");
    ASSERT_EQ(200, s.status);
    EXPECT_NE(std::string::npos, s.body.find("Limits: rate keys 1/16384 evicted 0, connection "
        "addresses 1, bytes ")) << s.body;
}

}
