#ifndef WEBSERV_CORE_SERVER_HPP
#define WEBSERV_CORE_SERVER_HPP

// The event loop: one poll() over the listening sockets and every client
// connection. Each turn it waits (at most until the nearest deadline),
// dispatches readiness to the owners of the ready fds, then applies what the
// pass produced (new connections, closed ones, changed interest) and fires
// expired timers. Nothing in the pass adds or removes poll entries.
// The poll set and its lanes (connections that have waited a second or more
// for input are polled apart, so that they do not slow the others down) are
// core/PollSet's; the server feeds it the clock and its connections.

#include <string>
#include <vector>

#include "config/Config.hpp"
#include "core/Connection.hpp"
#include "core/Listener.hpp"
#include "core/PollSet.hpp"
#include "core/SignalPipe.hpp"
#include "exchange/AccessLog.hpp"
#include "exchange/ServerContext.hpp"
#include "router/Router.hpp"
#include "util/Log.hpp"

class Server : public StatusSource {
public:
    // configPath is read again on SIGHUP.
    Server(const Config& config, const std::string& configPath);
    ~Server();

    ServerStatus currentStatus() const;

    // Binds every listen address. False with *error on the first failure.
    // An IPv6 address this machine has no IPv6 for is skipped with a
    // warning (core/Listener.hpp, lacksIpv6For), unless nothing is left.
    bool listen(std::string* error);
    // Serves until SIGINT or SIGTERM, or until SIGQUIT's graceful stop is
    // done. Signals reach the loop through a pipe in the poll set, so one
    // arriving just before poll() is never lost: SIGHUP reloads the
    // configuration, SIGUSR1 reopens the log files, SIGCHLD reaps CGI
    // children; SIGPIPE is ignored.
    void run();

private:
    Server(const Server&);
    Server& operator=(const Server&);

    void turn();
    // ServerReload.cpp
    void reload();
    bool openListeners(const std::vector<ListenAddress>& addresses, std::vector<Listener*>* opened,
        std::string* error);
    void replaceListeners(const std::vector<ListenAddress>& wanted);
    void reopenLogs();
    void releaseRetiredConfigs();
    // ServerShutdown.cpp: SIGQUIT
    void stepShutdown();
    bool shutdownDone() const;
    void beginShutdown();
    void closeIdleConnections();
    void cutRemainingConnections();
    const Config& config() const { return current_->config; }
    void dispatchEvents();
    void onSignals();
    void acceptFrom(int listenFd);
    // ServerLimits.cpp: full tables and exhausted memory
    void reserveTables();
    bool adopt(int fd);
    bool makeRoom();
    enum ReclaimFor { FOR_A_NEW_CLIENT, FOR_MEMORY };
    bool reclaimConnections(ReclaimFor purpose, bool* idleOnes);
    void endForMemory(Connection* client);
    void noteMemoryFailure(const char* during);
    void deliver(Connection* client, int endpoint, short revents);
    void expireTimers();
    void applyChanges();
    void rebuildPollSet();
    void updateListeners();
    int pollTimeout() const;
    size_t clientCount() const;

    std::string configPath_;
    ConfigGeneration* current_;             // owned, as are the retired ones
    std::vector<ConfigGeneration*> retired_;    // until no request uses them
    ServerServices services_;               // caches, sessions, logs, counters
    SignalPipe signals_;                    // fixed poll entry 0
    std::vector<Listener*> listeners_;      // owned; fixed poll entries 1 .. listeners_.size()
    PollSet pollSet_;                       // the fixed entries, then the clients' descriptors
    std::vector<Connection*> clients_;      // owned
    std::vector<Connection*> touched_;      // handled in this turn: to sync after the pass
    long now_;
    long startedMs_;
    long nextDeadline_;                     // no client deadline is earlier
    long acceptPausedUntil_;                // after EMFILE/ENFILE or out of memory
    LogThrottle memoryLog_;                 // a line a second in an allocation storm
    LogThrottle reclaimLog_;                // "... reusing connections", as often
    bool quitting_;                         // SIGQUIT came: no listeners, no keep-alive
    long shutdownDeadline_;                 // then: what is left is cut at this time
};


#endif
