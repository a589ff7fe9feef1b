// The session store (src/session/SessionStore.cpp) and how a request meets
// its session (src/session/SessionBinding.cpp), per the README's "Sessions".
// Time is passed in as monotonic milliseconds: no clock, no sleeping.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "http/HeaderMap.hpp"
#include "session/SessionBinding.hpp"
#include "session/SessionStore.hpp"

namespace {

// A plausible monotonic clock reading, well away from 0 (0 means "never").
const long T0 = 5000000;
const long kMinute = 60 * 1000;
const long kTimeout = 30 * kMinute;     // the default session_timeout

const char* kInvented = "0123456789abcdef0123456789abcdef";

bool isLowerHex32(const std::string& text)
{
    if (text.size() != 32)
        return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::string upper(std::string text)
{
    for (char& c : text)
        if (c >= 'a' && c <= 'f')
            c = static_cast<char>(c - 'a' + 'A');
    return text;
}

HeaderMap cookieHeaders(const std::string& cookie)
{
    HeaderMap headers;
    headers.add("Host", "example.org");
    headers.add("Cookie", cookie);
    return headers;
}

std::string expectedCookie(const std::string& id, long seconds)
{
    return "WEBSERV_SID=" + id + "; Path=/; Max-Age=" + std::to_string(seconds)
        + "; HttpOnly; SameSite=Lax";
}

const std::string kExpiringCookie = "WEBSERV_SID=; Path=/; Max-Age=0";

// A request's session as a script gets it: the one its cookie names, or
// one made for it.
SessionState attach(SessionStore& store, const HeaderMap& headers, long now, long timeoutMs)
{
    SessionState state = findSession(store, headers, now, timeoutMs);
    ensureSession(store, state, now);
    return state;
}

// The Set-Cookie of a 200 answer.
std::string cookieOf200(SessionStore& store, SessionState& state, long now)
{
    return settleSession(store, state, 200, now);
}

std::string describe(const HeaderMap& fields)
{
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i)
        out += fields.at(i).first + ": " + fields.at(i).second + "\n";
    return out;
}

}

// ---------------------------------------------------------------- isSessionId

TEST(SessionStoreTestId, Shape)
{
    EXPECT_TRUE(isSessionId(kInvented));
    EXPECT_TRUE(isSessionId(std::string(32, '0')));
    EXPECT_TRUE(isSessionId(std::string(32, 'f')));
    EXPECT_FALSE(isSessionId(""));
    EXPECT_FALSE(isSessionId(std::string(31, 'a')));
    EXPECT_FALSE(isSessionId(std::string(33, 'a')));
    EXPECT_FALSE(isSessionId(upper(kInvented)));
    EXPECT_FALSE(isSessionId("0123456789abcdef0123456789abcdeg"));
    EXPECT_FALSE(isSessionId("0123456789abcdef 123456789abcdef"));
    EXPECT_FALSE(isSessionId(std::string("0123456789abcdef\0" "123456789abcdef", 32)));
    EXPECT_FALSE(isSessionId("../../../../../../../etc/passwd"));
}

// ---------------------------------------------------------------- SessionStore

TEST(SessionStoreTest, CreateGivesA32HexIdAndEmptyData)
{
    SessionStore store(10);
    Session* session = store.create(T0, kTimeout);
    ASSERT_NE(nullptr, session);
    EXPECT_TRUE(isLowerHex32(session->id)) << session->id;
    EXPECT_TRUE(isSessionId(session->id));
    EXPECT_TRUE(session->data.empty());
    EXPECT_EQ(T0, session->createdMs);
    EXPECT_EQ(T0, session->lastSeenMs);
    EXPECT_EQ(T0 + kTimeout, session->expiresMs);
    EXPECT_EQ(0, session->cookieSentMs);
    EXPECT_EQ(1u, store.size());
}

TEST(SessionStoreTest, IdsAreUniqueOverThousands)
{
    const size_t count = 20000;
    SessionStore store(count);
    std::set<std::string> ids;
    // Every hex digit turns up in every position (they are random bytes).
    std::vector<std::set<char> > digitsAt(32);
    for (size_t i = 0; i < count; ++i) {
        Session* session = store.create(T0 + static_cast<long>(i), kTimeout);
        ASSERT_NE(nullptr, session);
        ASSERT_TRUE(isLowerHex32(session->id)) << session->id;
        ids.insert(session->id);
        for (size_t at = 0; at < 32; ++at)
            digitsAt[at].insert(session->id[at]);
    }
    EXPECT_EQ(count, ids.size());
    EXPECT_EQ(count, store.size());
    for (size_t at = 0; at < 32; ++at)
        EXPECT_EQ(16u, digitsAt[at].size()) << "position " << at;
    // Evicting and creating again never brings back an ID still in use.
    SessionStore small(3);
    std::set<std::string> live;
    for (int i = 0; i < 5000; ++i) {
        Session* session = small.create(T0 + i, kTimeout);
        ASSERT_NE(nullptr, session);
        EXPECT_EQ(0u, live.count(session->id));
        live.insert(session->id);
    }
    EXPECT_EQ(3u, small.size());
}

