#ifndef WEBSERV_CORE_LISTENER_HPP
#define WEBSERV_CORE_LISTENER_HPP

// Listening sockets: one per distinct `listen` address. A specific address
// whose port is also covered by a wildcard listen of its family is served by
// the wildcard socket (as nginx does); the connection's local address then
// tells the router which servers apply.

#include <string>
#include <vector>

#include "config/Config.hpp"
#include "exchange/Exchange.hpp"
#include "util/Fd.hpp"

struct Listener {
    ListenAddress address;
    Fd socket;
};

// The addresses to bind for config: wildcards absorb specific addresses.
std::vector<ListenAddress> addressesToBind(const Config& config);

enum ListenerOpening {
    LISTENER_OPENED,
    LISTENER_FAILED,         // *error: "bind() to 127.0.0.1:8080 failed
                             // (Address already in use)"
    LISTENER_NO_IPV6         // an IPv6 address this machine cannot have
                             // (see lacksIpv6For); *error as above
};

// Opens a non-blocking, close-on-exec socket bound to address and
// listening.
ListenerOpening openListener(const ListenAddress& address, Listener* listener, std::string* error);

// True when call ("socket" or "bind") failing with error on address means
// the machine has no IPv6 for it, not a mistake in the configuration: an
// IPv6 address and no IPv6 at all (EAFNOSUPPORT), or [::1] and no IPv6
// loopback (EADDRNOTAVAIL: IPv6 disabled on lo, as in some containers).
// Any other address that is not the machine's stays an error, as in nginx.
bool lacksIpv6For(const ListenAddress& address, const std::string& call, int error);

// Why the server cannot start (or reload) when every address was skipped
// for lack of IPv6.
extern const char* const kNothingToListenOn;

// The address a connected socket fd is bound to, and its peer's.
ClientAddress clientAddressOf(int fd);

#endif
