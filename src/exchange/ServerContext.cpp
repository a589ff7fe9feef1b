#include "exchange/ServerContext.hpp"

namespace {

// The file cache: its whole budget, and the largest file it keeps.
const size_t kFileCacheBytes = 16 * 1024 * 1024;
const size_t kFileCacheMaxFile = 256 * 1024;

}

ServerServices::ServerServices(ConfigGeneration* current, size_t maxSessions,
    const StatusSource* status)
    : fileCache(kFileCacheBytes, kFileCacheMaxFile), sessions(maxSessions)
{
    context.current = current;
    context.fileCache = &fileCache;
    context.statCache = &statCache;
    context.sessions = &sessions;
    context.access = &access;
    context.fastcgi = &fastcgi;
    context.statusSource = status;
    context.accessLog = &accessLog;
    context.stats = &stats;
    context.stopping = false;
}