TEST(SessionStoreTest, FindWithTheRightIdGivesTheSameSessionAndItsData)
{
    SessionStore store(10);
    Session* created = store.create(T0, kTimeout);
    ASSERT_NE(nullptr, created);
    std::string id = created->id;
    created->data["name"] = "J\xc3\xb6rg";
    created->data["count"] = "1";
    store.create(T0, kTimeout);
    store.create(T0, kTimeout);

    Session* found = store.find(id, T0 + 1000, kTimeout);
    ASSERT_NE(nullptr, found);
    EXPECT_EQ(created, found);
    EXPECT_EQ(id, found->id);
    EXPECT_EQ((std::map<std::string, std::string> { { "count", "1" }, { "name", "J\xc3\xb6rg" } }),
        found->data);
    EXPECT_EQ(T0, found->createdMs);
    EXPECT_EQ(T0 + 1000, found->lastSeenMs);
    EXPECT_EQ(3u, store.size());
}

TEST(SessionStoreTest, FindAfterExpiryGivesNothingAndTheSessionIsGone)
{
    SessionStore store(10);
    std::string id = store.create(T0, 1000)->id;
    std::string other = store.create(T0, 1000)->id;
    EXPECT_EQ(nullptr, store.find(id, T0 + 5000, 1000));
    EXPECT_EQ(nullptr, store.peek(id));
    EXPECT_EQ(1u, store.size());
    // Gone for good: not even an earlier time brings it back.
    EXPECT_EQ(nullptr, store.find(id, T0 + 10, 1000));
    // The other one was not touched by that.
    ASSERT_NE(nullptr, store.peek(other));
    EXPECT_EQ(T0, store.peek(other)->lastSeenMs);
}

TEST(SessionStoreTest, ExpiryIsLastUsePlusTimeout)
{
    SessionStore store(10);
    std::string id = store.create(T0, 1000)->id;
    EXPECT_NE(nullptr, store.find(id, T0 + 999, 1000));
    std::string second = store.create(T0, 1000)->id;
    EXPECT_EQ(nullptr, store.find(second, T0 + 1000, 1000));
}

TEST(SessionStoreTest, SlidingExpiry)
{
    SessionStore store(10);
    std::string id = store.create(T0, 1000)->id;
    // Each use pushes the expiry to that time + timeout: used every 900 ms,
    // the session lives far beyond its first second.
    for (long t = T0 + 900; t <= T0 + 9000; t += 900) {
        Session* session = store.find(id, t, 1000);
        ASSERT_NE(nullptr, session) << "at +" << t - T0;
        EXPECT_EQ(t, session->lastSeenMs);
        EXPECT_EQ(t + 1000, session->expiresMs);
        EXPECT_EQ(T0, session->createdMs);
    }
    // The timeout of the latest use is the one that counts.
    Session* session = store.find(id, T0 + 9500, 60000);
    ASSERT_NE(nullptr, session);
    EXPECT_EQ(T0 + 9500 + 60000, session->expiresMs);
    EXPECT_NE(nullptr, store.find(id, T0 + 9500 + 59999, 1000));
    EXPECT_EQ(nullptr, store.find(id, T0 + 9500 + 59999 + 1000, 1000));
}

TEST(SessionStoreTest, MalformedAndInventedIdsAreNeverAdopted)
{
    SessionStore store(10);
    std::string real = store.create(T0, kTimeout)->id;
    std::vector<std::string> bad = {
        "",
        kInvented,
        upper(real),
        real.substr(0, 31),
        real + "0",
        " " + real,
        real.substr(0, 31) + "g",
        std::string(real.c_str(), 16) + std::string("\0", 1) + real.substr(17),
        "../../etc/passwd",
    };
    for (const std::string& id : bad) {
        EXPECT_EQ(nullptr, store.find(id, T0 + 1, kTimeout)) << id;
        EXPECT_EQ(1u, store.size()) << id;
    }
    EXPECT_EQ(nullptr, store.peek(kInvented));
    // The real one is untouched by all that.
    ASSERT_NE(nullptr, store.peek(real));
    EXPECT_EQ(T0, store.peek(real)->lastSeenMs);
}

TEST(SessionStoreTest, LeastRecentlyUsedIsEvictedAtTheCap)
{
    SessionStore store(3);
    std::string a = store.create(T0 + 1, kTimeout)->id;
    std::string b = store.create(T0 + 2, kTimeout)->id;
    std::string c = store.create(T0 + 3, kTimeout)->id;
    EXPECT_EQ(3u, store.size());
    // a is used again: b is now the least recently used.
    ASSERT_NE(nullptr, store.find(a, T0 + 4, kTimeout));
    std::string d = store.create(T0 + 5, kTimeout)->id;
    EXPECT_EQ(3u, store.size());
    EXPECT_EQ(nullptr, store.peek(b));
    EXPECT_EQ(nullptr, store.find(b, T0 + 6, kTimeout));
    EXPECT_NE(nullptr, store.peek(a));
    EXPECT_NE(nullptr, store.peek(c));
    EXPECT_NE(nullptr, store.peek(d));
    // Then c (a was used after it, d is newer).
    std::string e = store.create(T0 + 7, kTimeout)->id;
    EXPECT_EQ(nullptr, store.peek(c));
    EXPECT_NE(nullptr, store.peek(a));
    EXPECT_NE(nullptr, store.peek(d));
    EXPECT_NE(nullptr, store.peek(e));
    // And a recently found one keeps surviving: a, d and e are used in
    // the order d, a, e, so d goes next.
    ASSERT_NE(nullptr, store.find(d, T0 + 8, kTimeout));
    ASSERT_NE(nullptr, store.find(a, T0 + 9, kTimeout));
    ASSERT_NE(nullptr, store.find(e, T0 + 10, kTimeout));
    std::string f = store.create(T0 + 11, kTimeout)->id;
    EXPECT_EQ(nullptr, store.peek(d));
    EXPECT_NE(nullptr, store.peek(a));
    EXPECT_NE(nullptr, store.peek(e));
    EXPECT_NE(nullptr, store.peek(f));
    EXPECT_EQ(3u, store.size());
}

