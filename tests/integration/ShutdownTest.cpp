// SIGQUIT, the graceful stop, against the real server, as nginx 1.22 does
// it (compared by hand): the listeners close at once (new clients are
// refused), idle keep-alive connections are closed, a download in flight
// and a request head already arriving are finished, each connection closes
// after its answer, and the process exits 0 with its pid file removed.
// shutdown_timeout bounds the wait: what is left then is cut.
//
// Sync points: the "gracefully shutting down" line (logged once the
// listeners are closed), the first byte of a download peeked at (its
// answer is under way; a 16 MiB file through a 64 KiB receive buffer
// cannot be sent in full before it is read), the server's descriptor count
// for a connection accepted whose head is incomplete, and the exit.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const size_t kBigSize = 16 * 1024 * 1024;

const char* kConfig = R"(
pid {DIR}/webserv.pid;
shutdown_timeout {TIMEOUT};
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location / { }
}
)";

std::string configWith(const std::string& timeout)
{
    std::string text = kConfig;
    text.replace(text.find("{TIMEOUT}"), 9, timeout);
    return text;
}

void writeSite(const TempDir& dir)
{
    dir.write("www/small.txt", "small\n");
    dir.write("www/big.bin", randomBytes(kBigSize, 16));
}

bool refused(int port)
{
    TestClient client(port);
    return !client.connected();
}

// Asks for the big file through a small receive buffer and waits for its
// first byte, left in the socket.
void startDownload(TestClient& client)
{
    int small = 64 * 1024;
    setsockopt(client.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    client.send("GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n");
    char byte;
    ASSERT_EQ(1, recv(client.fd(), &byte, 1, MSG_PEEK));
}

TEST(ShutdownTest, SigquitFinishesWhatIsInFlightAndRefusesTheRest)
{
    ServerProcess server(configWith("30s"), writeSite);
    ASSERT_TRUE(server.started());
    TestClient idle(server.port());
    idle.send("GET /small.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    ASSERT_EQ("small\n", idle.read().body);
    TestClient download(server.port());
    startDownload(download);
    int baseline = server.openFds();
    TestClient arriving(server.port());
    arriving.send("GET /small.txt HTTP/1.1\r\nHost: a\r\n");
    ASSERT_EQ(baseline + 1, server.openFdsSettlingAt(baseline + 1));

    ASSERT_EQ(0, kill(server.pid(), SIGQUIT));
    ASSERT_TRUE(server.waitForErr("[notice] gracefully shutting down")) << server.err();
    EXPECT_TRUE(refused(server.port()));
    EXPECT_TRUE(idle.closedByServer());

    // The head that was arriving is answered, and its connection closes.
    arriving.send("\r\n");
    HttpResponse small = arriving.read();
    EXPECT_EQ(200, small.status);
    EXPECT_EQ("small\n", small.body);
    EXPECT_EQ("close", small.header("Connection"));
    EXPECT_TRUE(arriving.closedByServer());

    // The download completes byte for byte, then its connection closes.
    HttpResponse big = download.read();
    EXPECT_EQ(200, big.status);
    EXPECT_TRUE(big.body == randomBytes(kBigSize, 16)) << big.body.size() << " bytes";
    EXPECT_TRUE(download.closedByServer());

    EXPECT_EQ(0, server.stop(SIGQUIT));
    EXPECT_NE(0, access(server.dir().file("webserv.pid").c_str(), F_OK));
    EXPECT_NE(std::string::npos, server.err().find("[notice] shutting down")) << server.err();
}

TEST(ShutdownTest, ShutdownTimeoutCutsWhatIsLeft)
{
    ServerProcess server(configWith("200ms"), writeSite);
    ASSERT_TRUE(server.started());
    TestClient download(server.port());
    startDownload(download);
    ASSERT_EQ(0, kill(server.pid(), SIGQUIT));
    EXPECT_TRUE(server.waitForErr("shutdown_timeout expired, closing 1 connection"))
        << server.err();
    EXPECT_EQ(0, server.stop(SIGQUIT));
    std::string received = download.readUntilClose();
    EXPECT_LT(received.size(), kBigSize);
    // Its access-log line says what was sent.
    EXPECT_TRUE(server.waitForOut("\"GET /big.bin HTTP/1.1\" 200 ")) << server.out();
}

TEST(ShutdownTest, SigquitWithNothingInFlightExitsAtOnce)
{
    ServerProcess server(configWith("30s"), writeSite);
    ASSERT_TRUE(server.started());
    EXPECT_EQ(0, server.stop(SIGQUIT));
    EXPECT_NE(0, access(server.dir().file("webserv.pid").c_str(), F_OK));
}

TEST(ShutdownTest, SigtermStaysTheFastStopDuringAGracefulOne)
{
    ServerProcess server(configWith("30s"), writeSite);
    ASSERT_TRUE(server.started());
    TestClient download(server.port());
    startDownload(download);
    ASSERT_EQ(0, kill(server.pid(), SIGQUIT));
    ASSERT_TRUE(server.waitForErr("gracefully shutting down")) << server.err();
    EXPECT_EQ(0, server.stop(SIGTERM));
    EXPECT_LT(download.readUntilClose().size(), kBigSize);
}

}
