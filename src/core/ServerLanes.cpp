// Connections that have waited a second or more for input are polled apart
// from the main poll() set (Connection::lane()): the kernel's poll() work
// grows with every descriptor in the set, so hundreds of idle keep-alive
// connections or slowloris heads would otherwise slow down every request
// of the active ones. Their slots stay, with fd -1, which poll() skips.
//
// - LANE_SLOW (a head trickling in): always apart, polled every
//   kSlowLanePollMs; each piece of such a head waits at most that long.
// - LANE_IDLE (keep-alive, between requests): apart only while other
//   connections are active, polled every kLaneScanMs then. With none
//   active they are back in the main set, so a quiet server sleeps in
//   poll() and answers them at once.
//
// Every scan also sorts the connections into lanes again: it is the one
// place where a connection moves into LANE_IDLE (by time passing, not by
// an event) and where the server notices it became quiet or busy.

#include "core/Server.hpp"

#include "util/Fd.hpp"

namespace {

const long kLaneScanMs = 10;
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

// When the loop must wake up for the lanes: 0 for never.
long Server::laneWakeup() const
{
    long wake = busy_ && idleApart_ ? nextLaneScan_ : 0;
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
    busy_ = false;
    for (size_t i = 0; i < clients_.size() && !busy_; ++i)
        busy_ = clients_[i]->lane(now_) == Connection::LANE_ACTIVE;
    if (pollSlow)
        nextSlowPoll_ = 0;      // set again below while slow ones remain
    apart_.clear();
    apartPollfds_.clear();
    idleApart_ = false;
    for (size_t i = 0; i < clients_.size(); ++i) {
        Connection* client = clients_[i];
        int slot = client->pollSlot(Connection::CLIENT_SOCKET);
        if (slot < 0)
            continue;
        Connection::Lane lane = client->lane(now_);
        if (lane == Connection::LANE_IDLE)
            client->releaseIdleBuffers();
        bool apart = polledApart(lane);
        int fd = client->endpointFd(Connection::CLIENT_SOCKET);
        pollfds_[slot].fd = apart ? -1 : fd;
        idleApart_ = idleApart_ || (apart && lane == Connection::LANE_IDLE);
        if (apart && (lane == Connection::LANE_IDLE || pollSlow)) {
            apart_.push_back(client);
            apartPollfds_.push_back(pollEntry(fd, client->interest(Connection::CLIENT_SOCKET)));
        }
    }
    nextLaneScan_ = now_ + kLaneScanMs;
    if (apart_.empty() || poll(&apartPollfds_[0], apartPollfds_.size(), 0) <= 0)
        return;
    for (size_t i = 0; i < apart_.size(); ++i)
        if (apartPollfds_[i].revents != 0)
            deliver(apart_[i], Connection::CLIENT_SOCKET, apartPollfds_[i].revents);
}
