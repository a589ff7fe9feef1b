#ifndef WEBSERV_CORE_POLLSET_HPP
#define WEBSERV_CORE_POLLSET_HPP

// The event loop's poll() set: the pollfd array, who is behind each slot,
// and the lanes that keep waiting sockets out of the array handed to
// poll(). The contract:
//
// - Fixed entries (the owner's own descriptors: a signal pipe, listening
//   sockets) come first and are always polled. Then come the clients'
//   endpoints, in two regions: the main one, handed to every poll(), and
//   the one polled apart by scanLanes() (PollSetLanes.cpp says when).
// - A client's slots follow its descriptors, interest and lane only when
//   update() is called; update() and remove() must not be called while a
//   pass over readiness is being taken with nextEvent() (slots move).
// - Readiness reported by one poll() for a descriptor the client has
//   replaced since (its generation changed) is dropped, never handed on.
// - Nothing here reads the clock: every call that depends on time takes
//   `now` (monotonic ms), and the thresholds are LaneSettings, so the
//   rules can be tested with an injected clock.

#include <poll.h>
#include <cstddef>
#include <vector>

class PollSet;

// Whatever owns polled descriptors (a connection: its socket, its CGI
// script's pipes). PollSet asks it what to poll and never acts on it,
// except releaseIdleBuffers() during lane scans.
class PollClient {
public:
    // Endpoint kSocket is the client's socket: the only one lanes move.
    // The others (pipes) stay in the main region while they exist.
    static const int kSocket = 0;
    static const int kMaxEndpoints = 3;

    // LANE_IDLE: between requests; LANE_SLOW: a request head trickling in.
    // Both only after waiting LaneSettings::quietMs or more for input.
    enum Lane { LANE_ACTIVE, LANE_IDLE, LANE_SLOW };

    PollClient();
    virtual ~PollClient();

    // The descriptor behind an endpoint, -1 when there is none now.
    virtual int endpointFd(int endpoint) const = 0;
    // The poll() events the client waits for on an endpoint.
    virtual short interest(int endpoint) const = 0;
    // Changes whenever an endpoint's descriptor is replaced by a new one:
    // readiness polled for the old one must not reach the new one.
    virtual unsigned generation(int endpoint) const = 0;
    // The lane of its socket at `now`, given the quiet threshold.
    virtual Lane lane(long now, long quietMs) const = 0;
    // Gives back buffer memory; called by scans for LANE_IDLE clients.
    virtual void releaseIdleBuffers() = 0;

private:
    friend class PollSet;
    PollClient(const PollClient&);
    PollClient& operator=(const PollClient&);

    // The set's bookkeeping, kept here so that finding a client's slots
    // needs no map; only PollSet reads or writes it.
    int slots_[kMaxEndpoints];  // each endpoint's slot, -1 for none
    size_t member_;             // index in the set's client list
};

// The lane thresholds; the defaults are the server's.
struct LaneSettings {
    long quietMs;       // waiting this long for input leaves LANE_ACTIVE
    long scanPeriodMs;  // a round of lane scans over every client
    size_t slices;      // a busy server's round is cut into this many
    long slowPollMs;    // how often LANE_SLOW sockets are polled
    LaneSettings();
};

// One readiness report, for the owner to hand on.
struct PollEvent {
    PollClient* client;     // 0 for a fixed entry
    int endpoint;           // the client's endpoint, or the fixed entry's index
    short revents;
};

class PollSet {
public:
    explicit PollSet(const LaneSettings& settings = LaneSettings());

    // Replaces the fixed entries and lays every client's slots out again
    // behind them (at start, and when a reload changes the listeners).
    void setFixed(const std::vector<struct pollfd>& entries, long now);
    // Room for this many clients with every endpoint, reserved now so that
    // bookkeeping up to that size never allocates: when memory runs out,
    // the loop's own work must not be what fails.
    void reserve(size_t clients);
    // A fixed entry's events (0 pauses a listener).
    void setFixedEvents(size_t index, short events);

    // Brings a client's slots in line with its descriptors, interest and
    // lane; the first call adds it to the set.
    void update(PollClient* client, long now);
    // Takes a client and all its slots out; before it is deleted.
    void remove(PollClient* client);

    // poll() over the fixed entries and the main region; its result
    // (errno set on -1). Starts a pass for nextEvent().
    int poll(int timeoutMs);
    // Sorts clients into lanes and polls the apart ones whose turn it is,
    // when a scan is due; ends the poll() pass and starts its own.
    void scanLanes(long now);
    // The pass's next readiness report; false when none is left.
    bool nextEvent(PollEvent* event);
    // When scanLanes() must run next, 0 for no need: the owner's poll()
    // timeout must not go past it.
    long wakeup() const;

    size_t clientCount() const { return clients_.size(); }
    // Entries handed to poll(): the fixed ones and the main region.
    size_t mainSize() const { return mainEnd_; }
    size_t size() const { return pollfds_.size(); }
    // Whether the client's socket is in the region polled apart.
    bool isApart(const PollClient* client) const;

private:
    PollSet(const PollSet&);
    PollSet& operator=(const PollSet&);

    // Who is behind a client slot, and the generation polled for.
    struct Watch {
        PollClient* client;
        int endpoint;
        unsigned generation;
    };
    static const int kPollIdle = 1;         // what a scan polls apart: idle sockets,
    static const int kPollSlow = 2;         // slow ones

    // PollSet.cpp: slots
    size_t addSlot(PollClient* client, int endpoint);
    void placeSlot(size_t slot, bool apart);
    void swapSlots(size_t a, size_t b);
    void removeSlot(size_t slot);
    void dropMember(size_t index);
    void moveMember(size_t from, size_t to);
    bool report(const Watch& watch, short revents, PollEvent* event) const;
    // PollSetLanes.cpp: lanes
    bool polledApart(PollClient::Lane lane, long now);
    long sliceMs() const;
    bool scanNextSlice(long now);
    void scanAll(long now, int polled);
    void scanSlice(size_t begin, size_t end, long now, int polled);
    void pollApart();

    LaneSettings settings_;
    std::vector<struct pollfd> pollfds_;    // fixed, main region, apart region
    std::vector<Watch> watches_;            // parallel to pollfds_ (unused for fixed)
    size_t fixedEnd_;                       // client slots from here on
    size_t mainEnd_;                        // slots from here on are polled apart
    std::vector<PollClient*> clients_;      // in lane-scan order
    // The pass over the last poll()'s main entries.
    size_t passSlot_;
    int passReady_;                         // ready entries not yet reported
    // Lanes (PollSetLanes.cpp).
    bool busy_;                             // some client is in LANE_ACTIVE
    bool sawActive_;                        // in this round of sliced scans
    size_t laneCursor_;                     // where the next slice starts
    long nextLaneScan_;
    long nextSlowPoll_;                     // 0: no client in LANE_SLOW
    std::vector<Watch> apart_;              // a scan's pass: sockets polled apart
    std::vector<struct pollfd> apartPollfds_;
    size_t apartNext_;                      // next of them to report
};

#endif
