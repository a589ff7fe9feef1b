// The access directives in the config loader: allow/deny and their
// inheritance, auth_basic with its user file read at load, limit_except,
// satisfy, limit_conn, limit_req and limit_req_status, with nginx's
// messages for what is wrong (file:line of the directive).

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "config/Config.hpp"
#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "support/ConfigErrors.hpp"
#include "support/TempDir.hpp"

namespace {

const char* const kFile = "test.conf";

class AccessConfigTest : public ::testing::Test {
protected:
    AccessConfigTest() : cwd_(dir_.path())
    {
        dir_.mkdir("www");
        dir_.write("users", "alice:{PLAIN}wonder\nbob:{PLAIN}builder\n");
    }

    Config load(const std::string& text, ConfigWarnings* warnings = nullptr)
    {
        return loadConfigText(text, kFile, warnings);
    }
    std::string error(const std::string& text) { return configErrorOf(text, kFile); }
    std::string path(const std::string& name) const { return dir_.path() + "/" + name; }

    TempDir dir_;
    ScopedChdir cwd_;
};

const LocationConfig& locationOf(const Config& config, const std::string& path)
{
    for (const LocationConfig& location : config.servers.at(0).locations)
        if (location.path == path)
            return location;
    throw std::runtime_error("no location \"" + path + "\"");
}

TEST_F(AccessConfigTest, RulesAreInheritedUntilABlockHasItsOwn)
{
    Config config = load("allow 10.0.0.0/8;\ndeny all;\nserver {\n"
        "location /a/ { }\nlocation /b/ { allow ::1; }\n}\n");
    const AccessPolicy& a = locationOf(config, "/a/").access;
    ASSERT_EQ(2u, a.rules.size());
    EXPECT_TRUE(a.rules[0].allow);
    EXPECT_EQ(8u, a.rules[0].range.prefix);
    EXPECT_FALSE(a.rules[1].allow);
    EXPECT_TRUE(a.rules[1].range.all);
    const AccessPolicy& b = locationOf(config, "/b/").access;
    ASSERT_EQ(1u, b.rules.size());
    EXPECT_EQ(128u, b.rules[0].range.prefix);
}

TEST_F(AccessConfigTest, BadAddressesAreRefusedAtTheirLine)
{
    EXPECT_EQ("invalid parameter \"10.0.0.300\" in \"allow\" in test.conf:2",
        error("server {\nallow 10.0.0.300;\n}\n"));
    EXPECT_EQ("invalid parameter \"::1/129\" in \"deny\" in test.conf:1",
        error("deny ::1/129; server { }\n"));
    ConfigWarnings warnings;
    load("server { allow 10.1.2.3/8; }\n", &warnings);
    ASSERT_EQ(1u, warnings.size());
    EXPECT_EQ("low address bits of 10.1.2.3/8 are meaningless in test.conf:1", warnings[0]);
}

TEST_F(AccessConfigTest, AuthBasicReadsItsUserFileAtLoad)
{
    Config config = load("server { location /p/ { auth_basic \"Private\"; "
        "auth_basic_user_file users; } location /q/ { } }\n");
    const AccessPolicy& p = locationOf(config, "/p/").access;
    EXPECT_TRUE(p.auth);
    EXPECT_EQ("Private", p.realm);
    EXPECT_EQ(path("users"), p.userFile);
    ASSERT_EQ(1u, config.userFiles.count(path("users")));
    const UserFile& users = config.userFiles.at(path("users"));
    ASSERT_EQ(2u, users.entries.size());
    ASSERT_NE(nullptr, users.find("bob"));
    EXPECT_EQ(2, users.find("bob")->line);
    EXPECT_FALSE(locationOf(config, "/q/").access.auth);
}

TEST_F(AccessConfigTest, AuthBasicOffTurnsAnInheritedOneOff)
{
    Config config = load("auth_basic \"R\";\nauth_basic_user_file users;\nserver {\n"
        "location /open/ { auth_basic off; }\nlocation /closed/ { }\n}\n");
    EXPECT_FALSE(locationOf(config, "/open/").access.auth);
    EXPECT_TRUE(locationOf(config, "/closed/").access.auth);
    EXPECT_EQ(path("users"), locationOf(config, "/open/").access.userFile);
}

TEST_F(AccessConfigTest, AuthBasicWithoutAUserFileIsAnError)
{
    EXPECT_EQ("\"auth_basic\" needs \"auth_basic_user_file\" (without one every "
        "request would get through) in test.conf:3",
        error("server {\nlocation /p/ {\nauth_basic \"R\";\n}\n}\n"));
}

TEST_F(AccessConfigTest, UserFileProblemsNameTheFileAndTheDirective)
{
    EXPECT_EQ("open() \"" + path("missing") + "\" failed (No such file or "
        "directory) in test.conf:1",
        error("auth_basic_user_file missing; server { }\n"));
    dir_.write("bad", "# users\nalice:{PLAIN}x\nbob\n");
    std::string message = error("server {\nauth_basic_user_file bad;\n}\n");
    EXPECT_NE(std::string::npos, message.find(" in user file " + path("bad") + ":3 in test.conf:2"))
        << message;
    // Read whole at load: a device would never end, a directory is no list.
    EXPECT_EQ("user file \"/dev/zero\" is not a regular file in test.conf:1",
        error("auth_basic_user_file /dev/zero; server { }\n"));
    dir_.mkdir("users.d");
    EXPECT_EQ("user file \"" + path("users.d") + "\" is not a regular file in test.conf:1",
        error("auth_basic_user_file users.d; server { }\n"));
    dir_.write("huge", std::string(16 * 1024 * 1024 + 1, '#'));
    EXPECT_EQ("user file \"" + path("huge") + "\" is larger than 16 MiB in test.conf:1",
        error("auth_basic_user_file huge; server { }\n"));
    EXPECT_EQ("variables in \"auth_basic_user_file\" are not supported in "
        "test.conf:1", error("auth_basic_user_file $host; server { }\n"));
}

TEST_F(AccessConfigTest, LimitExceptKeepsTheListedMethodsOnTheLocationsPolicy)
{
    Config config = load("server { location /s/ { allow 127.0.0.1; limit_except GET { "
        "auth_basic \"W\"; auth_basic_user_file users; } } }\n");
    const LocationConfig& s = locationOf(config, "/s/");
    EXPECT_TRUE(s.hasLimitExcept);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD), s.limitExceptMethods);
    EXPECT_FALSE(s.accessFor("GET").auth);
    EXPECT_FALSE(s.accessFor("HEAD").auth);
    EXPECT_TRUE(s.accessFor("DELETE").auth);
    EXPECT_TRUE(s.accessFor("PUT").auth);       // not implemented is not listed either
    EXPECT_TRUE(s.accessFor("OPTIONS").auth);
    // The block starts from the location's rules.
    ASSERT_EQ(1u, s.accessFor("POST").rules.size());
    EXPECT_EQ(1u, s.accessFor("GET").rules.size());
}

