#ifndef WEBSERV_TESTS_UNIT_POLLSETFAKES_HPP
#define WEBSERV_TESTS_UNIT_POLLSETFAKES_HPP

// PollSetTest's stand-ins: a PollClient whose endpoints are socket pairs
// (made readable by writing into the other end) and whose lane is set by
// the test, and a pipe for fixed entries. Test code only.

#include <gtest/gtest.h>

#include <algorithm>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "core/PollSet.hpp"

class FakeClient : public PollClient {
public:
    FakeClient(Lane kindWhenQuiet, long since)
        : kind(kindWhenQuiet), waitingSince(since), releases(0)
    {
        for (int e = 0; e < kMaxEndpoints; ++e) {
            fds[e] = peers[e] = -1;
            events[e] = POLLIN;
            generations[e] = 0;
        }
        open(kSocket);
    }
    ~FakeClient() override
    {
        for (int e = 0; e < kMaxEndpoints; ++e)
            close(e);
    }

    void open(int e)
    {
        int ends[2];
        EXPECT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, ends));
        fds[e] = ends[0];
        peers[e] = ends[1];
    }
    void close(int e)
    {
        if (fds[e] >= 0) {
            ::close(fds[e]);
            ::close(peers[e]);
        }
        fds[e] = peers[e] = -1;
    }
    void makeReadable(int e = kSocket) { EXPECT_EQ(1, write(peers[e], "x", 1)); }
    bool readable(int e) const
    {
        char byte;
        return recv(fds[e], &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
    }
    void consume(int e = kSocket)
    {
        char bytes[64];
        while (recv(fds[e], bytes, sizeof bytes, MSG_DONTWAIT) > 0) {
        }
    }

    int endpointFd(int e) const override { return fds[e]; }
    short interest(int e) const override { return events[e]; }
    unsigned generation(int e) const override { return generations[e]; }
    // `kind` once it has waited quietMs since waitingSince, active before.
    Lane lane(long now, long quietMs) const override
    {
        return kind != LANE_ACTIVE && now - waitingSince >= quietMs ? kind : LANE_ACTIVE;
    }
    void releaseIdleBuffers() override { ++releases; }

    Lane kind;
    long waitingSince;
    int releases;
    int fds[kMaxEndpoints];
    int peers[kMaxEndpoints];
    short events[kMaxEndpoints];
    unsigned generations[kMaxEndpoints];
};

struct Pipe {
    int ends[2];
    Pipe() { EXPECT_EQ(0, pipe(ends)); }
    ~Pipe() { close(ends[0]); close(ends[1]); }
    void makeReadable() { EXPECT_EQ(1, write(ends[1], "p", 1)); }
};

typedef std::pair<const PollClient*, int> Source;   // who, which endpoint

inline Source socketOf(const PollClient* c)
{
    return Source(c, PollClient::kSocket);
}

inline std::vector<Source> sorted(std::vector<Source> sources)
{
    std::sort(sources.begin(), sources.end());
    return sources;
}

#endif
