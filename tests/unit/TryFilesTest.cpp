// try_files and internal redirects: which FILE is found (file, directory,
// under root or alias), the fallback URI with its query kept or rebuilt,
// `=CODE`, and the bound on internal redirects (src/router/TryFiles.cpp,
// src/router/InternalRedirects.cpp). Configs are loaded from text over a
// temporary tree.

#include <gtest/gtest.h>

#include <memory>
#include <unistd.h>
#include <string>

#include "config/Config.hpp"
#include "config/Loader.hpp"
#include "router/InternalRedirects.hpp"
#include "router/RequestVariables.hpp"
#include "router/Router.hpp"
#include "router/TryFiles.hpp"
#include "support/TempDir.hpp"

namespace {

class TryFilesTest : public ::testing::Test {
protected:
    TryFilesTest()
    {
        dir_.write("www/index.php", "<?php\n");
        dir_.write("www/style.css", "body{}\n");
        dir_.write("www/docs/index.html", "<p>docs</p>\n");
        dir_.write("www/app/index.html", "<div id=app></div>\n");
        dir_.write("files/report.txt", "report\n");
    }

    // Loads text with "ROOT" replaced by the temporary directory.
    void use(std::string text)
    {
        std::string::size_type pos;
        while ((pos = text.find("ROOT")) != std::string::npos)
            text.replace(pos, 4, dir_.path());
        config_.reset(new Config(loadConfigText(text, "try-files-test.conf", nullptr)));
        router_.reset(new Router(*config_));
    }

    // Routes target as Router::route() does, before the file system.
    void route(const std::string& method, const std::string& target)
    {
        request_.method = method;
        request_.target = target;
        RouteInput input;
        input.method = method;
        input.target = target;
        input.host = "localhost";
        input.local = config_->servers[0].listens[0];
        ctx_.config = config_.get();
        ctx_.router = router_.get();
        ctx_.request = &request_;
        ctx_.statCache = &stats_;
        router_->route(input, ctx_.route);
    }

    // Routes target as the exchange does, internal redirects included.
    RouteDecision resolve(const std::string& method, const std::string& target, int* redirects)
    {
        route(method, target);
        file_ = resolveRoute(ctx_, redirects);
        return ctx_.route;
    }

    RouteDecision resolve(const std::string& method, const std::string& target)
    {
        int redirects = 0;
        return resolve(method, target, &redirects);
    }

    TryFilesResult tryIn(const std::string& path, const std::string& target)
    {
        route("GET", target);
        const LocationConfig& location = router_->selectLocation(config_->servers[0], path);
        return tryFiles(location, RequestVariables(ctx_), stats_);
    }

    TempDir dir_;
    std::unique_ptr<Config> config_;
    std::unique_ptr<Router> router_;
    Request request_;
    RequestContext ctx_;
    StatCache stats_;
    ResolvedFile file_;
};

const char* kFrontController =
    "server {\n"
    "    root ROOT/www;\n"
    "    location / {\n"
    "        allow_methods GET POST;\n"
    "        index index.html index.php;\n"
    "        try_files $uri $uri/ /index.php$is_args$args;\n"
    "        cgi .php /usr/bin/php-cgi;\n"
    "    }\n"
    "    location /app/ { try_files $uri /app/index.html; }\n"
    "    location /strict/ { try_files $uri =404; }\n"
    "    location /files/ { alias ROOT/files/; try_files $uri =410; }\n"
    "    location /query/ { try_files $uri /index.php?route=$uri&$args; }\n"
    "    location /loop/ { try_files $uri /loop/again; }\n"
    "}\n";

}

TEST_F(TryFilesTest, AFileThatExistsIsFoundUnderTheRoot)
{
    use(kFrontController);
    TryFilesResult r = tryIn("/", "/style.css");
    EXPECT_EQ(TryFilesResult::FOUND, r.kind);
    EXPECT_EQ("/style.css", r.uri);
}

TEST_F(TryFilesTest, ANameEndingInSlashIsFoundOnlyAsADirectory)
{
    use(kFrontController);
    TryFilesResult dir = tryIn("/", "/docs");
    EXPECT_EQ(TryFilesResult::FOUND, dir.kind);
    EXPECT_EQ("/docs/", dir.uri);
    // "$uri" alone never matches a directory.
    use("server { root ROOT/www; location / { try_files $uri =404; } }\n");
    TryFilesResult plain = tryIn("/", "/docs");
    EXPECT_EQ(TryFilesResult::STATUS, plain.kind);
    EXPECT_EQ(404, plain.status);
}

TEST_F(TryFilesTest, NamesUnderAnAliasLoseTheLocationPrefix)
{
    use(kFrontController);
    EXPECT_EQ(TryFilesResult::FOUND, tryIn("/files/", "/files/report.txt").kind);
    TryFilesResult missing = tryIn("/files/", "/files/other.txt");
    EXPECT_EQ(TryFilesResult::STATUS, missing.kind);
    EXPECT_EQ(410, missing.status);
}

