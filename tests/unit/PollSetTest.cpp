// The poll set's rules (include/core/PollSet.hpp, src/core/PollSetLanes.cpp)
// with an injected clock: every `now` below is a made-up monotonic time, so
// no test sleeps. Readiness is real: each fake client's endpoints are
// socket pairs, made readable by writing into the other end.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <new>
#include <set>
#include <vector>

#include "core/PollSet.hpp"
#include "support/FailingAllocations.hpp"
#include "unit/PollSetFakes.hpp"
#include "util/Fd.hpp"

class PollSetTest : public ::testing::Test {
protected:
    PollSetTest() : set_(new PollSet) {}

    void useSettings(const LaneSettings& settings) { set_.reset(new PollSet(settings)); }
    PollSet& set() { return *set_; }

    FakeClient* add(PollClient::Lane kind, long waitingSince, long now)
    {
        clients_.emplace_back(new FakeClient(kind, waitingSince));
        live_.insert(clients_.back().get());
        set().update(clients_.back().get(), now);
        return clients_.back().get();
    }
    FakeClient* client(size_t i) { return clients_[i].get(); }

    size_t apartCount() const
    {
        size_t count = 0;
        for (const auto& c : clients_)
            count += set_->isApart(c.get()) ? 1 : 0;
        return count;
    }

    // What the pass reports, sorted; every client one reports must
    // really be readable there (no readiness goes to the wrong owner), and
    // reads what is there, like a real owner.
    std::vector<Source> drain()
    {
        std::vector<Source> got;
        PollEvent event;
        while (set().nextEvent(&event)) {
            if (event.client != 0) {
                bool live = isLive(event.client);
                EXPECT_TRUE(live) << "readiness for a client that has left";
                if (live) {
                    FakeClient* owner = static_cast<FakeClient*>(event.client);
                    EXPECT_TRUE(owner->readable(event.endpoint)) << "someone else's readiness";
                    owner->consume(event.endpoint);     // as its owner would
                }
            }
            got.push_back(Source(event.client, event.endpoint));
        }
        return sorted(got);
    }
    // scanLanes() at every millisecond of [from, to), with what it reports.
    std::vector<Source> scanEveryMs(long from, long to)
    {
        std::vector<Source> got;
        for (long now = from; now < to; ++now) {
            set().scanLanes(now);
            std::vector<Source> some = drain();
            got.insert(got.end(), some.begin(), some.end());
        }
        return sorted(got);
    }
    bool isLive(const PollClient* c) const { return live_.count(c) != 0; }
    void removeClient(FakeClient* c)
    {
        set().remove(c);
        live_.erase(c);
    }
private:
    std::unique_ptr<PollSet> set_;
    std::vector<std::unique_ptr<FakeClient>> clients_;
    std::set<const PollClient*> live_;
};

using Lane = PollClient::Lane;
const Lane ACTIVE = PollClient::LANE_ACTIVE;
const Lane IDLE = PollClient::LANE_IDLE;
const Lane SLOW = PollClient::LANE_SLOW;

// The kernel walks every entry poll() is given: the sockets apart must not
// be among them, whatever is ready there.
TEST_F(PollSetTest, OnlyTheMainRegionIsHandedToPoll)
{
    Pipe signals;
    set().setFixed(std::vector<struct pollfd>(1, pollEntry(signals.ends[0], POLLIN)), 0);
    FakeClient* active = add(ACTIVE, 0, 2000);
    FakeClient* slow = add(SLOW, 0, 2000);      // trickling for two seconds: apart at once
    EXPECT_EQ(2u, set().mainSize());            // the fixed entry and the active socket
    EXPECT_EQ(3u, set().size());
    EXPECT_FALSE(set().isApart(active));
    EXPECT_TRUE(set().isApart(slow));
    signals.makeReadable();
    active->makeReadable();
    slow->makeReadable();
    EXPECT_EQ(2, set().poll(0));
    std::vector<Source> expected = sorted({ Source(0, 0), socketOf(active) });
    EXPECT_EQ(expected, drain());
}

TEST_F(PollSetTest, IdleClientIsApartOnlyWhileAnotherIsActive)
{
    FakeClient* idle = add(IDLE, 0, 0);
    set().scanLanes(1000);                      // idle for a second, but no one else
    EXPECT_FALSE(set().isApart(idle));
    FakeClient* active = add(ACTIVE, 0, 1000);
    set().scanLanes(1010);                      // the next scan finds the server busy
    EXPECT_TRUE(set().isApart(idle));
    EXPECT_FALSE(set().isApart(active));
    EXPECT_EQ(1u, set().mainSize());
    set().update(idle, 1011);                   // an update keeps it where its lane says
    EXPECT_TRUE(set().isApart(idle));
}

