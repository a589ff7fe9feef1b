"""Drives the session demo through Chromium's DevTools protocol, for
scripts/browser-session-check.sh, which sets BASE, DEVTOOLS_PORT, OUT and
SESSION_TIMEOUT. Standard library only, with scripts/devtools.py."""
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import devtools
from devtools import CheckFailed, fail, log

BASE = os.environ["BASE"]
DEVTOOLS = int(os.environ["DEVTOOLS_PORT"])
OUT = os.environ["OUT"]
TIMEOUT = int(os.environ["SESSION_TIMEOUT"])
SCRIPT = "/cgi-bin/session.py"
COOKIE = "WEBSERV_SID"
# Non-ASCII (2-, 3- and 4-byte UTF-8) and every HTML special character.
NAME = "Zoë \"Ωmega\" <b>O'Brien</b> & 🍪"
NAME2 = "Ada <i>Lovelace</i> & Ünïcødé"


# --- what went over the wire, from the Network domain's events -----------

class Hop:
    """One HTTP request and its response (a redirect is two hops)."""

    def __init__(self, request_id, method, url, kind, wall_time):
        self.request_id = request_id
        self.wall_time = wall_time      # when Chromium sent it (seconds since the epoch)
        self.method = method
        self.url = url
        self.kind = kind                # Document, Fetch, Stylesheet...
        self.status = None
        self.request_headers = None     # as sent, with Cookie (ExtraInfo)
        self.response_head = None       # the raw status line and fields (ExtraInfo)
        self.response_headers = None

    def cookie_sent(self):
        for name, value in (self.request_headers or {}).items():
            if name.lower() == "cookie":
                return value
        return ""

    def set_cookies(self):
        """The Set-Cookie field values of the response (several are joined
        with newlines by DevTools)."""
        values = []
        for name, value in (self.response_headers or {}).items():
            if name.lower() == "set-cookie":
                values.extend(v for v in value.split("\n") if v)
        return values

    def describe(self):
        lines = ["%s %s" % (self.method, self.url)]
        cookie = self.cookie_sent()
        lines.append("    Cookie: %s" % (cookie or "(none)"))
        if self.response_head:
            lines.extend("    < " + line for line in self.response_head.rstrip("\r\n").split("\r\n"))
        elif self.response_headers is not None:
            lines.append("    < %s" % self.status)
            lines.extend("    < %s: %s" % item for item in self.response_headers.items())
        else:
            lines.append("    < (no response seen, status %s)" % self.status)
        return "\n".join(lines)


class Network:
    def __init__(self):
        self.hops = []
        self.by_id = {}            # requestId -> its hops, in order
        self.extra_requests = {}   # requestId -> request ExtraInfo headers, in order
        self.extra_responses = {}  # requestId -> response ExtraInfo, in order

    def event(self, method, params):
        rid = params.get("requestId")
        if method == "Network.requestWillBeSent":
            hops = self.by_id.setdefault(rid, [])
            redirect = params.get("redirectResponse")
            if redirect and hops:
                hops[-1].status = redirect.get("status")
            request = params.get("request", {})
            hop = Hop(rid, request.get("method"), request.get("url"), params.get("type"),
                      params.get("wallTime") or time.time())
            hops.append(hop)
            self.hops.append(hop)
            self._match(rid)
        elif method == "Network.requestWillBeSentExtraInfo":
            self.extra_requests.setdefault(rid, []).append(params.get("headers", {}))
            self._match(rid)
        elif method == "Network.responseReceived":
            hops = self.by_id.get(rid)
            if hops:
                hops[-1].status = params.get("response", {}).get("status")
        elif method == "Network.responseReceivedExtraInfo":
            self.extra_responses.setdefault(rid, []).append(params)
            self._match(rid)

    def _match(self, rid):
        """The k-th ExtraInfo of a request ID belongs to its k-th hop."""
        hops = self.by_id.get(rid, [])
        for hop, headers in zip(hops, self.extra_requests.get(rid, [])):
            hop.request_headers = headers
        for hop, extra in zip(hops, self.extra_responses.get(rid, [])):
            hop.response_headers = extra.get("headers", {})
            hop.response_head = extra.get("headersText")
            if hop.status is None:
                hop.status = extra.get("statusCode")

    def since(self, mark, path=None, kind=None):
        hops = self.hops[mark:]
        if path is not None:
            hops = [h for h in hops if urllib.parse.urlsplit(h.url).path == path]
        if kind is not None:
            hops = [h for h in hops if h.kind == kind]
        return hops

    def longest_pause(self, mark):
        """The longest time between two requests to webserv since mark, and
        since the last one (each request renews the session)."""
        times = [h.wall_time for h in self.hops[mark:] if h.url.startswith(BASE + "/")]
        times.append(time.time())
        return max([b - a for a, b in zip(times, times[1:])] or [0.0])

    def report(self, hops):
        return "\n".join(h.describe() for h in hops) or "(no requests recorded)"


