#ifndef WEBSERV_SESSION_SESSIONSTORE_HPP
#define WEBSERV_SESSION_SESSIONSTORE_HPP

// Server-side sessions, in memory: each a small string map with its times,
// named by a 128-bit random ID (32 hex digits from /dev/urandom). Expiry is
// sliding (every use pushes it back); expired sessions are swept a bounded
// number at a time; the store is capped, and beyond the cap the least
// recently used session makes room. Time is always passed in (monotonic
// ms), so tests need no clock and no sleeping.

#include <cstddef>
#include <list>
#include <map>
#include <string>

struct Session {
    std::string id;
    std::map<std::string, std::string> data;
    long createdMs;
    long lastSeenMs;
    long expiresMs;          // lastSeenMs + the timeout of its last use
    long cookieSentMs;       // when its cookie was last (re)sent; 0: never
};

class SessionStore {
public:
    static const size_t kIdHexDigits = 32;

    explicit SessionStore(size_t maxSessions);
    ~SessionStore();

    // The live session called id, its expiry pushed to now + timeoutMs; 0
    // for an unknown, expired or malformed id (never adopted).
    Session* find(const std::string& id, long now, long timeoutMs);
    // A new session with a fresh ID; the least recently used one goes when
    // the store is full.
    Session* create(long now, long timeoutMs);
    // The session called id as it is (no expiry check, no touch), or 0.
    const Session* peek(const std::string& id) const;
    void destroy(const std::string& id);
    // Removes up to budget expired sessions, oldest use first.
    void sweep(long now, size_t budget);

    size_t size() const { return sessions_.size(); }
    void setMaxSessions(size_t maxSessions) { maxSessions_ = maxSessions; }

private:
    SessionStore(const SessionStore&);
    SessionStore& operator=(const SessionStore&);

    typedef std::list<Session> Recency;        // most recently used first
    typedef std::map<std::string, Recency::iterator> Index;

    std::string newId();
    void erase(Index::iterator it);

    size_t maxSessions_;
    Recency recency_;
    Index sessions_;
    int random_;                 // /dev/urandom, kept open
    std::string randomPool_;     // bytes read ahead from it
};

// Whether text has the shape of a session ID (32 lower-case hex digits).
bool isSessionId(const std::string& text);

#endif
