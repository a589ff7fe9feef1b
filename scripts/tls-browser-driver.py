"""Drives Chromium over https for scripts/tls-check.sh: one result line
"check|PASS or FAIL|detail" per check in $RESULTS."""
import json
import os

import devtools
from devtools import CheckFailed, fail, log

HTTPS = os.environ["HTTPS"]
PLAIN = os.environ["PLAIN"]
OUT = os.environ["OUT"]
RESULTS = os.environ["RESULTS"]
SCRIPT = "/cgi-bin/session.py"
COOKIE = "WEBSERV_SID"


class TlsPage(devtools.Page):
    RETRY_WHILE_REPLACED = True

    def __init__(self, ws, out_dir):
        super().__init__(ws, out_dir)
        self.documents = []    # each document response: url, status, protocol, TLS details
        self.redirects = []    # (url, status, Location) of each document redirect

    def on_event(self, method, params):
        if method == "Network.responseReceived" and params.get("type") == "Document":
            r = params.get("response", {})
            self.documents.append({"url": r.get("url"), "status": r.get("status"),
                                   "protocol": r.get("protocol"),
                                   "tls": r.get("securityDetails") or {}})
        elif method == "Network.requestWillBeSent" and params.get("redirectResponse"):
            r = params["redirectResponse"]
            headers = dict((k.lower(), v) for k, v in (r.get("headers") or {}).items())
            self.redirects.append((r.get("url"), r.get("status"), headers.get("location")))

    def navigate(self, url, final=None):
        """Loads url (ending at final, after redirects); its last document."""
        self.js("window.__tlsCheckOld = true")
        mark = len(self.documents)
        self.open_url(url)
        self.wait_for("loading " + url, "!window.__tlsCheckOld && document.readyState === 'complete'"
                      " && location.href === %s" % json.dumps(final or url)
                      + devtools.SESSION_GREETING_SETTLED)
        self.js("1")    # let the response's events arrive
        docs = self.documents[mark:]
        if not docs:
            fail("no document response recorded for " + url)
        return docs[-1]

    def visits(self):
        return self.js("(() => { const v = document.getElementById('visits');"
                       " return v ? Number(v.dataset.visits) : null; })()")

    def sid(self, what):
        found = self.call("Network.getCookies", {"urls": [HTTPS + "/"]})["cookies"]
        cookies = dict((c["name"], c) for c in found)
        if COOKIE not in cookies:
            fail("%s: the browser has no %s cookie (it has %s)" % (what, COOKIE, sorted(cookies)))
        return cookies[COOKIE]


def main():
    page = TlsPage(devtools.connect(int(os.environ["DEVTOOLS_PORT"])), OUT)
    for domain in ("Page", "Runtime", "Log", "Network"):
        page.call(domain + ".enable")
    page.viewport(1280, 900, False)
    results = open(RESULTS, "a")

    def check(name, step):
        try:
            detail = step()
            line = "%s|PASS|%s" % (name, detail)
            log("%s: %s" % (name, detail))
        except CheckFailed as error:
            line = "%s|FAIL|%s" % (name, " ".join(str(error).split()))
            print("FAIL  %s: %s" % (name, error), flush=True)
        results.write(line + "\n")
        results.flush()

    state = {}

    def index():
        doc = page.navigate(HTTPS + "/")
        title = page.js("document.title")
        tls = doc["tls"]
        if doc["status"] != 200 or not title.startswith("webserv"):
            fail("%s/ answered %s with title %r" % (HTTPS, doc["status"], title))
        if tls.get("subjectName") != "localhost":
            fail("the page's certificate is %s, not this run's (CN=localhost)" % tls)
        page.screenshot("browser-index.png")
        return "%s/ %d %r over %s, %s, certificate CN=%s (trusted by its SPKI hash only)" % (
            HTTPS, doc["status"], title, doc["protocol"], tls.get("protocol"), tls.get("subjectName"))

    def cookie():
        doc = page.navigate(HTTPS + SCRIPT)
        got = page.visits()
        c = page.sid("first visit")
        state["sid"] = c["value"]
        state["visits"] = got
        if doc["status"] != 200 or got != 1:
            fail("%s answered %s showing visit %s (want 200, visit 1)" % (SCRIPT, doc["status"], got))
        if not c.get("secure") or not c.get("httpOnly"):
            fail("the %s cookie is %s: want secure and httpOnly" % (COOKIE, c))
        if COOKIE in page.js("document.cookie"):
            fail("document.cookie shows %s: it is not HttpOnly" % COOKIE)
        return "%s=%s...: secure=%s, httpOnly=%s, sameSite=%s (Network.getCookies), visit 1" % (
            COOKIE, c["value"][:8], c["secure"], c["httpOnly"], c.get("sameSite"))

    def again():
        doc = page.navigate(HTTPS + SCRIPT)
        got = page.visits()
        c = page.sid("second visit")
        if doc["status"] != 200 or got != 2 or c["value"] != state.get("sid"):
            fail("second visit: status %s, visit %s, cookie %s... (want 200, visit 2, the same cookie %s...)"
                 % (doc["status"], got, c["value"][:8], (state.get("sid") or "?")[:8]))
        page.screenshot("browser-session.png")
        return "the same session, visit 2"

    def redirect():
        mark = len(page.redirects)
        doc = page.navigate(PLAIN + SCRIPT, HTTPS + SCRIPT)
        got = page.visits()
        hops = page.redirects[mark:]
        if not hops or hops[0][1] != 301 or hops[0][2] != HTTPS + SCRIPT:
            fail("%s was not redirected with 301 to %s: %s" % (PLAIN + SCRIPT, HTTPS + SCRIPT, hops))
        if doc["status"] != 200 or got != 3:
            fail("after the redirect: status %s, visit %s (want 200, visit 3)" % (doc["status"], got))
        return "%s -> 301 -> %s, the session went on (visit 3)" % (PLAIN + SCRIPT, HTTPS + SCRIPT)

    check("browser page", index)
    check("browser cookie", cookie)
    check("browser visits", again)
    check("browser redirect", redirect)
    if page.exceptions:
        results.write("browser errors|FAIL|JavaScript exceptions: %s\n" % "; ".join(page.exceptions))
    results.close()
    page.close_browser()


if __name__ == "__main__":
    devtools.run(main, also_failures=(ValueError, KeyError, TypeError))
