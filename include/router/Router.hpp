#ifndef WEBSERV_ROUTER_ROUTER_HPP
#define WEBSERV_ROUTER_ROUTER_HPP

// The routing API: which server, which location, which file, and what to do
// with a request. route() is a pure function of the config and its input;
// the one step that needs the file system (resolveFile, in FileResolver.hpp)
// is separate.

#include <string>

#include "config/Config.hpp"

struct RouteInput {
    ListenAddress local;     // the local address the connection arrived on
    std::string host;        // the Host header as received ("" if none)...
    bool hostIsNormal;       // ...or already normalised (Request::host)

    RouteInput() : hostIsNormal(false) {}
    std::string method;
    std::string target;      // the raw request-target; "*" (asterisk-form)
                             // only with OPTIONS, else it is a 400
};

enum RouteAction {
    ROUTE_ERROR,             // answer `status` (400 for a bad target)
    ROUTE_RETURN,            // the location's `return`
    ROUTE_NOT_ALLOWED,       // 405 with Allow: allowedMethods
    ROUTE_OPTIONS,           // OPTIONS: 204 with Allow: allowedMethods
    ROUTE_STATUS,            // live counters
    ROUTE_CGI,               // run cgi->interpreter on fsPath
    ROUTE_PROXY,             // pass it to the location's proxy_pass server
    ROUTE_UPLOAD,            // POST into the location's upload_store
    ROUTE_DELETE,            // DELETE storePath
    ROUTE_STATIC             // GET/HEAD fsPath (file or directory)
};

struct RouteDecision {
    RouteAction action;
    int status;
    const ServerConfig* server;
    const LocationConfig* location;
    std::string host;            // normalised Host (or absolute-form authority)
    std::string path;            // normalised, percent-decoded
    std::string query;           // as received, without '?'
    bool hasQuery;
    std::string fsPath;          // the file path mapped from path
    unsigned allowedMethods;     // ROUTE_NOT_ALLOWED/OPTIONS: the Allow list
    const CgiRule* cgi;          // ROUTE_CGI
    std::string scriptName;      // ROUTE_CGI: URI of the script
    std::string pathInfo;        // ROUTE_CGI: the rest of the path, or ""
    std::string storePath;       // ROUTE_UPLOAD/DELETE: the file in the store
                                 // (the store itself for a POST to the directory)

    RouteDecision();
    // Back to the state of a new one, keeping the strings' memory.
    void reset();
};

// The file a normalised path names under the location's root or alias.
// False when an alias cannot take it ("/img" matching "/imgX").
bool mapPathToFile(const LocationConfig& location, const std::string& path, std::string* fsPath);

class Router {
public:
    explicit Router(const Config& config);

    RouteDecision route(const RouteInput& input) const;
    // The same into decision, whose strings' memory is reused (the
    // connection routes every request into the same one).
    void route(const RouteInput& input, RouteDecision& decision) const;
    // An internal redirect (index file, error_page): routes an already
    // normalised path on the server and Host that `from` chose.
    RouteDecision reroute(const RouteDecision& from, const std::string& method,
        const std::string& path) const;
    // try_files found path in d's location: d serves it there, without
    // matching locations again (as nginx does), its query kept.
    void serveAs(RouteDecision& d, const std::string& method, const std::string& path) const;

    // The server block for a connection on local with Host host (already
    // normalised: lower case, no port): exact name, then the longest
    // leading wildcard, then the address's default_server, then the first.
    const ServerConfig& selectServer(const ListenAddress& local, const std::string& host) const;
    // `=` exact match first, then the longest prefix, else the server's
    // implicit location.
    const LocationConfig& selectLocation(const ServerConfig& server, const std::string& path) const;

private:
    void answerServerOptions(RouteDecision& d) const;
    void decide(const std::string& method, RouteDecision& d) const;

    const Config& config_;
};

#endif
