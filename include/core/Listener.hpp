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

// Opens a non-blocking, close-on-exec socket bound to address and
// listening. False with *error ("bind() to 127.0.0.1:8080 failed (Address
// already in use)") on failure.
bool openListener(const ListenAddress& address, Listener* listener, std::string* error);

// The address a connected socket fd is bound to, and its peer's.
ClientAddress clientAddressOf(int fd);

#endif
