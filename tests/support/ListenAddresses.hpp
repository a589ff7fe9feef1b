#ifndef WEBSERV_TESTS_SUPPORT_LISTENADDRESSES_HPP
#define WEBSERV_TESTS_SUPPORT_LISTENADDRESSES_HPP

// addressOf("127.0.0.1:8080"): a `listen` argument as the config loader
// parses it, for unit tests that need a ListenAddress; a text the loader
// would refuse throws (a mistake in the test, not a finding).

#include <stdexcept>
#include <string>

#include "config/Values.hpp"

inline ListenAddress addressOf(const std::string& text)
{
    ListenAddress address;
    std::string bad;
    if (parseListen(text, &address, &bad) != LISTEN_OK)
        throw std::runtime_error("bad listen address in test: " + text);
    return address;
}

#endif
