// The config loader end to end: lexer, syntax + include, directive table,
// inheritance and every error message (tests/contract/CONFIG.md is the
// contract).
//
// Every test runs with a fresh temporary directory as its working directory
// (it holds an empty "www", the default root), so relative paths in configs
// resolve to known places and nothing depends on where the tests run.

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <functional>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include "config/Config.hpp"
#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "util/Files.hpp"
#include "support/ConfigErrors.hpp"
#include "support/TempDir.hpp"

namespace {

const char* const kFile = "test.conf";

class ConfigLoaderTest : public ::testing::Test {
protected:
    ConfigLoaderTest()
        : www_(dir_.mkdir("www")), cwd_(dir_.path())
    {
    }

    const std::string& T() const { return dir_.path(); }

    Config load(const std::string& text, ConfigWarnings* warnings = nullptr)
    {
        return loadConfigText(text, kFile, warnings);
    }

    // The ConfigError message of loading text, or a marker when it loads.
    std::string error(const std::string& text, const std::string& file = kFile)
    {
        return configErrorOf(text, file);
    }

    std::string fileError(const std::string& path)
    {
        try {
            loadConfig(path, nullptr);
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "<loaded without error>";
    }

    TempDir dir_;
    std::string www_;
    ScopedChdir cwd_;
};

const LocationConfig& locationOf(const ServerConfig& server, const std::string& path)
{
    for (const LocationConfig& location : server.locations)
        if (location.path == path)
            return location;
    throw std::runtime_error("no location \"" + path + "\"");
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ",") + item;
    return out;
}

std::string errorPagesOf(const BlockSettings& s)
{
    std::string out;
    for (const auto& page : s.errorPages)
        out += (out.empty() ? "" : ",") + std::to_string(page.first) + "=" + page.second;
    return out;
}

std::string names(const ServerConfig& server)
{
    return join(server.names);
}

std::string addresses(const std::vector<ListenAddress>& list)
{
    std::string out;
    for (const ListenAddress& address : list)
        out += (out.empty() ? "" : ",") + address.toString();
    return out;
}

}

// ================================================================ defaults

TEST_F(ConfigLoaderTest, MinimalConfigHasTheContractDefaults)
{
    Config config = load("server {}");
    EXPECT_EQ(kFile, config.file);
    EXPECT_EQ("application/octet-stream", config.defaultType);
    EXPECT_EQ("", config.errorLog);
    EXPECT_EQ(1024, config.maxConnections);
    EXPECT_EQ("", config.pidFile);
    EXPECT_FALSE(config.daemon);
    EXPECT_EQ(100000, config.sessionMax);
    EXPECT_EQ(10000, config.shutdownTimeoutMs);
    EXPECT_TRUE(config.mimeTypes.empty());

    ASSERT_EQ(1u, config.servers.size());
    const ServerConfig& server = config.servers[0];
    EXPECT_EQ("0.0.0.0:8080", addresses(server.listens));
    EXPECT_EQ("", addresses(server.defaultFor));
    ASSERT_EQ(1u, server.names.size());
    EXPECT_EQ("", server.names[0]);
    EXPECT_TRUE(server.locations.empty());
    EXPECT_EQ(kFile, server.file);
    EXPECT_EQ(1, server.line);

    const LocationConfig& s = server.implicit;
    EXPECT_EQ(T() + "/www", s.root);
    EXPECT_EQ("index.html", join(s.index));
    EXPECT_FALSE(s.autoindex);
    EXPECT_TRUE(s.autoindexExactSize);
    EXPECT_EQ(AUTOINDEX_HTML, s.autoindexFormat);
    EXPECT_TRUE(s.errorPages.empty());
    EXPECT_EQ(1048576, s.clientMaxBodySize);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD), s.allowMethods);
    EXPECT_EQ(75000, s.keepaliveTimeoutMs);
    EXPECT_EQ(60000, s.clientHeaderTimeoutMs);
    EXPECT_EQ(60000, s.clientBodyTimeoutMs);
    EXPECT_EQ(60000, s.sendTimeoutMs);
    EXPECT_EQ(30000, s.cgiTimeoutMs);
    EXPECT_FALSE(s.session);
    EXPECT_EQ(1800000, s.sessionTimeoutMs);
    EXPECT_EQ("", s.accessLog);
    EXPECT_EQ(SYMLINKS_FOLLOW, s.symlinks.mode);
    EXPECT_EQ("", s.symlinks.from);
    EXPECT_EQ("", s.path);
    EXPECT_FALSE(s.exact);
    EXPECT_FALSE(s.hasAlias);
    EXPECT_EQ("", s.uploadStore);
    EXPECT_TRUE(s.cgi.empty());
    EXPECT_EQ(0, s.returnRule.code);
    EXPECT_FALSE(s.status);
}

TEST_F(ConfigLoaderTest, LocationWithoutDirectivesHasTheDefaults)
{
    Config config = load("server {\n    location /a/ {\n    }\n}\n");
    ASSERT_EQ(1u, config.servers[0].locations.size());
    const LocationConfig& l = config.servers[0].locations[0];
    EXPECT_EQ("/a/", l.path);
    EXPECT_FALSE(l.exact);
    EXPECT_EQ(kFile, l.file);
    EXPECT_EQ(2, l.line);
    EXPECT_EQ(T() + "/www", l.root);
    EXPECT_EQ("index.html", join(l.index));
    EXPECT_FALSE(l.autoindex);
    EXPECT_TRUE(l.autoindexExactSize);
    EXPECT_EQ(AUTOINDEX_HTML, l.autoindexFormat);
    EXPECT_TRUE(l.errorPages.empty());
    EXPECT_EQ(1048576, l.clientMaxBodySize);
    EXPECT_EQ(unsigned(METHOD_GET | METHOD_HEAD), l.allowMethods);
    EXPECT_EQ(75000, l.keepaliveTimeoutMs);
    EXPECT_EQ(60000, l.clientHeaderTimeoutMs);
    EXPECT_EQ(60000, l.clientBodyTimeoutMs);
    EXPECT_EQ(60000, l.sendTimeoutMs);
    EXPECT_EQ(30000, l.cgiTimeoutMs);
    EXPECT_FALSE(l.session);
    EXPECT_EQ(1800000, l.sessionTimeoutMs);
    EXPECT_EQ("", l.accessLog);
    EXPECT_FALSE(l.hasAlias);
    EXPECT_EQ("", l.alias);
    EXPECT_EQ("", l.uploadStore);
    EXPECT_TRUE(l.cgi.empty());
    EXPECT_EQ(0, l.returnRule.code);
    EXPECT_EQ("", l.returnRule.text);
    EXPECT_FALSE(l.status);
}

TEST_F(ConfigLoaderTest, MissingDefaultRootIsAnError)
{
    TempDir empty;
    ScopedChdir inEmpty(empty.path());
    EXPECT_EQ("the default root \"www\" does not exist; set \"root\" in test.conf:3",
        error("# no root anywhere\n\nserver {\n}\n"));
    // Setting root anywhere above the server is enough.
    Config config = load("root " + T() + ";\nserver {}\n");
    EXPECT_EQ(T(), config.servers[0].implicit.root);
}

// ================================================================ main-only directives

TEST_F(ConfigLoaderTest, MainOnlyDirectives)
{
    Config config = load(
        "default_type text/plain;\n"
        "error_log /var/log/webserv-error.log;\n"
        "max_connections 7;\n"
        "pid /run/webserv.pid;\n"
        "daemon on;\n"
        "session_max 42;\n"
        "shutdown_timeout 1m;\n"
        "server {}\n");
    EXPECT_EQ("text/plain", config.defaultType);
    EXPECT_EQ("/var/log/webserv-error.log", config.errorLog);
    EXPECT_EQ(7, config.maxConnections);
    EXPECT_EQ("/run/webserv.pid", config.pidFile);
    EXPECT_TRUE(config.daemon);
    EXPECT_EQ(42, config.sessionMax);
    EXPECT_EQ(60000, config.shutdownTimeoutMs);
}

TEST_F(ConfigLoaderTest, MainOnlyDirectivesOtherValues)
{
    Config config = load("error_log stderr;\ndaemon off;\nserver {}\n");
    EXPECT_EQ("", config.errorLog);
    EXPECT_FALSE(config.daemon);
}

TEST_F(ConfigLoaderTest, RelativeLogAndPidPathsResolveAgainstTheWorkingDirectory)
{
    Config config = load(
        "error_log logs/error.log;\npid run/webserv.pid;\naccess_log logs/access.log;\nserver {}\n");
    EXPECT_EQ(T() + "/logs/error.log", config.errorLog);
    EXPECT_EQ(T() + "/run/webserv.pid", config.pidFile);
    EXPECT_EQ(T() + "/logs/access.log", config.servers[0].implicit.accessLog);
}

TEST_F(ConfigLoaderTest, AccessLogValues)
{
    Config config = load(
        "server {\n"
        "    location /off/ { access_log off; }\n"
        "    location /stdout/ { access_log /dev/stdout; }\n"
        "    location /combined/ { access_log /tmp/a.log combined; }\n"
        "}\n");
    const ServerConfig& server = config.servers[0];
    EXPECT_EQ("off", locationOf(server, "/off/").accessLog);
    EXPECT_EQ("", locationOf(server, "/stdout/").accessLog);
    EXPECT_EQ("/tmp/a.log", locationOf(server, "/combined/").accessLog);
}

// ================================================================ server-level directives

TEST_F(ConfigLoaderTest, ListenAddressesAndDefaultServer)
{
    Config config = load(
        "server {\n"
        "    listen 127.0.0.1:8081 default_server;\n"
        "    listen [::1]:8082;\n"
        "    listen 8083;\n"
        "    listen localhost:8084;\n"
        "    listen *:8085 default_server;\n"
        "    listen 127.0.0.2;\n"
        "}\n");
    const ServerConfig& server = config.servers[0];
    EXPECT_EQ("127.0.0.1:8081,[::1]:8082,0.0.0.0:8083,127.0.0.1:8084,0.0.0.0:8085,127.0.0.2:80",
        addresses(server.listens));
    EXPECT_EQ("127.0.0.1:8081,0.0.0.0:8085", addresses(server.defaultFor));
}

