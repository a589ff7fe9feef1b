// What operators compare with nginx 1.22 (each expectation was checked
// against nginx): the access log's $remote_user and the request line of a
// request that could not be parsed, the error-log line of SIGUSR1, the
// reason phrases of configured statuses.
//
// Sync points: the access-log line itself (ServerProcess::waitForOut) and
// the error-log line (waitForErr).

#include <gtest/gtest.h>

#include <signal.h>

#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location / { }
    location = /teapot { return 418; }
    location = /legal { return 451; }
    location = /early { return 425 "later"; }
    location = /odd { return 499; }
}
)";

class OperatorsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/index.html", "home\n");
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }

    static ServerProcess* server_;
};

ServerProcess* OperatorsTest::server_ = nullptr;

TEST_F(OperatorsTest, RemoteUserFromBasicAuthorization)
{
    // alice:secret, then one without a name, one of another scheme.
    httpGet(port(), "/index.html?u1", "Authorization: Basic YWxpY2U6c2VjcmV0\r\n");
    httpGet(port(), "/index.html?u2", "Authorization: Basic OnB3\r\n");
    httpGet(port(), "/index.html?u3", "Authorization: Bearer YWxpY2U6c2VjcmV0\r\n");
    ASSERT_TRUE(server_->waitForOut("/index.html?u3 ")) << server_->out();
    std::string log = server_->out();
    EXPECT_NE(std::string::npos, log.find("127.0.0.1 - alice [")) << log;
    size_t u2 = log.find("\"GET /index.html?u2 ");
    size_t u3 = log.find("\"GET /index.html?u3 ");
    ASSERT_NE(std::string::npos, u2);
    ASSERT_NE(std::string::npos, u3);
    EXPECT_EQ("127.0.0.1 - - [", log.substr(log.rfind('\n', u2) + 1, 15)) << log;
    EXPECT_EQ("127.0.0.1 - - [", log.substr(log.rfind('\n', u3) + 1, 15)) << log;
}

TEST_F(OperatorsTest, RefusedRequestLineIsLoggedAsItCame)
{
    EXPECT_EQ(400, httpRaw(port(), "HELLO\r\n\r\n").status);
    EXPECT_EQ(400, httpRaw(port(), "HEL\"LO\\ x\x01\r\n\r\n").status);
    EXPECT_EQ(505, httpRaw(port(), "GET /v HTTP/7.1\r\n\r\n").status);
    ASSERT_TRUE(server_->waitForOut("\"GET /v HTTP/7.1\" 505 ")) << server_->out();
    std::string log = server_->out();
    EXPECT_NE(std::string::npos, log.find("] \"HELLO\" 400 ")) << log;
    EXPECT_NE(std::string::npos, log.find("] \"HEL\\x22LO\\x5C x\\x01\" 400 ")) << log;
}

TEST_F(OperatorsTest, OverlongRequestLineIsLoggedCutAt8KiB)
{
    std::string target = "/" + std::string(10000, 'a');
    EXPECT_EQ(414, httpRaw(port(), "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n").status);
    std::string logged = "] \"GET " + target.substr(0, 8192 - 4) + "\" 414 ";
    EXPECT_TRUE(server_->waitForOut(logged)) << server_->out().substr(0, 300);
}

TEST_F(OperatorsTest, ConfiguredStatusesCarryTheirRegisteredNames)
{
    EXPECT_EQ("I'm a teapot", httpGet(port(), "/teapot").reason);
    EXPECT_EQ("Unavailable For Legal Reasons", httpGet(port(), "/legal").reason);
    HttpResponse early = httpGet(port(), "/early");
    EXPECT_EQ("Too Early", early.reason);
    EXPECT_EQ("later", early.body);
    EXPECT_EQ("Unknown", httpGet(port(), "/odd").reason);
}

TEST_F(OperatorsTest, Sigusr1SaysReopeningLogs)
{
    ASSERT_EQ(0, kill(server_->pid(), SIGUSR1));
    EXPECT_TRUE(server_->waitForErr("[notice] reopening logs")) << server_->err();
    EXPECT_EQ(200, httpGet(port(), "/index.html").status);
}

}
