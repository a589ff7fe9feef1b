#ifndef WEBSERV_EXCHANGE_SERVERCONTEXT_HPP
#define WEBSERV_EXCHANGE_SERVERCONTEXT_HPP

// What the server shares with every connection.

#include <cstddef>

#include "config/Config.hpp"
#include "exchange/AccessControl.hpp"
#include "exchange/AccessLog.hpp"
#include "handlers/FileCache.hpp"
#include "handlers/StatusHandler.hpp"
#include "router/Router.hpp"
#include "router/StatCache.hpp"
#include "session/SessionStore.hpp"
#include "upstream/UpstreamPool.hpp"

struct ServerStats {
    unsigned long accepted;
    unsigned long handled;
    unsigned long requests;

    ServerStats() : accepted(0), handled(0), requests(0) {}
};

// One loaded configuration and its router. A reload makes a new one; the
// old one lives on while requests that started with it are in flight.
struct ConfigGeneration {
    Config config;
    Router router;
    VerifiedCredentials verified;   // auth_basic: a reload forgets them
    long users;                 // connections currently holding it

    explicit ConfigGeneration(const Config& loaded)
        : config(loaded), router(config), users(0)
    {
    }

private:
    ConfigGeneration(const ConfigGeneration&);
    ConfigGeneration& operator=(const ConfigGeneration&);
};

struct ServerContext {
    ConfigGeneration* current;  // what new requests use
    FileCache* fileCache;
    StatCache* statCache;
    SessionStore* sessions;
    AccessTables* access;
    UpstreamPool* fastcgi;      // kept connections to FastCGI responders
    UpstreamPool* proxy;        // ... to proxied HTTP servers
    const StatusSource* statusSource;
    AccessLog* accessLog;
    ServerStats* stats;
    bool stopping;              // shutting down: no more keep-alive
};

// The shared services themselves, owned in one place (the server, or a
// test), with the ServerContext that points at them.
struct ServerServices {
    AccessLog accessLog;
    FileCache fileCache;
    StatCache statCache;
    SessionStore sessions;
    AccessTables access;
    UpstreamPool fastcgi;
    UpstreamPool proxy;
    ServerStats stats;
    ServerContext context;

    ServerServices(ConfigGeneration* current, size_t maxSessions, const StatusSource* status);

private:
    ServerServices(const ServerServices&);
    ServerServices& operator=(const ServerServices&);
};

#endif