# --- the DevTools page, with the Network domain's events ------------------

class SessionPage(devtools.Page):
    # Quick polls: the check must not pause long between two requests (each
    # renews the session). Logging in and out replaces the page while
    # wait_for evaluates on it (POST, 303, GET).
    POLL_SECONDS = 0.05
    RETRY_WHILE_REPLACED = True

    def __init__(self, ws, out_dir):
        super().__init__(ws, out_dir)
        self.net = Network()

    def on_event(self, method, params):
        if method.startswith("Network."):
            self.net.event(method, params)

    def settle(self, seconds=0.3):
        """Let pending DevTools events (network ExtraInfo) arrive."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.js("1")
            time.sleep(0.05)

    def mark_document(self):
        """Tag the current document, to tell when a new one replaced it."""
        self.js("window.__sessionCheckOld = true")

    def new_document(self):
        return "!window.__sessionCheckOld && document.readyState === 'complete'"

    def navigate(self, url):
        mark = len(self.net.hops)
        self.mark_document()
        self.open_url(url)
        self.wait_for("loading " + url, self.new_document()
                      + " && location.href === %s" % json.dumps(url)
                      + devtools.SESSION_GREETING_SETTLED)
        return self.status(), mark

    def reload(self):
        mark = len(self.net.hops)
        self.mark_document()
        self.call("Page.reload", {"ignoreCache": False})
        self.wait_for("reloading " + self.js("location.href"), self.new_document()
                      + devtools.SESSION_GREETING_SETTLED)
        return self.status(), mark

    def type_into(self, selector, text):
        """Focus a field, clear it, and type text the way an IME would."""
        found = self.js("(() => { const e = document.querySelector(%s); if (!e) return false;"
                        " e.focus(); e.select(); return document.activeElement === e; })()"
                        % json.dumps(selector))
        if not found:
            fail("no focusable %s on the page\n  page: %s" % (selector, self.describe()))
        self.call("Input.insertText", {"text": text})
        value = self.js("document.querySelector(%s).value" % json.dumps(selector))
        if value != text:
            fail("typed %r into %s but it holds %r" % (text, selector, value))

    def cookies(self):
        """The browser's cookies for the site, by name."""
        try:
            found = self.call("Network.getCookies", {"urls": [BASE + "/"]})["cookies"]
        except CheckFailed:
            found = self.call("Storage.getCookies")["cookies"]
            host = urllib.parse.urlsplit(BASE).hostname
            found = [c for c in found if c.get("domain") == host]
        return dict((c["name"], c) for c in found)


# --- the session page ----------------------------------------------------

