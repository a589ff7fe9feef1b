#ifndef WEBSERV_SESSION_SESSIONBINDING_HPP
#define WEBSERV_SESSION_SESSIONBINDING_HPP

// How a request meets its session: the WEBSERV_SID cookie names it, a
// handler reads and changes it, and the response says what the browser must
// remember (Set-Cookie), per HTTP.md's Sessions section.

#include <string>

#include "http/HeaderMap.hpp"
#include "session/SessionStore.hpp"

extern const char* const kSessionCookie;   // "WEBSERV_SID"

// A request's view of its session. Handlers find the data by id, so a
// session evicted meanwhile is simply gone, never a dangling pointer.
struct SessionState {
    std::string id;          // "" when the request has no session
    long timeoutMs;
    bool created;
    bool modified;
    bool destroyed;

    SessionState();
};

// The live session named by the request's cookie, or a new one.
SessionState attachSession(SessionStore& store, const HeaderMap& requestHeaders, long now,
    long timeoutMs);

// The Set-Cookie value the response needs, or "": the session was created
// or modified, its cookie was last sent more than half a timeout ago, or it
// was destroyed (an expiring cookie).
std::string sessionCookie(SessionStore& store, const SessionState& state, long now);

// The Session-Set / Session-Unset / Session-Destroy fields a CGI script
// answered with: applied to the session and removed from fields, so they
// never reach the client. Session-Set values are "key=value", url-encoded.
void applySessionFields(HeaderMap& fields, SessionStore& store, SessionState& state, long now);

#endif
