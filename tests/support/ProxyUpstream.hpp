#ifndef WEBSERV_TESTS_SUPPORT_PROXYUPSTREAM_HPP
#define WEBSERV_TESTS_SUPPORT_PROXYUPSTREAM_HPP

// The upstream of the proxy_pass tests: tests/support/proxy_upstream.py
// (its endpoints are listed at its top), run by /usr/bin/python3 on
// 127.0.0.1:freePort() or on a unix socket in a temporary directory. The
// constructor waits (10 s at most) for its "READY"; a failed start is a test
// failure, and started() says so. Stopped by its pid (SIGTERM, SIGKILL
// after 5 s) by stop() or when the object goes; it dies with the test
// binary too (its parent-death signal).

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "support/TempDir.hpp"

class ProxyUpstream {
public:
    explicit ProxyUpstream(bool unixSocket = false);
    ~ProxyUpstream();
    ProxyUpstream(const ProxyUpstream&) = delete;
    ProxyUpstream& operator=(const ProxyUpstream&) = delete;

    bool started() const { return started_; }
    // The TCP port (0 on a unix socket) / the socket's path ("" on TCP).
    int port() const { return port_; }
    std::string socketPath() const { return socket_; }
    // What follows "proxy_pass http://": "127.0.0.1:PORT" or
    // "unix:/tmp/.../upstream.sock:" (a URI may be appended to either).
    std::string address() const;
    pid_t pid() const { return pid_; }
    // Stops it and waits for its exit; nothing once stopped.
    void stop();

    // The absolute path of proxy_upstream.py.
    static std::string script();

private:
    TempDir dir_;
    int port_;
    std::string socket_;
    pid_t pid_;
    bool started_;
};

// The /download (and /reset) body: its byte at offset k is
// (k * 7 + k / 65536) % 251, as proxy_upstream.py makes it.
std::string upstreamPattern(size_t offset, size_t length);
// The SHA-256 (hex) of the first `bytes` bytes of that pattern, made piece
// by piece (100 MiB are never held).
std::string upstreamPatternSha256(size_t bytes);

#endif
