#include "session/SessionStore.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "util/Escape.hpp"

namespace {

const size_t kRandomBatch = 4096;

}

bool isSessionId(const std::string& text)
{
    if (text.size() != SessionStore::kIdHexDigits)
        return false;
    for (size_t i = 0; i < text.size(); ++i)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return false;
    return true;
}

SessionStore::SessionStore(size_t maxSessions)
    : maxSessions_(maxSessions > 0 ? maxSessions : 1),
      random_(open("/dev/urandom", O_RDONLY | O_CLOEXEC))
{
}

SessionStore::~SessionStore()
{
    if (random_ >= 0)
        close(random_);
}

Session* SessionStore::find(const std::string& id, long now, long timeoutMs)
{
    if (!isSessionId(id))
        return 0;
    Index::iterator it = sessions_.find(id);
    if (it == sessions_.end())
        return 0;
    if (it->second->expiresMs <= now) {
        erase(it);
        return 0;
    }
    recency_.splice(recency_.begin(), recency_, it->second);
    Session& session = *it->second;
    session.lastSeenMs = now;
    session.expiresMs = now + timeoutMs;
    return &session;
}

Session* SessionStore::create(long now, long timeoutMs)
{
    while (sessions_.size() >= maxSessions_ && !recency_.empty())
        erase(sessions_.find(recency_.back().id));
    std::string id = newId();
    if (id.empty())
        return 0;
    Session session;
    session.id = id;
    session.createdMs = now;
    session.lastSeenMs = now;
    session.expiresMs = now + timeoutMs;
    session.cookieSentMs = 0;
    recency_.push_front(session);
    sessions_[id] = recency_.begin();
    return &recency_.front();
}

const Session* SessionStore::peek(const std::string& id) const
{
    Index::const_iterator it = sessions_.find(id);
    return it == sessions_.end() ? 0 : &*it->second;
}

void SessionStore::destroy(const std::string& id)
{
    Index::iterator it = sessions_.find(id);
    if (it != sessions_.end())
        erase(it);
}

void SessionStore::sweep(long now, size_t budget)
{
    while (budget-- > 0 && !recency_.empty() && recency_.back().expiresMs <= now)
        erase(sessions_.find(recency_.back().id));
}

void SessionStore::erase(Index::iterator it)
{
    recency_.erase(it->second);
    sessions_.erase(it);
}

// 16 random bytes as 32 hex digits; "" if /dev/urandom cannot be read
// (no session then, rather than a guessable one).
std::string SessionStore::newId()
{
    for (;;) {
        if (randomPool_.size() < kIdHexDigits / 2) {
            char buffer[kRandomBatch];
            ssize_t n = random_ >= 0 ? read(random_, buffer, sizeof buffer) : -1;
            if (n <= 0)
                return std::string();
            randomPool_.append(buffer, static_cast<size_t>(n));
        }
        std::string id;
        for (size_t i = 0; i < kIdHexDigits / 2; ++i)
            appendHexByte(id, static_cast<unsigned char>(randomPool_[i]), LOWER_HEX);
        randomPool_.erase(0, kIdHexDigits / 2);
        if (sessions_.find(id) == sessions_.end())
            return id;
    }
}
