#ifndef WEBSERV_EXCHANGE_ACCESSCONTROL_HPP
#define WEBSERV_EXCHANGE_ACCESSCONTROL_HPP

// Who may have a request answered, in nginx's phases and order:
//   preaccess: limit_req, then limit_conn, once per request, by the
//              location the request matched first (an internal redirect
//              does not count it again, as in nginx);
//   access:    allow/deny rules, then Basic authentication against the
//              user file, combined by `satisfy`, for every location the
//              request reaches (so a fallback cannot step around them).
// A location's `return` comes before all of these (nginx's rewrite phase).
// Refusals write the error-log line nginx writes.

#include <cstddef>
#include <set>
#include <string>

#include "router/RequestContext.hpp"
#include "util/AddressRange.hpp"
#include "util/ConnectionSlots.hpp"
#include "util/RequestRateTable.hpp"

// The per-client-address memory of the limits, shared by all connections
// and kept across reloads, each in bounded memory.
struct AccessTables {
    RequestRateTable requestRates;
    ConnectionSlots connectionSlots;

    AccessTables();
    size_t memoryBytes() const;
};

// Credentials verified once stay verified until the configuration is
// reloaded, so a slow hash (bcrypt, by design milliseconds) is not paid
// by every request of a logged-in browser inside the one poll() loop.
// Only successes are kept, at most kMaxVerified of them.
class VerifiedCredentials {
public:
    bool contains(const std::string& key) const { return keys_.count(key) != 0; }
    void add(const std::string& key);
    size_t size() const { return keys_.size(); }

private:
    std::set<std::string> keys_;
};

// One connection's side of the limits: the client, whether it holds one
// of limit_conn's slots (given back when the connection ends), and until
// when limit_req holds back its current request.
class ClientLimits {
public:
    ClientLimits(AccessTables& tables, const std::string& remoteAddress);
    ~ClientLimits();

    const IpAddress& address() const { return address_; }
    // The table key of the client (an IPv4-mapped address as IPv4).
    const std::string& key() const { return key_; }
    AccessTables& tables() { return tables_; }
    bool holdsSlot() const { return holdsSlot_; }
    void takeSlot() { holdsSlot_ = true; }
    long delayedUntil() const { return delayedUntil_; }
    void delayUntil(long when) { delayedUntil_ = when; }

private:
    ClientLimits(const ClientLimits&);
    ClientLimits& operator=(const ClientLimits&);

    AccessTables& tables_;
    IpAddress address_;
    std::string key_;
    bool holdsSlot_;
    long delayedUntil_;     // monotonic ms
};

struct AccessVerdict {
    int status;             // 0: go on; else answer it
    long delayMs;           // status 0: limit_req asks to wait this long first
    bool close;             // limit_conn: close the connection after the answer
    std::string challenge;  // 401: the WWW-Authenticate value

    AccessVerdict() : status(0), delayMs(0), close(false) {}
};

// limit_req and limit_conn of ctx.route.location for this client at now.
AccessVerdict checkLimits(const RequestContext& ctx, ClientLimits& client, long now);

// The location's address rules and password for the request's method;
// on success with a password, ctx.remoteUser is the user.
AccessVerdict checkAccess(RequestContext& ctx, const IpAddress& client,
    VerifiedCredentials& verified);

// `Basic realm="REALM", charset="UTF-8"` with REALM as a quoted-string.
std::string basicChallenge(const std::string& realm);

#endif