def session_state(page):
    """What the session page shows, read from its DOM."""
    return page.js("""(() => {
        const box = document.getElementById('session-box');
        const greeting = document.getElementById('greeting');
        const visits = document.getElementById('visits');
        const nav = document.querySelector('.site-header .session-nav');
        return {
            state: box ? box.dataset.state : null,
            greeting: greeting ? greeting.textContent : null,
            markup: greeting ? greeting.querySelectorAll('*:not(.session-name)').length : null,
            visits: visits ? Number(visits.dataset.visits) : null,
            visitsText: visits ? visits.textContent.replace(/\\s+/g, ' ').trim() : null,
            loginForm: !!document.getElementById('login-form'),
            logoutForm: !!document.getElementById('logout-form'),
            message: (document.getElementById('message') || {}).textContent || '',
            nav: nav ? {state: nav.dataset.state, text: nav.textContent,
                        href: nav.querySelector('a').getAttribute('href')} : null,
            title: document.title,
            path: location.pathname,
        };
    })()""")


def expect_logged_in(page, name, visits, how):
    s = session_state(page)
    want_greeting = "Hello, " + name
    if s["path"] != SCRIPT or s["state"] != "in" or s["greeting"] != want_greeting:
        fail("%s: expected the page to greet %r, it shows %s\n  page: %s"
             % (how, want_greeting, s, page.describe()))
    if s["markup"]:
        fail("%s: the name was rendered as HTML (%d elements inside the greeting)" % (how, s["markup"]))
    if s["loginForm"] or not s["logoutForm"]:
        fail("%s: logged in, the page should have a logout form and no login form: %s" % (how, s))
    if visits is not None and s["visits"] != visits:
        fail("%s: expected visit %d, the page counts %s (%r)" % (how, visits, s["visits"], s["visitsText"]))
    if not s["nav"] or s["nav"]["state"] != "in" or s["nav"]["text"] != want_greeting:
        fail("%s: the header does not greet %r: %s" % (how, want_greeting, s["nav"]))
    return s


def expect_login_form(page, how, visits=None):
    s = session_state(page)
    if s["path"] != SCRIPT or s["state"] != "out" or not s["loginForm"] or s["logoutForm"]:
        fail("%s: expected the login form, the page shows %s\n  page: %s" % (how, s, page.describe()))
    if visits is not None and s["visits"] != visits:
        fail("%s: expected visit %d, the page counts %s (%r)" % (how, visits, s["visits"], s["visitsText"]))
    if not s["nav"] or s["nav"]["state"] != "out" or s["nav"]["text"] != "Log in":
        fail("%s: the header should offer 'Log in': %s" % (how, s["nav"]))
    return s


def session_cookie(page, how):
    cookie = page.cookies().get(COOKIE)
    if not cookie:
        fail("%s: the browser holds no %s cookie (it has %s)\n%s"
             % (how, COOKIE, sorted(page.cookies()), page.net.report(page.net.hops[-4:])))
    return cookie


def log_in(page, name, how):
    mark = len(page.net.hops)
    page.type_into("#name", name)
    page.mark_document()
    page.click("#login-button", "pressing Log in")
    page.wait_for(how, page.new_document() + " && location.pathname === %s" % json.dumps(SCRIPT))
    page.settle()
    hops = page.net.since(mark, SCRIPT, "Document")
    methods = [(h.method, h.status) for h in hops]
    if methods[:2] != [("POST", 303), ("GET", 200)] or len(methods) != 2:
        fail("%s: expected POST %s answered 303, then GET 200; the browser saw %s\n%s"
             % (how, SCRIPT, methods, page.net.report(hops)))
    return hops


