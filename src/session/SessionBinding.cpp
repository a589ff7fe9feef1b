#include "session/SessionBinding.hpp"

#include <map>

#include "http/Cookie.hpp"
#include "util/Strings.hpp"

const char* const kSessionCookie = "WEBSERV_SID";

SessionState::SessionState()
    : timeoutMs(0), created(false), modified(false), destroyed(false)
{
}

SessionState attachSession(SessionStore& store, const HeaderMap& requestHeaders, long now,
    long timeoutMs)
{
    SessionState state;
    state.timeoutMs = timeoutMs;
    std::map<std::string, std::string> cookies = parseCookies(requestHeaders);
    std::map<std::string, std::string>::const_iterator cookie = cookies.find(kSessionCookie);
    Session* session = cookie == cookies.end() ? 0 : store.find(cookie->second, now, timeoutMs);
    if (!session) {
        session = store.create(now, timeoutMs);
        state.created = session != 0;
    }
    if (session)
        state.id = session->id;
    return state;
}

std::string sessionCookie(SessionStore& store, const SessionState& state, long now)
{
    if (state.destroyed)
        return std::string(kSessionCookie) + "=; Path=/; Max-Age=0";
    if (state.id.empty())
        return std::string();
    Session* session = store.find(state.id, now, state.timeoutMs);
    if (!session)
        return std::string();
    bool stale = session->cookieSentMs == 0 || now - session->cookieSentMs > state.timeoutMs / 2;
    if (!state.created && !state.modified && !stale)
        return std::string();
    session->cookieSentMs = now;
    return std::string(kSessionCookie) + "=" + session->id + "; Path=/; Max-Age="
        + toString(state.timeoutMs / 1000) + "; HttpOnly; SameSite=Lax";
}

void applySessionFields(HeaderMap& fields, SessionStore& store, SessionState& state, long now)
{
    Session* session = state.id.empty() ? 0 : store.find(state.id, now, state.timeoutMs);
    for (size_t i = 0; i < fields.size(); ++i) {
        const std::string& name = fields.at(i).first;
        const std::string& value = fields.at(i).second;
        if (!session)
            continue;
        if (iequals(name, "Session-Set")) {
            std::string::size_type eq = value.find('=');
            std::string key = formDecodeComponent(trimOws(value.substr(0, eq)));
            if (eq != std::string::npos && !key.empty()) {
                session->data[key] = formDecodeComponent(value.substr(eq + 1));
                state.modified = true;
            }
        } else if (iequals(name, "Session-Unset")) {
            state.modified = session->data.erase(formDecodeComponent(trimOws(value))) > 0
                || state.modified;
        } else if (iequals(name, "Session-Destroy") && trimOws(value) == "1") {
            store.destroy(state.id);
            state.id.clear();
            state.destroyed = true;
            session = 0;
        }
    }
    fields.remove("Session-Set");
    fields.remove("Session-Unset");
    fields.remove("Session-Destroy");
}