TEST(SessionStoreTest, CapHoldsUnderManyCreates)
{
    SessionStore store(100);
    std::string first = store.create(T0, kTimeout)->id;
    for (int i = 1; i < 10000; ++i)
        ASSERT_NE(nullptr, store.create(T0 + i, kTimeout));
    EXPECT_EQ(100u, store.size());
    EXPECT_EQ(nullptr, store.find(first, T0 + 10000, kTimeout));
}

TEST(SessionStoreTest, ACapOfZeroStillHoldsOne)
{
    SessionStore store(0);
    std::string a = store.create(T0, kTimeout)->id;
    std::string b = store.create(T0, kTimeout)->id;
    EXPECT_EQ(1u, store.size());
    EXPECT_EQ(nullptr, store.peek(a));
    EXPECT_NE(nullptr, store.peek(b));
}

TEST(SessionStoreTest, SweepRemovesAtMostBudgetExpiredOldestFirst)
{
    SessionStore store(100);
    std::vector<std::string> expiring;
    for (int i = 0; i < 10; ++i)
        expiring.push_back(store.create(T0 + i, 100)->id);      // expire at T0+100 .. T0+109
    std::vector<std::string> live;
    for (int i = 0; i < 5; ++i)
        live.push_back(store.create(T0 + 50, 100000)->id);
    ASSERT_EQ(15u, store.size());

    store.sweep(T0 + 99, 100);               // nothing has expired yet
    EXPECT_EQ(15u, store.size());
    store.sweep(T0 + 1000, 0);               // no budget, no work
    EXPECT_EQ(15u, store.size());

    store.sweep(T0 + 1000, 4);
    EXPECT_EQ(11u, store.size());
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(nullptr, store.peek(expiring[i])) << i;
    for (int i = 4; i < 10; ++i)
        EXPECT_NE(nullptr, store.peek(expiring[i])) << i;

    store.sweep(T0 + 1000, 4);
    EXPECT_EQ(7u, store.size());
    store.sweep(T0 + 1000, 4);               // only 2 expired ones left
    EXPECT_EQ(5u, store.size());
    store.sweep(T0 + 1000, 1000);
    EXPECT_EQ(5u, store.size());
    for (const std::string& id : live)
        EXPECT_NE(nullptr, store.find(id, T0 + 1000, 100000)) << id;
}

TEST(SessionStoreTest, SweepRemovesOnlyWhatHasExpired)
{
    SessionStore store(100);
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i)
        ids.push_back(store.create(T0 + i, 100)->id);           // expire at T0+100 .. T0+109
    store.sweep(T0 + 105, 1000);             // +100 .. +105 have expired
    EXPECT_EQ(4u, store.size());
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(nullptr, store.peek(ids[i])) << i;
    for (int i = 6; i < 10; ++i)
        EXPECT_NE(nullptr, store.find(ids[i], T0 + 105, 100)) << i;
}

TEST(SessionStoreTest, SweepNeverRemovesARecentlyUsedSession)
{
    SessionStore store(100);
    std::string old = store.create(T0, 100)->id;
    std::string other = store.create(T0, 100)->id;
    ASSERT_NE(nullptr, store.find(old, T0 + 90, 100));    // now expires at T0+190
    store.sweep(T0 + 150, 1000);
    EXPECT_EQ(nullptr, store.peek(other));
    EXPECT_NE(nullptr, store.peek(old));
    EXPECT_EQ(1u, store.size());
}

TEST(SessionStoreTest, Destroy)
{
    SessionStore store(10);
    std::string a = store.create(T0, kTimeout)->id;
    std::string b = store.create(T0, kTimeout)->id;
    store.destroy(a);
    EXPECT_EQ(1u, store.size());
    EXPECT_EQ(nullptr, store.peek(a));
    EXPECT_EQ(nullptr, store.find(a, T0 + 1, kTimeout));
    EXPECT_NE(nullptr, store.find(b, T0 + 1, kTimeout));
    // Unknown, malformed or already destroyed: nothing happens.
    store.destroy(a);
    store.destroy(kInvented);
    store.destroy("");
    store.destroy("not an id");
    EXPECT_EQ(1u, store.size());
    // A destroyed session makes no room twice: the cap still counts right.
    SessionStore small(2);
    std::string x = small.create(T0, kTimeout)->id;
    small.destroy(x);
    std::string y = small.create(T0 + 1, kTimeout)->id;
    std::string z = small.create(T0 + 2, kTimeout)->id;
    EXPECT_EQ(2u, small.size());
    EXPECT_NE(nullptr, small.peek(y));
    EXPECT_NE(nullptr, small.peek(z));
}

