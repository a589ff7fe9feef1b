// Which failures to open a listening socket mean "this machine has no IPv6
// for that address" (skipped with a warning) rather than a configuration
// error (src/core/Listener.cpp, lacksIpv6For).

#include <gtest/gtest.h>

#include <cerrno>
#include <sys/socket.h>

#include "config/Values.hpp"
#include "core/Listener.hpp"
#include "support/ListenAddresses.hpp"

TEST(ListenerTest, NoIpv6MeansNoAddressFamilyOrNoIpv6Loopback)
{
    struct Case {
        const char* address;
        const char* call;
        int error;
        bool lacksIpv6;
    } cases[] = {
        { "[::1]:8080", "socket", EAFNOSUPPORT, true },      // no IPv6 at all
        { "[::]:8080", "socket", EAFNOSUPPORT, true },
        { "[::1]:8080", "bind", EADDRNOTAVAIL, true },       // IPv6 off on lo
        { "[::]:8080", "bind", EADDRNOTAVAIL, false },
        { "[2001:db8::1]:8080", "bind", EADDRNOTAVAIL, false },   // not ours: a mistake
        { "[::1]:8080", "bind", EADDRINUSE, false },
        { "[::1]:8080", "socket", EMFILE, false },
        { "127.0.0.1:8080", "socket", EAFNOSUPPORT, false },
        { "127.0.0.1:8080", "bind", EADDRNOTAVAIL, false },
        { "[::1]:8080", "listen", EADDRNOTAVAIL, false },
    };
    for (const Case& c : cases)
        EXPECT_EQ(c.lacksIpv6, lacksIpv6For(addressOf(c.address), c.call, c.error))
            << c.address << " " << c.call << " " << c.error;
}