TEST_F(ConfigLoaderTest, ServerNamesAreLowerCasedAndAccumulate)
{
    Config config = load(
        "server {\n"
        "    server_name Example.ORG *.Example.org;\n"
        "    server_name www.x.test;\n"
        "}\n");
    EXPECT_EQ("example.org,*.example.org,www.x.test", names(config.servers[0]));
}

TEST_F(ConfigLoaderTest, ListenAddressesOfAllServersAreDistinctAndSorted)
{
    Config config = load(
        "server { listen 127.0.0.1:9000; listen 8080; listen [::1]:8080; }\n"
        "server { listen 8080; listen *:9000; }\n");
    EXPECT_EQ("0.0.0.0:8080,[::1]:8080,0.0.0.0:9000,127.0.0.1:9000",
        addresses(config.listenAddresses()));
}

TEST_F(ConfigLoaderTest, LocationsKeepFileOrderAndExactFlag)
{
    Config config = load(
        "server {\n"
        "    location /b/ {}\n"
        "    location = /a {}\n"
        "    location /a {}\n"
        "}\n");
    const std::vector<LocationConfig>& l = config.servers[0].locations;
    ASSERT_EQ(3u, l.size());
    EXPECT_EQ("/b/", l[0].path);
    EXPECT_FALSE(l[0].exact);
    EXPECT_EQ(2, l[0].line);
    EXPECT_EQ("/a", l[1].path);
    EXPECT_TRUE(l[1].exact);
    EXPECT_EQ(3, l[1].line);
    EXPECT_EQ("/a", l[2].path);
    EXPECT_FALSE(l[2].exact);
    EXPECT_EQ(4, l[2].line);
}

// ================================================================ location-only directives

TEST_F(ConfigLoaderTest, AliasKeepsATrailingSlashAndIsAbsolute)
{
    dir_.mkdir("pics");
    dir_.write("favicon.ico", "icon");
    Config config = load(
        "server {\n"
        "    location /a/ { alias " + T() + "/pics/; }\n"
        "    location /b { alias " + T() + "/pics; }\n"
        "    location /c/ { alias pics/; }\n"
        "    location = /favicon.ico { alias favicon.ico; }\n"
        "}\n");
    const ServerConfig& server = config.servers[0];
    EXPECT_TRUE(locationOf(server, "/a/").hasAlias);
    EXPECT_EQ(T() + "/pics/", locationOf(server, "/a/").alias);
    EXPECT_EQ(T() + "/pics", locationOf(server, "/b").alias);
    EXPECT_EQ(T() + "/pics/", locationOf(server, "/c/").alias);
    EXPECT_EQ(T() + "/favicon.ico", locationOf(server, "/favicon.ico").alias);
    EXPECT_FALSE(server.implicit.hasAlias);
}

TEST_F(ConfigLoaderTest, UploadStoreIsAbsolute)
{
    dir_.mkdir("store");
    Config config = load(
        "server {\n"
        "    location /up/ { upload_store " + T() + "/store; }\n"
        "    location /rel/ { upload_store store/; }\n"
        "}\n");
    EXPECT_EQ(T() + "/store", locationOf(config.servers[0], "/up/").uploadStore);
    EXPECT_EQ(T() + "/store", locationOf(config.servers[0], "/rel/").uploadStore);
    EXPECT_EQ("", config.servers[0].implicit.uploadStore);
}

TEST_F(ConfigLoaderTest, ReturnForms)
{
    Config config = load(
        "server {\n"
        "    location /a { return 301 /new-page.html; }\n"
        "    location /b { return https://example.org/x; }\n"
        "    location /c { return 200 \"hello there\"; }\n"
        "    location /d { return 404; }\n"
        "    location /e { return 308 http://h/; }\n"
        "    location /f { return 302 'relative'; }\n"
        "    location /g { return 999; }\n"
        "    location /h { return 1 x; }\n"
        "}\n");
    const ServerConfig& s = config.servers[0];
    EXPECT_EQ(301, locationOf(s, "/a").returnRule.code);
    EXPECT_EQ("/new-page.html", locationOf(s, "/a").returnRule.text);
    EXPECT_EQ(302, locationOf(s, "/b").returnRule.code);
    EXPECT_EQ("https://example.org/x", locationOf(s, "/b").returnRule.text);
    EXPECT_EQ(200, locationOf(s, "/c").returnRule.code);
    EXPECT_EQ("hello there", locationOf(s, "/c").returnRule.text);
    EXPECT_EQ(404, locationOf(s, "/d").returnRule.code);
    EXPECT_EQ("", locationOf(s, "/d").returnRule.text);
    EXPECT_EQ(308, locationOf(s, "/e").returnRule.code);
    EXPECT_EQ("http://h/", locationOf(s, "/e").returnRule.text);
    EXPECT_EQ(302, locationOf(s, "/f").returnRule.code);
    EXPECT_EQ("relative", locationOf(s, "/f").returnRule.text);
    EXPECT_EQ(999, locationOf(s, "/g").returnRule.code);
    EXPECT_EQ(1, locationOf(s, "/h").returnRule.code);
    EXPECT_EQ("x", locationOf(s, "/h").returnRule.text);
}

TEST_F(ConfigLoaderTest, StatusFlag)
{
    Config config = load(
        "server {\n"
        "    location /status { status on; }\n"
        "    location /nostatus { status off; }\n"
        "}\n");
    EXPECT_TRUE(locationOf(config.servers[0], "/status").status);
    EXPECT_FALSE(locationOf(config.servers[0], "/nostatus").status);
}

TEST_F(ConfigLoaderTest, CgiRulesInOrderWithInterpreters)
{
    dir_.write("bin/interp", "#!/bin/sh\n", 0755);
    ConfigWarnings warnings;
    Config config = load(
        "server {\n"
        "    location /cgi-bin/ {\n"
        "        cgi .py " + T() + "/bin/interp;\n"
        "        cgi .sh;\n"
        "        cgi .rel bin/interp;\n"
        "    }\n"
        "}\n", &warnings);
    const LocationConfig& l = locationOf(config.servers[0], "/cgi-bin/");
    ASSERT_EQ(3u, l.cgi.size());
    EXPECT_EQ(".py", l.cgi[0].extension);
    EXPECT_EQ(T() + "/bin/interp", l.cgi[0].interpreter);
    EXPECT_EQ(".sh", l.cgi[1].extension);
    EXPECT_EQ("", l.cgi[1].interpreter);
    EXPECT_EQ(".rel", l.cgi[2].extension);
    EXPECT_EQ(T() + "/bin/interp", l.cgi[2].interpreter);
    EXPECT_TRUE(warnings.empty());

    ASSERT_NE(nullptr, l.cgiFor("env.py"));
    EXPECT_EQ(".py", l.cgiFor("env.py")->extension);
    ASSERT_NE(nullptr, l.cgiFor("a.b.sh"));
    EXPECT_EQ(".sh", l.cgiFor("a.b.sh")->extension);
    EXPECT_EQ(nullptr, l.cgiFor(".py"));      // a bare extension is no script name
    EXPECT_EQ(nullptr, l.cgiFor("env.pyc"));
    EXPECT_EQ(nullptr, l.cgiFor("envpy"));
    EXPECT_EQ(nullptr, l.cgiFor(""));
}

TEST_F(ConfigLoaderTest, CgiInterpreterWithoutSlashIsLookedUpInPath)
{
    std::string interp = dir_.write("bin/myinterp", "#!/bin/sh\n", 0755);
    dir_.write("notexec/myinterp", "", 0644);
    ScopedEnv path("PATH", T() + "/notexec:" + T() + "/bin");
    ConfigWarnings warnings;
    Config config = load("server {\n location /c/ {\n  cgi .x myinterp;\n }\n}\n", &warnings);
    EXPECT_EQ(interp, locationOf(config.servers[0], "/c/").cgi[0].interpreter);
    EXPECT_TRUE(warnings.empty());
}

TEST_F(ConfigLoaderTest, MissingCgiInterpreterIsOnlyAWarning)
{
    ScopedEnv path("PATH", T() + "/nothing-here");
    ConfigWarnings warnings;
    Config config = load(
        "server {\n"
        " location /c/ {\n"
        "  cgi .py /nonexistent/python3;\n"
        "  cgi .x nosuchinterp;\n"
        " }\n"
        "}\n", &warnings);
    const LocationConfig& l = locationOf(config.servers[0], "/c/");
    EXPECT_EQ("/nonexistent/python3", l.cgi[0].interpreter);
    EXPECT_EQ("nosuchinterp", l.cgi[1].interpreter);
    ASSERT_EQ(2u, warnings.size());
    EXPECT_EQ("cgi interpreter \"/nonexistent/python3\" is not an executable file in test.conf:3",
        warnings[0]);
    EXPECT_EQ("cgi interpreter \"nosuchinterp\" is not an executable file in test.conf:4",
        warnings[1]);
    // Loading without a warnings vector is fine too.
    EXPECT_NO_THROW(load("server { location /c/ { cgi .py /nonexistent/python3; } }"));
}

TEST_F(ConfigLoaderTest, AllowMethodsGetImpliesHead)
{
    Config config = load(
        "server {\n"
        "    location /g { allow_methods GET; }\n"
        "    location /p { allow_methods POST; }\n"
        "    location /h { allow_methods HEAD; }\n"
        "    location /all { allow_methods DELETE POST GET; }\n"
        "    location /twice { allow_methods GET GET; }\n"
        "    location /o { allow_methods OPTIONS; }\n"
        "}\n");
    const ServerConfig& s = config.servers[0];
    EXPECT_EQ("GET, HEAD", methodList(locationOf(s, "/g").allowMethods));
    EXPECT_EQ("POST", methodList(locationOf(s, "/p").allowMethods));
    EXPECT_EQ("HEAD", methodList(locationOf(s, "/h").allowMethods));
    EXPECT_EQ("GET, HEAD, POST, DELETE", methodList(locationOf(s, "/all").allowMethods));
    EXPECT_EQ("GET, HEAD", methodList(locationOf(s, "/twice").allowMethods));
    // OPTIONS may be listed: every location answers it anyway.
    EXPECT_EQ("OPTIONS", methodList(locationOf(s, "/o").allowMethods));
    EXPECT_EQ("GET, HEAD, OPTIONS", methodList(locationOf(s, "/g").allowList()));
}

