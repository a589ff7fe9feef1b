// The server's answer to SIGQUIT, nginx's graceful stop: the listeners
// close (new clients are refused), idle keep-alive connections close, and
// the requests in flight finish, each answered with "Connection: close";
// the loop ends when the last connection has gone. shutdown_timeout bounds
// the wait: then whatever is left is cut. A fresh connection whose request
// has not arrived yet is waited for too, as nginx does (its
// client_header_timeout still runs). SIGTERM and SIGINT stay the fast stop,
// also during a graceful one.

#include "core/Server.hpp"

#include <cstdio>

#include "util/Log.hpp"

// Called once per turn, after its changes were applied.
void Server::stepShutdown()
{
    if (!quitting_ && signals_.takeQuit())
        beginShutdown();
    if (!quitting_)
        return;
    if (now_ >= shutdownDeadline_)
        cutRemainingConnections();
    else
        closeIdleConnections();
    applyChanges();
}

bool Server::shutdownDone() const
{
    return quitting_ && clients_.empty();
}

void Server::beginShutdown()
{
    quitting_ = true;
    shutdownDeadline_ = now_ + config().shutdownTimeoutMs;
    services_.context.stopping = true;      // no more keep-alive
    for (size_t i = 0; i < listeners_.size(); ++i)
        delete listeners_[i];
    listeners_.clear();
    rebuildPollSet();
    // Once the listeners are closed: whoever reads it may count on that.
    logMessage(LOG_NOTICE, "gracefully shutting down");
}

// Every turn, not only at the signal: an answer queued before it may have
// left its connection waiting for a next request since.
void Server::closeIdleConnections()
{
    for (size_t i = 0; i < clients_.size(); ++i) {
        Connection* client = clients_[i];
        if (client->state() == Connection::IDLE
            && client->reclaimable(now_) == Connection::RECLAIM_IDLE) {
            client->reclaim(now_);
            touched_.push_back(client);
        }
    }
}

void Server::cutRemainingConnections()
{
    if (clients_.empty())
        return;
    char line[128];
    unsigned long count = static_cast<unsigned long>(clients_.size());
    int length = std::snprintf(line, sizeof line, "shutdown_timeout expired, closing %lu %s",
        count, count == 1 ? "connection" : "connections");
    logMessage(LOG_WARN, line, static_cast<size_t>(length));
    for (size_t i = 0; i < clients_.size(); ++i) {
        clients_[i]->endForShutdown(now_);
        touched_.push_back(clients_[i]);
    }
}
