#ifndef WEBSERV_UTIL_REQUESTRATETABLE_HPP
#define WEBSERV_UTIL_REQUESTRATETABLE_HPP

// limit_req's memory: one leaky bucket per key (a rule and a client
// address), nginx's algorithm, in a table of at most a fixed number of
// keys; when it is full the least recently used key is forgotten. The
// clock is the caller's (monotonic milliseconds), so tests inject it.
// Pure: no I/O, no clock of its own.
//
// nginx's bucket: the key's "excess" (in thousandths of a request) drains
// at the rate and grows by one request per take(); a request that would
// push it past the burst is refused and leaves it as it was.

#include <cstddef>
#include <list>
#include <map>
#include <string>

class RequestRateTable {
public:
    enum Verdict {
        RATE_PASS,          // within the rate: go on now
        RATE_DELAY,         // within the burst: go on after *delayMs (or now, with nodelay)
        RATE_REJECT         // past the burst
    };

    explicit RequestRateTable(size_t maxKeys);

    // One request for key at now. milliRate: allowed requests per second
    // times 1000 (1r/s = 1000, 30r/m = 500), > 0; burst: requests that may
    // wait, >= 0. *delayMs (when given) is set for RATE_DELAY: how long the
    // request should wait for the bucket to drain to it.
    Verdict take(const std::string& key, long milliRate, long burst, long now, long* delayMs);

    size_t size() const { return order_.size(); }
    size_t maxKeys() const { return maxKeys_; }
    // Keys forgotten to make room, since the start.
    unsigned long evictions() const { return evictions_; }
    // An estimate of the heap the table holds now (entries, keys, nodes),
    // for the status page.
    size_t memoryBytes() const;
    void clear();

private:
    struct Bucket {
        std::string key;
        long excess;        // thousandths of a request
        long last;          // when excess was last computed
    };
    typedef std::list<Bucket> Order;            // most recent first
    typedef std::map<std::string, Order::iterator> Index;

    size_t maxKeys_;
    Order order_;
    Index index_;
    unsigned long evictions_;
};

#endif
