// The poll set's slots: the fixed entries, then the clients' descriptors
// in two regions:
//
//   [fixedEnd_, mainEnd_)   handed to every poll()
//   [mainEnd_, size)        sockets polled apart (PollSetLanes.cpp)
//
// Only the first region is handed to poll(): the kernel walks every entry
// it is given, even one with fd -1, so a thousand idle connections kept in
// the array would still cost each turn. A slot crosses the border by
// swapping with the border's neighbour; whoever owns a moved slot gets its
// new index. Slots move only between passes over the ready entries, so a
// pass can walk the array by index.

#include "core/PollSet.hpp"

#include <algorithm>

#include "util/Fd.hpp"
#include "util/Vectors.hpp"

namespace {

const size_t kNotMember = static_cast<size_t>(-1);

}

const int PollClient::kSocket;
const int PollClient::kMaxEndpoints;

PollClient::PollClient()
    : member_(kNotMember)
{
    for (int e = 0; e < kMaxEndpoints; ++e)
        slots_[e] = -1;
}

PollClient::~PollClient()
{
}

LaneSettings::LaneSettings()
    : quietMs(1000),
      scanPeriodMs(10),
      slices(10),
      slowPollMs(250)
{
}

PollSet::PollSet(const LaneSettings& settings)
    : settings_(settings),
      fixedEnd_(0),
      mainEnd_(0),
      passSlot_(0),
      passReady_(0),
      busy_(false),
      sawActive_(false),
      laneCursor_(0),
      nextLaneScan_(0),
      nextSlowPoll_(0),
      apartNext_(0)
{
    if (settings_.slices == 0)
        settings_.slices = 1;
}

void PollSet::setFixed(const std::vector<struct pollfd>& entries, long now)
{
    passReady_ = 0;
    pollfds_ = entries;
    watches_.assign(entries.size(), Watch());
    fixedEnd_ = entries.size();
    mainEnd_ = fixedEnd_;
    for (size_t i = 0; i < clients_.size(); ++i) {
        for (int e = 0; e < PollClient::kMaxEndpoints; ++e)
            clients_[i]->slots_[e] = -1;
        update(clients_[i], now);
    }
}

void PollSet::setFixedEvents(size_t index, short events)
{
    pollfds_[index].events = events;
}

void PollSet::reserve(size_t clients)
{
    size_t slots = pollfds_.size() + clients * PollClient::kMaxEndpoints;
    pollfds_.reserve(slots);
    watches_.reserve(slots);
    clients_.reserve(clients);
    apart_.reserve(clients);
    apartPollfds_.reserve(clients);
}

// Slots for new descriptors (an accepted socket, a CGI script's pipes),
// none for closed ones, fresh interest and generation for the rest. Only
// the socket is ever placed apart.
void PollSet::update(PollClient* client, long now)
{
    if (client->member_ == kNotMember) {
        clients_.push_back(client);     // may throw: before any change
        client->member_ = clients_.size() - 1;
    }
    for (int e = 0; e < PollClient::kMaxEndpoints; ++e) {
        int fd = client->endpointFd(e);
        int slot = client->slots_[e];
        if (fd < 0) {
            if (slot >= 0)
                removeSlot(static_cast<size_t>(slot));
            continue;
        }
        size_t at = slot >= 0 ? static_cast<size_t>(slot) : addSlot(client, e);
        watches_[at].generation = client->generation(e);
        pollfds_[at].fd = fd;
        pollfds_[at].events = client->interest(e);
        placeSlot(at, e == PollClient::kSocket
            && polledApart(client->lane(now, settings_.quietMs), now));
    }
}

void PollSet::remove(PollClient* client)
{
    if (client->member_ == kNotMember)
        return;
    for (int e = 0; e < PollClient::kMaxEndpoints; ++e)
        if (client->slots_[e] >= 0)
            removeSlot(static_cast<size_t>(client->slots_[e]));
    dropMember(client->member_);
    client->member_ = kNotMember;
}