TEST(SessionStoreTest, PeekNeitherTouchesNorExpires)
{
    SessionStore store(3);
    std::string a = store.create(T0 + 1, 1000)->id;
    std::string b = store.create(T0 + 2, 1000)->id;
    std::string c = store.create(T0 + 3, 1000)->id;
    const Session* peeked = store.peek(a);
    ASSERT_NE(nullptr, peeked);
    EXPECT_EQ(a, peeked->id);
    EXPECT_EQ(T0 + 1, peeked->lastSeenMs);
    EXPECT_EQ(T0 + 1 + 1000, peeked->expiresMs);
    EXPECT_EQ(nullptr, store.peek(kInvented));
    EXPECT_EQ(nullptr, store.peek(""));
    // Not a use: a is still the least recently used and goes first.
    store.create(T0 + 4, 1000);
    EXPECT_EQ(nullptr, store.peek(a));
    EXPECT_NE(nullptr, store.peek(b));
    EXPECT_NE(nullptr, store.peek(c));
    EXPECT_EQ(3u, store.size());
}

// ---------------------------------------------------------------- findSession, ensureSession

TEST(SessionStoreTestAttach, NoCookieCreatesASession)
{
    SessionStore store(10);
    HeaderMap headers;
    headers.add("Host", "example.org");
    SessionState state = attach(store, headers, T0, kTimeout);
    EXPECT_TRUE(state.created);
    EXPECT_FALSE(state.modified);
    EXPECT_FALSE(state.destroyed);
    EXPECT_EQ(kTimeout, state.timeoutMs);
    EXPECT_TRUE(isLowerHex32(state.id)) << state.id;
    ASSERT_NE(nullptr, store.peek(state.id));
    EXPECT_EQ(1u, store.size());
    // Other cookies, but not ours: the same.
    SessionState other = attach(store, cookieHeaders("theme=dark; lang=fr"), T0, kTimeout);
    EXPECT_TRUE(other.created);
    EXPECT_NE(state.id, other.id);
    EXPECT_EQ(2u, store.size());
}

TEST(SessionStoreTestAttach, AValidCookieFindsTheSession)
{
    SessionStore store(10);
    std::string id = attach(store, HeaderMap(), T0, kTimeout).id;
    std::vector<std::string> cookies = {
        "WEBSERV_SID=" + id,
        "theme=dark; WEBSERV_SID=" + id + "; lang=fr",
        "  WEBSERV_SID = " + id + " ",
        "WEBSERV_SID=\"" + id + "\"",
    };
    long t = T0;
    for (const std::string& cookie : cookies) {
        t += 1000;
        SessionState state = attach(store, cookieHeaders(cookie), t, kTimeout);
        EXPECT_FALSE(state.created) << cookie;
        EXPECT_EQ(id, state.id) << cookie;
        ASSERT_NE(nullptr, store.peek(id));
        EXPECT_EQ(t + kTimeout, store.peek(id)->expiresMs) << "the use pushed the expiry";
    }
    // In the second of two Cookie fields.
    HeaderMap headers;
    headers.add("Cookie", "theme=dark");
    headers.add("Cookie", "WEBSERV_SID=" + id);
    SessionState state = attach(store, headers, t + 1, kTimeout);
    EXPECT_FALSE(state.created);
    EXPECT_EQ(id, state.id);
    EXPECT_EQ(1u, store.size());
}

TEST(SessionStoreTestAttach, AnExpiredCookieGetsANewSession)
{
    SessionStore store(10);
    std::string old = attach(store, HeaderMap(), T0, 1000).id;
    SessionState state = attach(store, cookieHeaders("WEBSERV_SID=" + old), T0 + 1000, 1000);
    EXPECT_TRUE(state.created);
    EXPECT_TRUE(isLowerHex32(state.id));
    EXPECT_NE(old, state.id);
    EXPECT_EQ(nullptr, store.peek(old));
    EXPECT_EQ(1u, store.size());
}

TEST(SessionStoreTestAttach, AnInventedIdIsNotAdopted)
{
    SessionStore store(10);
    SessionState state = attach(store, cookieHeaders(std::string("WEBSERV_SID=") + kInvented),
        T0, kTimeout);
    EXPECT_TRUE(state.created);
    EXPECT_TRUE(isLowerHex32(state.id));
    EXPECT_NE(kInvented, state.id);
    EXPECT_EQ(nullptr, store.peek(kInvented));
    // Sending it again does not make it real either.
    SessionState again = attach(store, cookieHeaders(std::string("WEBSERV_SID=") + kInvented),
        T0 + 1, kTimeout);
    EXPECT_TRUE(again.created);
    EXPECT_NE(kInvented, again.id);
    EXPECT_NE(state.id, again.id);
    EXPECT_EQ(nullptr, store.peek(kInvented));
}

