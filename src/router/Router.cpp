#include "router/Router.hpp"

#include <sys/socket.h>

#include "http/Uri.hpp"
#include "util/Strings.hpp"

namespace {

bool hasListen(const ServerConfig& server, const ListenAddress& address)
{
    for (size_t i = 0; i < server.listens.size(); ++i)
        if (server.listens[i] == address)
            return true;
    return false;
}

bool isDefaultFor(const ServerConfig& server, const ListenAddress& address)
{
    for (size_t i = 0; i < server.defaultFor.size(); ++i)
        if (server.defaultFor[i] == address)
            return true;
    return false;
}

// How well a server_name matches host: 0 no match, a wildcard's length + 1
// for "*.suffix", and the highest value for an exact match.
size_t nameScore(const std::string& name, const std::string& host)
{
    if (name == host)
        return std::string::npos;
    if (startsWith(name, "*.")) {
        std::string suffix = name.substr(1);
        if (host.size() > suffix.size() && endsWith(host, suffix))
            return name.size() + 1;
    }
    return 0;
}

ListenAddress wildcardOf(const ListenAddress& local)
{
    ListenAddress wildcard = local;
    wildcard.host = local.family == AF_INET ? "0.0.0.0" : "::";
    return wildcard;
}

bool prefixMatches(const LocationConfig& location, const std::string& path)
{
    return location.exact ? path == location.path : startsWith(path, location.path);
}

// The part of path after the location prefix. False when the prefix ends
// inside a segment and the remainder would glue onto a directory name
// ("/img" matching "/imgX" must not turn alias /data/img into /data/imgX).
bool remainderAfter(const LocationConfig& location, const std::string& path, std::string* rest)
{
    *rest = location.exact ? std::string() : path.substr(location.path.size());
    bool prefixEndsSegment = location.path.empty() || location.path[location.path.size() - 1] == '/';
    return rest->empty() || (*rest)[0] == '/' || prefixEndsSegment;
}

}

bool mapPathToFile(const LocationConfig& location, const std::string& path, std::string* fsPath)
{
    if (!location.hasAlias) {
        *fsPath = location.root + path;
        return true;
    }
    std::string rest;
    bool aliasEndsSegment = !location.alias.empty() && location.alias[location.alias.size() - 1] == '/';
    if (!prefixMatches(location, path) || !remainderAfter(location, path, &rest) || (!aliasEndsSegment && !rest.empty() && rest[0] != '/'))
        return false;
    *fsPath = location.alias + rest;
    return true;
}

