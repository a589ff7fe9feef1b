#ifndef WEBSERV_CORE_SERVER_HPP
#define WEBSERV_CORE_SERVER_HPP

// The event loop: one poll() over the listening sockets and every client
// connection. Each turn it waits (at most until the nearest deadline),
// dispatches readiness to the owners of the ready fds, then applies what the
// pass produced (new connections, closed ones, changed interest) and fires
// expired timers. Nothing in the pass adds or removes poll entries.
// Connections that have waited a second or more for input are polled apart
// from the others (ServerLanes.cpp), so that they do not slow them down.

#include <poll.h>
#include <string>
#include <vector>

#include "config/Config.hpp"
#include "exchange/AccessLog.hpp"
#include "core/Connection.hpp"
#include "core/Listener.hpp"
#include "exchange/ServerContext.hpp"
#include "router/Router.hpp"

class Server : public StatusSource {
public:
    // configPath is read again on SIGHUP.
    Server(const Config& config, const std::string& configPath);
    ~Server();

    ServerStatus currentStatus() const;

    // Binds every listen address. False with *error on the first failure.
    bool listen(std::string* error);
    // Serves until SIGINT or SIGTERM. Signals reach the loop through a pipe
    // in the poll set, so one arriving just before poll() is never lost:
    // SIGHUP reloads the configuration, SIGUSR1 reopens the log files,
    // SIGCHLD reaps CGI children; SIGPIPE is ignored.
    void run();

private:
    Server(const Server&);
    Server& operator=(const Server&);

    void turn();
    void drainSignals();
    // ServerReload.cpp
    void reload();
    bool openListeners(const std::vector<ListenAddress>& addresses, std::vector<Listener*>* opened,
        std::string* error);
    void replaceListeners(const std::vector<ListenAddress>& wanted);
    void reopenLogs();
    void releaseRetiredConfigs();
    const Config& config() const { return current_->config; }
    void acceptFrom(size_t slot);
    void dispatch(size_t slot);
    void deliver(Connection* client, Connection::Endpoint endpoint, short revents);
    // ServerLanes.cpp
    bool polledApart(Connection::Lane lane);
    void scanLanes();
    bool scanNextSlice();
    void scanAll(bool pollSlow);
    void scanSlice(size_t begin, size_t end, bool pollSlow);
    long laneWakeup() const;
    void expireTimers();
    void applyChanges();
    // ServerPollSet.cpp
    void syncPollSlots(Connection* client);
    void placeSlot(size_t slot, bool apart);
    void swapSlots(size_t a, size_t b);
    void removeSlot(size_t slot);
    void rebuildPollSet();
    void updateListeners();
    int pollTimeout() const;
    size_t clientCount() const;
    size_t firstClientSlot() const { return 1 + listeners_.size(); }

    std::string configPath_;
    ConfigGeneration* current_;             // owned, as are the retired ones
    std::vector<ConfigGeneration*> retired_;    // until no request uses them
    bool reloadRequested_;
    bool reopenRequested_;
    AccessLog accessLog_;
    FileCache fileCache_;
    StatCache statCache_;
    SessionStore sessions_;
    ServerStats stats_;
    ServerContext context_;
    // Who is behind a client-area poll slot: a connection's socket or one
    // of its CGI pipes.
    struct Watch {
        Connection* client;
        Connection::Endpoint endpoint;
        unsigned generation;
    };

    Fd signalRead_;                         // slot 0: bytes written by signal handlers
    Fd signalWrite_;
    std::vector<Listener*> listeners_;      // owned; slots 1 .. listeners_.size()
    std::vector<struct pollfd> pollfds_;    // signal pipe, listeners, then clients' fds
    std::vector<Watch> watches_;            // parallel to pollfds_ (unused before the clients)
    size_t mainEnd_;                        // slots from here on are polled apart
    std::vector<Connection*> clients_;      // owned
    std::vector<Connection*> touched_;      // handled in this turn: to sync after the pass
    long now_;
    long startedMs_;
    long nextDeadline_;                     // no client deadline is earlier
    long acceptPausedUntil_;                // after EMFILE/ENFILE
    bool busy_;                             // some connection is in LANE_ACTIVE
    bool sawActive_;                        // in this round of sliced scans
    size_t laneCursor_;                     // where the next slice starts
    long nextLaneScan_;
    long nextSlowPoll_;                     // 0: no connection in LANE_SLOW
    std::vector<Connection*> apart_;        // scanLanes()' working sets
    std::vector<struct pollfd> apartPollfds_;
};


#endif
