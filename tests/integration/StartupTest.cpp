// The command line: -t, -v, -h, config errors with file:line, and a port
// that is already taken.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
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

// Runs script with bash in a network namespace of its own whose loopback
// has IPv4 only (as in a container with IPv6 disabled); its output and exit
// status. 77: no such namespace can be made here (not root, no unshare or
// ip), the test is skipped.
int runWithoutIpv6(const std::string& script, const std::vector<std::string>& args,
    std::string* output)
{
    TempDir dir;
    std::string path = dir.write("run.sh", "ip link set lo up 2>/dev/null "
        "&& echo 1 > /proc/sys/net/ipv6/conf/lo/disable_ipv6 2>/dev/null || exit 77\n" + script);
    std::string command = "unshare -n true >/dev/null 2>&1 || exit 77; exec unshare -n bash " + path;
    for (const std::string& arg : args)
        command += " '" + arg + "'";
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return 77;
    output->clear();
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
        output->append(buffer, n);
    int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// The shipped configuration listens on 127.0.0.1:8080 and [::1]:8080. On a
// machine without IPv6 loopback the demo still starts, on IPv4, with a
// warning; only a configuration with nothing left to listen on fails. (The
// namespace has its own port 8080, so a running `make run` is no matter.)
TEST(StartupTest, WithoutIpv6TheIpv6AddressesAreSkippedUnlessNothingIsLeft)
{
    TempDir dir;
    std::string onlySix = dir.write("six.conf",
        "server { listen [::1]:8080; root " + dir.path() + "; }\n");
    // --foreground: the stop is SIGTERM alone. Without it, timeout sends
    // SIGCONT after the signal, which can land while LeakSanitizer's exit
    // check has the server stopped under ptrace, and that check then waits
    // for ever (the sanitizer run hung on it).
    const char* script =
        "timeout --foreground 20 \"$1\" conf/default.conf 2> \"$3/err.log\" & pid=$!\n"
        // A bounded wait across the namespace: the log line is the sync point.
        "for i in $(seq 200); do grep -qs 'listening on' \"$3/err.log\" && break; sleep 0.05; done\n"
        "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3\n"
        "kill $pid; wait $pid\n"
        "cat \"$3/err.log\"\n"
        "timeout --foreground 10 \"$1\" \"$2\"; echo \"exit $?\"\n";
    std::string output;
    const char* bin = std::getenv("WEBSERV_BIN");
    int status = runWithoutIpv6(script, { bin ? bin : "./webserv", onlySix, dir.path() }, &output);
    if (status == 77)
        GTEST_SKIP() << "no network namespace without IPv6 can be made here (needs root, "
                        "unshare and ip): " << output;
    ASSERT_EQ(0, status) << output;
    EXPECT_NE(std::string::npos, output.find("HTTP/1.1 200 OK\r\n")) << output;
    EXPECT_NE(std::string::npos, output.find("[warn] bind() to [::1]:8080 failed (Cannot assign "
        "requested address): no IPv6 on this machine for [::1]:8080, skipped\n")) << output;
    EXPECT_NE(std::string::npos, output.find("[notice] listening on http://127.0.0.1:8080/\n"))
        << output;
    EXPECT_EQ(std::string::npos, output.find("listening on http://[::1]")) << output;
    // Every address skipped: the server does not start, and says why.
    EXPECT_NE(std::string::npos, output.find("webserv: [emerg] no listen address could be "
        "opened (every one is IPv6, and this machine has no IPv6)\nexit 1\n")) << output;
}

TEST(StartupTest, ServesOnIpv6Loopback)
{
    if (!hasIpv6Loopback())
        GTEST_SKIP() << "this machine has no IPv6 loopback";
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
