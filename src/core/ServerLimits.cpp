// The server at its limits: a connection table that is full when a new
// client waits, and memory that runs out. Neither ends the process nor
// locks new clients out.

#include "core/Server.hpp"

#include <algorithm>
#include <cstdio>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <new>
#include <sys/socket.h>

#include "util/Fd.hpp"
#include "util/Vectors.hpp"

namespace {

// After an allocation failed, accepting waits this long: new clients
// queue in the backlog instead of being accepted and failed one by one.
const long kMemoryPauseMs = 500;
// A full table closes at most this many connections per new arrival (and
// at least one), as nginx drains reusable connections: an eighth of the
// table, up to 32.
const size_t kMaxReclaimed = 32;

// Waiting since, then the place in the table: among connections that began
// waiting in the same millisecond, the one accepted first goes first.
typedef std::pair<long, size_t> Candidate;

}

// The poll set and the client lists sized for a full table (at start and
// after a reload): up to max_connections, accepting and polling allocate
// nothing, so exhausted memory fails connections, not the loop.
void Server::reserveTables()
{
    size_t table = static_cast<size_t>(config().maxConnections);
    pollSet_.reserve(table);
    clients_.reserve(table);
    touched_.reserve(2 * table);
}

// Takes an accepted socket into the table; false when memory ran out
// (the socket is closed, accepting pauses).
bool Server::adopt(int fd)
{
    Fd socket(fd);
    if (!setNonBlockingCloexec(fd))
        return true;
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    try {
        reserveOneMore(clients_, touched_);
        Connection* client = new Connection(services_.context, socket, now_);
        clients_.push_back(client);
        touched_.push_back(client);
    } catch (const std::bad_alloc&) {
        noteMemoryFailure("accepting a connection");
        return false;
    }
    ++services_.stats.accepted;
    ++services_.stats.handled;
    return true;
}

// Closes idle keep-alive connections, oldest first, or when there are none
// the request heads that have trickled in the longest (408); never a
// connection with work in flight. False when nothing could go.
bool Server::makeRoom()
{
    bool idleOnes = false;
    if (!reclaimConnections(FOR_A_NEW_CLIENT, &idleOnes))
        return false;
    if (reclaimLog_.allow(now_)) {
        char line[160];
        int length = std::snprintf(line, sizeof line, "%ld max_connections are not enough, %s",
            config().maxConnections, idleOnes ? "reusing connections"
                : "closing the slowest request heads (408)");
        logMessage(LOG_WARN, line, static_cast<size_t>(length));
    }
    return true;
}

// For a new client: idle connections first, a batch of an eighth of the
// table. For memory: the heads trickling in first (they hold what an idle
// connection has given back), a quarter of them, so that the clients
// that follow find room rather than the next failure.
bool Server::reclaimConnections(ReclaimFor purpose, bool* idleOnes)
{
    std::vector<Candidate> idle;
    std::vector<Candidate> trickling;
    for (size_t i = 0; i < clients_.size(); ++i) {
        Connection::Reclaim kind = clients_[i]->reclaimable(now_);
        if (kind != Connection::RECLAIM_NEVER)
            (kind == Connection::RECLAIM_IDLE ? idle : trickling).push_back(
                Candidate(clients_[i]->waitingSince(), i));
    }
    bool idleFirst = purpose == FOR_A_NEW_CLIENT ? !idle.empty() : trickling.empty();
    std::vector<Candidate>& chosen = idleFirst ? idle : trickling;
    if (chosen.empty())
        return false;
    size_t count = purpose == FOR_A_NEW_CLIENT
        ? std::min(kMaxReclaimed, static_cast<size_t>(config().maxConnections) / 8)
        : std::max(kMaxReclaimed, chosen.size() / 4);
    count = std::min(std::max<size_t>(count, 1), chosen.size());
    std::partial_sort(chosen.begin(), chosen.begin() + count, chosen.end());
    for (size_t i = 0; i < count; ++i) {
        Connection* client = clients_[chosen[i].second];
        client->reclaim(now_);
        touched_.push_back(client);
    }
    *idleOnes = &chosen == &idle;
    return true;
}

// The connection that failed ends; memory is also won back from the
// connections that do nothing with it (idle ones, heads trickling in), as
// when the table is full, so that the clients that follow can be served.
void Server::endForMemory(Connection* client)
{
    bool answered = client->endForMemory(now_);
    noteMemoryFailure(answered ? "serving a connection, closed after a 503"
        : "serving a connection, closed");
    bool idleOnes;
    try {
        reclaimConnections(FOR_MEMORY, &idleOnes);
    } catch (const std::bad_alloc&) {
    }
}

// Accepting pauses a moment, and one line a second says what happened.
// Allocates nothing: there may be nothing left.
void Server::noteMemoryFailure(const char* during)
{
    acceptPausedUntil_ = now_ + kMemoryPauseMs;
    if (!memoryLog_.allow(now_))
        return;
    char line[256];
    unsigned long heldBack = memoryLog_.takeHeldBack();
    int length = heldBack == 0
        ? std::snprintf(line, sizeof line, "out of memory (12: Cannot allocate memory) while %s,"
            " accepting paused for %ld ms", during, kMemoryPauseMs)
        : std::snprintf(line, sizeof line, "out of memory (12: Cannot allocate memory) while %s,"
            " accepting paused for %ld ms (%lu more since the last line)", during, kMemoryPauseMs,
            heldBack);
    if (length > 0)
        logMessage(LOG_ERROR, line, std::min(static_cast<size_t>(length), sizeof line - 1));
}
