// Clients that have waited LaneSettings::quietMs (a second) or more for
// input are polled apart from the main poll() set (PollClient::lane()):
// the kernel's poll() work grows with every descriptor in the set, so
// hundreds of idle keep-alive connections or slowloris heads would
// otherwise slow down every request of the active ones. Their slots sit
// behind the main ones, out of the range handed to poll() (PollSet.cpp).
//
// - LANE_SLOW (a head trickling in): always apart, polled every
//   slowPollMs; each piece of such a head waits at most that long.
// - LANE_IDLE (keep-alive, between requests): apart only while other
//   clients are active, polled every scanPeriodMs then. With none active
//   they are back in the main set, so a quiet server sleeps in poll() and
//   answers them at once.
//
// A scan sorts clients into lanes (the one place where a client moves
// into LANE_IDLE or LANE_SLOW: by time passing, not by an event) and polls
// the idle ones that are apart. A busy server scans in slices, one of
// `slices` parts of the clients every scanPeriodMs / slices, so that no
// request of an active client waits behind a scan of all of them. A full
// scan runs when the server is quiet (no one to delay), when the slow
// lane is due, and when a sliced round found no active client: it brings
// the idle ones back into the main set.
//
// Readiness found apart is not handed on during the scan: it waits in
// apart_ for nextEvent(), like the main poll()'s, so that the owner
// changes slots only after the pass.

#include "core/PollSet.hpp"

#include <algorithm>

#include "util/Fd.hpp"
#include "util/Vectors.hpp"
#include "util/Time.hpp"

// Whether a client in this lane is kept out of the main poll() set; a
// slow one also makes sure the slow lane's next poll is scheduled.
bool PollSet::polledApart(PollClient::Lane lane, long now)
{
    if (lane == PollClient::LANE_SLOW && nextSlowPoll_ == 0)
        nextSlowPoll_ = now + settings_.slowPollMs;
    return lane == PollClient::LANE_SLOW || (lane == PollClient::LANE_IDLE && busy_);
}

long PollSet::sliceMs() const
{
    long ms = settings_.scanPeriodMs / static_cast<long>(settings_.slices);
    return ms > 0 ? ms : 1;
}

// A busy server wakes for its slices while any client is apart.
long PollSet::wakeup() const
{
    bool anyApart = mainEnd_ < pollfds_.size();
    return earliestDeadline(busy_ && anyApart ? nextLaneScan_ : 0, nextSlowPoll_);
}

// Called every turn; does its work when a scan or a slow-lane poll is due.
void PollSet::scanLanes(long now)
{
    passReady_ = 0;
    apart_.clear();
    apartPollfds_.clear();
    apartNext_ = 0;
    bool pollSlow = nextSlowPoll_ != 0 && now >= nextSlowPoll_;
    if (now < nextLaneScan_ && !pollSlow)
        return;
    int polled = kPollIdle;
    if (pollSlow) {
        nextSlowPoll_ = 0;      // set again while slow ones remain
        polled |= kPollSlow;
    }
    if (!busy_ || pollSlow)
        scanAll(now, polled);
    else if (scanNextSlice(now))
        scanAll(now, 0);        // polling none apart: the slice just did
    pollApart();
}

// A busy server's next slice of its round over all clients. True when
// that round has ended without finding an active client: the server is
// quiet now, and a full scan brings the idle ones back.
bool PollSet::scanNextSlice(long now)
{
    size_t slice = (clients_.size() + settings_.slices - 1) / settings_.slices;
    size_t end = std::min(clients_.size(), laneCursor_ + slice);
    scanSlice(laneCursor_, end, now, kPollIdle);
    laneCursor_ = end;
    nextLaneScan_ = now + sliceMs();
    if (laneCursor_ < clients_.size())
        return false;
    bool quiet = !sawActive_;
    laneCursor_ = 0;
    sawActive_ = false;
    return quiet;
}

// Every client at once; a new round of slices starts after it.
void PollSet::scanAll(long now, int polled)
{
    busy_ = false;
    for (size_t i = 0; i < clients_.size() && !busy_; ++i)
        busy_ = clients_[i]->lane(now, settings_.quietMs) == PollClient::LANE_ACTIVE;
    scanSlice(0, clients_.size(), now, polled);
    laneCursor_ = 0;
    sawActive_ = false;
    nextLaneScan_ = now + (busy_ ? sliceMs() : settings_.scanPeriodMs);
}

// Sorts clients_[begin, end) into lanes and picks the sockets apart that
// `polled` asks for (kPollIdle, kPollSlow) for pollApart().
void PollSet::scanSlice(size_t begin, size_t end, long now, int polled)
{
    for (size_t i = begin; i < end; ++i) {
        PollClient* client = clients_[i];
        int slot = client->slots_[PollClient::kSocket];
        if (slot < 0)
            continue;
        PollClient::Lane lane = client->lane(now, settings_.quietMs);
        sawActive_ = sawActive_ || lane == PollClient::LANE_ACTIVE;
        if (lane == PollClient::LANE_IDLE)
            client->releaseIdleBuffers();
        bool apart = polledApart(lane, now);
        placeSlot(static_cast<size_t>(slot), apart);
        bool due = (lane == PollClient::LANE_IDLE && (polled & kPollIdle))
            || (lane == PollClient::LANE_SLOW && (polled & kPollSlow));
        if (apart && due) {
            Watch watch = { client, PollClient::kSocket, client->generation(PollClient::kSocket) };
            reserveOneMore(apart_, apartPollfds_);
            apart_.push_back(watch);
            apartPollfds_.push_back(pollEntry(client->endpointFd(PollClient::kSocket),
                client->interest(PollClient::kSocket)));
        }
    }
}

// One non-blocking poll() over the sockets the scan picked; nextEvent()
// reports the ready ones.
void PollSet::pollApart()
{
    if (apartPollfds_.empty() || ::poll(&apartPollfds_[0], apartPollfds_.size(), 0) <= 0) {
        apart_.clear();
        apartPollfds_.clear();
    }
}
