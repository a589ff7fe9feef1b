// webserv -s stop|quit|reload|reopen [CONFIG] against the real server, as
// nginx -s: the running server is found by the pid file its configuration
// names; the errors are nginx's.
//
// Sync points: the exit of the -s command, then the server's own log line
// for the signal (ServerProcess::waitForErr) and its exit.

#include <gtest/gtest.h>

#include <signal.h>

#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TempDir.hpp"

namespace {

const char* kConfig = R"(
pid {DIR}/webserv.pid;
server {
    listen 127.0.0.1:{PORT};
    root {DIR};
    location / { }
}
)";

std::string configOf(const ServerProcess& server)
{
    return server.dir().file("webserv.conf");
}

int signalCommand(const std::string& name, const std::string& config, std::string* output)
{
    return runWebserv({ "-s", name, config }, output);
}

TEST(SignalOptionTest, ReopenAndReloadReachTheServer)
{
    ServerProcess server(kConfig);
    std::string output;
    EXPECT_EQ(0, signalCommand("reopen", configOf(server), &output)) << output;
    EXPECT_EQ("", output);
    EXPECT_TRUE(server.waitForErr("reopening logs")) << server.err();
    EXPECT_EQ(0, signalCommand("reload", configOf(server), &output)) << output;
    EXPECT_TRUE(server.waitForErr("configuration reloaded")) << server.err();
    EXPECT_EQ(200, httpGet(server.port(), "/webserv.conf").status);
}

TEST(SignalOptionTest, QuitIsTheGracefulStop)
{
    ServerProcess server(kConfig);
    std::string output;
    EXPECT_EQ(0, signalCommand("quit", configOf(server), &output)) << output;
    EXPECT_TRUE(server.waitForErr("gracefully shutting down")) << server.err();
    EXPECT_EQ(0, server.stop(SIGQUIT));
}

TEST(SignalOptionTest, StopIsTheFastStop)
{
    ServerProcess server(kConfig);
    std::string output;
    EXPECT_EQ(0, runWebserv({ "-sstop", configOf(server) }, &output)) << output;
    EXPECT_TRUE(server.waitForErr("[notice] shutting down")) << server.err();
    EXPECT_EQ(std::string::npos, server.err().find("gracefully")) << server.err();
    EXPECT_EQ(0, server.stop());
}

TEST(SignalOptionTest, ErrorsInNginxWords)
{
    TempDir dir;
    std::string config = dir.write("webserv.conf", "pid " + dir.file("webserv.pid")
        + ";\nserver {\n root " + dir.path() + ";\n}\n");
    std::string output;
    EXPECT_EQ(1, signalCommand("stop", config, &output));
    EXPECT_EQ("webserv: [error] open() \"" + dir.file("webserv.pid")
        + "\" failed (2: No such file or directory)\n", output);

    dir.write("webserv.pid", "2147483646\n");
    EXPECT_EQ(1, signalCommand("quit", config, &output));
    EXPECT_EQ("webserv: [alert] kill(2147483646, 3) failed (3: No such process)\n", output);

    dir.write("webserv.pid", "x\n");
    EXPECT_EQ(1, signalCommand("reload", config, &output));
    EXPECT_EQ("webserv: [error] invalid PID number \"x\" in \"" + dir.file("webserv.pid") + "\"\n",
        output);

    EXPECT_EQ(1, signalCommand("restart", config, &output));
    EXPECT_EQ(0u, output.find("webserv: invalid option: \"-s restart\" (a signal is one of stop, "
        "quit, reload, reopen)\nusage: ")) << output;

    EXPECT_EQ(1, runWebserv({ "-s" }, &output));
    EXPECT_EQ(0u, output.find("webserv: option \"-s\" requires parameter\n")) << output;

    std::string noPid = dir.write("nopid.conf", "server {\n root " + dir.path() + ";\n}\n");
    EXPECT_EQ(1, signalCommand("stop", noPid, &output));
    EXPECT_EQ("webserv: [error] no \"pid\" directive in " + noPid
        + ": -s finds the running server by its pid file\n", output);
}

}
