#!/usr/bin/env bash
# Drives the cookie-session demo (cgi-bin/session.py and the header greeting
# of every page, www/assets/session.js) in a real headless Chromium (Debian's
# `chromium`) against a freshly built ./webserv, and fails loudly when a step
# does not hold:
#   - a new browser gets the login form and a WEBSERV_SID cookie;
#   - logging in with a name full of non-ASCII and HTML characters greets
#     exactly that name (escaped: no markup of it is rendered), the POST is
#     answered with 303 and the page after it is a GET; a reload is still
#     greeted and counts one more visit;
#   - every demo page greets the user in its header (session.js), and the
#     JSON those pages read counts no visit;
#   - the cookie in the browser: WEBSERV_SID, HttpOnly (invisible to
#     document.cookie), SameSite=Lax, Path=/, expiring after session_timeout;
#     no Session-* field ever reaches the browser;
#   - after session_timeout without requests (a short one here), the browser
#     has dropped its cookie; given the old ID back, the server does not take
#     it: the reload shows the login form and a new WEBSERV_SID;
#   - logging in again then out: the cookie is expired and gone, the session
#     is destroyed on the server too, the page shows the login form, and the
#     other pages offer "Log in";
#   - no JavaScript errors; no horizontal scrolling at 1280px and 400px wide.
# The server runs on a free loopback port, from the repository root, with a
# copy of conf/default.conf whose /cgi-bin/ session_timeout is short. It only
# gets GET requests and the session page's form posts: nothing on disk
# changes. Chromium is driven through its DevTools protocol by a small Python
# script (standard library only, with its own minimal WebSocket client).
#
#   apt-get install -y chromium          # once
#   scripts/browser-session-check.sh     # screenshots and logs land in $OUT
#
# Environment: OUT (default /tmp/webserv-session-check), CHROMIUM (browser
# binary), SESSION_TIMEOUT (seconds, default 3), NO_BUILD=1 uses the
# existing ./webserv without running make.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-/tmp/webserv-session-check}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
PYTHON=/usr/bin/python3
SESSION_TIMEOUT=${SESSION_TIMEOUT:-3}

die() { echo "browser-session-check: FAIL: $*" >&2; exit 1; }

[ -n "$CHROMIUM" ] || die "chromium not found (apt-get update && apt-get install -y chromium)"
[ -x "$PYTHON" ] || die "$PYTHON not found"
case $SESSION_TIMEOUT in
    [1-9] | [1-9][0-9]) ;;
    *) die "SESSION_TIMEOUT must be a number of seconds from 1 to 99, not '$SESSION_TIMEOUT'" ;;
esac
for file in cgi-bin/session.py www/assets/session.js www/index.html; do
    [ -f "$file" ] || die "$file is missing"
done

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.log "$OUT"/webserv.conf
WORK=$(mktemp -d /tmp/webserv-session-check.work.XXXXXX)
SERVER_PID=
CHROME_PID=
CHROME_GROUP=
DRIVER_PID=
START=$(date +%s)

stop_pid() { # pid [process-group]: TERM, wait up to 5 s, then KILL
    local pid=$1 group=${2:-}
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    if [ -n "$group" ]; then kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    else kill -TERM "$pid" 2>/dev/null || true; fi
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "browser-session-check: pid $pid did not stop on TERM, killing it" >&2
        if [ -n "$group" ]; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        else kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_pid "$DRIVER_PID"
    stop_pid "$CHROME_PID" "$CHROME_GROUP"
    # Chromium's helpers are in its process group; give them a moment to go.
    if [ -n "$CHROME_PID" ] && [ -n "$CHROME_GROUP" ]; then
        for _ in $(seq 30); do kill -0 -- "-$CHROME_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$CHROME_PID" 2>/dev/null || true
    fi
    stop_pid "$SERVER_PID"
    rm -rf "$WORK"
    local elapsed=$(( $(date +%s) - START ))
    if [ "$status" -eq 0 ]; then
        echo "browser-session-check: PASS in ${elapsed}s; screenshots and logs in $OUT"
    else
        echo "browser-session-check: FAILED (exit $status) after ${elapsed}s; screenshots and logs in $OUT" >&2
        if [ -s "$OUT/webserv.error.log" ]; then
            echo "--- last lines of $OUT/webserv.error.log:" >&2
            tail -n 15 "$OUT/webserv.error.log" >&2
        fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "browser-session-check: output in $OUT"

# --- build ---------------------------------------------------------------
if [ "${NO_BUILD:-0}" != 1 ]; then
    timeout 600 make -s webserv || die "make -s webserv failed"
fi
[ -x ./webserv ] || die "./webserv was not built"

# --- the configuration: default.conf on a free port, short sessions -------
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)
CONF=$WORK/webserv.conf
cp conf/mime.types "$WORK/mime.types"     # `include mime.types;` is relative to the copy
sed -E \
    -e "s|^([[:space:]]*)listen[[:space:]]+8080[[:space:]]+default_server;|\\1listen 127.0.0.1:$PORT default_server;|" \
    -e "s|^([[:space:]]*)session_timeout[[:space:]]+[0-9a-z]+;|\\1session_timeout ${SESSION_TIMEOUT}s;|" \
    conf/default.conf > "$CONF"
