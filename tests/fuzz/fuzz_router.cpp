// libFuzzer target: the path normaliser and request-target splitter
// (src/http/Uri.cpp) and the router (src/router/Router.cpp) on a small fixed
// config (roots in /tmp and /usr, which exist everywhere).
//
// Input: one byte choosing the local address, then "METHOD\nHOST\nTARGET"
// (the target is the rest and may hold anything, newlines included).
//
// Properties:
// - normalizePath(), when it accepts (the raw target, and the path that
//   splitRequestTarget() found), gives a path that starts with '/', has no
//   "//", "/./" or "/../" and does not end in "/.." or "/."; without a '%'
//   in it, normalising it again changes nothing;
// - an accepted normalizeHost() result has no upper-case letter and no "..";
// - route() never crashes; its path is normalised as above; STATIC and CGI
//   file paths lie under the location's root (or alias), upload and DELETE
//   paths under its upload_store, none climbing out with "/..";
//   "OPTIONS *" alone routes without a path (the server's methods).

#include <string>

#include "FuzzSupport.hpp"
#include "config/Config.hpp"
#include "config/Loader.hpp"
#include "config/Values.hpp"
#include "http/Uri.hpp"
#include "router/Router.hpp"

namespace {

const char kConfig[] =
    "server {\n"
    "    listen 8080 default_server;\n"
    "    listen [::]:8080;\n"
    "    server_name example.org *.example.org;\n"
    "    root /tmp;\n"
    "    index index.html;\n"
    "    location / { allow_methods GET HEAD; }\n"
    "    location /files/ { autoindex on; }\n"
    "    location /uploads/ { allow_methods GET POST DELETE; upload_store /tmp; }\n"
    "    location /cgi-bin/ {\n"
    "        root /usr; allow_methods GET POST; cgi .py /usr/bin/python3; cgi .sh;\n"
    "    }\n"
    "    location /share/ { alias /usr/share/; }\n"
    "    location /lib { alias /usr/lib; allow_methods GET POST DELETE; upload_store /tmp; }\n"
    "    location /scripts { alias /usr/bin; cgi .pl; }\n"
    "    location = /old-page { return 301 /index.html; }\n"
    "    location = /status { status on; }\n"
    "}\n"
    "server {\n"
    "    listen 127.0.0.1:8081;\n"
    "    server_name other.test;\n"
    "    root /usr;\n"
    "    location /up/ { allow_methods POST DELETE; upload_store /tmp; }\n"
    "}\n";

const char* const kLocals[] = { "0.0.0.0:8080", "127.0.0.1:8080", "127.0.0.1:8081",
    "[::1]:8080" };

struct Fixture {
    Config config;
    Router router;
    ListenAddress locals[4];

    Fixture() : config(loadConfigText(kConfig, "fuzz-router.conf", 0)), router(config)
    {
        for (size_t i = 0; i < 4; ++i) {
            std::string bad;
            FUZZ_CHECK(parseListen(kLocals[i], &locals[i], &bad) == LISTEN_OK, kLocals[i]);
        }
    }
};

bool contains(const std::string& s, const char* what)
{
    return s.find(what) != std::string::npos;
}

bool hasSuffix(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size()
        && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool hasPrefix(const std::string& s, const std::string& prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool isNormal(const std::string& path)
{
    return !path.empty() && path[0] == '/' && !contains(path, "//") && !contains(path, "/./")
        && !contains(path, "/../") && !hasSuffix(path, "/..") && !hasSuffix(path, "/.");
}

void checkNormalize(const std::string& raw)
{
    std::string path;
    if (!normalizePath(raw, &path))
        return;
    FUZZ_CHECK(isNormal(path), fuzz::visible(raw) + " -> " + fuzz::visible(path));
    if (contains(path, "%"))
        return;
    std::string again;
    FUZZ_CHECK(normalizePath(path, &again) && again == path,
        fuzz::visible(raw) + " -> " + fuzz::visible(path) + " -> " + fuzz::visible(again));
}

void checkHost(const std::string& value)
{
    std::string host;
    if (!normalizeHost(value, &host))
        return;
    for (size_t i = 0; i < host.size(); ++i)
        FUZZ_CHECK(!(host[i] >= 'A' && host[i] <= 'Z'), fuzz::visible(value) + " -> " + host);
    FUZZ_CHECK(!contains(host, ".."), fuzz::visible(value) + " -> " + fuzz::visible(host));
}

// file lies under base: base itself, or base followed by a path that does
// not climb (the path after base was normalised, so "/.." cannot be in it).
void checkUnder(const std::string& file, const std::string& base, const std::string& what)
{
    FUZZ_CHECK(!base.empty() && hasPrefix(file, base) && !contains(file, "/../")
            && !hasSuffix(file, "/.."),
        what + " " + fuzz::visible(file) + " not under " + fuzz::visible(base));
}

std::string takeLine(const std::string& text, std::string::size_type* pos)
{
    std::string::size_type lf = text.find('\n', *pos);
    if (lf == std::string::npos)
        lf = text.size();
    std::string line = text.substr(*pos, lf - *pos);
    *pos = lf < text.size() ? lf + 1 : lf;
    return line;
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static Fixture fixture;
    fuzz::Input in(data, size);
    size_t local = in.byte() % 4;
    std::string text = in.rest();
    std::string::size_type pos = 0;

    RouteInput input;
    input.local = fixture.locals[local];
    input.method = takeLine(text, &pos);
    input.host = takeLine(text, &pos);
    input.target = text.substr(pos);

    checkNormalize(input.target);
    checkHost(input.host);
    RequestTarget target;
    if (splitRequestTarget(input.target, &target)) {
        checkNormalize(target.path);
        checkHost(target.authority);
    }

    RouteDecision d = fixture.router.route(input);
    FUZZ_CHECK(d.server != 0 && d.location != 0, "no server or location");
    if (d.action == ROUTE_ERROR && d.status == 400)
        return 0;
    if (input.target == "*") {
        FUZZ_CHECK(input.method == "OPTIONS" && d.action == ROUTE_OPTIONS && d.path.empty(),
            "asterisk-form with " + fuzz::visible(input.method));
        return 0;
    }
    FUZZ_CHECK(isNormal(d.path), "routed path " + fuzz::visible(d.path));
    const LocationConfig& location = *d.location;
    const std::string& base = location.hasAlias ? location.alias : location.root;
    if (d.action == ROUTE_STATIC || d.action == ROUTE_CGI)
        checkUnder(d.fsPath, base, "file");
    if (d.action == ROUTE_UPLOAD || d.action == ROUTE_DELETE)
        checkUnder(d.storePath, location.uploadStore, "store path");
    if (d.action == ROUTE_CGI)
        FUZZ_CHECK(d.cgi != 0 && hasPrefix(d.path, d.scriptName)
                && d.scriptName + d.pathInfo == d.path,
            "script " + fuzz::visible(d.scriptName) + " info " + fuzz::visible(d.pathInfo)
                + " path " + fuzz::visible(d.path));
    return 0;
}