TEST(SessionStoreTestAttach, AMalformedIdGetsANewSession)
{
    SessionStore store(100);
    std::string real = attach(store, HeaderMap(), T0, kTimeout).id;
    std::vector<std::string> cookies = {
        "WEBSERV_SID=",
        "WEBSERV_SID",
        "WEBSERV_SID=" + upper(real),
        "WEBSERV_SID=" + real + "0",
        "WEBSERV_SID=" + real.substr(1),
        "WEBSERV_SID=../../etc/passwd",
        "WEBSERV_SID=" + real.substr(0, 16) + " " + real.substr(17),
        "webserv_sid=" + real,                   // cookie names are case-sensitive
        std::string("WEBSERV_SID=\xff\xfe\0garbage", 22),
    };
    std::set<std::string> ids;
    ids.insert(real);
    for (const std::string& cookie : cookies) {
        SessionState state = attach(store, cookieHeaders(cookie), T0 + 1, kTimeout);
        EXPECT_TRUE(state.created) << cookie;
        EXPECT_TRUE(isLowerHex32(state.id)) << cookie;
        EXPECT_TRUE(ids.insert(state.id).second) << cookie << ": an ID given out twice";
    }
    // The real session is still there, untouched.
    ASSERT_NE(nullptr, store.peek(real));
    EXPECT_EQ(T0, store.peek(real)->lastSeenMs);
}

TEST(SessionStoreTestAttach, FindingCreatesNothing)
{
    SessionStore store(10);
    std::vector<std::string> cookies = { "", "theme=dark", std::string("WEBSERV_SID=") + kInvented };
    for (const std::string& cookie : cookies) {
        SessionState state = findSession(store, cookie.empty() ? HeaderMap() : cookieHeaders(cookie),
            T0, kTimeout);
        EXPECT_EQ("", state.id) << cookie;
        EXPECT_TRUE(state.mayCreate) << cookie;
        EXPECT_FALSE(state.created) << cookie;
        EXPECT_EQ(kTimeout, state.timeoutMs) << cookie;
    }
    EXPECT_EQ(0u, store.size());
}

TEST(SessionStoreTestAttach, EnsureMakesNoneWhereNoneMayBeMade)
{
    SessionStore store(10);
    SessionState off;                   // a location without sessions
    ensureSession(store, off, T0);
    EXPECT_EQ("", off.id);
    SessionState options = findSession(store, HeaderMap(), T0, kTimeout);
    options.mayCreate = false;
    ensureSession(store, options, T0);
    EXPECT_EQ("", options.id);
    EXPECT_EQ(0u, store.size());
    // Twice is once.
    SessionState state = findSession(store, HeaderMap(), T0, kTimeout);
    ensureSession(store, state, T0);
    std::string id = state.id;
    ensureSession(store, state, T0 + 1);
    EXPECT_EQ(id, state.id);
    EXPECT_EQ(1u, store.size());
}

// ---------------------------------------------------------------- settleSession

TEST(SessionStoreTestCookie, CreatedSendsTheExactCookie)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    EXPECT_EQ(expectedCookie(state.id, 1800), cookieOf200(store, state, T0));
    EXPECT_EQ(T0, store.peek(state.id)->cookieSentMs);
}

TEST(SessionStoreTestCookie, MaxAgeIsTheTimeoutInSeconds)
{
    SessionStore store(10);
    SessionState one = attach(store, HeaderMap(), T0, 1000);
    EXPECT_EQ(expectedCookie(one.id, 1), cookieOf200(store, one, T0));
    SessionState day = attach(store, HeaderMap(), T0, 24L * 60 * kMinute);
    EXPECT_EQ(expectedCookie(day.id, 86400), cookieOf200(store, day, T0));
}

TEST(SessionStoreTestCookie, APlainReadWithAFreshCookieSendsNothing)
{
    SessionStore store(10);
    SessionState first = attach(store, HeaderMap(), T0, kTimeout);
    ASSERT_FALSE(cookieOf200(store, first, T0).empty());
    SessionState read = attach(store, cookieHeaders("WEBSERV_SID=" + first.id), T0 + kMinute,
        kTimeout);
    EXPECT_FALSE(read.created);
    EXPECT_EQ("", cookieOf200(store, read, T0 + kMinute));
}

TEST(SessionStoreTestCookie, ModifiedSendsItAgain)
{
    SessionStore store(10);
    SessionState first = attach(store, HeaderMap(), T0, kTimeout);
    cookieOf200(store, first, T0);
    SessionState write = attach(store, cookieHeaders("WEBSERV_SID=" + first.id), T0 + 1000,
        kTimeout);
    write.modified = true;
    EXPECT_EQ(expectedCookie(first.id, 1800), cookieOf200(store, write, T0 + 1000));
}