namespace {

bool mapToStore(const LocationConfig& location, const std::string& path, std::string* storePath)
{
    std::string rest;
    if (!remainderAfter(location, path, &rest))
        return false;
    while (!rest.empty() && rest[0] == '/')
        rest.erase(0, 1);
    *storePath = location.uploadStore;
    if (!rest.empty())
        *storePath += "/" + rest;
    return true;
}

// Finds the first path segment naming a CGI script: "/cgi-bin/a.py/x/y"
// gives script "/cgi-bin/a.py" and path info "/x/y".
const CgiRule* findScript(const LocationConfig& location, const std::string& path,
    std::string* scriptName, std::string* pathInfo)
{
    if (location.cgi.empty())
        return 0;
    std::string::size_type start = 1;
    while (start < path.size()) {
        std::string::size_type end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        const CgiRule* rule = location.cgiFor(path.substr(start, end - start));
        if (rule) {
            *scriptName = path.substr(0, end);
            *pathInfo = path.substr(end);
            return rule;
        }
        start = end + 1;
    }
    return 0;
}

// A hidden directory or file (".git", ".env", ".venv") or Python's
// byte-code cache ("__pycache__"). Normalised paths have no "." or "..".
bool isHiddenSegment(const std::string& path, std::string::size_type start,
    std::string::size_type end)
{
    if (start < end && path[start] == '.')
        return true;
    static const std::string cache = "__pycache__";
    return path.compare(start, end - start, cache) == 0;
}

// True when a segment of path below the location's own prefix is hidden.
// The segments the prefix names in full are the administrator's choice
// (`location /.well-known/` is not hidden from itself).
bool throughHidden(const LocationConfig& location, const std::string& path)
{
    std::string::size_type slash = 0;
    if (location.exact && path == location.path)
        return false;
    if (!location.exact && !location.path.empty() && startsWith(path, location.path))
        slash = path.rfind('/', location.path.size() - 1);
    while (slash != std::string::npos && slash + 1 < path.size()) {
        std::string::size_type end = path.find('/', slash + 1);
        if (isHiddenSegment(path, slash + 1, end == std::string::npos ? path.size() : end))
            return true;
        slash = end;
    }
    return false;
}

void decideHandler(const std::string& methodName, RouteDecision& d)
{
    const LocationConfig& location = *d.location;
    unsigned method = methodBit(methodName);
    d.cgi = findScript(location, d.path, &d.scriptName, &d.pathInfo);
    // Where scripts run, the files beside them that are no page of the site
    // (a checkout's .git, a virtualenv, the __pycache__ python3 writes when
    // a script imports a module next to it) are 404 — scripts in them too,
    // so that a .venv/ never runs as CGI. Only the path up to the script
    // counts: its path info is the script's business.
    if (!location.cgi.empty() && throughHidden(location, d.cgi ? d.scriptName : d.path)) {
        d.cgi = 0;
        d.action = ROUTE_ERROR;
        d.status = 404;
        return;
    }
    if (d.cgi) {
        d.action = ROUTE_CGI;
        if (!mapPathToFile(location, d.scriptName, &d.fsPath)) {
            d.action = ROUTE_ERROR;
            d.status = 404;
        }
        return;
    }
    if (!mapPathToFile(location, d.path, &d.fsPath)) {
        d.action = ROUTE_ERROR;
        d.status = 404;
        return;
    }
    bool store = !location.uploadStore.empty();
    if (store && (method == METHOD_POST || method == METHOD_DELETE)) {
        d.action = method == METHOD_POST ? ROUTE_UPLOAD : ROUTE_DELETE;
        if (!mapToStore(location, d.path, &d.storePath)) {
            d.action = ROUTE_ERROR;
            d.status = 404;
        }
        return;
    }
    if (method == METHOD_GET || method == METHOD_HEAD) {
        d.action = ROUTE_STATIC;
        return;
    }
    d.action = ROUTE_NOT_ALLOWED;
    d.status = 405;
    d.allowedMethods = location.allowList() & (METHOD_GET | METHOD_HEAD | METHOD_OPTIONS);
}

}

RouteDecision::RouteDecision()
    : action(ROUTE_ERROR), status(0), server(0), location(0), hasQuery(false),
      allowedMethods(0), cgi(0)
{
}

void RouteDecision::reset()
{
    action = ROUTE_ERROR;
    status = 0;
    server = 0;
    location = 0;
    host.clear();
    path.clear();
    query.clear();
    hasQuery = false;
    fsPath.clear();
    allowedMethods = 0;
    cgi = 0;
    scriptName.clear();
    pathInfo.clear();
    storePath.clear();
}

Router::Router(const Config& config)
    : config_(config)
{
}

const ServerConfig& Router::selectServer(const ListenAddress& local, const std::string& host) const
{
    ListenAddress address = local;
    const ServerConfig* first = 0;
    for (int attempt = 0; attempt < 2 && !first; ++attempt) {
        if (attempt == 1)
            address = wildcardOf(local);
        for (size_t i = 0; i < config_.servers.size() && !first; ++i)
            if (hasListen(config_.servers[i], address))
                first = &config_.servers[i];
    }
    if (!first)
        return config_.servers[0];
    const ServerConfig* best = 0;
    const ServerConfig* byDefault = 0;
    size_t bestScore = 0;
    for (size_t i = 0; i < config_.servers.size(); ++i) {
        const ServerConfig& server = config_.servers[i];
        if (!hasListen(server, address))
            continue;
        if (!byDefault && isDefaultFor(server, address))
            byDefault = &server;
        for (size_t n = 0; n < server.names.size(); ++n) {
            size_t score = nameScore(server.names[n], host);
            if (score > bestScore) {
                bestScore = score;
                best = &server;
            }
        }
    }
    if (best)
        return *best;
    return byDefault ? *byDefault : *first;
}