TEST_F(AccessConfigTest, LimitExceptTakesOnlyAccessDirectives)
{
    EXPECT_EQ("invalid method \"FETCH\" in test.conf:1",
        error("server { location / { limit_except GET FETCH { deny all; } } }\n"));
    EXPECT_EQ("\"root\" directive is not allowed here in test.conf:1",
        error("server { location / { limit_except GET { root /tmp; } } }\n"));
    EXPECT_EQ("\"limit_except\" directive is not allowed here in test.conf:1",
        error("server { limit_except GET { deny all; } }\n"));
    EXPECT_EQ("\"limit_except\" directive is duplicate in test.conf:2",
        error("server { location / { limit_except GET { deny all; }\n"
              "limit_except POST { deny all; } } }\n"));
    EXPECT_EQ("<loaded without error>",
        error("server { location / { limit_except GET PUT PATCH { deny all; } } }\n"));
}

TEST_F(AccessConfigTest, Satisfy)
{
    Config config = load("satisfy any; server { location /a/ { } location /b/ { satisfy all; } }\n");
    EXPECT_EQ(SATISFY_ANY, locationOf(config, "/a/").satisfy);
    EXPECT_EQ(SATISFY_ALL, locationOf(config, "/b/").satisfy);
    EXPECT_EQ("invalid value \"some\" in \"satisfy\" directive, it must be "
        "\"all\" or \"any\" in test.conf:1", error("satisfy some; server { }\n"));
}

TEST_F(AccessConfigTest, LimitReqReadsNginxsParameters)
{
    Config config = load("server {\nlimit_req rate=10r/s;\nlocation /m/ { limit_req rate=30r/m "
        "burst=5 nodelay; }\nlocation /d/ { limit_req burst=4 rate=2r/s delay=2; }\n"
        "location /i/ { }\n}\n");
    const RequestLimit& s = config.servers[0].implicit.limitReq;
    EXPECT_EQ(10000, s.milliRate);
    EXPECT_EQ(0, s.burst);
    EXPECT_EQ(0, s.delay);
    EXPECT_EQ("test.conf:2", s.id);
    const RequestLimit& m = locationOf(config, "/m/").limitReq;
    EXPECT_EQ(500, m.milliRate);
    EXPECT_EQ(5, m.burst);
    EXPECT_EQ(kNoDelay, m.delay);
    const RequestLimit& d = locationOf(config, "/d/").limitReq;
    EXPECT_EQ(2000, d.milliRate);
    EXPECT_EQ(4, d.burst);
    EXPECT_EQ(2, d.delay);
    EXPECT_EQ("test.conf:2", locationOf(config, "/i/").limitReq.id);   // the server's bucket
    EXPECT_EQ(503, locationOf(config, "/i/").limitReqStatus);
}

TEST_F(AccessConfigTest, LimitReqErrors)
{
    EXPECT_EQ("invalid rate \"rate=10r/h\" in test.conf:1",
        error("limit_req rate=10r/h; server { }\n"));
    EXPECT_EQ("invalid rate \"rate=0r/s\" in test.conf:1",
        error("limit_req rate=0r/s; server { }\n"));
    EXPECT_EQ("invalid burst value \"burst=x\" in test.conf:1",
        error("limit_req rate=1r/s burst=x; server { }\n"));
    EXPECT_EQ("\"limit_req\" needs \"rate=\" in test.conf:1",
        error("limit_req burst=3; server { }\n"));
    EXPECT_EQ("invalid parameter \"fast\" in \"limit_req\" in test.conf:1",
        error("limit_req rate=1r/s fast; server { }\n"));
    EXPECT_EQ("value must be between 400 and 599 in test.conf:1",
        error("limit_req_status 302; server { }\n"));
}

TEST_F(AccessConfigTest, LimitConnAndLimitReqStatusAreInherited)
{
    Config config = load("limit_conn 4; limit_req_status 429; server { location /a/ { } "
        "location /b/ { limit_conn 1; } }\n");
    EXPECT_EQ(4, locationOf(config, "/a/").limitConn);
    EXPECT_EQ(1, locationOf(config, "/b/").limitConn);
    EXPECT_EQ(429, locationOf(config, "/a/").limitReqStatus);
    EXPECT_EQ("invalid number \"0\" in \"limit_conn\" in test.conf:1",
        error("limit_conn 0; server { }\n"));
}

}
