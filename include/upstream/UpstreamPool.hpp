#ifndef WEBSERV_UPSTREAM_UPSTREAMPOOL_HPP
#define WEBSERV_UPSTREAM_UPSTREAMPOOL_HPP

// Connections to upstream servers kept open between requests (FastCGI's
// FCGI_KEEP_CONN, HTTP keep-alive), up to a bound per address, the most
// recently used first. Owned by the server, one pool per protocol; an
// exchange takes one, or connects afresh when there is none, and gives it
// back after a complete answer.
//
// A php-fpm worker serves one connection at a time and stays with a kept
// connection until it closes. So a connection is not kept while a request
// to the same address waits on a fresh one that has not been answered yet
// (it may be queued behind the kept ones, for a worker that would never be
// free): it is closed, freeing its worker, instead.
//
// Kept connections are not polled while they wait: one the upstream
// closed meanwhile is found when it is taken (a poll() that does not wait
// sees the end), or else when it is used, and that request is sent again
// on a fresh one (UpstreamConnection).

#include <map>
#include <set>
#include <string>
#include <vector>

class UpstreamPool {
public:
    // What giveBack() does while a request to the address waits on a fresh
    // connection: keep as usual (an HTTP server takes many connections, as
    // nginx's keepalive assumes), or close (php-fpm, as above).
    enum WaitingRule { KEEP_WHILE_FRESH_WAITS, CLOSE_WHILE_FRESH_WAITS };

    UpstreamPool(size_t maxIdlePerAddress, WaitingRule rule);
    ~UpstreamPool();

    // A kept connection to address (a socket the caller now owns), or -1.
    // One with anything to read is dropped (a poll() that does not wait):
    // the upstream closed it, or wrote out of turn (a late body, a 408),
    // and those bytes must never be read as the next request's answer.
    int take(const std::string& address);
    // Gives a connection back after a complete request: kept, or closed
    // (full, or a fresh request to address is waiting).
    void giveBack(const std::string& address, int fd);

    // A request on a fresh connection to address waits for its first
    // answer; answered() when it has it (or has ended without).
    void waiting(const std::string& address);
    void answered(const std::string& address);

    // After a reload: the kept connections of addresses no `fastcgi` line
    // (or proxy_pass) names any more are closed (they would never be taken again).
    void keepOnly(const std::set<std::string>& addresses);

    size_t idle() const;
    unsigned long reused() const { return reused_; }

private:
    UpstreamPool(const UpstreamPool&);
    UpstreamPool& operator=(const UpstreamPool&);

    struct Address {
        std::vector<int> idle;
        long waiting;
        Address() : waiting(0) {}
    };
    size_t maxIdlePerAddress_;
    WaitingRule rule_;
    bool restricted_;               // keepOnly() has run: only these are kept
    std::set<std::string> allowed_;
    std::map<std::string, Address> addresses_;
    unsigned long reused_;
};

#endif
