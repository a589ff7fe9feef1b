// The command line: -t, -v, -h, config errors with file:line, and a port
// that is already taken.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TempDir.hpp"

namespace {

// The first path a "# Needs: PATH..." line of config names that does not
// exist ("" when all do): the example configurations of packaged
// applications (conf/examples/dokuwiki.conf...) need the package installed.
std::string missingNeed(const std::string& config)
{
    std::ifstream in(config.c_str());
    std::string line;
    const std::string marker = "# Needs:";
    while (std::getline(in, line)) {
        if (line.compare(0, marker.size(), marker) != 0)
            continue;
        std::istringstream paths(line.substr(marker.size()));
        std::string path;
        while (paths >> path)
            if (access(path.c_str(), F_OK) != 0)
                return path;
    }
    return std::string();
}

TEST(StartupTest, CheckSucceedsOnShippedConfigs)
{
    std::vector<std::string> configs = { "conf/default.conf" };
    for (const std::string& name : listDirectory("conf/examples"))
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".conf") == 0)
            configs.push_back("conf/examples/" + name);
    ASSERT_GE(configs.size(), 4u);
    for (const std::string& config : configs) {
        std::string missing = missingNeed(config);
        if (!missing.empty()) {
            std::cout << "[   NOTE   ] " << config << " not checked: " << missing
                      << " is not installed\n";
            continue;
        }
        std::string output;
        EXPECT_EQ(0, runWebserv({ "-t", config }, &output)) << config << ": " << output;
        EXPECT_NE(std::string::npos,
            output.find("webserv: configuration file " + config + " test is successful"))
            << output;
    }
}

TEST(StartupTest, CheckReportsErrorWithFileAndLine)
{
    TempDir dir;
    std::string config = dir.write("site.conf", "server {\n    listen 80a;\n}\n");
    std::string output;
    EXPECT_EQ(1, runWebserv({ "-t", config }, &output));
    EXPECT_NE(std::string::npos,
        output.find("webserv: [emerg] invalid port \"80a\" in \"listen\" in " + config + ":2\n"))
        << output;
    EXPECT_NE(std::string::npos, output.find("test failed")) << output;
}

TEST(StartupTest, ServingWithBadConfigExitsOne)
{
    TempDir dir;
    std::string config = dir.write("site.conf", "server {\n    rooot /tmp;\n}\n");
    std::string output;
    EXPECT_EQ(1, runWebserv({ config }, &output));
    EXPECT_EQ("webserv: [emerg] unknown directive \"rooot\" in " + config + ":2\n", output);
}

TEST(StartupTest, MissingConfigFile)
{
    std::string output;
    EXPECT_EQ(1, runWebserv({ "-t", "/nonexistent/x.conf" }, &output));
    EXPECT_NE(std::string::npos,
        output.find("webserv: [emerg] open() \"/nonexistent/x.conf\" failed (No such file or directory)\n"))
        << output;
}

TEST(StartupTest, VersionAndHelp)
{
    std::string output;
    EXPECT_EQ(0, runWebserv({ "-v" }, &output));
    EXPECT_EQ("webserv/0.1.0\n", output);
    EXPECT_EQ(0, runWebserv({ "-h" }, &output));
    EXPECT_EQ(0u, output.find("usage: webserv [-t] [-d] [-h] [-v] [-s SIGNAL] [CONFIG]\n"));
    EXPECT_EQ(1, runWebserv({ "-x" }, &output));
    EXPECT_NE(std::string::npos, output.find("invalid option"));
}

TEST(StartupTest, ExtraArgumentIsTooManyArguments)
{
    std::string output;
    EXPECT_EQ(1, runWebserv({ "-t", "conf/default.conf", "extra" }, &output));
    EXPECT_EQ(0u, output.find("webserv: too many arguments: \"extra\" after the configuration "
        "file \"conf/default.conf\"\nusage: ")) << output;
}

TEST(StartupTest, MissingDefaultConfigNamesWhereItWasLookedFor)
{
    TempDir dir;
    ScopedChdir inside(dir.path());
    std::string output;
    EXPECT_EQ(1, runWebserv({ "-t" }, &output));
    EXPECT_EQ("webserv: [emerg] open() \"conf/default.conf\" failed (No such file or directory)\n"
              "webserv: no CONFIG given, and the default conf/default.conf is not in " + dir.path()
              + " (the directory webserv was started in)\n"
              "webserv: configuration file conf/default.conf test failed\n", output);
}

TEST(StartupTest, NginxConfigurationGetsAHint)
{
    TempDir dir;
    std::string config = dir.write("nginx.conf", "events {}\nhttp {\n    server {}\n}\n");
    std::string output;
    EXPECT_EQ(1, runWebserv({ "-t", config }, &output));
    EXPECT_EQ(0u, output.find("webserv: [emerg] unknown directive \"events\" (an nginx "
        "configuration? webserv has no \"http\" or \"events\" block: its \"server\" blocks go at "
        "the top level) in " + config + ":1\n")) << output;
}

TEST(StartupTest, CheckWarnsAboutConflictingServerNames)
{
    TempDir dir;
    std::string config = dir.write("site.conf", "server {\n    listen 8090;\n    root " + dir.path()
        + ";\n}\nserver {\n    listen 8090;\n    root " + dir.path() + ";\n}\n");
    std::string output;
    EXPECT_EQ(0, runWebserv({ "-t", config }, &output));
    EXPECT_EQ("webserv: [warn] conflicting server name \"\" on 0.0.0.0:8090, ignored\n"
              "webserv: configuration file " + config + " test is successful\n", output);
}

TEST(StartupTest, PortInUseIsAClearErrorAndExitOne)
{
    int holder = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int port = freePort();
    address.sin_port = htons(static_cast<uint16_t>(port));
    ASSERT_EQ(0, bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address));
    ASSERT_EQ(0, listen(holder, 1));
    TempDir dir;
    std::string config = dir.write("site.conf",
        "server { listen 127.0.0.1:" + std::to_string(port) + "; root " + dir.path() + "; }\n");
    std::string output;
    EXPECT_EQ(1, runWebserv({ config }, &output));
    EXPECT_EQ("webserv: [emerg] bind() to 127.0.0.1:" + std::to_string(port)
        + " failed (Address already in use)\n", output);
    close(holder);
}

TEST(StartupTest, ServesOnIpv6Loopback)
{
    ServerProcess server("server { listen [::1]:{PORT}; root {DIR}; }",
        [](const TempDir& dir) { dir.write("index.html", "six"); });
    EXPECT_NE(std::string::npos, server.err().find("listening on http://[::1]:"));
    TestClient client(server.port(), "::1");
    ASSERT_TRUE(client.connected());
    client.send("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("six", r.body);
}

}