// With no one active, a poll() of everyone costs no one anything, and the
// idle ones are answered at once instead of at their next scan.
TEST_F(PollSetTest, QuietServerBringsEveryIdleClientBackIntoTheMainSet)
{
    FakeClient* idle = add(IDLE, 0, 0);
    FakeClient* active = add(ACTIVE, 0, 1000);
    set().scanLanes(1000);
    ASSERT_TRUE(set().isApart(idle));
    active->kind = IDLE;                        // its last request ended at 1010
    active->waitingSince = 1010;
    scanEveryMs(2010, 2030);                    // a round of slices that sees no one active
    EXPECT_FALSE(set().isApart(idle));
    EXPECT_FALSE(set().isApart(active));
    EXPECT_EQ(2u, set().mainSize());
    EXPECT_EQ(0, set().wakeup());               // nothing to scan for: poll() may sleep
    idle->makeReadable();
    EXPECT_EQ(1, set().poll(0));
    EXPECT_EQ(std::vector<Source>(1, socketOf(idle)), drain());
}

// A trickling head is apart even on a quiet server, and is polled every
// 250 ms: not at every scan.
TEST_F(PollSetTest, SlowClientIsAlwaysApartAndPolledEvery250Ms)
{
    FakeClient* slow = add(SLOW, 0, 1000);
    EXPECT_TRUE(set().isApart(slow));
    EXPECT_EQ(0u, set().mainSize());
    EXPECT_EQ(1250, set().wakeup());
    slow->makeReadable();
    EXPECT_EQ(0, set().poll(0));
    EXPECT_TRUE(drain().empty());
    EXPECT_TRUE(scanEveryMs(1000, 1250).empty());
    EXPECT_EQ(std::vector<Source>(1, socketOf(slow)), scanEveryMs(1250, 1251));
    EXPECT_EQ(1500, set().wakeup());            // the next slow poll
    EXPECT_TRUE(set().isApart(slow));
}

TEST_F(PollSetTest, SlowClientWaitsForTheSlowPollWhileTheServerIsBusy)
{
    add(ACTIVE, 0, 1000);
    FakeClient* slow = add(SLOW, 0, 1000);
    slow->makeReadable();
    EXPECT_TRUE(scanEveryMs(1000, 1250).empty());    // slices poll idle sockets only
    EXPECT_EQ(std::vector<Source>(1, socketOf(slow)), scanEveryMs(1250, 1251));
}

// A busy server looks at a tenth of its clients every millisecond, so
// each is looked at within 10 ms and no scan of all of them holds up the
// active ones.
TEST_F(PollSetTest, SlicesCoverEveryClientWithinOneScanPeriod)
{
    add(ACTIVE, 0, 0);
    for (int i = 0; i < 39; ++i)
        add(IDLE, 0, 0);
    set().scanLanes(0);                         // everyone active at 0: busy from now on
    for (long k = 0; k < 10; ++k) {             // idle for a second from 1000 on
        set().scanLanes(1000 + k);
        EXPECT_EQ(static_cast<size_t>(4 * (k + 1) - 1), apartCount()) << "slice " << k;
        EXPECT_EQ(1001 + k, set().wakeup());
    }
    for (int i = 1; i < 40; ++i)
        EXPECT_EQ(1, client(i)->releases) << i;
    EXPECT_EQ(1u, set().mainSize());
}

TEST_F(PollSetTest, ApartIdleClientsGetTheirReadinessWithinOneScanPeriod)
{
    add(ACTIVE, 0, 0);
    for (int i = 0; i < 9; ++i)
        add(IDLE, 0, 0);
    set().scanLanes(0);
    scanEveryMs(1000, 1010);
    ASSERT_EQ(9u, apartCount());
    client(4)->makeReadable();
    client(7)->makeReadable();
    EXPECT_EQ(0, set().poll(0));
    std::vector<Source> expected = sorted({ socketOf(client(4)), socketOf(client(7)) });
    EXPECT_EQ(expected, scanEveryMs(1010, 1020));     // one round
}

