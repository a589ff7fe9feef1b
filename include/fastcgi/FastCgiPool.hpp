#ifndef WEBSERV_FASTCGI_FASTCGIPOOL_HPP
#define WEBSERV_FASTCGI_FASTCGIPOOL_HPP

// Connections to FastCGI responders kept open between requests
// (FCGI_KEEP_CONN), a few per address, the most recently used first. Owned
// by the server; an exchange takes one, or connects afresh when there is
// none, and gives it back after a complete END_REQUEST.
//
// A php-fpm worker serves one connection at a time and stays with a kept
// connection until it closes. So a connection is not kept while a request
// to the same address waits on a fresh one that has not been answered yet
// (it may be queued behind the kept ones, for a worker that would never be
// free): it is closed, freeing its worker, instead.
//
// Kept connections are not polled while they wait: one the responder
// closed meanwhile is found when it is taken (a poll() that does not wait
// sees the end), or else when it is used, and that request is sent again
// on a fresh one (FcgiConnection).

#include <map>
#include <set>
#include <string>
#include <vector>

class FastCgiPool {
public:
    static const size_t kMaxIdlePerAddress = 8;

    FastCgiPool();
    ~FastCgiPool();

    // A kept connection to address (a socket the caller now owns), or -1.
    int take(const std::string& address);
    // Gives a connection back after a complete request: kept, or closed
    // (full, or a fresh request to address is waiting).
    void giveBack(const std::string& address, int fd);

    // A request on a fresh connection to address waits for its first
    // answer; answered() when it has it (or has ended without).
    void waiting(const std::string& address);
    void answered(const std::string& address);

    // After a reload: the kept connections of addresses no `fastcgi` line
    // names any more are closed (they would never be taken again).
    void keepOnly(const std::set<std::string>& addresses);

    size_t idle() const;
    unsigned long reused() const { return reused_; }

private:
    FastCgiPool(const FastCgiPool&);
    FastCgiPool& operator=(const FastCgiPool&);

    struct Address {
        std::vector<int> idle;
        long waiting;
        Address() : waiting(0) {}
    };
    std::map<std::string, Address> addresses_;
    unsigned long reused_;
};

#endif