cp "$CONF" "$OUT/webserv.conf"
grep -Eq "^[[:space:]]*listen 127\.0\.0\.1:$PORT default_server;" "$CONF" \
    || die "could not rewrite 'listen 8080 default_server;' in conf/default.conf (see $OUT/webserv.conf)"
# Exactly one session_timeout, the one of location /cgi-bin/, now short.
"$PYTHON" - "$CONF" "$SESSION_TIMEOUT" <<'PY' || die "conf/default.conf: expected 'session on;' and one 'session_timeout' in location /cgi-bin/ (see $OUT/webserv.conf)"
import re, sys
text = open(sys.argv[1]).read()
block = re.search(r"location\s+/cgi-bin/\s*\{([^}]*)\}", text)
ok = (block and re.search(r"^\s*session\s+on;", block.group(1), re.M)
      and re.findall(r"^\s*session_timeout\s+(\S+);", text, re.M) == [sys.argv[2] + "s"]
      and re.search(r"^\s*session_timeout\s+" + sys.argv[2] + "s;", block.group(1), re.M))
sys.exit(0 if ok else 1)
PY
./webserv -t "$CONF" > "$OUT/webserv-t.log" 2>&1 \
    || die "./webserv -t rejects the copied configuration: $(cat "$OUT/webserv-t.log")"

