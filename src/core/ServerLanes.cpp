// Connections that have waited a second or more for input are polled apart
// from the main poll() set (Connection::lane()): the kernel's poll() work
// grows with every descriptor in the set, so hundreds of idle keep-alive
// connections or slowloris heads would otherwise slow down every request
// of the active ones. Their slots sit behind the main ones, out of the
// range handed to poll() (ServerPollSet.cpp).
//
// - LANE_SLOW (a head trickling in): always apart, polled every
//   kSlowLanePollMs; each piece of such a head waits at most that long.
// - LANE_IDLE (keep-alive, between requests): apart only while other
//   connections are active, polled every kLaneScanMs then. With none
//   active they are back in the main set, so a quiet server sleeps in
//   poll() and answers them at once.
//
// A scan sorts connections into lanes (the one place where a connection
// moves into LANE_IDLE or LANE_SLOW: by time passing, not by an event) and
// polls the idle ones that are apart. A busy server scans in slices, a
// tenth of the connections every millisecond, so that no request of an
// active connection waits behind a scan of all of them. A full scan runs
// when the server is quiet (no one to delay), when the slow lane is due,
// and when a sliced round found no active connection: it brings the idle
// ones back into the main set.

#include "core/Server.hpp"

#include <algorithm>

#include "util/Fd.hpp"

namespace {

const long kLaneScanMs = 10;
const size_t kLaneSlices = 10;
const long kLaneSliceMs = kLaneScanMs / static_cast<long>(kLaneSlices);
const long kSlowLanePollMs = 250;

}

// Whether a connection in this lane is kept out of the main poll() set;
// a slow one also makes sure the slow lane's next poll is scheduled.
bool Server::polledApart(Connection::Lane lane)
{
    if (lane == Connection::LANE_SLOW && nextSlowPoll_ == 0)
        nextSlowPoll_ = now_ + kSlowLanePollMs;
    return lane == Connection::LANE_SLOW || (lane == Connection::LANE_IDLE && busy_);
}

// When the loop must wake up for the lanes: 0 for never. A busy server
// wakes for its slices while any connection is apart.
long Server::laneWakeup() const
{
    bool anyApart = mainEnd_ < pollfds_.size();
    long wake = busy_ && anyApart ? nextLaneScan_ : 0;
    if (nextSlowPoll_ != 0 && (wake == 0 || nextSlowPoll_ < wake))
        wake = nextSlowPoll_;
    return wake;
}

// Called every turn; does its work when a scan or a slow-lane poll is due.
void Server::scanLanes()
{
    bool pollSlow = nextSlowPoll_ != 0 && now_ >= nextSlowPoll_;
    if (now_ < nextLaneScan_ && !pollSlow)
        return;
    if (pollSlow)
        nextSlowPoll_ = 0;      // set again while slow ones remain
    if (busy_ && !pollSlow && !scanNextSlice())
        return;
    scanAll(pollSlow);
}

// A busy server's next slice of its round over all connections. True when
// that round has ended without finding an active connection: the server
// is quiet now, and a full scan brings the idle ones back.
bool Server::scanNextSlice()
{
    size_t slice = (clients_.size() + kLaneSlices - 1) / kLaneSlices;
    size_t end = std::min(clients_.size(), laneCursor_ + slice);
    scanSlice(laneCursor_, end, false);
    laneCursor_ = end;
    nextLaneScan_ = now_ + kLaneSliceMs;
    if (laneCursor_ < clients_.size())
        return false;
    bool quiet = !sawActive_;
    laneCursor_ = 0;
    sawActive_ = false;
    return quiet;
}

// Every connection at once; a new round of slices starts after it.
void Server::scanAll(bool pollSlow)
{
    busy_ = false;
    for (size_t i = 0; i < clients_.size() && !busy_; ++i)
        busy_ = clients_[i]->lane(now_) == Connection::LANE_ACTIVE;
    scanSlice(0, clients_.size(), pollSlow);
    laneCursor_ = 0;
    sawActive_ = false;
    nextLaneScan_ = now_ + (busy_ ? kLaneSliceMs : kLaneScanMs);
}

// Sorts clients_[begin, end) into lanes and polls the idle ones apart (and
// the slow ones when pollSlow).
void Server::scanSlice(size_t begin, size_t end, bool pollSlow)
{
    apart_.clear();
    apartPollfds_.clear();
    for (size_t i = begin; i < end; ++i) {
        Connection* client = clients_[i];
        int slot = client->pollSlot(Connection::CLIENT_SOCKET);
        if (slot < 0)
            continue;
        Connection::Lane lane = client->lane(now_);
        sawActive_ = sawActive_ || lane == Connection::LANE_ACTIVE;
        if (lane == Connection::LANE_IDLE)
            client->releaseIdleBuffers();
        bool apart = polledApart(lane);
        placeSlot(static_cast<size_t>(slot), apart);
        if (apart && (lane == Connection::LANE_IDLE || pollSlow)) {
            apart_.push_back(client);
            apartPollfds_.push_back(pollEntry(client->endpointFd(Connection::CLIENT_SOCKET),
                client->interest(Connection::CLIENT_SOCKET)));
        }
    }
    if (apart_.empty() || poll(&apartPollfds_[0], apartPollfds_.size(), 0) <= 0)
        return;
    for (size_t i = 0; i < apart_.size(); ++i)
        if (apartPollfds_[i].revents != 0)
            deliver(apart_[i], Connection::CLIENT_SOCKET, apartPollfds_[i].revents);
}