TEST(ConfigLoaderTestMethods, BitsAndList)
{
    EXPECT_EQ(unsigned(METHOD_GET), methodBit("GET"));
    EXPECT_EQ(unsigned(METHOD_HEAD), methodBit("HEAD"));
    EXPECT_EQ(unsigned(METHOD_POST), methodBit("POST"));
    EXPECT_EQ(unsigned(METHOD_DELETE), methodBit("DELETE"));
    EXPECT_EQ(unsigned(METHOD_OPTIONS), methodBit("OPTIONS"));
    EXPECT_EQ(0u, methodBit("get"));
    EXPECT_EQ(0u, methodBit("options"));
    EXPECT_EQ(0u, methodBit("PUT"));
    EXPECT_EQ(0u, methodBit(""));
    EXPECT_EQ("", methodList(0));
    EXPECT_EQ("GET, HEAD, POST, DELETE",
        methodList(METHOD_DELETE | METHOD_POST | METHOD_HEAD | METHOD_GET));
    EXPECT_EQ("HEAD, DELETE", methodList(METHOD_DELETE | METHOD_HEAD));
    EXPECT_EQ("GET, HEAD, POST, DELETE, OPTIONS",
        methodList(METHOD_OPTIONS | METHOD_DELETE | METHOD_POST | METHOD_HEAD | METHOD_GET));
    EXPECT_EQ("POST, OPTIONS", methodList(METHOD_OPTIONS | METHOD_POST));
}

// ================================================================ inheritance

namespace {

struct InheritCase {
    std::string directive;
    std::string mainValue;
    std::string serverValue;
    std::string locationValue;
    std::function<std::string(const BlockSettings&)> get;
    std::string mainExpected;
    std::string serverExpected;
    std::string locationExpected;
};

std::string onOff(bool value)
{
    return value ? "on" : "off";
}

}

std::string symlinksOf(const BlockSettings& s)
{
    const char* modes[] = { "off", "on", "if_not_owner" };
    std::string text = modes[s.symlinks.mode];
    return s.symlinks.from.empty() ? text : text + " from=" + s.symlinks.from;
}

TEST_F(ConfigLoaderTest, EveryInheritableDirectiveFlowsDownAndIsOverriddenAtEachLevel)
{
    dir_.mkdir("r1");
    dir_.mkdir("r2");
    dir_.mkdir("r3");
    std::vector<InheritCase> cases = {
        { "root", T() + "/r1", "r2", "./r3/",
            [](const BlockSettings& s) { return s.root; },
            T() + "/r1", T() + "/r2", T() + "/r3" },
        { "index", "a.html", "b.html b2.html", "c.html",
            [](const BlockSettings& s) { return join(s.index); },
            "a.html", "b.html,b2.html", "c.html" },
        { "autoindex", "on", "off", "on",
            [](const BlockSettings& s) { return onOff(s.autoindex); },
            "on", "off", "on" },
        { "autoindex_exact_size", "off", "on", "off",
            [](const BlockSettings& s) { return onOff(s.autoindexExactSize); },
            "off", "on", "off" },
        { "autoindex_format", "json", "HTML", "Json",
            [](const BlockSettings& s) {
                return std::string(s.autoindexFormat == AUTOINDEX_JSON ? "json" : "html"); },
            "json", "html", "json" },
        { "error_page", "404 /main404.html", "500 502 /s50x.html", "403 http://e.test/403",
            errorPagesOf,
            "404=/main404.html", "500=/s50x.html,502=/s50x.html", "403=http://e.test/403" },
        { "client_max_body_size", "2k", "3m", "0",
            [](const BlockSettings& s) { return std::to_string(s.clientMaxBodySize); },
            "2048", "3145728", "0" },
        { "allow_methods", "POST", "GET DELETE", "HEAD",
            [](const BlockSettings& s) { return methodList(s.allowMethods); },
            "POST", "GET, HEAD, DELETE", "HEAD" },
        { "keepalive_timeout", "1s", "2m", "0",
            [](const BlockSettings& s) { return std::to_string(s.keepaliveTimeoutMs); },
            "1000", "120000", "0" },
        { "client_header_timeout", "5", "500ms", "1h",
            [](const BlockSettings& s) { return std::to_string(s.clientHeaderTimeoutMs); },
            "5000", "500", "3600000" },
        { "client_body_timeout", "7s", "8s", "9s",
            [](const BlockSettings& s) { return std::to_string(s.clientBodyTimeoutMs); },
            "7000", "8000", "9000" },
        { "send_timeout", "10s", "11s", "12s",
            [](const BlockSettings& s) { return std::to_string(s.sendTimeoutMs); },
            "10000", "11000", "12000" },
        { "cgi_timeout", "1m", "2m", "3m",
            [](const BlockSettings& s) { return std::to_string(s.cgiTimeoutMs); },
            "60000", "120000", "180000" },
        { "session", "on", "off", "on",
            [](const BlockSettings& s) { return onOff(s.session); },
            "on", "off", "on" },
        { "session_timeout", "1h", "2h", "5m",
            [](const BlockSettings& s) { return std::to_string(s.sessionTimeoutMs); },
            "3600000", "7200000", "300000" },
        { "access_log", "main.log", "off", "/dev/stdout",
            [](const BlockSettings& s) { return s.accessLog; },
            T() + "/main.log", "off", "" },
        { "disable_symlinks", "on", "if_not_owner from=/srv/www/", "off",
            symlinksOf, "on", "if_not_owner from=/srv/www", "off" },
    };
    for (const InheritCase& c : cases) {
        SCOPED_TRACE(c.directive);
        const std::string d = c.directive;
        // The location before the directive in server 1 proves that order
        // inside a block does not matter (nginx merges after parsing).
        Config config = load(
            d + " " + c.mainValue + ";\n"
            "server {\n"
            "    listen 8080;\n"
            "    location /inherit/ { }\n"
            "    " + d + " " + c.serverValue + ";\n"
            "    location /override/ { " + d + " " + c.locationValue + "; }\n"
            "}\n"
            "server {\n"
            "    listen 8081;\n"
            "    location /inherit/ { }\n"
            "}\n"
            "server {\n"
            "    listen 8082;\n"
            "    location /override/ { " + d + " " + c.locationValue + "; }\n"
            "    location /inherit/ { }\n"
            "}\n");
        ASSERT_EQ(3u, config.servers.size());
        const ServerConfig& s0 = config.servers[0];
        const ServerConfig& s1 = config.servers[1];
        const ServerConfig& s2 = config.servers[2];
        EXPECT_EQ(c.serverExpected, c.get(s0.implicit));
        EXPECT_EQ(c.serverExpected, c.get(locationOf(s0, "/inherit/")));
        EXPECT_EQ(c.locationExpected, c.get(locationOf(s0, "/override/")));
        EXPECT_EQ(c.mainExpected, c.get(s1.implicit));
        EXPECT_EQ(c.mainExpected, c.get(locationOf(s1, "/inherit/")));
        EXPECT_EQ(c.mainExpected, c.get(s2.implicit));
        EXPECT_EQ(c.locationExpected, c.get(locationOf(s2, "/override/")));
        EXPECT_EQ(c.mainExpected, c.get(locationOf(s2, "/inherit/")));
    }
}

TEST_F(ConfigLoaderTest, DisableSymlinksValues)
{
    dir_.mkdir("alias");
    Config config = load(
        "server {\n"
        "    disable_symlinks on from=$document_root;\n"
        "    location /a/ { }\n"
        "    location /b/ { alias alias/; }\n"
        "    location /c/ { disable_symlinks if_not_owner from=relative/part; }\n"
        "    location /d/ { disable_symlinks on from=; }\n"
        "}\n");
    const ServerConfig& s = config.servers[0];
    // $document_root is each location's own root, or its alias.
    EXPECT_EQ("on from=" + T() + "/www", symlinksOf(s.implicit));
    EXPECT_EQ("on from=" + T() + "/www", symlinksOf(locationOf(s, "/a/")));
    EXPECT_EQ("on from=" + T() + "/alias", symlinksOf(locationOf(s, "/b/")));
    EXPECT_EQ("if_not_owner from=" + T() + "/relative/part", symlinksOf(locationOf(s, "/c/")));
    EXPECT_EQ("on", symlinksOf(locationOf(s, "/d/")));      // an empty from= checks all
}

