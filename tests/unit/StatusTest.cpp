// The two renderings of `status on;` (nginx stub_status style text, JSON).

#include <gtest/gtest.h>

#include "handlers/StatusHandler.hpp"

namespace {

ServerStatus sample()
{
    ServerStatus s;
    s.accepted = 41;
    s.handled = 40;
    s.requests = 187;
    s.active = 6;
    s.reading = 1;
    s.writing = 2;
    s.waiting = 3;
    s.cgiProcesses = 4;
    s.sessions = 5;
    s.rateKeys = 7;
    s.rateMaxKeys = 16384;
    s.rateEvictions = 9;
    s.connectionAddresses = 2;
    s.limitBytes = 4096;
    s.fastcgiKept = 3;
    s.fastcgiReused = 1200;
    s.proxyKept = 4;
    s.proxyReused = 77;
    s.uptimeSeconds = 342;
    return s;
}

TEST(StatusTest, DefaultStatusIsAllZero)
{
    ServerStatus s;
    EXPECT_EQ(0u, s.accepted);
    EXPECT_EQ(0u, s.handled);
    EXPECT_EQ(0u, s.requests);
    EXPECT_EQ(0, s.active);
    EXPECT_EQ(0, s.reading);
    EXPECT_EQ(0, s.writing);
    EXPECT_EQ(0, s.waiting);
    EXPECT_EQ(0, s.cgiProcesses);
    EXPECT_EQ(0, s.sessions);
    EXPECT_EQ(0, s.uptimeSeconds);
}

TEST(StatusTest, TextIsStubStatusPlusSixLines)
{
    EXPECT_EQ("Active connections: 6\n"
              "server accepts handled requests\n"
              " 41 40 187\n"
              "Reading: 1 Writing: 2 Waiting: 3\n"
              "CGI processes: 4\n"
              "Sessions: 5\n"
              "Limits: rate keys 7/16384 evicted 9, connection addresses 2, bytes 4096\n"
              "FastCGI: kept connections 3, reused 1200\n"
              "Proxy: kept connections 4, reused 77\n"
              "Uptime: 342\n",
        statusText(sample()));
}

TEST(StatusTest, TextOfZeros)
{
    EXPECT_EQ("Active connections: 0\n"
              "server accepts handled requests\n"
              " 0 0 0\n"
              "Reading: 0 Writing: 0 Waiting: 0\n"
              "CGI processes: 0\n"
              "Sessions: 0\n"
              "Limits: rate keys 0/0 evicted 0, connection addresses 0, bytes 0\n"
              "FastCGI: kept connections 0, reused 0\n"
              "Proxy: kept connections 0, reused 0\n"
              "Uptime: 0\n",
        statusText(ServerStatus()));
}

TEST(StatusTest, TextOfLargeCounters)
{
    ServerStatus s;
    s.accepted = 4294967295UL;
    s.handled = 4294967295UL;
    s.requests = 1234567890123UL;
    s.uptimeSeconds = 31536000;
    std::string text = statusText(s);
    EXPECT_NE(std::string::npos, text.find("\n 4294967295 4294967295 1234567890123\n")) << text;
    EXPECT_NE(std::string::npos, text.find("\nUptime: 31536000\n")) << text;
}

TEST(StatusTest, Json)
{
    EXPECT_EQ("{\"connections\":{\"active\":6,\"reading\":1,\"writing\":2,\"waiting\":3},"
              "\"accepted\":41,\"handled\":40,\"requests\":187,\"cgi_processes\":4,"
              "\"sessions\":5,\"limits\":{\"rate_keys\":7,\"rate_max_keys\":16384,"
              "\"rate_evictions\":9,\"connection_addresses\":2,\"bytes\":4096},"
              "\"fastcgi\":{\"kept\":3,\"reused\":1200},\"proxy\":{\"kept\":4,\"reused\":77},"
              "\"uptime_seconds\":342}\n",
        statusJson(sample()));
}

TEST(StatusTest, JsonOfZeros)
{
    EXPECT_EQ("{\"connections\":{\"active\":0,\"reading\":0,\"writing\":0,\"waiting\":0},"
              "\"accepted\":0,\"handled\":0,\"requests\":0,\"cgi_processes\":0,"
              "\"sessions\":0,\"limits\":{\"rate_keys\":0,\"rate_max_keys\":0,"
              "\"rate_evictions\":0,\"connection_addresses\":0,\"bytes\":0},"
              "\"fastcgi\":{\"kept\":0,\"reused\":0},\"proxy\":{\"kept\":0,\"reused\":0},"
              "\"uptime_seconds\":0}\n",
        statusJson(ServerStatus()));
}

}