// Slots swap whenever a client leaves or crosses the border between the
// regions: every remaining one must go on getting its own readiness.
TEST_F(PollSetTest, ClientsLeavingWhileApartDoNotMixUpTheOthers)
{
    FakeClient* active = add(ACTIVE, 0, 0);
    for (int i = 0; i < 30; ++i)
        add(IDLE, 0, 0);
    set().scanLanes(0);
    scanEveryMs(1000, 1020);
    ASSERT_EQ(30u, apartCount());
    std::vector<FakeClient*> staying;
    for (int i = 0; i < 30; ++i) {
        if (i % 3 == 0)
            removeClient(client(1 + i));
        else
            staying.push_back(client(1 + i));
    }
    EXPECT_EQ(21u, set().clientCount());
    EXPECT_EQ(21u, set().size());
    std::vector<Source> expected;
    for (size_t j = 0; j < staying.size(); j += 2) {
        staying[j]->makeReadable();
        expected.push_back(socketOf(staying[j]));
    }
    EXPECT_EQ(sorted(expected), scanEveryMs(1020, 1030));
    // Quiet now: all back in the main set, where more leave.
    active->kind = IDLE;
    active->waitingSince = 1030;
    scanEveryMs(2030, 2050);
    ASSERT_EQ(21u, set().mainSize());
    expected.clear();
    for (size_t j = 0; j < staying.size(); ++j) {
        if (j % 4 == 1)
            removeClient(staying[j]);
        else if (j % 2 == 0) {
            staying[j]->makeReadable();
            expected.push_back(socketOf(staying[j]));
        }
    }
    set().poll(0);
    EXPECT_EQ(sorted(expected), drain());
}

// A client leaving after the round passed it must not make one that the
// round has not reached yet miss it.
TEST_F(PollSetTest, ClientLeavingMidRoundDoesNotMakeAnotherMissTheRound)
{
    add(ACTIVE, 0, 0);
    for (int i = 0; i < 39; ++i)
        add(IDLE, 0, 0);
    set().scanLanes(0);
    scanEveryMs(1000, 1005);                    // 5 slices of 4: half the round
    ASSERT_EQ(19u, apartCount());
    removeClient(client(2));                    // scanned already
    scanEveryMs(1005, 1010);                    // the rest of the round
    size_t apart = 0;
    for (int i = 1; i < 40; ++i)
        if (i != 2)
            apart += set().isApart(client(i)) ? 1 : 0;
    EXPECT_EQ(38u, apart);
}

// A client that replaces a descriptor while the pass runs (a CGI local
// redirect starts another script) must not get readiness polled for the
// old one; readiness for the new one comes with the next poll().
TEST_F(PollSetTest, ReplacedDescriptorsReadinessFromTheSamePassIsDropped)
{
    FakeClient* cgi = add(ACTIVE, 0, 0);
    cgi->open(1);
    cgi->open(2);
    set().update(cgi, 0);
    FakeClient* other = add(ACTIVE, 0, 0);
    for (int e = 0; e < 3; ++e)
        cgi->makeReadable(e);
    other->makeReadable();
    ASSERT_EQ(4, set().poll(0));
    int fromCgi = 0;
    int fromOther = 0;
    PollEvent event;
    while (set().nextEvent(&event)) {
        if (event.client == cgi && fromCgi++ == 0) {
            for (int e = 0; e < 3; ++e)
                if (e != event.endpoint)
                    ++cgi->generations[e];
        }
        fromOther += event.client == other ? 1 : 0;
    }
    EXPECT_EQ(1, fromCgi);
    EXPECT_EQ(1, fromOther);
    set().update(cgi, 0);                       // after the pass
    ASSERT_EQ(4, set().poll(0));
    EXPECT_EQ(4u, drain().size());
}

TEST_F(PollSetTest, FixedEntriesComeFirstAndCanBePaused)
{
    Pipe signals, listener, another;
    std::vector<struct pollfd> fixed = { pollEntry(signals.ends[0], POLLIN),
        pollEntry(listener.ends[0], POLLIN) };
    set().setFixed(fixed, 0);
    add(ACTIVE, 0, 0);
    FakeClient* b = add(ACTIVE, 0, 0);
    signals.makeReadable();
    listener.makeReadable();
    b->makeReadable();
    set().poll(0);
    std::vector<Source> expected = sorted({ Source(0, 0), Source(0, 1), socketOf(b) });
    EXPECT_EQ(expected, drain());
    set().setFixedEvents(1, 0);                 // a paused listener
    b->makeReadable();
    set().poll(0);
    expected = sorted({ Source(0, 0), socketOf(b) });
    EXPECT_EQ(expected, drain());
    // A reload with one more listener lays the clients out behind it.
    fixed.push_back(pollEntry(another.ends[0], POLLIN));
    set().setFixed(fixed, 0);
    EXPECT_EQ(5u, set().mainSize());
    another.makeReadable();
    b->makeReadable();
    set().poll(0);
    expected = sorted({ Source(0, 0), Source(0, 1), Source(0, 2), socketOf(b) });
    EXPECT_EQ(expected, drain());
}