TEST_F(ConfigLoaderTest, DisableSymlinksErrors)
{
    EXPECT_EQ("invalid value \"x\" in \"disable_symlinks\" directive, it must be \"off\", \"on\" "
              "or \"if_not_owner\" in test.conf:2",
        error("server {\n    disable_symlinks x;\n}\n"));
    EXPECT_EQ("invalid value \"ON\" in \"disable_symlinks\" directive, it must be \"off\", \"on\" "
              "or \"if_not_owner\" in test.conf:1",
        error("disable_symlinks ON;\nserver {}\n"));
    EXPECT_EQ("invalid parameter \"to=/a\" in \"disable_symlinks\" in test.conf:3",
        error("server {\n    location / {\n        disable_symlinks on to=/a;\n    }\n}\n"));
    EXPECT_EQ("\"from=\" cannot be used with \"off\" parameter in test.conf:1",
        error("disable_symlinks off from=/a;\nserver {}\n"));
    EXPECT_EQ("invalid number of arguments in \"disable_symlinks\" directive in test.conf:1",
        error("disable_symlinks on from=/a from=/b;\nserver {}\n"));
    EXPECT_EQ("invalid number of arguments in \"disable_symlinks\" directive in test.conf:1",
        error("disable_symlinks;\nserver {}\n"));
    EXPECT_EQ("\"disable_symlinks\" directive is duplicate in test.conf:1",
        error("disable_symlinks on; disable_symlinks off;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, LocationOverrideDoesNotLeakIntoSiblings)
{
    Config config = load(
        "server {\n"
        "    autoindex on;\n"
        "    location /a/ { autoindex off; client_max_body_size 5; }\n"
        "    location /b/ { }\n"
        "}\n");
    const ServerConfig& s = config.servers[0];
    EXPECT_FALSE(locationOf(s, "/a/").autoindex);
    EXPECT_TRUE(locationOf(s, "/b/").autoindex);
    EXPECT_TRUE(s.implicit.autoindex);
    EXPECT_EQ(1048576, locationOf(s, "/b/").clientMaxBodySize);
    EXPECT_EQ(5, locationOf(s, "/a/").clientMaxBodySize);
}

TEST_F(ConfigLoaderTest, ErrorPageInABlockReplacesTheParentsList)
{
    Config config = load(
        "error_page 404 /m404.html;\n"
        "error_page 500 /m500.html;\n"
        "server {\n"
        "    listen 8080;\n"
        "    error_page 403 /s403.html;\n"
        "    location /own/ { error_page 404 /l404.html; }\n"
        "    location /inherit/ { }\n"
        "}\n"
        "server {\n"
        "    listen 8081;\n"
        "    location /own/ { error_page 502 /l502.html; error_page 503 504 /l50x.html; }\n"
        "    location /inherit/ { }\n"
        "}\n");
    const ServerConfig& s0 = config.servers[0];
    const ServerConfig& s1 = config.servers[1];
    EXPECT_EQ("403=/s403.html", errorPagesOf(s0.implicit));
    EXPECT_EQ("404=/l404.html", errorPagesOf(locationOf(s0, "/own/")));
    EXPECT_EQ("403=/s403.html", errorPagesOf(locationOf(s0, "/inherit/")));
    EXPECT_EQ("404=/m404.html,500=/m500.html", errorPagesOf(s1.implicit));
    EXPECT_EQ("502=/l502.html,503=/l50x.html,504=/l50x.html",
        errorPagesOf(locationOf(s1, "/own/")));
    EXPECT_EQ("404=/m404.html,500=/m500.html", errorPagesOf(locationOf(s1, "/inherit/")));
}

TEST_F(ConfigLoaderTest, ErrorPageLaterLineForTheSameCodeWins)
{
    Config config = load("server {\n error_page 404 /a.html;\n error_page 404 /b.html;\n}\n");
    EXPECT_EQ("404=/b.html", errorPagesOf(config.servers[0].implicit));
}

TEST_F(ConfigLoaderTest, IndexInABlockReplacesTheParentsList)
{
    Config config = load(
        "index a.html b.html;\n"
        "server {\n"
        "    listen 8080;\n"
        "    index c.html;\n"
        "    location /own/ { index d.html; index e.html f.html; }\n"
        "    location /inherit/ { }\n"
        "}\n"
        "server {\n"
        "    listen 8081;\n"
        "    location /inherit/ { }\n"
        "}\n");
    EXPECT_EQ("c.html", join(config.servers[0].implicit.index));
    EXPECT_EQ("d.html,e.html,f.html", join(locationOf(config.servers[0], "/own/").index));
    EXPECT_EQ("c.html", join(locationOf(config.servers[0], "/inherit/").index));
    EXPECT_EQ("a.html,b.html", join(config.servers[1].implicit.index));
    EXPECT_EQ("a.html,b.html", join(locationOf(config.servers[1], "/inherit/").index));
}

TEST_F(ConfigLoaderTest, RelativeRootResolvesAgainstTheWorkingDirectory)
{
    dir_.mkdir("site/docs");
    Config config = load(
        "server {\n"
        "    root site;\n"
        "    location /docs/ { root ./site/docs/; }\n"
        "    location /dot/ { root .; }\n"
        "}\n");
    EXPECT_EQ(T() + "/site", config.servers[0].implicit.root);
    EXPECT_EQ(T() + "/site/docs", locationOf(config.servers[0], "/docs/").root);
    EXPECT_EQ(T(), locationOf(config.servers[0], "/dot/").root);
}

// ================================================================ types

TEST_F(ConfigLoaderTest, TypesAndMimeTypeFor)
{
    Config config = load(
        "types {\n"
        "    text/html html HTM;\n"
        "    image/png png;\n"
        "}\n"
        "types { application/javascript js; }\n"
        "server {}\n");
    EXPECT_EQ(4u, config.mimeTypes.size());
    EXPECT_EQ("text/html", config.mimeTypes["htm"]);
    EXPECT_EQ("text/html", config.mimeTypeFor("index.html"));
    EXPECT_EQ("text/html", config.mimeTypeFor("INDEX.HTML"));
    EXPECT_EQ("text/html", config.mimeTypeFor("a.Htm"));
    EXPECT_EQ("image/png", config.mimeTypeFor("/var/www/x.PNG"));
    EXPECT_EQ("application/javascript", config.mimeTypeFor("app.min.js"));
    EXPECT_EQ("application/octet-stream", config.mimeTypeFor("README"));
    EXPECT_EQ("application/octet-stream", config.mimeTypeFor("archive.tar"));
    EXPECT_EQ("application/octet-stream", config.mimeTypeFor("file."));
    EXPECT_EQ("application/octet-stream", config.mimeTypeFor("/dir.html/file"));
    EXPECT_EQ("application/octet-stream", config.mimeTypeFor(""));
}

TEST_F(ConfigLoaderTest, DefaultTypeIsUsedForUnknownExtensions)
{
    Config config = load("types { text/html html; }\ndefault_type text/plain;\nserver {}\n");
    EXPECT_EQ("text/plain", config.mimeTypeFor("notes"));
    EXPECT_EQ("text/plain", config.mimeTypeFor("x.unknown"));
    EXPECT_EQ("text/html", config.mimeTypeFor("x.html"));
}

TEST(ConfigLoaderTestShippedFiles, MimeTypesFileLoads)
{
    // conf/mime.types (nginx's format) as shipped, from the repository root
    // where `make unit` runs the tests.
    char cwd[4096];
    ASSERT_NE(nullptr, getcwd(cwd, sizeof cwd));
    std::string mime = std::string(cwd) + "/conf/mime.types";
    struct stat st;
    if (stat(mime.c_str(), &st) != 0)
        GTEST_SKIP() << mime << " not found: the tests are not running from the repository root";
    TempDir root;
    Config config = loadConfigText("root " + root.path() + ";\ninclude " + mime + ";\nserver {}\n",
        "test.conf", nullptr);
    EXPECT_EQ("text/html", config.mimeTypeFor("index.html"));
    EXPECT_EQ("text/css", config.mimeTypeFor("style.css"));
    EXPECT_EQ("image/png", config.mimeTypeFor("logo.PNG"));
}

// ================================================================ include

TEST_F(ConfigLoaderTest, IncludeResolvesAgainstTheIncludingFilesDirectory)
{
    TempDir confDir;
    confDir.write("site/main.conf",
        "include mime.types;\n"
        "include servers/one.conf;\n");
    confDir.write("site/mime.types", "types { text/css css; }\n");
    confDir.write("site/servers/one.conf",
        "server {\n"
        "    server_name one;\n"
        "    include ../common/body.conf;\n"
        "}\n");
    confDir.write("site/common/body.conf", "autoindex on;\nlocation /x/ { include x.conf; }\n");
    confDir.write("site/common/x.conf", "index x.html;\n");
    Config config = loadConfig(confDir.file("site/main.conf"), nullptr);
    EXPECT_EQ(confDir.file("site/main.conf"), config.file);
    EXPECT_EQ("text/css", config.mimeTypeFor("a.css"));
    ASSERT_EQ(1u, config.servers.size());
    EXPECT_EQ("one", names(config.servers[0]));
    EXPECT_TRUE(config.servers[0].implicit.autoindex);
    const LocationConfig& x = locationOf(config.servers[0], "/x/");
    EXPECT_EQ("x.html", join(x.index));
    // The file name as the include spelled it (not canonicalised).
    EXPECT_EQ(confDir.file("site/servers/../common/body.conf"), x.file);
    EXPECT_EQ(2, x.line);
    EXPECT_EQ(confDir.file("site/servers/one.conf"), config.servers[0].file);
}

TEST_F(ConfigLoaderTest, IncludeFromTextResolvesAgainstTheClaimedFilesDirectory)
{
    TempDir confDir;
    confDir.write("conf/extra.conf", "server { server_name extra; }\n");
    Config config = loadConfigText("include extra.conf;\n", confDir.file("conf/main.conf"), nullptr);
    EXPECT_EQ("extra", names(config.servers[0]));
    // A bare file name has no directory: relative to the working directory.
    dir_.write("cwd.conf", "server { server_name cwd; }\n");
    EXPECT_EQ("cwd", names(load("include cwd.conf;\n").servers[0]));
}

TEST_F(ConfigLoaderTest, AbsoluteInclude)
{
    TempDir confDir;
    std::string path = confDir.write("abs.conf", "server { server_name abs; }\n");
    EXPECT_EQ("abs", names(load("include " + path + ";\n").servers[0]));
}

TEST_F(ConfigLoaderTest, GlobIncludeIsSortedAndMayMatchNothing)
{
    TempDir confDir;
    confDir.write("sites/b.conf", "server { server_name b; }\n");
    confDir.write("sites/a.conf", "server { server_name a; }\n");
    confDir.write("sites/c.txt", "server { server_name not-a-conf; }\n");
    std::string main = confDir.write("main.conf",
        "include sites/*.conf;\n"
        "include nothing/*.conf;\n"
        "include sites/?.none;\n");
    Config config = loadConfig(main, nullptr);
    ASSERT_EQ(2u, config.servers.size());
    EXPECT_EQ("a", names(config.servers[0]));
    EXPECT_EQ("b", names(config.servers[1]));
}

TEST_F(ConfigLoaderTest, ErrorsInIncludedFilesNameThatFileAndLine)
{
    TempDir confDir;
    confDir.write("inc.conf", "# comment\nrooot /x;\n");
    std::string main = confDir.write("main.conf", "server {\n    include inc.conf;\n}\n");
    EXPECT_EQ("unknown directive \"rooot\" in " + confDir.file("inc.conf") + ":2", fileError(main));
}

TEST_F(ConfigLoaderTest, IncludeOfAMissingFile)
{
    TempDir confDir;
    std::string main = confDir.write("main.conf", "\nserver {\n  include missing.conf;\n}\n");
    EXPECT_EQ("open() \"" + confDir.file("missing.conf")
            + "\" failed (No such file or directory) in " + main + ":3",
        fileError(main));
    EXPECT_EQ("open() \"nope/missing.conf\" failed (No such file or directory) in test.conf:1",
        error("include nope/missing.conf;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, MissingMainFileHasNoLocation)
{
    EXPECT_EQ("open() \"" + T() + "/nope.conf\" failed (No such file or directory)",
        fileError(T() + "/nope.conf"));
    EXPECT_EQ("open() \"nope.conf\" failed (No such file or directory)", fileError("nope.conf"));
}

TEST_F(ConfigLoaderTest, MainFileThatIsADirectory)
{
    EXPECT_EQ("open() \"" + T() + "/www\" failed (Is a directory)", fileError(T() + "/www"));
}

TEST_F(ConfigLoaderTest, IncludeArgumentCount)
{
    EXPECT_EQ("invalid number of arguments in \"include\" directive in test.conf:2",
        error("server {}\ninclude a.conf b.conf;\n"));
    EXPECT_EQ("invalid number of arguments in \"include\" directive in test.conf:1",
        error("include;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, SelfIncludeIsCaughtByTheNestingLimit)
{
    TempDir confDir;
    std::string self = confDir.write("self.conf", "\ninclude self.conf;\n");
    EXPECT_EQ("include nesting too deep in " + self + ":2", fileError(self));
}

// ================================================================ lexical rules

TEST_F(ConfigLoaderTest, CommentsAreIgnored)
{
    Config config = load(
        "# leading comment\n"
        "server { # after a brace\n"
        "    # listen 1;\n"
        "    listen 8081; # trailing\n"
        "    server_name a#b;   # '#' inside a word is part of it\n"
        "}#right after a brace\n"
        "# last line without newline");
    ASSERT_EQ(1u, config.servers.size());
    EXPECT_EQ("0.0.0.0:8081", addresses(config.servers[0].listens));
    EXPECT_EQ("a#b", names(config.servers[0]));
}

TEST_F(ConfigLoaderTest, QuotedStrings)
{
    Config config = load(
        "server {\n"
        "    index \"a b.html\" 'c d.html' \"#not-a-comment\" 'x;y{z}';\n"
        "    location \"/with space/\" {}\n"
        "}\n");
    EXPECT_EQ("a b.html,c d.html,#not-a-comment,x;y{z}",
        join(config.servers[0].implicit.index));
    EXPECT_EQ("/with space/", config.servers[0].locations[0].path);
}

TEST_F(ConfigLoaderTest, EscapesInQuotedStrings)
{
    Config config = load(
        "server {\n"
        "    index \"a\\\"b\" \"back\\\\slash\" 'it\\'s' 'back\\\\slash';\n"
        "}\n");
    EXPECT_EQ("a\"b,back\\slash,it's,back\\slash", join(config.servers[0].implicit.index));
}

TEST_F(ConfigLoaderTest, QuotedStringMaySpanLines)
{
    Config config = load("server {\n    location = \"/a\nb\" {}\n    location /c {}\n}\n");
    ASSERT_EQ(2u, config.servers[0].locations.size());
    EXPECT_EQ("/a\nb", config.servers[0].locations[0].path);
    EXPECT_EQ(2, config.servers[0].locations[0].line);
    EXPECT_EQ(4, config.servers[0].locations[1].line);
}

TEST_F(ConfigLoaderTest, EscapedDoubleQuoteInsideSingleQuotes)
{
    // \" is an escape in either kind of quotes (nginx 1.22 does the same).
    Config config = load("server {\n    index 'a\\\"b';\n}\n");
    EXPECT_EQ("a\"b", join(config.servers[0].implicit.index));
}

TEST_F(ConfigLoaderTest, EscapedSingleQuoteInsideDoubleQuotes)
{
    // \' likewise (nginx 1.22: `autoindex "a\'b";` -> invalid value "a'b").
    Config config = load("server {\n    index \"a\\'b\";\n}\n");
    EXPECT_EQ("a'b", join(config.servers[0].implicit.index));
}

TEST_F(ConfigLoaderTest, TextGluedToAClosingQuoteIsAnError)
{
    // A closing quote must end the word, as in nginx 1.22.
    EXPECT_EQ("unexpected \"b\" in test.conf:2", error("server {\n    index \"a\"b;\n}\n"));
}

// ================================================================ syntax errors

TEST_F(ConfigLoaderTest, UnknownDirective)
{
    EXPECT_EQ("unknown directive \"rooot\" in test.conf:2", error("server {\n    rooot /x;\n}\n"));
    EXPECT_EQ("unknown directive \"Root\" in test.conf:1", error("Root /x;\nserver {}\n"));
    EXPECT_EQ("unknown directive \"proxy_pas\" in test.conf:3",
        error("server {\n location / {\n  proxy_pas http://x;\n }\n}\n"));
}

TEST_F(ConfigLoaderTest, DirectiveNotAllowedHere)
{
    struct Case {
        const char* context;
        const char* text;
        const char* name;
    };
    const Case cases[] = {
        { "main", "listen 80;", "listen" },
        { "main", "server_name a;", "server_name" },
        { "main", "location / {}", "location" },
        { "main", "return 404;", "return" },
        { "main", "alias /tmp;", "alias" },
        { "main", "upload_store /tmp;", "upload_store" },
        { "main", "cgi .py;", "cgi" },
        { "main", "status on;", "status" },
        { "server", "server {}", "server" },
        { "server", "types {}", "types" },
        { "server", "default_type a/b;", "default_type" },
        { "server", "error_log stderr;", "error_log" },
        { "server", "max_connections 5;", "max_connections" },
        { "server", "pid /tmp/p;", "pid" },
        { "server", "daemon on;", "daemon" },
        { "server", "session_max 5;", "session_max" },
        { "server", "shutdown_timeout 5s;", "shutdown_timeout" },
        { "server", "return 404;", "return" },
        { "server", "alias /tmp;", "alias" },
        { "server", "upload_store /tmp;", "upload_store" },
        { "server", "cgi .py;", "cgi" },
        { "server", "status on;", "status" },
        { "location", "server {}", "server" },
        { "location", "types {}", "types" },
        { "location", "location /x {}", "location" },
        { "location", "listen 80;", "listen" },
        { "location", "server_name a;", "server_name" },
        { "location", "default_type a/b;", "default_type" },
        { "location", "error_log stderr;", "error_log" },
        { "location", "max_connections 5;", "max_connections" },
        { "location", "pid /tmp/p;", "pid" },
        { "location", "daemon on;", "daemon" },
        { "location", "session_max 5;", "session_max" },
    };
    for (const Case& c : cases) {
        std::string context = c.context;
        std::string text;
        int line;
        if (context == "main") {
            text = std::string(c.text) + "\nserver {}\n";
            line = 1;
        } else if (context == "server") {
            text = std::string("server {\n") + c.text + "\n}\n";
            line = 2;
        } else {
            text = std::string("server {\nlocation / {\n") + c.text + "\n}\n}\n";
            line = 3;
        }
        EXPECT_EQ(std::string("\"") + c.name + "\" directive is not allowed here in test.conf:"
                + std::to_string(line),
            error(text))
            << c.context << ": " << c.text;
    }
}

TEST_F(ConfigLoaderTest, TypesAreOnlyMappings)
{
    EXPECT_EQ("unexpected \"{\" in test.conf:2",
        error("types {\n    text/html { html; }\n}\nserver {}\n"));
    EXPECT_EQ("invalid number of arguments in \"text/html\" type in test.conf:3",
        error("types {\n    image/png png;\n    text/html;\n}\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, BlockDirectiveWithoutBlockAndViceVersa)
{
    EXPECT_EQ("directive \"server\" has no opening \"{\" in test.conf:1", error("server;\n"));
    EXPECT_EQ("directive \"location\" has no opening \"{\" in test.conf:2",
        error("server {\n    location /a;\n}\n"));
    EXPECT_EQ("directive \"types\" has no opening \"{\" in test.conf:1", error("types;\nserver {}\n"));
    EXPECT_EQ("directive \"root\" is not terminated by \";\" in test.conf:2",
        error("server {\n    root /x {}\n}\n"));
    EXPECT_EQ("directive \"listen\" is not terminated by \";\" in test.conf:1",
        error("server { listen 80 { } }\n"));
}

TEST_F(ConfigLoaderTest, InvalidNumberOfArguments)
{
    struct Case {
        const char* context;
        const char* text;
        const char* name;
    };
    const Case cases[] = {
        { "main", "root;", "root" },
        { "main", "root /a /b;", "root" },
        { "main", "index;", "index" },
        { "main", "autoindex;", "autoindex" },
        { "main", "autoindex on off;", "autoindex" },
        { "main", "autoindex_exact_size;", "autoindex_exact_size" },
        { "main", "autoindex_format html json;", "autoindex_format" },
        { "main", "error_page;", "error_page" },
        { "main", "error_page 404;", "error_page" },
        { "main", "client_max_body_size;", "client_max_body_size" },
        { "main", "allow_methods;", "allow_methods" },
        { "main", "keepalive_timeout;", "keepalive_timeout" },
        { "main", "client_header_timeout 1 2;", "client_header_timeout" },
        { "main", "client_body_timeout;", "client_body_timeout" },
        { "main", "send_timeout;", "send_timeout" },
        { "main", "cgi_timeout;", "cgi_timeout" },
        { "main", "session;", "session" },
        { "main", "session_timeout;", "session_timeout" },
        { "main", "access_log;", "access_log" },
        { "main", "access_log a combined x;", "access_log" },
        { "main", "default_type;", "default_type" },
        { "main", "default_type a b;", "default_type" },
        { "main", "error_log;", "error_log" },
        { "main", "max_connections;", "max_connections" },
        { "main", "pid;", "pid" },
        { "main", "daemon;", "daemon" },
        { "main", "session_max;", "session_max" },
        { "main", "shutdown_timeout;", "shutdown_timeout" },
        { "main", "shutdown_timeout 1s 2s;", "shutdown_timeout" },
        { "main", "server x {}", "server" },
        { "main", "types x {}", "types" },
        { "server", "listen;", "listen" },
        { "server", "listen 80 default_server x;", "listen" },
        { "server", "server_name;", "server_name" },
        { "server", "location {}", "location" },
        { "server", "location = /a /b {}", "location" },
        { "location", "return;", "return" },
        { "location", "return 301 /a b;", "return" },
        { "location", "alias;", "alias" },
        { "location", "upload_store;", "upload_store" },
        { "location", "cgi;", "cgi" },
        { "location", "cgi .py /a /b;", "cgi" },
        { "location", "status;", "status" },
    };
    for (const Case& c : cases) {
        std::string context = c.context;
        std::string text;
        int line;
        if (context == "main") {
            text = std::string(c.text) + "\nserver {}\n";
            line = 1;
        } else if (context == "server") {
            text = std::string("server {\n") + c.text + "\n}\n";
            line = 2;
        } else {
            text = std::string("server {\nlocation / {\n") + c.text + "\n}\n}\n";
            line = 3;
        }
        EXPECT_EQ(std::string("invalid number of arguments in \"") + c.name
                + "\" directive in test.conf:" + std::to_string(line),
            error(text))
            << c.context << ": " << c.text;
    }
}

TEST_F(ConfigLoaderTest, MissingSemicolonSwallowsTheNextLine)
{
    // `root /x` runs into the next line: root gets three arguments. The line
    // is the one of the directive's name. (nginx names the line where the
    // statement ends, here 3.)
    EXPECT_EQ("invalid number of arguments in \"root\" directive in test.conf:2",
        error("server {\n    root /x\n    index a;\n}\n"));
    EXPECT_EQ("unexpected \"}\" in test.conf:1", error("server { listen 8080 }\n"));
    EXPECT_EQ("unexpected \"}\" in test.conf:3", error("server {\n    listen 8080\n}\n"));
    EXPECT_EQ("unexpected end of file, expecting \";\" or \"}\" in test.conf:2",
        error("server {}\ndaemon on"));
}

TEST_F(ConfigLoaderTest, UnbalancedBraces)
{
    EXPECT_EQ("unexpected \"}\" in test.conf:3", error("server {\n}\n}\n"));
    EXPECT_EQ("unexpected \"}\" in test.conf:1", error("}"));
    // End of file inside a block: the line after the last newline, as nginx.
    EXPECT_EQ("unexpected end of file, expecting \"}\" in test.conf:3",
        error("server {\n    listen 80;\n"));
    EXPECT_EQ("unexpected end of file, expecting \"}\" in test.conf:2",
        error("server {\n    listen 80;"));
    EXPECT_EQ("unexpected end of file, expecting \"}\" in test.conf:5",
        error("server {\n    location / {\n    }\n\n"));
    EXPECT_EQ("unexpected end of file, expecting \"}\" in test.conf:1", error("server {"));
}

TEST_F(ConfigLoaderTest, StraySeparators)
{
    EXPECT_EQ("unexpected \";\" in test.conf:2", error("server {}\n;\n"));
    EXPECT_EQ("unexpected \";\" in test.conf:1", error("server { listen 80;; }\n"));
    EXPECT_EQ("unexpected \"{\" in test.conf:1", error("{ }\n"));
}

TEST_F(ConfigLoaderTest, UnterminatedQuote)
{
    // Reported where the file ends (nginx 1.22 does the same).
    EXPECT_EQ("unexpected end of file, expecting \";\" or \"}\" in test.conf:4",
        error("server {\n    index \"abc;\n}\n"));
    EXPECT_EQ("unexpected end of file, expecting \";\" or \"}\" in test.conf:1",
        error("server { index 'abc; }"));
    EXPECT_EQ("unexpected end of file, expecting \";\" or \"}\" in test.conf:1",
        error("server { index \"abc\\\"; }"));
}

TEST_F(ConfigLoaderTest, NoServerBlock)
{
    EXPECT_EQ("no \"server\" block in test.conf", error(""));
    EXPECT_EQ("no \"server\" block in test.conf", error("# only a comment\n"));
    EXPECT_EQ("no \"server\" block in other.conf", error("daemon off;\n", "other.conf"));
}

// ================================================================ value errors

TEST_F(ConfigLoaderTest, BadListenPortAndAddress)
{
    EXPECT_EQ("invalid port \"80a\" in \"listen\" in test.conf:2",
        error("server {\n    listen 80a;\n}\n"));
    EXPECT_EQ("invalid port \"0\" in \"listen\" in test.conf:2",
        error("server {\n    listen 127.0.0.1:0;\n}\n"));
    EXPECT_EQ("invalid port \"65536\" in \"listen\" in test.conf:1",
        error("server { listen 65536; }\n"));
    EXPECT_EQ("invalid port \"\" in \"listen\" in test.conf:1",
        error("server { listen \"\"; }\n"));
    EXPECT_EQ("invalid address \"1.2.3.999\" in \"listen\" in test.conf:2",
        error("server {\n    listen 1.2.3.999:80;\n}\n"));
    EXPECT_EQ("invalid address \"[::1:80\" in \"listen\" in test.conf:1",
        error("server { listen [::1:80; }\n"));
    EXPECT_EQ("invalid address \"example.org\" in \"listen\" in test.conf:1",
        error("server { listen example.org:80; }\n"));
}

TEST_F(ConfigLoaderTest, BadListenParameter)
{
    EXPECT_EQ("invalid parameter \"default\" in \"listen\" in test.conf:1",
        error("server { listen 80 default; }\n"));
}

TEST_F(ConfigLoaderTest, DuplicateListenInOneServer)
{
    // The passing part: rejected on the second line, whatever the spelling.
    std::string message = error("server {\n    listen 8080;\n    listen *:8080;\n}\n");
    EXPECT_NE(std::string::npos, message.find("duplicate listen 0.0.0.0:8080 in test.conf:3"))
        << message;
    message = error("server {\n listen localhost:81;\n listen 127.0.0.1:81;\n}\n");
    EXPECT_NE(std::string::npos, message.find("duplicate listen 127.0.0.1:81 in test.conf:3"))
        << message;
    message = error("server {\n listen [::1]:81;\n listen [0::1]:81 default_server;\n}\n");
    EXPECT_NE(std::string::npos, message.find("duplicate listen [::1]:81 in test.conf:3"))
        << message;
    // The same port on different addresses is fine.
    Config config = load("server { listen 8080; listen 127.0.0.1:8080; listen [::]:8080; }\n");
    EXPECT_EQ(3u, config.servers[0].listens.size());
}

TEST_F(ConfigLoaderTest, DuplicateListenMessageIsNginxs)
{
    // nginx 1.22's wording.
    EXPECT_EQ("a duplicate listen 0.0.0.0:8080 in test.conf:3",
        error("server {\n    listen 8080;\n    listen *:8080;\n}\n"));
}

TEST_F(ConfigLoaderTest, TwoDefaultServersForOneAddress)
{
    EXPECT_EQ("a duplicate default server for 0.0.0.0:8080 in test.conf:2",
        error("server { listen 8080 default_server; }\nserver { listen *:8080 default_server; }\n"));
    EXPECT_EQ("a duplicate default server for [::1]:80 in test.conf:3",
        error("server { listen [::1] default_server; }\n"
              "server { listen 80 default_server; }\n"
              "server { listen [::1]:80 default_server; }\n"));
    // One default per address: different addresses may each have their own.
    Config config = load(
        "server { listen 127.0.0.1:8080 default_server; }\n"
        "server { listen 8080 default_server; }\n"
        "server { listen 8080; }\n");
    EXPECT_EQ("127.0.0.1:8080", addresses(config.servers[0].defaultFor));
    EXPECT_EQ("0.0.0.0:8080", addresses(config.servers[1].defaultFor));
    EXPECT_EQ("", addresses(config.servers[2].defaultFor));
}

TEST_F(ConfigLoaderTest, BadSize)
{
    EXPECT_EQ("invalid size \"10x\" in \"client_max_body_size\" in test.conf:1",
        error("client_max_body_size 10x;\nserver {}\n"));
    EXPECT_EQ("invalid size \"-1\" in \"client_max_body_size\" in test.conf:3",
        error("server {\n location / {\n  client_max_body_size -1;\n }\n}\n"));
}

TEST_F(ConfigLoaderTest, BadTime)
{
    const char* directives[] = { "keepalive_timeout", "client_header_timeout",
        "client_body_timeout", "send_timeout", "cgi_timeout", "session_timeout" };
    for (const char* d : directives) {
        EXPECT_EQ(std::string("invalid time \"5x\" in \"") + d + "\" in test.conf:2",
            error(std::string("server {\n    ") + d + " 5x;\n}\n"));
    }
    EXPECT_EQ("invalid time \"1h30m\" in \"keepalive_timeout\" in test.conf:1",
        error("keepalive_timeout 1h30m;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, BadOnOff)
{
    EXPECT_EQ("invalid value \"yes\" in \"autoindex\" directive, it must be \"on\" or \"off\""
              " in test.conf:1",
        error("autoindex yes;\nserver {}\n"));
    EXPECT_EQ("invalid value \"1\" in \"session\" directive, it must be \"on\" or \"off\""
              " in test.conf:2",
        error("server {\n    session 1;\n}\n"));
    EXPECT_EQ("invalid value \"true\" in \"daemon\" directive, it must be \"on\" or \"off\""
              " in test.conf:1",
        error("daemon true;\nserver {}\n"));
    EXPECT_EQ("invalid value \"enabled\" in \"status\" directive, it must be \"on\" or \"off\""
              " in test.conf:3",
        error("server {\n location /s {\n  status enabled;\n }\n}\n"));
    EXPECT_EQ("invalid value \"bytes\" in \"autoindex_exact_size\" directive, it must be \"on\" or"
              " \"off\" in test.conf:3",
        error("server {\n location /f/ {\n  autoindex_exact_size bytes;\n }\n}\n"));
}

// nginx 1.22's words for a value outside the enum ("invalid value" and
// file:line, nothing more); its xml and jsonp, which webserv does not
// write, get a message of their own.
TEST_F(ConfigLoaderTest, BadAutoindexFormat)
{
    EXPECT_EQ("invalid value \"yaml\" in test.conf:3",
        error("server {\n location /f/ {\n  autoindex_format yaml;\n }\n}\n"));
    EXPECT_EQ("unsupported value \"xml\" in \"autoindex_format\" directive, it must be \"html\" or"
              " \"json\" in test.conf:1",
        error("autoindex_format xml;\nserver {}\n"));
    EXPECT_EQ("unsupported value \"JSONP\" in \"autoindex_format\" directive, it must be \"html\" or"
              " \"json\" in test.conf:2",
        error("server {\n autoindex_format JSONP;\n}\n"));
    EXPECT_EQ("\"autoindex_format\" directive is duplicate in test.conf:2",
        error("autoindex_format json;\nautoindex_format html;\nserver {}\n"));
}

// nginx's warning, word for word; the first server keeps the name.
TEST_F(ConfigLoaderTest, ConflictingServerNamesAreWarnedAbout)
{
    ConfigWarnings warnings;
    load("server { listen 8090; }\nserver { listen 8090; }\n", &warnings);
    ASSERT_EQ(1u, warnings.size());
    EXPECT_EQ("conflicting server name \"\" on 0.0.0.0:8090, ignored", warnings[0]);

    warnings.clear();
    load("server { listen 127.0.0.1:81; listen 82; server_name a.org b.org a.org; }\n"
         "server { listen 82; server_name B.org c.org; }\n"
         "server { listen 127.0.0.1:83; server_name a.org; }\n", &warnings);
    ASSERT_EQ(3u, warnings.size());
    EXPECT_EQ("conflicting server name \"a.org\" on 127.0.0.1:81, ignored", warnings[0]);
    EXPECT_EQ("conflicting server name \"a.org\" on 0.0.0.0:82, ignored", warnings[1]);
    EXPECT_EQ("conflicting server name \"b.org\" on 0.0.0.0:82, ignored", warnings[2]);

    warnings.clear();
    load("server { listen 81; }\nserver { listen 82; }\nserver { listen 81; server_name x; }\n",
        &warnings);
    EXPECT_TRUE(warnings.empty());
}

TEST_F(ConfigLoaderTest, NginxTopLevelBlocksGetAHint)
{
    const std::string hint = " (an nginx configuration? webserv has no \"http\" or \"events\" "
        "block: its \"server\" blocks go at the top level)";
    EXPECT_EQ("unknown directive \"events\"" + hint + " in test.conf:1",
        error("events {}\nhttp {\n server {}\n}\n"));
    EXPECT_EQ("unknown directive \"http\"" + hint + " in test.conf:2",
        error("\nhttp {\n server {}\n}\n"));
    EXPECT_EQ("unknown directive \"http\" in test.conf:1", error("server { http on; }\n"));
}

TEST_F(ConfigLoaderTest, ShutdownTimeout)
{
    EXPECT_EQ(0, load("shutdown_timeout 0;\nserver {}\n").shutdownTimeoutMs);
    EXPECT_EQ(1500, load("shutdown_timeout 1500ms;\nserver {}\n").shutdownTimeoutMs);
    EXPECT_EQ("invalid time \"soon\" in \"shutdown_timeout\" in test.conf:2",
        error("\nshutdown_timeout soon;\nserver {}\n"));
    EXPECT_EQ("invalid time \"-1s\" in \"shutdown_timeout\" in test.conf:1",
        error("shutdown_timeout -1s;\nserver {}\n"));
    EXPECT_EQ("\"shutdown_timeout\" directive is duplicate in test.conf:2",
        error("shutdown_timeout 1s;\nshutdown_timeout 2s;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, BadNumbers)
{
    EXPECT_EQ("invalid number \"0\" in \"max_connections\" in test.conf:1",
        error("max_connections 0;\nserver {}\n"));
    EXPECT_EQ("invalid number \"many\" in \"session_max\" in test.conf:1",
        error("session_max many;\nserver {}\n"));
    EXPECT_EQ("invalid number \"1000000001\" in \"max_connections\" in test.conf:1",
        error("max_connections 1000000001;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, InvalidMethod)
{
    EXPECT_EQ("invalid method \"PUT\" in \"allow_methods\" in test.conf:2",
        error("server {\n    allow_methods GET PUT;\n}\n"));
    EXPECT_EQ("invalid method \"get\" in \"allow_methods\" in test.conf:1",
        error("allow_methods get;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, BadErrorPage)
{
    EXPECT_EQ("value \"200\" must be between 300 and 599 in test.conf:2",
        error("server {\n    error_page 200 /x.html;\n}\n"));
    EXPECT_EQ("value \"600\" must be between 300 and 599 in test.conf:1",
        error("error_page 404 600 /x.html;\nserver {}\n"));
    EXPECT_EQ("invalid error page URI \"x.html\" in \"error_page\" in test.conf:1",
        error("error_page 404 x.html;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, BadIndex)
{
    EXPECT_EQ("invalid index file \"a/b.html\" in \"index\" in test.conf:1",
        error("index a.html a/b.html;\nserver {}\n"));
    EXPECT_EQ("invalid index file \"\" in \"index\" in test.conf:1", error("index \"\";\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, BadServerName)
{
    EXPECT_EQ("regular expression server names are not supported: \"~^www\\.\" in test.conf:1",
        error("server { server_name ~^www\\.; }\n"));
    EXPECT_EQ("invalid server name or wildcard \"a*.b\" in test.conf:1",
        error("server { server_name a*.b; }\n"));
    EXPECT_EQ("invalid server name or wildcard \"*.\" in test.conf:1",
        error("server { server_name *.; }\n"));
    EXPECT_EQ("invalid server name or wildcard \"*.a.*\" in test.conf:1",
        error("server { server_name *.a.*; }\n"));
    EXPECT_EQ("invalid server name or wildcard \"*\" in test.conf:1",
        error("server { server_name *; }\n"));
}

TEST_F(ConfigLoaderTest, BadLogSettings)
{
    EXPECT_EQ("invalid log format \"json\" in \"access_log\" in test.conf:1",
        error("access_log /tmp/a.log json;\nserver {}\n"));
    EXPECT_EQ("invalid value \"off\" in \"error_log\" in test.conf:1",
        error("error_log off;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, DuplicateLocation)
{
    EXPECT_EQ("duplicate location \"/img/\" in test.conf:3",
        error("server {\n    location /img/ {}\n    location /img/ {}\n}\n"));
    EXPECT_EQ("duplicate location \"/a\" in test.conf:1",
        error("server { location = /a {} location = /a {} }\n"));
    // The same path in two servers, or exact and prefix, is fine.
    EXPECT_NO_THROW(load("server { location /a {} location = /a {} }\nserver { location /a {} }\n"));
}

TEST_F(ConfigLoaderTest, BadLocationModifier)
{
    EXPECT_EQ("invalid location modifier \"~\" in \"location\" in test.conf:2",
        error("server {\n    location ~ \\.php$ {}\n}\n"));
}

TEST_F(ConfigLoaderTest, DuplicateNonRepeatableDirective)
{
    std::string other = dir_.mkdir("other");
    EXPECT_EQ("\"root\" directive is duplicate in test.conf:3",
        error("server {\n    root " + T() + ";\n    root " + other + ";\n}\n"));
    EXPECT_EQ("\"autoindex\" directive is duplicate in test.conf:2",
        error("autoindex on;\nautoindex off;\nserver {}\n"));
    EXPECT_EQ("\"allow_methods\" directive is duplicate in test.conf:1",
        error("server { location / { allow_methods GET; allow_methods POST; } }\n"));
    EXPECT_EQ("\"return\" directive is duplicate in test.conf:1",
        error("server { location / { return 404; return 403; } }\n"));
    EXPECT_EQ("\"daemon\" directive is duplicate in test.conf:2",
        error("daemon on;\ndaemon on;\nserver {}\n"));
    EXPECT_EQ("\"keepalive_timeout\" directive is duplicate in test.conf:4",
        error("server {\n keepalive_timeout 1s;\n location / {}\n keepalive_timeout 2s;\n}\n"));
    // Setting a directive again in a nested block is overriding, not a duplicate.
    EXPECT_NO_THROW(load("autoindex on;\nserver { autoindex off; location / { autoindex on; } }\n"));
}

TEST_F(ConfigLoaderTest, RootAndAliasConflict)
{
    std::string pics = dir_.mkdir("pics");
    EXPECT_EQ("\"root\" directive is duplicate, \"alias\" directive was specified earlier"
              " in test.conf:4",
        error("server {\n location /a/ {\n  alias " + pics + "/;\n  root " + pics + ";\n }\n}\n"));
    EXPECT_EQ("\"alias\" directive is duplicate, \"root\" directive was specified earlier"
              " in test.conf:4",
        error("server {\n location /a/ {\n  root " + pics + ";\n  alias " + pics + "/;\n }\n}\n"));
    EXPECT_EQ("\"alias\" directive is duplicate in test.conf:1",
        error("server { location /a/ { alias " + pics + "; alias " + pics + "; } }\n"));
    // A root inherited from the server does not conflict with an alias.
    Config config = load("server {\n root " + T() + ";\n location /a/ { alias " + pics + "/; }\n}\n");
    EXPECT_TRUE(config.servers[0].locations[0].hasAlias);
}

TEST_F(ConfigLoaderTest, RootThatDoesNotExist)
{
    std::string file = dir_.write("plain-file", "x");
    EXPECT_EQ("\"root\" directory \"" + T() + "/missing\" does not exist in test.conf:2",
        error("server {\n    root " + T() + "/missing;\n}\n"));
    EXPECT_EQ("\"root\" directory \"missing\" does not exist in test.conf:1",
        error("root missing;\nserver {}\n"));
    EXPECT_EQ("\"root\" directory \"" + file + "\" does not exist (not a directory) in test.conf:1",
        error("server { location / { root " + file + "; } }\n"));
}

TEST_F(ConfigLoaderTest, AliasThatDoesNotExist)
{
    EXPECT_EQ("\"alias\" path \"" + T() + "/missing/\" does not exist in test.conf:2",
        error("server { location /a/ {\n alias " + T() + "/missing/;\n} }\n"));
}

TEST_F(ConfigLoaderTest, UploadStoreThatDoesNotExist)
{
    std::string file = dir_.write("plain-file", "x");
    EXPECT_EQ("\"upload_store\" directory \"" + T() + "/nostore\" does not exist in test.conf:3",
        error("server {\n location /up/ {\n  upload_store " + T() + "/nostore;\n }\n}\n"));
    EXPECT_EQ("\"upload_store\" directory \"" + file
            + "\" does not exist (not a directory) in test.conf:1",
        error("server { location /up/ { upload_store " + file + "; } }\n"));
}

TEST_F(ConfigLoaderTest, InvalidReturnCode)
{
    EXPECT_EQ("invalid return code \"abc\" in test.conf:3",
        error("server {\n location / {\n  return abc;\n }\n}\n"));
    EXPECT_EQ("invalid return code \"0\" in test.conf:1", error("server { location / { return 0; } }"));
    EXPECT_EQ("invalid return code \"1000\" in test.conf:1",
        error("server { location / { return 1000; } }"));
    EXPECT_EQ("invalid return code \"/relative\" in test.conf:1",
        error("server { location / { return /relative; } }"));
    EXPECT_EQ("invalid return code \"-301\" in test.conf:1",
        error("server { location / { return -301 /x; } }"));
}

TEST_F(ConfigLoaderTest, RedirectReturnWithoutUrl)
{
    const char* codes[] = { "301", "302", "303", "307", "308" };
    for (const char* code : codes) {
        EXPECT_EQ(std::string("\"return\" with code ") + code + " needs a URL in test.conf:2",
            error(std::string("server { location / {\n return ") + code + ";\n} }\n"));
    }
    EXPECT_EQ("\"return\" with code 301 needs a URL in test.conf:1",
        error("server { location / { return 301 \"\"; } }"));
}

TEST_F(ConfigLoaderTest, InvalidCgiExtension)
{
    const char* bad[] = { "py", ".", "./x", "x.py", ".a/b" };
    for (const char* ext : bad) {
        EXPECT_EQ(std::string("invalid cgi extension \"") + ext
                + "\", it must look like \".py\" in test.conf:3",
            error(std::string("server {\n location /c/ {\n  cgi ") + ext + ";\n }\n}\n"))
            << ext;
    }
}

TEST_F(ConfigLoaderTest, DuplicateCgiExtension)
{
    EXPECT_EQ("duplicate cgi extension \".py\" in test.conf:4",
        error("server {\n location /c/ {\n  cgi .py /usr/bin/python3;\n  cgi .py /bin/sh;\n }\n}\n"));
    // The same extension in two locations is fine.
    EXPECT_NO_THROW(load("server { location /a/ { cgi .sh; } location /b/ { cgi .sh; } }"));
}

TEST_F(ConfigLoaderTest, FastcgiAddresses)
{
    Config config = load("server { location /p/ { fastcgi .php unix:run/php.sock;"
        " fastcgi .php5 127.0.0.1:9000; fastcgi .php7 [::1]:9001; cgi .py; } }");
    const std::vector<CgiRule>& rules = config.servers[0].locations[0].cgi;
    ASSERT_EQ(4u, rules.size());
    EXPECT_TRUE(rules[0].fastcgi);
    EXPECT_EQ("unix:run/php.sock", rules[0].responder.text);
    EXPECT_EQ(absolutePath("run/php.sock"), rules[0].responder.unixPath);
    EXPECT_EQ("127.0.0.1", rules[1].responder.inet.host);
    EXPECT_EQ(9000, rules[1].responder.inet.port);
    EXPECT_EQ("::1", rules[2].responder.inet.host);
    EXPECT_EQ(AF_INET6, rules[2].responder.inet.family);
    EXPECT_FALSE(rules[3].fastcgi);
}

TEST_F(ConfigLoaderTest, FastcgiMistakesNameTheirLine)
{
    auto at = [this](const std::string& address) {
        return error("server {\n location /p/ {\n  fastcgi .php " + address + ";\n }\n}\n");
    };
    EXPECT_EQ("no port in fastcgi address \"127.0.0.1\" in test.conf:3", at("127.0.0.1"));
    EXPECT_EQ("no port in fastcgi address \"[::1]\" in test.conf:3", at("[::1]"));
    EXPECT_EQ("invalid fastcgi address \"unix:\": no socket path after \"unix:\" in test.conf:3",
        at("unix:"));
    EXPECT_EQ("invalid fastcgi address \"*:9000\" (unix:/path or HOST:PORT) in test.conf:3",
        at("*:9000"));
    EXPECT_EQ("invalid fastcgi address \"php:fpm\" (unix:/path or HOST:PORT) in test.conf:3",
        at("php:fpm"));
    EXPECT_EQ("fastcgi socket path \"/" + std::string(120, 's') + "\" is too long in test.conf:3",
        at("unix:/" + std::string(120, 's')));
    EXPECT_EQ("invalid number of arguments in \"fastcgi\" directive in test.conf:3", at(""));
    // An extension is claimed once, by cgi or by fastcgi.
    EXPECT_EQ("duplicate fastcgi extension \".php\" in test.conf:1",
        error("server { location /p/ { cgi .php; fastcgi .php 127.0.0.1:9000; } }"));
    EXPECT_EQ("invalid fastcgi extension \"php\", it must look like \".py\" in test.conf:1",
        error("server { location /p/ { fastcgi php 127.0.0.1:9000; } }"));
}

// ================================================================ variables, try_files, cgi_param

TEST_F(ConfigLoaderTest, UnknownVariableIsAnErrorAtItsLine)
{
    EXPECT_EQ("unknown \"urx\" variable in test.conf:3",
        error("server {\n location / {\n  try_files $urx =404;\n }\n}\n"));
    EXPECT_EQ("unknown \"remote_user\" variable in test.conf:2",
        error("server {\n cgi_param USER $remote_user;\n}\n"));
    EXPECT_EQ("unknown \"foo\" variable in test.conf:1",
        error("server { location / { return 301 https://$foo/; } }"));
    EXPECT_EQ("invalid variable name in \"a$\" in test.conf:1", error("cgi_param X a$;\nserver {}\n"));
}

TEST_F(ConfigLoaderTest, TryFilesFilesAndFallback)
{
    Config c = load("server {\n try_files $uri /index.html;\n"
                    " location /a/ { try_files $uri $uri/ /index.php$is_args$args; }\n"
                    " location /b/ { try_files $uri =404; }\n"
                    " location /c/ { }\n}\n");
    const ServerConfig& s = c.servers[0];
    ASSERT_EQ(1u, s.implicit.tryFiles.files.size());
    EXPECT_EQ("/index.html", s.implicit.tryFiles.fallback.text());
    const TryFilesRule& a = locationOf(s, "/a/").tryFiles;
    ASSERT_EQ(2u, a.files.size());
    EXPECT_EQ("$uri/", a.files[1].text());
    EXPECT_EQ("/index.php$is_args$args", a.fallback.text());
    EXPECT_EQ(0, a.status);
    EXPECT_EQ(404, locationOf(s, "/b/").tryFiles.status);
    // Not inherited: a server's try_files is for paths no location matches.
    EXPECT_TRUE(locationOf(s, "/c/").tryFiles.empty());
}

TEST_F(ConfigLoaderTest, TryFilesErrors)
{
    EXPECT_EQ("invalid number of arguments in \"try_files\" directive in test.conf:1",
        error("server { location / { try_files $uri; } }"));
    EXPECT_EQ("invalid code \"=abc\" in \"try_files\" in test.conf:1",
        error("server { location / { try_files $uri =abc; } }"));
    EXPECT_EQ("invalid code \"=99\" in \"try_files\" in test.conf:1",
        error("server { location / { try_files $uri =99; } }"));
    EXPECT_EQ("invalid URI \"@app\" in \"try_files\", it must start with \"/\" or be \"=CODE\" "
              "(named locations are not supported) in test.conf:1",
        error("server { location / { try_files $uri @app; } }"));
    EXPECT_EQ("\"try_files\" directive is not allowed here in test.conf:1",
        error("try_files $uri =404;\nserver {}\n"));
    EXPECT_EQ("\"try_files\" directive is duplicate in test.conf:4",
        error("server {\n location / {\n try_files $uri =404;\n try_files $uri =403;\n } }"));
}

TEST_F(ConfigLoaderTest, CgiParamsAreInheritedUntilABlockSetsItsOwn)
{
    Config c = load("cgi_param APP_ENV production;\n"
                    "fastcgi_param APP_DEBUG 0;\n"
                    "server {\n"
                    " location /a/ { }\n"
                    " location /b/ { cgi_param GITWEB_CONFIG /etc/gitweb.conf;"
                    " fastcgi_param HOST_NAME $host if_not_empty; }\n"
                    "}\n");
    const ServerConfig& s = c.servers[0];
    const std::vector<CgiParam>& a = locationOf(s, "/a/").cgiParams;
    ASSERT_EQ(2u, a.size());
    EXPECT_EQ("APP_ENV", a[0].name);
    EXPECT_EQ("production", a[0].value.text());
    EXPECT_EQ("APP_DEBUG", a[1].name);
    const std::vector<CgiParam>& b = locationOf(s, "/b/").cgiParams;
    ASSERT_EQ(2u, b.size());
    EXPECT_EQ("GITWEB_CONFIG", b[0].name);
    EXPECT_FALSE(b[0].ifNotEmpty);
    EXPECT_EQ("HOST_NAME", b[1].name);
    EXPECT_TRUE(b[1].value.hasVariables());
    EXPECT_TRUE(b[1].ifNotEmpty);
    EXPECT_EQ("invalid parameter \"always\" in \"cgi_param\" in test.conf:1",
        error("cgi_param A b always;\nserver {}\n"));
}
