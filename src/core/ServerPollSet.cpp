// The poll set's slots. Slot 0 is the signal pipe, then come the
// listeners, then the clients' descriptors in two regions:
//
//   [firstClientSlot(), mainEnd_)   handed to every turn's poll()
//   [mainEnd_, size)                sockets polled apart (ServerLanes.cpp)
//
// Only the first region is handed to poll(): the kernel walks every entry
// it is given, even one with fd -1, so a thousand idle connections kept in
// the array would still cost each turn. A slot crosses the border by
// swapping with the border's neighbour; whoever owns a moved slot is told
// its new index. Slots move only between passes over the ready entries.

#include "core/Server.hpp"

#include <algorithm>

#include "util/Fd.hpp"

// Brings client's slots in line with its descriptors and interest: slots
// for new descriptors (accepted sockets, CGI pipes), none for closed ones.
void Server::syncPollSlots(Connection* client)
{
    bool closed = client->state() == Connection::CLOSED;
    for (int e = 0; e < Connection::ENDPOINT_COUNT; ++e) {
        Connection::Endpoint endpoint = static_cast<Connection::Endpoint>(e);
        int fd = closed ? -1 : client->endpointFd(endpoint);
        int slot = client->pollSlot(endpoint);
        if (fd < 0) {
            if (slot >= 0)
                removeSlot(static_cast<size_t>(slot));
            continue;
        }
        if (slot < 0) {
            slot = static_cast<int>(pollfds_.size());
            pollfds_.push_back(pollEntry(fd, 0));
            Watch watch = { client, endpoint, 0 };
            watches_.push_back(watch);
            client->setPollSlot(endpoint, slot);
        }
        watches_[slot].generation = client->generation(endpoint);
        pollfds_[slot].fd = fd;
        pollfds_[slot].events = client->interest(endpoint);
        placeSlot(static_cast<size_t>(slot),
            endpoint == Connection::CLIENT_SOCKET && polledApart(client->lane(now_)));
    }
}

// Moves a slot into the region polled apart, or back into the main one.
void Server::placeSlot(size_t slot, bool apart)
{
    if (apart && slot < mainEnd_) {
        swapSlots(slot, mainEnd_ - 1);
        --mainEnd_;
    } else if (!apart && slot >= mainEnd_) {
        swapSlots(slot, mainEnd_);
        ++mainEnd_;
    }
}

void Server::swapSlots(size_t a, size_t b)
{
    if (a == b)
        return;
    std::swap(pollfds_[a], pollfds_[b]);
    std::swap(watches_[a], watches_[b]);
    watches_[a].client->setPollSlot(watches_[a].endpoint, static_cast<int>(a));
    watches_[b].client->setPollSlot(watches_[b].endpoint, static_cast<int>(b));
}

// The slot goes to the end of the array (through the apart region's
// border when it is in the main one) and is dropped there.
void Server::removeSlot(size_t slot)
{
    Watch removed = watches_[slot];
    placeSlot(slot, true);
    swapSlots(static_cast<size_t>(removed.client->pollSlot(removed.endpoint)), pollfds_.size() - 1);
    removed.client->setPollSlot(removed.endpoint, -1);
    pollfds_.pop_back();
    watches_.pop_back();
}

// The whole poll set anew: the signal pipe, the listeners, then every
// client's descriptors. At start and when a reload changed the listeners.
void Server::rebuildPollSet()
{
    pollfds_.clear();
    watches_.clear();
    pollfds_.push_back(pollEntry(signalRead_.get(), POLLIN));
    watches_.push_back(Watch());
    for (size_t i = 0; i < listeners_.size(); ++i) {
        pollfds_.push_back(pollEntry(listeners_[i]->socket.get(), POLLIN));
        watches_.push_back(Watch());
    }
    mainEnd_ = pollfds_.size();
    for (size_t i = 0; i < clients_.size(); ++i) {
        for (int e = 0; e < Connection::ENDPOINT_COUNT; ++e)
            clients_[i]->setPollSlot(static_cast<Connection::Endpoint>(e), -1);
        syncPollSlots(clients_[i]);
    }
}