def http(path, cookie=None):
    """A request straight to webserv (not through the browser): status,
    Set-Cookie values, body."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(BASE + path)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers.get_all("Set-Cookie") or [], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("Set-Cookie") or [], error.read()


def main():
    page = SessionPage(devtools.connect(DEVTOOLS), OUT)
    for domain in ("Page", "Runtime", "DOM", "Log", "Network"):
        page.call(domain + ".enable")
    page.viewport(1280, 900, False)
    if page.cookies():
        fail("the fresh browser profile already has cookies: %s" % sorted(page.cookies()))

    # 1. A new browser: the login form, visit 1, a session cookie.
    status, mark = page.navigate(BASE + SCRIPT)
    if status != 200:
        fail("GET %s answered %s\n%s" % (SCRIPT, status, page.net.report(page.net.since(mark))))
    expect_login_form(page, "first visit", visits=1)
    sid0 = session_cookie(page, "first visit")["value"]
    if len(sid0) != 32 or any(c not in "0123456789abcdef" for c in sid0):
        fail("the session ID %r is not 128 bits of hex" % sid0)
    log("first visit: the login form, visit 1, and a %s cookie (%s...)" % (COOKIE, sid0[:8]))
    page.screenshot("1-login-form-1280.png")

    # 2.-5. Logged in. Every request renews the session (and, once the
    # cookie is older than half the timeout, the cookie): the check must not
    # pause longer than that between two requests, or it expires mid-way.
    login_mark = mark       # from the first visit on
    try:
        # 2. Log in with a name that needs escaping.
        log_in(page, NAME, "logging in")
        s = expect_logged_in(page, NAME, 2, "after logging in")
        if NAME not in s["title"]:
            fail("the title %r does not name the user" % s["title"])
        if session_cookie(page, "after logging in")["value"] != sid0:
            fail("logging in changed the session ID")
        log("logged in: POST answered 303, the GET after it greets %r exactly (no markup), visit 2" % NAME)

        # 3. Reload: still greeted, one more visit, and the reload is a GET.
        status, mark = page.reload()
        page.settle()
        hops = page.net.since(mark, SCRIPT, "Document")
        if status != 200 or [h.method for h in hops] != ["GET"]:
            fail("the reload should be one GET %s answered 200; the browser saw %s\n%s"
                 % (SCRIPT, [(h.method, h.status) for h in hops], page.net.report(hops)))
        if sid0 not in hops[0].cookie_sent():
            fail("the reload did not send the session cookie\n%s" % page.net.report(hops))
        expect_logged_in(page, NAME, 3, "after a reload")
        log("reload: one GET with the cookie, still greeted, visit 3")

        # 4. Every demo page greets the user in its header (session.js).
        pages_to_check = ["/index.html", "/static.html", "/upload.html", "/files.html", "/cgi.html",
                          "/errors/404.html", "/errors/50x.html", "/no-such-page-for-the-session-check"]
        for path in pages_to_check:
            status, mark = page.navigate(BASE + path)
            want = 404 if path.startswith("/no-such") else 200
            if status != want:
                fail("GET %s answered %s, expected %d" % (path, status, want))
            nav = page.wait_for("the header greeting on " + path, """(() => {
                const li = document.querySelector('.site-header .session-nav');
                return li && {state: li.dataset.state, text: li.textContent,
                              href: li.querySelector('a').getAttribute('href'),
                              markup: li.querySelectorAll('a *:not(.session-name)').length};
            })()""")
            if nav != {"state": "in", "text": "Hello, " + NAME, "href": SCRIPT, "markup": 0}:
                fail("%s: the header shows %s, expected 'Hello, %s' linking to %s"
                     % (path, nav, NAME, SCRIPT))
            if path == "/index.html":
                page.both_widths("index.html greeting the user", "4-index-greeting")
                links = page.js("Array.from(document.querySelectorAll('main a')).map(a => a.getAttribute('href'))")
                if SCRIPT not in links:
                    fail("index.html does not link %s from its content" % SCRIPT)
            if path == "/cgi.html":
                page.screenshot("4-cgi-greeting-1280.png")
                links = page.js("Array.from(document.querySelectorAll('main a')).map(a => a.getAttribute('href'))")
                if SCRIPT not in links:
                    fail("cgi.html does not link %s" % SCRIPT)
        log("the header of %d pages greets %r with a link to %s (index.html and cgi.html link the demo)"
            % (len(pages_to_check), NAME, SCRIPT))

        # The JSON those pages read.
        answer = page.js("""fetch(%s, {cache: 'no-store'}).then(r => r.text().then(t =>
            ({status: r.status, type: r.headers.get('Content-Type'), text: t})))"""
                         % json.dumps(SCRIPT + "?format=json"))
        try:
            data = json.loads(answer["text"])
        except ValueError:
            fail("%s?format=json is not JSON: %s" % (SCRIPT, answer))
        if (answer["status"] != 200 or not (answer["type"] or "").startswith("application/json")
                or data != {"name": NAME, "visits": 3}):
            fail("%s?format=json answered %s, expected 200 application/json {name: %r, visits: 3}"
                 % (SCRIPT, answer, NAME))
        log("%s?format=json: %s (application/json); the pages' requests counted no visit" % (SCRIPT, answer["text"]))

        # 5. The cookie as the browser keeps it.
        cookie = session_cookie(page, "the cookie")
        now = time.time()
        want = {"value": sid0, "path": "/", "httpOnly": True, "sameSite": "Lax", "session": False}
        got = dict((k, cookie.get(k)) for k in want)
        if got != want:
            fail("the %s cookie is %s, expected %s" % (COOKIE, cookie, want))
        if not now < cookie["expires"] <= now + TIMEOUT + 2:
            fail("the %s cookie expires in %.1f s, expected within session_timeout (%d s)"
                 % (COOKIE, cookie["expires"] - now, TIMEOUT))
        if COOKIE in page.js("document.cookie"):
            fail("document.cookie shows %s: it is not HttpOnly" % COOKIE)
        leaked = [h for h in page.net.hops if any(n.lower().startswith("session-")
                                                   for n in (h.response_headers or {}))]
        if leaked:
            fail("Session-* fields reached the browser:\n%s" % page.net.report(leaked))
        log("cookie: %s=%s..., Path=/, HttpOnly (not in document.cookie), SameSite=Lax, expires in %.1f s;"
            " no Session-* field in any of %d responses"
            % (COOKIE, sid0[:8], cookie["expires"] - now, len(page.net.hops)))

        # Back to the demo: the visits the other pages made were not counted.
        page.navigate(BASE + SCRIPT)
        expect_logged_in(page, NAME, 4, "back on the session page")
        log("back on the session page: visit 4")
        page.both_widths("the session page, logged in", "5-logged-in")
    except CheckFailed as error:
        pause = page.net.longest_pause(login_mark)
        if pause > TIMEOUT / 2.0:
            fail("%s\n(this check paused %.1f s between two requests, more than half of the %d s"
                 " session_timeout, so the session may have expired on the way: on a slow machine"
                 " run it with a larger SESSION_TIMEOUT)" % (error, pause, TIMEOUT))
        raise
    log("longest pause between two requests while logged in: %.1f s (session_timeout %d s)"
        % (page.net.longest_pause(login_mark), TIMEOUT))
    last_request = time.monotonic()

    # 6. Server-side expiry: no request for longer than session_timeout.
    wait = TIMEOUT + 1.5
    time.sleep(max(0.0, last_request + wait - time.monotonic()))
    left = page.cookies().get(COOKIE)
    if left:
        fail("%.1f s after the last request the browser still holds %s (expires in %.1f s):"
             " Max-Age is not the session timeout" % (wait, left, left["expires"] - time.time()))
    log("after %.1f s without a request the browser dropped the cookie (Max-Age=%d)" % (wait, TIMEOUT))
    # A browser whose cookie outlived the server's session (a longer cookie
    # lifetime, a restored profile) sends the old ID: put it back.
    page.call("Network.setCookie", {"name": COOKIE, "value": sid0, "url": BASE + "/", "path": "/",
                                    "httpOnly": True, "sameSite": "Lax"})
    status, mark = page.reload()
    page.settle()
    hops = page.net.since(mark, SCRIPT, "Document")
    if not hops or "%s=%s" % (COOKIE, sid0) not in hops[0].cookie_sent():
        fail("the reload after expiry did not send the old cookie back\n%s" % page.net.report(hops))
    try:
        expect_login_form(page, "reload after the session expired", visits=1)
    except CheckFailed as error:
        fail("%s\nthe exchange:\n%s" % (error, page.net.report(hops)))
    sid1 = session_cookie(page, "after expiry")["value"]
    if sid1 == sid0:
        fail("after expiry the server kept the old session ID %s\n%s" % (sid0, page.net.report(hops)))
    if not any(c.startswith("%s=%s;" % (COOKIE, sid1)) for c in hops[0].set_cookies()):
        fail("the reload after expiry was not answered with Set-Cookie %s=%s...\n%s"
             % (COOKIE, sid1[:8], page.net.report(hops)))
    log("after expiry: the old ID sent back was refused; the login form, visit 1, and a new"
        " %s (%s... -> %s...)" % (COOKIE, sid0[:8], sid1[:8]))
    page.screenshot("6-expired-1280.png")

    # 7. Log in again, then out.
    log_in(page, NAME2, "logging in again")
    expect_logged_in(page, NAME2, 2, "logged in again")
    if session_cookie(page, "logged in again")["value"] != sid1:
        fail("logging in again changed the session ID")
    log("logged in again as %r: visit 2 of the new session" % NAME2)
    mark = len(page.net.hops)
    page.mark_document()
    page.click("#logout-button", "pressing Log out")
    page.wait_for("logging out", page.new_document() + " && location.pathname === %s" % json.dumps(SCRIPT))
    page.settle()
    hops = page.net.since(mark, SCRIPT, "Document")
    if [(h.method, h.status) for h in hops] != [("POST", 303), ("GET", 200)]:
        fail("logging out: expected POST answered 303 then GET 200; the browser saw %s\n%s"
             % ([(h.method, h.status) for h in hops], page.net.report(hops)))
    expiring = [c for c in hops[0].set_cookies() if c.replace(" ", "").startswith(COOKIE + "=;")]
    if not expiring or "max-age=0" not in expiring[0].lower().replace(" ", ""):
        fail("the logout answer did not expire the cookie (Set-Cookie %s=; Max-Age=0)\n%s"
             % (COOKIE, page.net.report(hops)))
    s = expect_login_form(page, "after logging out")
    if "logged out" not in s["message"]:
        fail("after logging out the page does not say so: %r" % s["message"])
    if COOKIE in page.cookies():
        fail("after logging out the browser still holds %s\n%s"
             % (page.cookies()[COOKIE], page.net.report(hops)))
    status, set_cookies, body = http(SCRIPT + "?format=json", "%s=%s" % (COOKIE, sid1))
    data = json.loads(body.decode("utf-8"))
    if status != 200 or data.get("name") is not None or not any(
            c.startswith(COOKIE + "=") and not c.startswith("%s=%s;" % (COOKIE, sid1)) for c in set_cookies):
        fail("after logout the server still knows session %s...: GET %s?format=json with it answered"
             " %s, Set-Cookie %s, %s" % (sid1[:8], SCRIPT, status, set_cookies, data))
    log("logged out: POST answered 303 with Set-Cookie %r; the browser has no %s; the page shows the"
        " login form; the server destroyed the session" % (expiring[0], COOKIE))
    page.both_widths("the session page, logged out", "7-logged-out")

    # 8. The other pages now offer "Log in".
    page.navigate(BASE + "/index.html")
    nav = page.wait_for("the header after logout", """(() => {
        const li = document.querySelector('.site-header .session-nav');
        return li && {state: li.dataset.state, text: li.textContent};
    })()""")
    if nav != {"state": "out", "text": "Log in"}:
        fail("after logout index.html's header shows %s, expected 'Log in'" % nav)
    log("index.html after logout: the header offers 'Log in'")

    if page.exceptions:
        fail("JavaScript exceptions on the pages: %s" % page.exceptions)
    # Expected: the 404 of the missing page in step 4.
    unexpected = [e for e in page.console_errors if "no-such-page-for-the-session-check" not in e]
    if unexpected:
        fail("errors in the browser console: %s" % unexpected)
    log("no JavaScript exceptions, no unexpected console errors")
    page.close_browser()


if __name__ == "__main__":
    devtools.run(main, also_failures=(ValueError, KeyError, TypeError))