TEST(SessionStoreTestCookie, SentAgainWhenTheLastOneIsOlderThanHalfTheTimeout)
{
    SessionStore store(10);
    SessionState first = attach(store, HeaderMap(), T0, kTimeout);
    cookieOf200(store, first, T0);
    const std::string cookie = "WEBSERV_SID=" + first.id;
    // Exactly half a timeout later: still fresh.
    long half = T0 + kTimeout / 2;
    SessionState read = attach(store, cookieHeaders(cookie), half, kTimeout);
    EXPECT_EQ("", cookieOf200(store, read, half));
    // Older than half: sent again, so the browser's cookie does not expire
    // before the (sliding) session does.
    SessionState later = attach(store, cookieHeaders(cookie), half + 1, kTimeout);
    EXPECT_FALSE(later.created);
    EXPECT_EQ(expectedCookie(first.id, 1800), cookieOf200(store, later, half + 1));
    EXPECT_EQ(half + 1, store.peek(first.id)->cookieSentMs);
    // And then fresh again.
    SessionState next = attach(store, cookieHeaders(cookie), half + 2, kTimeout);
    EXPECT_EQ("", cookieOf200(store, next, half + 2));
}

TEST(SessionStoreTestCookie, NeverSentBeforeIsSent)
{
    // A session whose cookie was never sent (the response that created it
    // never got written) gets it with its next response.
    SessionStore store(10);
    SessionState first = attach(store, HeaderMap(), T0, kTimeout);
    SessionState read = attach(store, cookieHeaders("WEBSERV_SID=" + first.id), T0 + 1,
        kTimeout);
    EXPECT_FALSE(read.created);
    EXPECT_EQ(expectedCookie(first.id, 1800), cookieOf200(store, read, T0 + 1));
}

TEST(SessionStoreTestCookie, DestroyedSendsAnExpiringCookie)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    store.destroy(state.id);
    state.id.clear();
    state.destroyed = true;
    EXPECT_EQ(kExpiringCookie, cookieOf200(store, state, T0));
}

TEST(SessionStoreTestCookie, NoSessionNoCookie)
{
    SessionStore store(10);
    SessionState none;
    EXPECT_EQ("", cookieOf200(store, none, T0));
    // A session that vanished meanwhile (evicted by other requests) gets no
    // cookie naming it.
    SessionState gone = attach(store, HeaderMap(), T0, kTimeout);
    store.destroy(gone.id);
    EXPECT_EQ("", cookieOf200(store, gone, T0));
}

TEST(SessionStoreTestSettle, AnAnswerBelow400StartsTheSession)
{
    SessionStore store(10);
    const int statuses[] = { 200, 201, 204, 206, 301, 304, 399 };
    for (int status : statuses) {
        SessionState state = findSession(store, HeaderMap(), T0, kTimeout);
        std::string cookie = settleSession(store, state, status, T0);
        EXPECT_TRUE(state.created) << status;
        EXPECT_TRUE(isLowerHex32(state.id)) << status;
        EXPECT_EQ(expectedCookie(state.id, 1800), cookie) << status;
        EXPECT_NE(nullptr, store.peek(state.id)) << status;
    }
    EXPECT_EQ(7u, store.size());
}

TEST(SessionStoreTestSettle, AnErrorStartsNone)
{
    SessionStore store(10);
    const int statuses[] = { 400, 403, 404, 405, 413, 500, 502, 504 };
    for (int status : statuses) {
        SessionState state = findSession(store, HeaderMap(), T0, kTimeout);
        EXPECT_EQ("", settleSession(store, state, status, T0)) << status;
        EXPECT_EQ("", state.id) << status;
    }
    EXPECT_EQ(0u, store.size());
}

TEST(SessionStoreTestSettle, AnErrorStormEvictsNobodyFromAFullStore)
{
    SessionStore store(2);
    SessionState a = attach(store, HeaderMap(), T0, kTimeout);
    SessionState b = attach(store, HeaderMap(), T0 + 1, kTimeout);
    for (long i = 0; i < 100; ++i) {
        SessionState storm = findSession(store, HeaderMap(), T0 + 2 + i, kTimeout);
        settleSession(store, storm, 404, T0 + 2 + i);
    }
    EXPECT_NE(nullptr, store.peek(a.id));
    EXPECT_NE(nullptr, store.peek(b.id));
    EXPECT_EQ(2u, store.size());
}

TEST(SessionStoreTestSettle, AnErrorDropsTheSessionMadeForItIfNobodyChangedIt)
{
    // A script's session, made before it ran, whose answer is an error.
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    std::string id = state.id;
    ASSERT_EQ(1u, store.size());
    EXPECT_EQ("", settleSession(store, state, 404, T0));
    EXPECT_EQ("", state.id);
    EXPECT_FALSE(state.created);
    EXPECT_EQ(nullptr, store.peek(id));
    EXPECT_EQ(0u, store.size());
}

TEST(SessionStoreTestSettle, AnErrorKeepsASessionAScriptChanged)
{
    SessionStore store(10);
    SessionState set = attach(store, HeaderMap(), T0, kTimeout);
    set.modified = true;
    EXPECT_EQ(expectedCookie(set.id, 1800), settleSession(store, set, 422, T0));
    EXPECT_NE(nullptr, store.peek(set.id));

    SessionState destroyed = attach(store, HeaderMap(), T0, kTimeout);
    store.destroy(destroyed.id);
    destroyed.id.clear();
    destroyed.destroyed = true;
    EXPECT_EQ(kExpiringCookie, settleSession(store, destroyed, 403, T0));
    EXPECT_EQ(1u, store.size());
}