const LocationConfig& Router::selectLocation(const ServerConfig& server, const std::string& path) const
{
    const LocationConfig* best = 0;
    for (size_t i = 0; i < server.locations.size(); ++i) {
        const LocationConfig& location = server.locations[i];
        if (!prefixMatches(location, path))
            continue;
        if (location.exact)
            return location;
        if (!best || location.path.size() > best->path.size())
            best = &location;
    }
    return best ? *best : server.implicit;
}

RouteDecision Router::route(const RouteInput& input) const
{
    RouteDecision d;
    route(input, d);
    return d;
}

void Router::route(const RouteInput& input, RouteDecision& d) const
{
    d.reset();
    RequestTarget target;
    // "OPTIONS *" asks about the server as a whole (RFC 9112 §3.2.4).
    bool asterisk = input.target == "*" && input.method == "OPTIONS";
    bool targetOk = asterisk || splitRequestTarget(input.target, &target);
    const std::string& hostValue = target.authority.empty() ? input.host : target.authority;
    bool hostOk = true;
    if (target.authority.empty() && input.hostIsNormal)
        d.host = input.host;
    else
        hostOk = normalizeHost(hostValue, &d.host);
    if (!hostOk)
        d.host.clear();
    d.server = &selectServer(input.local, d.host);
    d.location = &d.server->implicit;
    if (!targetOk || !hostOk || (!asterisk && !normalizePath(target.path, &d.path))) {
        d.status = 400;
        return;
    }
    if (asterisk) {
        answerServerOptions(d);
        return;
    }
    d.query = target.query;
    d.hasQuery = target.hasQuery;
    decide(input.method, d);
}

RouteDecision Router::reroute(const RouteDecision& from, const std::string& method,
    const std::string& path) const
{
    RouteDecision d;
    d.server = from.server;
    d.host = from.host;
    d.path = path;
    decide(method, d);
    return d;
}

void Router::serveAs(RouteDecision& d, const std::string& method, const std::string& path) const
{
    d.path = path;
    d.fsPath.clear();
    d.cgi = 0;
    d.scriptName.clear();
    d.pathInfo.clear();
    d.storePath.clear();
    d.status = 0;
    decideHandler(method, d);
}

// "OPTIONS *": the server's methods are what any of its locations answers.
// It has no path, so it stays on the server's implicit location (for its
// logs and timeouts).
void Router::answerServerOptions(RouteDecision& d) const
{
    const ServerConfig& server = *d.server;
    d.action = ROUTE_OPTIONS;
    d.status = 204;
    d.allowedMethods = server.implicit.allowList();
    for (size_t i = 0; i < server.locations.size(); ++i)
        d.allowedMethods |= server.locations[i].allowList();
}

// Everything after server selection and path normalisation.
void Router::decide(const std::string& method, RouteDecision& d) const
{
    d.location = &selectLocation(*d.server, d.path);
    const LocationConfig& location = *d.location;
    // `return` answers every method, OPTIONS too, as nginx's rewrite phase
    // runs before anything looks at the method.
    if (location.returnRule.code != 0) {
        d.action = ROUTE_RETURN;
        d.status = location.returnRule.code;
        return;
    }
    // A proxied location passes every method on, OPTIONS and those
    // webserv does not implement itself (PUT, PATCH): the application
    // decides, as behind nginx (limit_except restricts them).
    if (location.proxyPass.enabled) {
        d.action = ROUTE_PROXY;
        return;
    }
    // Every location answers OPTIONS itself, CGI ones too (a script never
    // sees it), except for a FastCGI script: its application answers (a
    // CORS preflight is the application's to answer, as behind nginx).
    std::string scriptName;
    std::string pathInfo;
    const CgiRule* script = method == "OPTIONS" ? findScript(location, d.path, &scriptName, &pathInfo) : 0;
    if (script && script->fastcgi) {
        decideHandler(method, d);
        return;
    }
    if (method == "OPTIONS") {
        d.action = ROUTE_OPTIONS;
        d.status = 204;
        d.allowedMethods = location.allowList();
        return;
    }
    if (!(methodBit(method) & location.allowMethods)) {
        d.action = ROUTE_NOT_ALLOWED;
        d.status = 405;
        d.allowedMethods = location.allowList();
        return;
    }
    if (location.status) {
        d.action = ROUTE_STATUS;
        return;
    }
    decideHandler(method, d);
}
