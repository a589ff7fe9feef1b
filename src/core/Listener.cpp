#include "core/Listener.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

namespace {

const int kBacklog = 511;

std::string failure(const char* call, const ListenAddress& address)
{
    return std::string(call) + "() to " + address.toString() + " failed (" + std::strerror(errno) + ")";
}

bool coveredByWildcard(const ListenAddress& address, const std::vector<ListenAddress>& all)
{
    if (address.isWildcard())
        return false;
    for (size_t i = 0; i < all.size(); ++i)
        if (all[i].isWildcard() && all[i].port == address.port && all[i].family == address.family)
            return true;
    return false;
}

// Fills storage with the socket address of address.
socklen_t toSockaddr(const ListenAddress& address, struct sockaddr_storage* storage)
{
    std::memset(storage, 0, sizeof *storage);
    if (address.family == AF_INET6) {
        struct sockaddr_in6* in6 = reinterpret_cast<struct sockaddr_in6*>(storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(address.port);
        inet_pton(AF_INET6, address.host.c_str(), &in6->sin6_addr);
        return sizeof *in6;
    }
    struct sockaddr_in* in4 = reinterpret_cast<struct sockaddr_in*>(storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(address.port);
    inet_pton(AF_INET, address.host.c_str(), &in4->sin_addr);
    return sizeof *in4;
}

ListenAddress fromSockaddr(const struct sockaddr_storage& storage)
{
    ListenAddress address;
    char text[INET6_ADDRSTRLEN] = "";
    if (storage.ss_family == AF_INET6) {
        const struct sockaddr_in6* in6 = reinterpret_cast<const struct sockaddr_in6*>(&storage);
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        address.family = AF_INET6;
        address.port = ntohs(in6->sin6_port);
    } else {
        const struct sockaddr_in* in4 = reinterpret_cast<const struct sockaddr_in*>(&storage);
        inet_ntop(AF_INET, &in4->sin_addr, text, sizeof text);
        address.family = AF_INET;
        address.port = ntohs(in4->sin_port);
    }
    address.host = text;
    return address;
}

}

std::vector<ListenAddress> addressesToBind(const Config& config)
{
    std::vector<ListenAddress> all = config.listenAddresses();
    std::vector<ListenAddress> bound;
    for (size_t i = 0; i < all.size(); ++i)
        if (!coveredByWildcard(all[i], all))
            bound.push_back(all[i]);
    return bound;
}

const char* const kNothingToListenOn = "no listen address could be opened "
    "(every one is IPv6, and this machine has no IPv6)";

bool lacksIpv6For(const ListenAddress& address, const std::string& call, int error)
{
    if (address.family != AF_INET6)
        return false;
    if (call == "socket")
        return error == EAFNOSUPPORT;
    return call == "bind" && error == EADDRNOTAVAIL && address.host == "::1";
}

ListenerOpening openListener(const ListenAddress& address, Listener* listener, std::string* error)
{
    Fd fd(socket(address.family, SOCK_STREAM, 0));
    if (!fd.valid()) {
        int cause = errno;
        *error = failure("socket", address);
        return lacksIpv6For(address, "socket", cause) ? LISTENER_NO_IPV6 : LISTENER_FAILED;
    }
    int on = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (address.family == AF_INET6)
        setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    struct sockaddr_storage storage;
    socklen_t length = toSockaddr(address, &storage);
    if (bind(fd.get(), reinterpret_cast<struct sockaddr*>(&storage), length) != 0) {
        int cause = errno;
        *error = failure("bind", address);
        return lacksIpv6For(address, "bind", cause) ? LISTENER_NO_IPV6 : LISTENER_FAILED;
    }
    if (listen(fd.get(), kBacklog) != 0 || !setNonBlockingCloexec(fd.get())) {
        *error = failure("listen", address);
        return LISTENER_FAILED;
    }
    listener->address = address;
    listener->socket.swap(fd);
    return LISTENER_OPENED;
}

ClientAddress clientAddressOf(int fd)
{
    struct sockaddr_storage local;
    struct sockaddr_storage peer;
    socklen_t length = sizeof local;
    std::memset(&local, 0, sizeof local);
    std::memset(&peer, 0, sizeof peer);
    getsockname(fd, reinterpret_cast<struct sockaddr*>(&local), &length);
    length = sizeof peer;
    getpeername(fd, reinterpret_cast<struct sockaddr*>(&peer), &length);
    ClientAddress client;
    // IPv6 sockets are IPV6_V6ONLY, so no IPv4-mapped addresses show up.
    client.local = fromSockaddr(local);
    ListenAddress remote = fromSockaddr(peer);
    client.remoteAddress = remote.host;
    client.remotePort = remote.port;
    return client;
}