TEST(SessionStoreTestSettle, AnErrorKeepsAnExistingSessionAndSendsNoCookie)
{
    SessionStore store(10);
    SessionState first = attach(store, HeaderMap(), T0, kTimeout);
    const std::string cookie = "WEBSERV_SID=" + first.id;
    // Its cookie was never sent: a 200 would send it, a 404 does not.
    SessionState missing = findSession(store, cookieHeaders(cookie), T0 + kMinute, kTimeout);
    EXPECT_EQ(first.id, missing.id);
    EXPECT_EQ("", settleSession(store, missing, 404, T0 + kMinute));
    ASSERT_NE(nullptr, store.peek(first.id));
    EXPECT_EQ(T0 + kMinute + kTimeout, store.peek(first.id)->expiresMs) << "the use pushed the expiry";
    EXPECT_EQ(0, store.peek(first.id)->cookieSentMs);
    SessionState ok = findSession(store, cookieHeaders(cookie), T0 + 2 * kMinute, kTimeout);
    EXPECT_EQ(expectedCookie(first.id, 1800), settleSession(store, ok, 200, T0 + 2 * kMinute));
}

TEST(SessionStoreTestSettle, NothingStartsWhereNoneMayBeMade)
{
    SessionStore store(10);
    SessionState options = findSession(store, HeaderMap(), T0, kTimeout);
    options.mayCreate = false;
    EXPECT_EQ("", settleSession(store, options, 204, T0));
    EXPECT_EQ(0u, store.size());
    // A session it names is still found, and its use counts.
    SessionState first = attach(store, HeaderMap(), T0, kTimeout);
    cookieOf200(store, first, T0);
    SessionState again = findSession(store, cookieHeaders("WEBSERV_SID=" + first.id), T0 + 1,
        kTimeout);
    again.mayCreate = false;
    EXPECT_EQ("", settleSession(store, again, 204, T0 + 1));
    EXPECT_EQ(T0 + 1, store.peek(first.id)->lastSeenMs);
}

// ---------------------------------------------------------------- applySessionFields

TEST(SessionStoreTestFields, SetUnsetAndOtherFieldsKeptInOrder)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    cookieOf200(store, state, T0);
    store.find(state.id, T0, kTimeout)->data["old"] = "x";
    store.find(state.id, T0, kTimeout)->data["keep"] = "y";
    state = attach(store, cookieHeaders("WEBSERV_SID=" + state.id), T0 + 1, kTimeout);
    ASSERT_FALSE(state.created);

    HeaderMap fields;
    fields.add("Content-Type", "text/html; charset=utf-8");
    fields.add("Set-Cookie", "theme=dark; Path=/");
    fields.add("Session-Set", "name=J%C3%B6rg+M%C3%BCller");
    fields.add("Set-Cookie", "lang=fr; Expires=Wed, 21 Oct 2026 07:28:00 GMT");
    fields.add("Session-Set", "count=3");
    fields.add("Session-Unset", "old");
    fields.add("X-Other", "y");
    fields.add("Session-Set", "expr=a%3Db=c");
    fields.add("Session-Set", "sp%20ace=1");
    applySessionFields(fields, store, state, T0 + 1);

    HeaderMap expected;
    expected.add("Content-Type", "text/html; charset=utf-8");
    expected.add("Set-Cookie", "theme=dark; Path=/");
    expected.add("Set-Cookie", "lang=fr; Expires=Wed, 21 Oct 2026 07:28:00 GMT");
    expected.add("X-Other", "y");
    EXPECT_EQ(describe(expected), describe(fields));

    EXPECT_TRUE(state.modified);
    EXPECT_FALSE(state.destroyed);
    ASSERT_NE(nullptr, store.peek(state.id));
    EXPECT_EQ((std::map<std::string, std::string> {
        { "count", "3" },
        { "expr", "a=b=c" },
        { "keep", "y" },
        { "name", "J\xc3\xb6rg M\xc3\xbcller" },
        { "sp ace", "1" },
    }), store.peek(state.id)->data);
    EXPECT_EQ(expectedCookie(state.id, 1800), cookieOf200(store, state, T0 + 1));
}

TEST(SessionStoreTestFields, LaterSetOfTheSameKeyWins)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    HeaderMap fields;
    fields.add("Session-Set", "k=1");
    fields.add("session-set", "k=2");
    fields.add("SESSION-SET", "k=");
    applySessionFields(fields, store, state, T0);
    EXPECT_EQ(0u, fields.size());
    EXPECT_EQ((std::map<std::string, std::string> { { "k", "" } }), store.peek(state.id)->data);
}

