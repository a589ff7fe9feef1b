#include "session/SessionBinding.hpp"

#include <map>

#include "http/Cookie.hpp"
#include "util/Strings.hpp"

const char* const kSessionCookie = "WEBSERV_SID";

SessionState::SessionState()
    : timeoutMs(0), mayCreate(false), created(false), modified(false), destroyed(false),
      secure(false)
{
}

namespace {

std::string cookieFor(SessionStore& store, const SessionState& state, long now)
{
    if (state.destroyed)
        return std::string(kSessionCookie) + "=; Path=/; Max-Age=0";
    Session* session = state.id.empty() ? 0 : store.find(state.id, now, state.timeoutMs);
    if (!session)
        return std::string();
    bool stale = session->cookieSentMs == 0 || now - session->cookieSentMs > state.timeoutMs / 2;
    if (!state.created && !state.modified && !stale)
        return std::string();
    session->cookieSentMs = now;
    return std::string(kSessionCookie) + "=" + session->id + "; Path=/; Max-Age="
        + toString(state.timeoutMs / 1000) + "; HttpOnly; SameSite=Lax"
        + (state.secure ? "; Secure" : "");
}

}

SessionState findSession(SessionStore& store, const HeaderMap& requestHeaders, long now,
    long timeoutMs)
{
    SessionState state;
    state.timeoutMs = timeoutMs;
    state.mayCreate = true;
    std::map<std::string, std::string> cookies = parseCookies(requestHeaders);
    std::map<std::string, std::string>::const_iterator cookie = cookies.find(kSessionCookie);
    Session* session = cookie == cookies.end() ? 0 : store.find(cookie->second, now, timeoutMs);
    if (session)
        state.id = session->id;
    return state;
}

void ensureSession(SessionStore& store, SessionState& state, long now)
{
    if (!state.mayCreate || !state.id.empty() || state.destroyed)
        return;
    Session* session = store.create(now, state.timeoutMs);
    if (!session)
        return;
    state.id = session->id;
    state.created = true;
}

std::string settleSession(SessionStore& store, SessionState& state, int status, long now)
{
    bool touched = state.modified || state.destroyed;
    if (status < 400) {
        ensureSession(store, state, now);
        return cookieFor(store, state, now);
    }
    if (touched)
        return cookieFor(store, state, now);
    if (state.created) {
        store.destroy(state.id);
        state.id.clear();
        state.created = false;
    }
    return std::string();
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
