#ifndef WEBSERV_CORE_SERVERCONTEXT_HPP
#define WEBSERV_CORE_SERVERCONTEXT_HPP

// What the server shares with every connection.

#include <cstddef>

#include "config/Config.hpp"
#include "core/AccessLog.hpp"
#include "handlers/FileCache.hpp"
#include "handlers/StatusHandler.hpp"
#include "router/Router.hpp"
#include "session/SessionStore.hpp"

struct ServerStats {
    unsigned long accepted;
    unsigned long handled;
    unsigned long requests;

    ServerStats() : accepted(0), handled(0), requests(0) {}
};

struct ServerContext {
    const Config* config;
    const Router* router;
    FileCache* fileCache;
    SessionStore* sessions;
    const StatusSource* statusSource;
    AccessLog* accessLog;
    ServerStats* stats;
    bool stopping;              // shutting down: no more keep-alive
};

#endif