# --- start the server (from the repository root: root www, root .) -------
./webserv "$CONF" > "$OUT/webserv.access.log" 2> "$OUT/webserv.error.log" &
SERVER_PID=$!
BASE=http://127.0.0.1:$PORT
ready=0
for _ in $(seq 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || die "webserv exited at startup: $(cat "$OUT/webserv.error.log")"
    if (exec 3<> "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then ready=1; break; fi
    sleep 0.1
done
[ "$ready" = 1 ] || die "webserv does not accept connections on port $PORT after 10 s"
echo "browser-session-check: webserv (pid $SERVER_PID) on $BASE, session_timeout ${SESSION_TIMEOUT}s in /cgi-bin/"

# --- start Chromium with the DevTools protocol on a free port -------------
PROFILE=$WORK/chromium-profile
mkdir -p "$PROFILE"
# setsid: Chromium and its helper processes get their own process group,
# which cleanup stops by Chromium's PID.
setsid "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --no-default-browser-check \
    --no-proxy-server --disable-extensions --mute-audio --hide-scrollbars \
    --user-data-dir="$PROFILE" --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 \
    --window-size=1280,900 about:blank > "$OUT/chromium.log" 2>&1 &
CHROME_PID=$!
# Stop the whole group only if setsid made Chromium its leader (it does when
# started from a script: it then execs in place, keeping this PID).
sleep 0.2
if [ "$(ps -o pgid= -p "$CHROME_PID" 2>/dev/null | tr -d ' ')" = "$CHROME_PID" ]; then CHROME_GROUP=group; fi
DEVTOOLS_PORT=
for _ in $(seq 300); do
    kill -0 "$CHROME_PID" 2>/dev/null || die "chromium exited at startup: $(tail -n 20 "$OUT/chromium.log")"
    if [ -s "$PROFILE/DevToolsActivePort" ]; then
        DEVTOOLS_PORT=$(head -n 1 "$PROFILE/DevToolsActivePort")
        [ -n "$DEVTOOLS_PORT" ] && break
    fi
    sleep 0.1
done
[ -n "$DEVTOOLS_PORT" ] || die "chromium did not open its DevTools port within 30 s (see $OUT/chromium.log)"
echo "browser-session-check: chromium (pid $CHROME_PID) DevTools on 127.0.0.1:$DEVTOOLS_PORT"

# --- drive the pages -----------------------------------------------------
DRIVER=$WORK/driver.py
cat > "$DRIVER" <<'PY'
"""Drives the session demo through Chromium's DevTools protocol. Standard
library only: the WebSocket client is below."""
import base64
import hashlib
import json
import os
import socket
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["BASE"]
DEVTOOLS = int(os.environ["DEVTOOLS_PORT"])
OUT = os.environ["OUT"]
TIMEOUT = int(os.environ["SESSION_TIMEOUT"])
SCRIPT = "/cgi-bin/session.py"
STEP_TIMEOUT = 20.0
COOKIE = "WEBSERV_SID"
# Non-ASCII (2-, 3- and 4-byte UTF-8) and every HTML special character.
NAME = "Zoë \"Ωmega\" <b>O'Brien</b> & 🍪"
NAME2 = "Ada <i>Lovelace</i> & Ünïcødé"


class CheckFailed(Exception):
    pass


def log(message):
    print("ok    " + message, flush=True)


def fail(message):
    raise CheckFailed(message)


# --- a minimal WebSocket client (RFC 6455): text frames, masking, ping ----

class WebSocket:
    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, url, timeout=10.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws":
            fail("unsupported WebSocket URL " + url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + ("?" + parts.query if parts.query else "")
        request = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n" % (path, parts.hostname, parts.port, key))
        self.sock.sendall(request.encode())
        self.buffer = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buffer:
            self._fill(deadline)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if " 101 " not in lines[0] + " ":
            fail("WebSocket handshake refused: " + lines[0])
        headers = dict((k.strip().lower(), v.strip()) for k, v in
                       (line.split(":", 1) for line in lines[1:] if ":" in line))
        expected = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            fail("WebSocket handshake: bad Sec-WebSocket-Accept")

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("WebSocket read timed out")
        self.sock.settimeout(remaining)
        data = self.sock.recv(65536)
        if not data:
            fail("the DevTools connection was closed by Chromium")
        self.buffer += data

    def _read(self, n, deadline):
        while len(self.buffer) < n:
            self._fill(deadline)
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self, deadline):
        """The next whole text message, answering pings on the way."""
        message = b""
        while True:
            b0, b1 = self._read(2, deadline)
            opcode, length = b0 & 0x0F, b1 & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2, deadline))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8, deadline))[0]
            mask = self._read(4, deadline) if b1 & 0x80 else None
            payload = self._read(length, deadline)
            if mask:
                payload = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
            if opcode == 0x8:
                fail("Chromium closed the DevTools WebSocket")
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            message += payload
            if b0 & 0x80:
                return message.decode("utf-8")

    def close(self):
        try:
            self._send_frame(0x8, b"")
            self.sock.close()
        except OSError:
            pass


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


# --- DevTools protocol --------------------------------------------------