// Descriptors and interest are the client's; the set learns them at update().
TEST_F(PollSetTest, SlotsFollowTheClientsDescriptorsAndInterestAtUpdate)
{
    FakeClient* c = add(ACTIVE, 0, 0);
    FakeClient* other = add(ACTIVE, 0, 0);
    EXPECT_EQ(2u, set().size());
    c->open(1);
    c->makeReadable(1);
    EXPECT_EQ(2u, set().size());
    set().update(c, 0);
    EXPECT_EQ(3u, set().size());
    set().poll(0);
    EXPECT_EQ(std::vector<Source>(1, Source(c, 1)), drain());
    c->events[1] = 0;
    set().update(c, 0);
    EXPECT_EQ(0, set().poll(0));
    c->close(1);
    set().update(c, 0);
    EXPECT_EQ(2u, set().size());
    other->makeReadable();
    set().poll(0);
    EXPECT_EQ(std::vector<Source>(1, socketOf(other)), drain());
}

TEST_F(PollSetTest, WakeupFollowsTheLanes)
{
    FakeClient* active = add(ACTIVE, 0, 0);
    set().scanLanes(0);
    EXPECT_EQ(0, set().wakeup());               // busy, but no one apart
    FakeClient* idle = add(IDLE, 0, 0);
    set().scanLanes(1000);                      // the slice of the active one
    set().scanLanes(1001);                      // the idle one's: apart
    ASSERT_TRUE(set().isApart(idle));
    EXPECT_EQ(1002, set().wakeup());            // the next slice
    FakeClient* slow = add(SLOW, 0, 1001);
    EXPECT_EQ(1002, set().wakeup());
    active->kind = IDLE;
    active->waitingSince = 0;
    scanEveryMs(1002, 1010);                    // quiet
    EXPECT_FALSE(set().isApart(idle));
    EXPECT_EQ(1251, set().wakeup());            // only the slow poll
    removeClient(slow);
    set().scanLanes(1251);
    EXPECT_EQ(0, set().wakeup());
}

TEST_F(PollSetTest, SettingsSetTheQuietAndSlowPollTimes)
{
    LaneSettings settings;
    settings.quietMs = 50;
    settings.slowPollMs = 30;
    useSettings(settings);
    FakeClient* slow = add(SLOW, 0, 49);
    EXPECT_FALSE(set().isApart(slow));
    set().update(slow, 50);
    EXPECT_TRUE(set().isApart(slow));
    EXPECT_EQ(80, set().wakeup());
    slow->makeReadable();
    EXPECT_TRUE(scanEveryMs(50, 80).empty());
    EXPECT_EQ(std::vector<Source>(1, socketOf(slow)), scanEveryMs(80, 81));
}

TEST_F(PollSetTest, SettingsSetTheSlicesAndTheirPeriod)
{
    LaneSettings settings;
    settings.scanPeriodMs = 20;
    settings.slices = 4;                        // one every 5 ms
    useSettings(settings);
    add(ACTIVE, 0, 0);
    for (int i = 0; i < 8; ++i)
        add(IDLE, 0, 0);
    set().scanLanes(0);
    set().scanLanes(1000);                      // 9 clients: slices of 3
    EXPECT_EQ(2u, apartCount());
    set().scanLanes(1004);
    EXPECT_EQ(2u, apartCount());
    set().scanLanes(1005);
    EXPECT_EQ(5u, apartCount());
    set().scanLanes(1010);
    EXPECT_EQ(8u, apartCount());
}

// With no memory left, a reserved poll set still takes clients in; an
// unreserved one fails the update before changing anything.
TEST_F(PollSetTest, AReservedSetTakesClientsWithoutAllocating)
{
    if (!FailingAllocations::supported())
        GTEST_SKIP() << "the allocator cannot be replaced under AddressSanitizer";
    std::vector<std::unique_ptr<FakeClient>> fakes;
    for (int i = 0; i < 40; ++i)
        fakes.emplace_back(new FakeClient(PollClient::LANE_ACTIVE, 0));
    set().reserve(32);
    int threw = 0;
    {
        FailingAllocations noMemory;
        for (int i = 0; i < 33; ++i) {
            try {
                set().update(fakes[i].get(), 0);
            } catch (const std::bad_alloc&) {
                ++threw;
            }
        }
    }
    EXPECT_EQ(1, threw);
    EXPECT_EQ(32u, set().clientCount());
    EXPECT_EQ(32u, set().size());
    // The one that failed is not half in: it can be added again.
    set().update(fakes[32].get(), 0);
    EXPECT_EQ(33u, set().clientCount());
    EXPECT_EQ(33u, set().size());
    for (int i = 0; i < 33; ++i)
        set().remove(fakes[i].get());
}
