#ifndef WEBSERV_SESSION_SESSIONBINDING_HPP
#define WEBSERV_SESSION_SESSIONBINDING_HPP

// How a request meets its session: the WEBSERV_SID cookie names it, a
// handler reads and changes it, and the response says what the browser must
// remember (Set-Cookie), per the README's "Sessions" section.

#include <string>

#include "http/HeaderMap.hpp"
#include "session/SessionStore.hpp"

extern const char* const kSessionCookie;   // "WEBSERV_SID"

// A request's view of its session. Handlers find the data by id, so a
// session evicted meanwhile is simply gone, never a dangling pointer.
struct SessionState {
    std::string id;          // "" while the request has no session
    long timeoutMs;
    bool mayCreate;          // the answer may start a session (its location
                             // has sessions, and it is no OPTIONS)
    bool created;            // made for this request
    bool modified;
    bool destroyed;
    bool secure;             // the client came over https: the cookie says Secure

    SessionState();
};

// The live session the request's cookie names, its expiry pushed back, or
// none yet (id ""): a session is only made for an answer that needs one
// (ensureSession, settleSession), so requests that fail create nothing.
// mayCreate is set: the caller clears it for requests that never start one.
SessionState findSession(SessionStore& store, const HeaderMap& requestHeaders, long now,
    long timeoutMs);

// The session found, or one made now (created) if mayCreate allows, before
// the answer is known: a CGI script gets it in its environment.
void ensureSession(SessionStore& store, SessionState& state, long now);

// Once the answer's status is known, what becomes of the session, and the
// Set-Cookie value the response needs ("" for none):
// - an answer below 400 gets a new session if it has none (and mayCreate);
//   its cookie goes out when the session was created or modified, when it
//   was last sent more than half a timeout ago, or as an expiring cookie
//   when the session was destroyed;
// - an error answer (400 and up) starts no session, drops one made for it
//   that nobody changed, and sends a cookie only for a session a script
//   changed or destroyed: a storm of 404s neither fills the store (evicting
//   real visitors) nor hands out cookies.
std::string settleSession(SessionStore& store, SessionState& state, int status, long now);

// The Session-Set / Session-Unset / Session-Destroy fields a CGI script
// answered with: applied to the session and removed from fields, so they
// never reach the client. Session-Set values are "key=value", url-encoded.
void applySessionFields(HeaderMap& fields, SessionStore& store, SessionState& state, long now);

#endif
