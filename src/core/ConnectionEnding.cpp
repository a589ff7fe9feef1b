// Ends that are not the request's: a connection closed to make room for a
// new client, one that ran out of memory, one a graceful stop cut.

#include "core/Connection.hpp"

#include <new>

#include "util/Strings.hpp"

namespace {

// A fresh connection or a request head waiting this long is no longer a
// client whose request is simply in flight.
const long kTricklingAfterMs = 1000;

}

Connection::Reclaim Connection::reclaimable(long now) const
{
    bool quiet = now - stateSinceMs_ >= kTricklingAfterMs;
    if (!output_.empty())
        return RECLAIM_NEVER;       // an answer is still going out
    switch (state_) {
    case IDLE:
        return RECLAIM_IDLE;
    case NEW:
        return quiet ? RECLAIM_IDLE : RECLAIM_NEVER;
    case READING_HEAD:
        return quiet ? RECLAIM_TRICKLING : RECLAIM_NEVER;
    default:
        return RECLAIM_NEVER;
    }
}

void Connection::reclaim(long now)
{
    now_ = now;
    dropInput();
    if (state_ != READING_HEAD) {
        enter(CLOSED);
        return;
    }
    try {
        exchange_.fail(408, now_, output_);
        enter(FLUSHING);        // not lingering: the slot is wanted now
    } catch (const std::bad_alloc&) {
        abandon();
    }
}

bool Connection::endForMemory(long now)
{
    now_ = now;
    dropInput();
    try {
        if (canStillAnswer()) {
            parser_.reset();
            enter(after(exchange_.fail(503, now_, output_)));
            return true;
        }
        enter(CLOSED);
    } catch (const std::bad_alloc&) {
        abandon();
    }
    return false;
}

void Connection::endForShutdown(long now)
{
    now_ = now;
    if (state_ != CLOSED)
        enter(CLOSED);
}

// Whether nothing of the current request's answer has been queued, so a
// 503 can still be its answer.
bool Connection::canStillAnswer() const
{
    switch (state_) {
    case NEW:
    case IDLE:
    case READING_HEAD:
    case ANSWERING:
    case READING_BODY:
    case WAITING_UPSTREAM:
        return true;
    default:
        return false;
    }
}

// What was read and not parsed goes, memory included: these ends parse
// nothing more.
void Connection::dropInput()
{
    clearBuffer(in_, 0);
    inPos_ = 0;
}

// Closed with nothing allocated and nothing logged: what is left when even
// the 503 or the access-log line could not be made.
void Connection::abandon()
{
    exchange_.abandon();
    socket_.reset();
    deadline_ = 0;
    state_ = CLOSED;
}
