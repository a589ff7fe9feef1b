#ifndef WEBSERV_UTIL_CONNECTIONSLOTS_HPP
#define WEBSERV_UTIL_CONNECTIONSLOTS_HPP

// limit_conn's memory: how many connections each client address holds.
// A connection takes a slot with its first request that passes the limit
// and gives it back when it closes, so the table never holds more keys
// than there are connections. Pure.
//
// Refusals come in bursts (a client opening many connections at once); the
// first refusal of a burst says so, so the error log gets one line per
// burst, not one per connection. A burst ends when a connection from that
// address takes a slot or one is given back.

#include <cstddef>
#include <map>
#include <string>

class ConnectionSlots {
public:
    enum Verdict {
        SLOT_TAKEN,
        SLOT_REFUSED_FIRST,     // refused; the first refusal of a burst
        SLOT_REFUSED_AGAIN      // refused, in a burst already reported
    };

    ConnectionSlots();

    // One more connection for key, when it holds fewer than limit (> 0).
    Verdict take(const std::string& key, long limit);
    // Whether a connection holding one of key's slots may go on under
    // limit: key holds no more than limit. Refusals count toward the
    // burst as with take().
    Verdict check(const std::string& key, long limit);
    // A connection that took a slot for key has closed.
    void give(const std::string& key);

    long held(const std::string& key) const;
    size_t size() const { return slots_.size(); }
    size_t memoryBytes() const;

private:
    struct Entry {
        long held;
        bool refusing;      // in a burst of refusals already reported
        Entry() : held(0), refusing(false) {}
    };
    Verdict refuse(Entry& entry);

    std::map<std::string, Entry> slots_;
};

#endif
