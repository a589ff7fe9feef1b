#ifndef WEBSERV_ROUTER_TRYFILES_HPP
#define WEBSERV_ROUTER_TRYFILES_HPP

// try_files, as nginx evaluates it: each FILE, its variables expanded, is
// looked for under the location's root or alias (a name ending in '/'
// must be a directory, any other must not be); the first found is what
// the location serves. When none is, the last argument decides: "=CODE"
// answers CODE, a URI is an internal redirect there (its own "?args"
// replacing the request's, else the request's kept).

#include <string>

#include "config/Config.hpp"
#include "config/Variables.hpp"
#include "router/StatCache.hpp"

struct TryFilesResult {
    enum Kind {
        FOUND,          // serve `uri` in this location
        REDIRECT,       // internal redirect to `uri`
        STATUS          // answer `status` (`reason` says why, for a 500)
    };
    Kind kind;
    std::string uri;    // a clean path (no "//", no dot segments)
    bool newQuery;      // REDIRECT: `query` replaces the request's
    std::string query;
    int status;
    std::string reason;

    TryFilesResult() : kind(STATUS), newQuery(false), status(0) {}
};

TryFilesResult tryFiles(const LocationConfig& location, const VariableValues& values,
    StatCache& stats);

#endif
