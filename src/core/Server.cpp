#include "core/Server.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <new>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cgi/CgiProcess.hpp"
#include "util/Fd.hpp"
#include "util/Log.hpp"
#include "util/Time.hpp"

namespace {

const int kAcceptsPerWakeup = 64;
// Expired sessions removed per loop turn at most: bounded work.
const size_t kSessionSweepBudget = 64;
const long kAcceptPauseMs = 100;
const long kLogStormPeriodMs = 1000;
// The poll set's fixed entries: the signal pipe, then the listeners.
const size_t kSignalEntry = 0;

// PollSet's view of a connection's endpoints must be Connection's.
typedef char EndpointsMatchPollClient[Connection::CLIENT_SOCKET == PollClient::kSocket
    && Connection::ENDPOINT_COUNT == PollClient::kMaxEndpoints ? 1 : -1];

}

Server::Server(const Config& config, const std::string& configPath)
    : configPath_(configPath),
      current_(new ConfigGeneration(config)),
      services_(current_, static_cast<size_t>(config.sessionMax), this),
      now_(monotonicMs()),
      startedMs_(now_),
      nextDeadline_(0),
      acceptPausedUntil_(0),
      memoryLog_(kLogStormPeriodMs),
      reclaimLog_(kLogStormPeriodMs),
      quitting_(false),
      shutdownDeadline_(0)
{
}

Server::~Server()
{
    for (size_t i = 0; i < clients_.size(); ++i)
        delete clients_[i];
    for (size_t i = 0; i < listeners_.size(); ++i)
        delete listeners_[i];
    for (size_t i = 0; i < retired_.size(); ++i)
        delete retired_[i];
    delete current_;
}

bool Server::listen(std::string* error)
{
    // Before the first "listening" line: a signal sent as soon as the
    // server looks ready must already be handled.
    if (!signals_.open(error))
        return false;
    if (!openListeners(addressesToBind(config()), &listeners_, error))
        return false;
    if (listeners_.empty()) {
        *error = kNothingToListenOn;
        return false;
    }
    rebuildPollSet();
    return true;
}

void Server::run()
{
    for (size_t i = 0; i < listeners_.size(); ++i)
        logMessage(LOG_NOTICE, "listening on http://" + listeners_[i]->address.toString() + "/");
    while (!signals_.stopRequested() && !shutdownDone()) {
        // The last resort: an allocation failure outside any connection's
        // work (the poll set's bookkeeping, reaping). What the turn left
        // in touched_ is applied by the next one.
        try {
            turn();
        } catch (const std::bad_alloc&) {
            noteMemoryFailure("running the event loop");
        }
    }
    services_.context.stopping = true;
    logMessage(LOG_NOTICE, "shutting down");
    services_.accessLog.flush();
}

void Server::turn()
{
    updateListeners();
    int ready = pollSet_.poll(pollTimeout());
    now_ = monotonicMs();
    services_.statCache.forget();        // files may have changed while we waited
    if (ready < 0 && errno != EINTR)
        logMessage(LOG_CRIT, std::string("poll() failed (") + std::strerror(errno) + ")");
    dispatchEvents();
    pollSet_.scanLanes(now_);   // sockets polled apart, when their turn comes
    dispatchEvents();
    expireTimers();
    applyChanges();
    // Work the signals asked for, now that no pass is running.
    // A stopping server opens no listeners again.
    if (signals_.takeReload() && !quitting_) {
        try {
            reload();
            reserveTables();    // max_connections may have changed
        } catch (const std::bad_alloc&) {
            noteMemoryFailure("reloading the configuration (the running one stays)");
        }
    }
    if (signals_.takeReopen()) {
        // Into the log being rotated away, as nginx's notice.
        logMessage(LOG_NOTICE, "reopening logs");
        reopenLogs();
    }
    stepShutdown();
    releaseRetiredConfigs();
    services_.sessions.sweep(now_, kSessionSweepBudget);
    services_.accessLog.flush();
}

// Hands the pass's readiness to its owners. Nothing in it changes the
// poll set: what it produces waits in touched_ for applyChanges().
void Server::dispatchEvents()
{
    PollEvent event;
    while (pollSet_.nextEvent(&event)) {
        size_t entry = static_cast<size_t>(event.endpoint);
        if (event.client != 0)      // every client in the set is a Connection
            deliver(static_cast<Connection*>(event.client), event.endpoint, event.revents);
        else if (entry == kSignalEntry)
            onSignals();
        else
            acceptFrom(listeners_[entry - kSignalEntry - 1]->socket.get());
    }
}

// What the signals asked for waits for the end of the turn; children that
// exited are reaped now.
void Server::onSignals()
{
    signals_.drain();
    reapChildren();
}

void Server::acceptFrom(int listenFd)
{
    for (int i = 0; i < kAcceptsPerWakeup; ++i) {
        if (clientCount() >= static_cast<size_t>(config().maxConnections)) {
            // Someone waits: room is made by closing idle connections, and
            // when none can go, accepting pauses rather than spins.
            if (!makeRoom())
                acceptPausedUntil_ = now_ + kAcceptPauseMs;
            return;
        }
        int fd = accept(listenFd, 0, 0);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                // Out of descriptors: stop accepting for a moment instead of
                // spinning on a listener that stays readable.
                logMessage(LOG_ERROR, std::string("accept() failed (") + std::strerror(errno)
                    + "), pausing accepts");
                acceptPausedUntil_ = now_ + kAcceptPauseMs;
                return;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            continue;
        }
        if (!adopt(fd))
            return;
    }
}