class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.exceptions = []
        self.console_errors = []
        self.net = Network()

    def _event(self, message):
        method = message.get("method", "")
        params = message.get("params", {})
        if method.startswith("Network."):
            self.net.event(method, params)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            self.exceptions.append("%s (%s:%s)" % (text, details.get("url", "?"),
                                                     details.get("lineNumber", "?")))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                self.console_errors.append("%s %s" % (entry.get("text", ""), entry.get("url", "")))

    def call(self, method, params=None, timeout=STEP_TIMEOUT):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = json.loads(self.ws.recv(deadline))
            except socket.timeout:
                fail("%s: no answer from Chromium within %.0f s" % (method, timeout))
            if message.get("id") == my_id:
                if "error" in message:
                    fail("%s failed: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                self._event(message)

    def js(self, expression, timeout=STEP_TIMEOUT):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            fail("JavaScript failed: %s\n  in: %s" % (
                details.get("exception", {}).get("description") or details.get("text"), expression))
        return result.get("result", {}).get("value")

    def wait_for(self, what, expression, timeout=STEP_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.js(expression)
            except CheckFailed:
                value = None     # the page is being replaced: try again
            if value:
                return value
            time.sleep(0.05)
        fail("%s: still not true after %.0f s: %s\n  page: %s" % (
            what, timeout, expression, self.describe()))

    def settle(self, seconds=0.3):
        """Let pending DevTools events (network ExtraInfo) arrive."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.js("1")
            time.sleep(0.05)

    def describe(self):
        try:
            return self.js("location.href + ' | ' + document.title + ' | body: ' + "
                           "(document.body ? document.body.innerText.slice(0, 300).replace(/\\s+/g, ' ') : '-')",
                           timeout=5)
        except CheckFailed as error:
            return "(cannot describe the page: %s)" % error

    def mark_document(self):
        """Tag the current document, to tell when a new one replaced it."""
        self.js("window.__sessionCheckOld = true")

    def new_document(self):
        return "!window.__sessionCheckOld && document.readyState === 'complete'"

    def navigate(self, url):
        mark = len(self.net.hops)
        self.mark_document()
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            fail("navigating to %s: %s" % (url, result["errorText"]))
        # Loaded, and the header's session greeting (session.js) in place: a
        # click aimed before it appears could land where the layout moved.
        self.wait_for("loading " + url, self.new_document()
                      + " && location.href === %s" % json.dumps(url)
                      + """ && (!document.querySelector('script[src="/assets/session.js"]') || document.documentElement.getAttribute('data-session') === 'settled')""")
        return self.status(), mark

    def reload(self):
        mark = len(self.net.hops)
        self.mark_document()
        self.call("Page.reload", {"ignoreCache": False})
        self.wait_for("reloading " + self.js("location.href"), self.new_document()
                      + """ && (!document.querySelector('script[src="/assets/session.js"]') || document.documentElement.getAttribute('data-session') === 'settled')""")
        return self.status(), mark

    def status(self):
        return self.js("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0")

    def viewport(self, width, height, mobile):
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def no_horizontal_scroll(self, what, width):
        widths = self.js("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > width or widths[1] > width:
            wide = self.js("""Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > %d + 0.5)
                .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') +
                    (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')).join(', ')""" % width)
            fail("%s scrolls sideways: content is %dpx wide (window %dpx) in a %dpx viewport (too wide: %s)"
                 % (what, widths[0], widths[1], width, wide))

    def screenshot(self, name):
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        width = self.js("window.innerWidth")
        height = min(int(size["height"]) + 1, 6000)
        data = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, timeout=30)["data"]
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        log("screenshot %s (%dx%d)" % (path, width, height))

    def both_widths(self, what, name):
        """Screenshots at 1280px and 400px, and no sideways scrolling."""
        self.no_horizontal_scroll(what + " at 1280px", 1280)
        self.screenshot(name + "-1280.png")
        self.viewport(400, 860, True)
        self.no_horizontal_scroll(what + " at 400px", 400)
        self.screenshot(name + "-400.png")
        self.viewport(1280, 900, False)

    def click(self, selector, what):
        """A real mouse click in the middle of the element."""
        box = self.js("""(() => {
            const e = document.querySelector(%s);
            if (!e) return null;
            e.scrollIntoView({block: 'center', inline: 'center'});
            const r = e.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            const top = document.elementFromPoint(x, y);
            return {x, y, w: r.width, h: r.height, disabled: !!e.disabled,
                    hit: !!top && (top === e || e.contains(top))};
        })()""" % json.dumps(selector))
        if not box:
            fail("%s: no element matches %s\n  page: %s" % (what, selector, self.describe()))
        if box["w"] <= 0 or box["h"] <= 0 or not box["hit"]:
            fail("%s: %s is not visible or is covered by another element" % (what, selector))
        if box["disabled"]:
            fail("%s: %s is disabled" % (what, selector))
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"],
                                                   "button": "left", "clickCount": 1})

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
    targets = json.load(urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
        "http://127.0.0.1:%d/json/list" % DEVTOOLS, timeout=10))
    pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
    if not pages:
        fail("Chromium has no page target: %s" % targets)
    ws = WebSocket(pages[0]["webSocketDebuggerUrl"])
    page = Page(ws)
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
    try:
        page.call("Browser.close", timeout=5)
    except CheckFailed:
        pass
    ws.close()


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as error:
        print("FAIL  %s" % error, file=sys.stderr, flush=True)
        sys.exit(1)
    except (OSError, socket.timeout, ValueError, KeyError, TypeError) as error:
        print("FAIL  talking to Chromium or webserv: %r" % error, file=sys.stderr, flush=True)
        sys.exit(1)
PY

# In the background, so that a signal to this script runs cleanup at once.
BASE=$BASE DEVTOOLS_PORT=$DEVTOOLS_PORT OUT=$OUT SESSION_TIMEOUT=$SESSION_TIMEOUT \
    timeout 240 "$PYTHON" "$DRIVER" &
DRIVER_PID=$!
driver_status=0
wait "$DRIVER_PID" || driver_status=$?
DRIVER_PID=
case $driver_status in
    0) ;;
    124) die "the browser session took longer than 240 s" ;;
    *) die "a browser step failed (see above)" ;;
esac

kill -0 "$SERVER_PID" 2>/dev/null || die "webserv is no longer running after the session"
echo "ok    webserv still running"