TEST(SessionStoreTestFields, MalformedSetIsIgnoredButStillRemoved)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    cookieOf200(store, state, T0);
    state = attach(store, cookieHeaders("WEBSERV_SID=" + state.id), T0 + 1, kTimeout);
    HeaderMap fields;
    fields.add("Session-Set", "novalue");
    fields.add("Session-Set", "=orphan");
    fields.add("Session-Set", "");
    fields.add("Content-Type", "text/plain");
    applySessionFields(fields, store, state, T0 + 1);
    EXPECT_EQ("Content-Type: text/plain\n", describe(fields));
    EXPECT_FALSE(state.modified);
    EXPECT_TRUE(store.peek(state.id)->data.empty());
    EXPECT_EQ("", cookieOf200(store, state, T0 + 1));
}

TEST(SessionStoreTestFields, UnsetOfAMissingKeyIsNoChange)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    cookieOf200(store, state, T0);
    store.find(state.id, T0, kTimeout)->data["a b"] = "1";
    state = attach(store, cookieHeaders("WEBSERV_SID=" + state.id), T0 + 1, kTimeout);
    HeaderMap fields;
    fields.add("Session-Unset", "missing");
    applySessionFields(fields, store, state, T0 + 1);
    EXPECT_FALSE(state.modified);
    EXPECT_EQ(1u, store.peek(state.id)->data.size());
    // An url-encoded key is decoded.
    fields.add("Session-Unset", "a%20b");
    applySessionFields(fields, store, state, T0 + 2);
    EXPECT_TRUE(state.modified);
    EXPECT_TRUE(store.peek(state.id)->data.empty());
    EXPECT_EQ(0u, fields.size());
}

TEST(SessionStoreTestFields, DestroyEndsTheSession)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    cookieOf200(store, state, T0);
    std::string id = state.id;
    state = attach(store, cookieHeaders("WEBSERV_SID=" + id), T0 + 1, kTimeout);
    HeaderMap fields;
    fields.add("Set-Cookie", "theme=; Max-Age=0");
    fields.add("Session-Destroy", "1");
    fields.add("Content-Type", "text/plain");
    applySessionFields(fields, store, state, T0 + 1);
    EXPECT_EQ("Set-Cookie: theme=; Max-Age=0\nContent-Type: text/plain\n", describe(fields));
    EXPECT_TRUE(state.destroyed);
    EXPECT_EQ("", state.id);
    EXPECT_EQ(nullptr, store.peek(id));
    EXPECT_EQ(0u, store.size());
    EXPECT_EQ(kExpiringCookie, cookieOf200(store, state, T0 + 1));
    // The old cookie now gets a new session.
    SessionState next = attach(store, cookieHeaders("WEBSERV_SID=" + id), T0 + 2, kTimeout);
    EXPECT_TRUE(next.created);
    EXPECT_NE(id, next.id);
}

TEST(SessionStoreTestFields, DestroyOfANewSessionSendsOnlyTheExpiringCookie)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    HeaderMap fields;
    fields.add("Session-Set", "a=1");
    fields.add("Session-Destroy", " 1 ");
    applySessionFields(fields, store, state, T0);
    EXPECT_TRUE(state.destroyed);
    EXPECT_EQ(0u, store.size());
    EXPECT_EQ(kExpiringCookie, cookieOf200(store, state, T0));
}

TEST(SessionStoreTestFields, DestroyWithAnotherValueIsIgnored)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    std::string id = state.id;
    HeaderMap fields;
    fields.add("Session-Destroy", "0");
    fields.add("Session-Destroy", "yes");
    fields.add("Session-Destroy", "");
    applySessionFields(fields, store, state, T0);
    EXPECT_EQ(0u, fields.size());
    EXPECT_FALSE(state.destroyed);
    EXPECT_EQ(id, state.id);
    EXPECT_NE(nullptr, store.peek(id));
}

TEST(SessionStoreTestFields, WithoutASessionTheFieldsAreStillRemoved)
{
    // A location without `session on`: nothing to change, but the fields
    // never reach the client either.
    SessionStore store(10);
    SessionState none;
    HeaderMap fields;
    fields.add("Session-Set", "a=1");
    fields.add("Status-Like", "x");
    fields.add("Session-Unset", "a");
    fields.add("Session-Destroy", "1");
    applySessionFields(fields, store, none, T0);
    EXPECT_EQ("Status-Like: x\n", describe(fields));
    EXPECT_FALSE(none.modified);
    EXPECT_FALSE(none.destroyed);
    EXPECT_EQ(0u, store.size());
    EXPECT_EQ("", cookieOf200(store, none, T0));
}

TEST(SessionStoreTestFields, NoSessionFieldsChangeNothing)
{
    SessionStore store(10);
    SessionState state = attach(store, HeaderMap(), T0, kTimeout);
    HeaderMap fields;
    fields.add("Content-Type", "text/plain");
    fields.add("Set-Cookie", "a=1");
    fields.add("Set-Cookie", "b=2");
    fields.add("Sessions", "not ours");
    fields.add("X-Session-Set", "not ours");
    applySessionFields(fields, store, state, T0);
    EXPECT_EQ("Content-Type: text/plain\nSet-Cookie: a=1\nSet-Cookie: b=2\nSessions: not ours\n"
              "X-Session-Set: not ours\n", describe(fields));
    EXPECT_FALSE(state.modified);
    EXPECT_TRUE(store.peek(state.id)->data.empty());
}