void Server::deliver(Connection* client, int endpoint, short revents)
{
    try {
        client->onReady(static_cast<Connection::Endpoint>(endpoint), revents, now_);
    } catch (const std::bad_alloc&) {
        endForMemory(client);
    }
    touched_.push_back(client);
    nextDeadline_ = earliestDeadline(nextDeadline_, client->deadline());
}

// Fires the timers that are due. Deadlines only get checked when the
// earliest one known has passed; that scan also finds the next earliest.
void Server::expireTimers()
{
    if (nextDeadline_ == 0 || now_ < nextDeadline_)
        return;
    nextDeadline_ = 0;
    for (size_t i = 0; i < clients_.size(); ++i) {
        Connection* client = clients_[i];
        if (client->deadline() != 0 && client->deadline() <= now_) {
            try {
                client->onTimeout(now_);
            } catch (const std::bad_alloc&) {
                endForMemory(client);
            }
            touched_.push_back(client);
        }
        nextDeadline_ = earliestDeadline(nextDeadline_, client->deadline());
    }
}

// Brings the poll set in line with what each connection handled in this
// turn now wants: slots for new descriptors (accepted sockets, CGI pipes),
// none for closed ones, fresh interest for the rest. Closed connections
// leave the set and are deleted last.
void Server::applyChanges()
{
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    bool anyClosed = false;
    for (size_t i = 0; i < touched_.size(); ++i) {
        bool closed = touched_[i]->state() == Connection::CLOSED;
        if (closed)
            pollSet_.remove(touched_[i]);
        else
            pollSet_.update(touched_[i], now_);
        anyClosed = anyClosed || closed;
    }
    touched_.clear();
    if (!anyClosed)
        return;
    // In place: closing must not need memory.
    size_t kept = 0;
    for (size_t i = 0; i < clients_.size(); ++i) {
        if (clients_[i]->state() == Connection::CLOSED)
            delete clients_[i];
        else
            clients_[kept++] = clients_[i];
    }
    clients_.resize(kept);
}

// The whole poll set anew: the signal pipe, the listeners, then every
// client's descriptors. At start and when a reload changed the listeners.
void Server::rebuildPollSet()
{
    reserveTables();
    std::vector<struct pollfd> fixed;
    fixed.push_back(pollEntry(signals_.fd(), POLLIN));
    for (size_t i = 0; i < listeners_.size(); ++i)
        fixed.push_back(pollEntry(listeners_[i]->socket.get(), POLLIN));
    pollSet_.setFixed(fixed, now_);
}

void Server::updateListeners()
{
    // A full table still hears new clients: acceptFrom() makes room.
    bool paused = now_ < acceptPausedUntil_;
    for (size_t i = 0; i < listeners_.size(); ++i)
        pollSet_.setFixedEvents(kSignalEntry + 1 + i, paused ? 0 : POLLIN);
}

int Server::pollTimeout() const
{
    long wake = earliestDeadline(nextDeadline_, now_ < acceptPausedUntil_ ? acceptPausedUntil_ : 0);
    wake = earliestDeadline(wake, pollSet_.wakeup());
    wake = earliestDeadline(wake, quitting_ ? shutdownDeadline_ : 0);
    if (wake == 0)
        return -1;
    long wait = wake - monotonicMs();
    const long maxWait = 24L * 3600 * 1000;
    return wait <= 0 ? 0 : static_cast<int>(wait < maxWait ? wait : maxWait);
}

ServerStatus Server::currentStatus() const
{
    ServerStatus status;
    status.accepted = services_.stats.accepted;
    status.handled = services_.stats.handled;
    status.requests = services_.stats.requests;
    for (size_t i = 0; i < clients_.size(); ++i) {
        switch (clients_[i]->activity()) {
        case Connection::ACTIVITY_READING: ++status.reading; break;
        case Connection::ACTIVITY_WRITING: ++status.writing; break;
        case Connection::ACTIVITY_WAITING: ++status.waiting; break;
        }
    }
    status.active = static_cast<long>(clients_.size());
    status.cgiProcesses = static_cast<long>(runningChildren());
    status.sessions = static_cast<long>(services_.sessions.size());
    const AccessTables& limits = services_.access;
    status.rateKeys = static_cast<long>(limits.requestRates.size());
    status.rateMaxKeys = static_cast<long>(limits.requestRates.maxKeys());
    status.rateEvictions = limits.requestRates.evictions();
    status.connectionAddresses = static_cast<long>(limits.connectionSlots.size());
    status.limitBytes = static_cast<unsigned long>(limits.memoryBytes());
    status.fastcgiKept = static_cast<long>(services_.fastcgi.idle());
    status.fastcgiReused = services_.fastcgi.reused();
    status.proxyKept = static_cast<long>(services_.proxy.idle());
    status.proxyReused = services_.proxy.reused();
    status.uptimeSeconds = (monotonicMs() - startedMs_) / 1000;
    return status;
}

size_t Server::clientCount() const
{
    return clients_.size();
}