TEST_F(TryFilesTest, FallbackKeepsTheRequestQueryOrRebuildsIt)
{
    use(kFrontController);
    TryFilesResult kept = tryIn("/", "/users/42?tab=posts");
    EXPECT_EQ(TryFilesResult::REDIRECT, kept.kind);
    EXPECT_EQ("/index.php", kept.uri);
    EXPECT_TRUE(kept.newQuery);
    EXPECT_EQ("tab=posts", kept.query);
    TryFilesResult rebuilt = tryIn("/query/", "/query/a%20b?x=1");
    EXPECT_EQ(TryFilesResult::REDIRECT, rebuilt.kind);
    EXPECT_EQ("/index.php", rebuilt.uri);
    EXPECT_EQ("route=/query/a b&x=1", rebuilt.query);
}

TEST_F(TryFilesTest, FrontControllerRunsForAPathWithoutAFile)
{
    use(kFrontController);
    RouteDecision d = resolve("GET", "/users/42?tab=posts");
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ("/index.php", d.scriptName);
    EXPECT_EQ("", d.pathInfo);
    EXPECT_EQ("tab=posts", d.query);
    EXPECT_EQ(dir_.path() + "/www/index.php", d.fsPath);
}

TEST_F(TryFilesTest, PostThatStaticFilesRefuseReachesTheController)
{
    use(kFrontController);
    RouteDecision d = resolve("POST", "/users");
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ("/index.php", d.scriptName);
}

TEST_F(TryFilesTest, MethodsTheLocationRefusesNeverReachTryFiles)
{
    use(kFrontController);
    RouteDecision d = resolve("DELETE", "/users");
    EXPECT_EQ(ROUTE_NOT_ALLOWED, d.action);
    EXPECT_EQ(405, d.status);
}

TEST_F(TryFilesTest, DirectoryFoundServesItsIndexFile)
{
    use(kFrontController);
    RouteDecision d = resolve("GET", "/docs/");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ("/docs/index.html", d.path);
    EXPECT_EQ(FILE_REGULAR, file_.kind);
    EXPECT_EQ(dir_.path() + "/www/docs/index.html", file_.path);
}

TEST_F(TryFilesTest, RootDirectoryReachesTheScriptIndex)
{
    use(kFrontController);
    RouteDecision d = resolve("GET", "/");
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ("/index.php", d.scriptName);
}

TEST_F(TryFilesTest, SinglePageAppFallsBackToItsIndex)
{
    use(kFrontController);
    RouteDecision d = resolve("GET", "/app/users/42");
    EXPECT_EQ(ROUTE_STATIC, d.action);
    EXPECT_EQ("/app/index.html", d.path);
    EXPECT_EQ(FILE_REGULAR, file_.kind);
}

TEST_F(TryFilesTest, EqualsCodeAnswersTheStatus)
{
    use(kFrontController);
    RouteDecision d = resolve("GET", "/strict/missing");
    EXPECT_EQ(ROUTE_ERROR, d.action);
    EXPECT_EQ(404, d.status);
}

TEST_F(TryFilesTest, TenInternalRedirectsAreFollowedTheEleventhIs500)
{
    use(kFrontController);
    int redirects = 0;
    RouteDecision d = resolve("GET", "/loop/x", &redirects);
    EXPECT_EQ(ROUTE_ERROR, d.action);
    EXPECT_EQ(500, d.status);
    EXPECT_EQ(kMaxInternalRedirects + 1, redirects);
    // Redirects taken before (a CGI local redirect) count toward the bound.
    redirects = kMaxInternalRedirects - 1;
    d = resolve("GET", "/users/1", &redirects);
    EXPECT_EQ(ROUTE_CGI, d.action);
    EXPECT_EQ(kMaxInternalRedirects, redirects);
    redirects = kMaxInternalRedirects;
    d = resolve("GET", "/users/1", &redirects);
    EXPECT_EQ(ROUTE_ERROR, d.action);
    EXPECT_EQ(500, d.status);
}

TEST_F(TryFilesTest, NamesThatClimbOutOfTheRootExistNowhere)
{
    use("server { root ROOT/www; location / { try_files /../files/report.txt $http_x_name =404; } }\n");
    TryFilesResult r = tryIn("/", "/x");
    EXPECT_EQ(TryFilesResult::STATUS, r.kind);
    request_.headers.add("X-Name", "/../../files/report.txt");
    r = tryFiles(router_->selectLocation(config_->servers[0], "/"), RequestVariables(ctx_), stats_);
    EXPECT_EQ(TryFilesResult::STATUS, r.kind);
}

TEST_F(TryFilesTest, ALinkThatDisableSymlinksRefusesIsNotFound)
{
    ASSERT_EQ(0, symlink((dir_.path() + "/www/style.css").c_str(), (dir_.path() + "/www/linked.css").c_str()));
    use("server { root ROOT/www; location / { try_files $uri =404; } }\n");
    EXPECT_EQ(TryFilesResult::FOUND, tryIn("/", "/linked.css").kind);
    use("server { root ROOT/www; disable_symlinks on; location / { try_files $uri =404; } }\n");
    TryFilesResult refused = tryIn("/", "/linked.css");
    EXPECT_EQ(TryFilesResult::STATUS, refused.kind);
    EXPECT_EQ(404, refused.status);
    EXPECT_EQ(TryFilesResult::FOUND, tryIn("/", "/style.css").kind);
}