int PollSet::poll(int timeoutMs)
{
    passSlot_ = 0;
    passReady_ = 0;
    apart_.clear();
    apartPollfds_.clear();
    apartNext_ = 0;
    int ready = ::poll(pollfds_.empty() ? 0 : &pollfds_[0], mainEnd_, timeoutMs);
    if (ready > 0)
        passReady_ = ready;
    return ready;
}

bool PollSet::nextEvent(PollEvent* event)
{
    while (passReady_ > 0 && passSlot_ < mainEnd_) {
        size_t slot = passSlot_++;
        short revents = pollfds_[slot].revents;
        if (revents == 0)
            continue;
        --passReady_;
        if (slot < fixedEnd_) {
            event->client = 0;
            event->endpoint = static_cast<int>(slot);
            event->revents = revents;
            return true;
        }
        if (report(watches_[slot], revents, event))
            return true;
    }
    while (apartNext_ < apart_.size()) {
        size_t i = apartNext_++;
        if (apartPollfds_[i].revents != 0 && report(apart_[i], apartPollfds_[i].revents, event))
            return true;
    }
    return false;
}

// False for readiness of a descriptor replaced earlier in this pass.
bool PollSet::report(const Watch& watch, short revents, PollEvent* event) const
{
    if (watch.generation != watch.client->generation(watch.endpoint))
        return false;
    event->client = watch.client;
    event->endpoint = watch.endpoint;
    event->revents = revents;
    return true;
}

bool PollSet::isApart(const PollClient* client) const
{
    int slot = client->slots_[PollClient::kSocket];
    return slot >= 0 && static_cast<size_t>(slot) >= mainEnd_;
}

// A new slot at the end of the array: in the apart region until placed.
size_t PollSet::addSlot(PollClient* client, int endpoint)
{
    reserveOneMore(pollfds_, watches_);
    size_t slot = pollfds_.size();
    pollfds_.push_back(pollEntry(-1, 0));
    Watch watch = { client, endpoint, 0 };
    watches_.push_back(watch);
    client->slots_[endpoint] = static_cast<int>(slot);
    return slot;
}

// Moves a slot into the region polled apart, or back into the main one.
void PollSet::placeSlot(size_t slot, bool apart)
{
    if (apart && slot < mainEnd_) {
        swapSlots(slot, mainEnd_ - 1);
        --mainEnd_;
    } else if (!apart && slot >= mainEnd_) {
        swapSlots(slot, mainEnd_);
        ++mainEnd_;
    }
}

void PollSet::swapSlots(size_t a, size_t b)
{
    if (a == b)
        return;
    std::swap(pollfds_[a], pollfds_[b]);
    std::swap(watches_[a], watches_[b]);
    watches_[a].client->slots_[watches_[a].endpoint] = static_cast<int>(a);
    watches_[b].client->slots_[watches_[b].endpoint] = static_cast<int>(b);
}

// The slot goes to the end of the array (through the apart region's
// border when it is in the main one) and is dropped there.
void PollSet::removeSlot(size_t slot)
{
    Watch removed = watches_[slot];
    placeSlot(slot, true);
    int* owned = &removed.client->slots_[removed.endpoint];
    swapSlots(static_cast<size_t>(*owned), pollfds_.size() - 1);
    *owned = -1;
    pollfds_.pop_back();
    watches_.pop_back();
}

// Takes clients_[index] out in O(1) without breaking the lane round in
// progress: the ones before laneCursor_ have been scanned in it, the
// others have not, and each keeps its side.
void PollSet::dropMember(size_t index)
{
    if (index < laneCursor_) {
        --laneCursor_;
        moveMember(laneCursor_, index);     // a scanned one fills the hole
        index = laneCursor_;                // the hole is now on the unscanned side
    }
    moveMember(clients_.size() - 1, index);
    clients_.pop_back();
}

void PollSet::moveMember(size_t from, size_t to)
{
    if (from == to)
        return;     // the slot is being dropped; the client may live elsewhere now
    clients_[to] = clients_[from];
    clients_[to]->member_ = to;
}
