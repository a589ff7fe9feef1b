#include "exchange/ServerContext.hpp"

namespace {

// The file cache: its whole budget, and the largest file it keeps.
const size_t kFileCacheBytes = 16 * 1024 * 1024;
const size_t kFileCacheMaxFile = 256 * 1024;
// Kept upstream connections per address. A php-fpm pool has a few workers
// (each kept connection holds one); an application server behind the proxy
// takes many connections, and a busy site needs about as many as requests
// in flight to it (nginx's `keepalive 32` is the usual figure).
const size_t kFastCgiKeptPerAddress = 8;
const size_t kProxyKeptPerAddress = 64;

}

ServerServices::ServerServices(ConfigGeneration* current, size_t maxSessions,
    const StatusSource* status)
    : fileCache(kFileCacheBytes, kFileCacheMaxFile), sessions(maxSessions),
      fastcgi(kFastCgiKeptPerAddress, UpstreamPool::CLOSE_WHILE_FRESH_WAITS),
      proxy(kProxyKeptPerAddress, UpstreamPool::KEEP_WHILE_FRESH_WAITS)
{
    context.current = current;
    context.fileCache = &fileCache;
    context.statCache = &statCache;
    context.sessions = &sessions;
    context.access = &access;
    context.fastcgi = &fastcgi;
    context.proxy = &proxy;
    context.statusSource = status;
    context.accessLog = &accessLog;
    context.stats = &stats;
    context.stopping = false;
}
