#!/usr/bin/env bash
# Uploads and deletes files through the demo site's pages in a real headless
# Chromium (Debian's `chromium`) against a freshly built ./webserv, and fails
# loudly when a step does not hold:
#   - upload.html: the plain form is a POST multipart/form-data form to
#     /uploads/ with <input type=file name=file multiple>; two files chosen
#     in it and sent with its Upload button are stored (the page stays put,
#     lists both with links, and the bytes on disk are the bytes sent); the
#     same name again is stored under a new name and the page says "saved as";
#     with JavaScript off, the same form still uploads (the server's 201 page).
#   - files.html: lists every stored file with its size; a download link
#     gives back the same bytes; the Delete button (confirm dialog accepted)
#     removes the file from the list and from disk; deleting a file that is
#     already gone shows a 404 error; deleting the rest shows the empty state.
#   - no JavaScript errors; no horizontal scrolling at 1280px and 400px wide.
# The server runs on a free loopback port with a copy of conf/default.conf
# whose root and upload_store point at a temporary copy of www/, so the
# repository's www/uploads is never touched. Chromium is driven through its
# DevTools protocol by a small Python script (standard library only, with
# its own minimal WebSocket client).
#
#   apt-get install -y chromium          # once
#   scripts/browser-upload-check.sh      # screenshots and logs land in $OUT
#
# Environment: OUT (default /tmp/webserv-upload-check), CHROMIUM (browser
# binary), KEEP=1 keeps the temporary site copy for inspection, NO_BUILD=1
# uses the existing ./webserv without running make.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-/tmp/webserv-upload-check}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
PYTHON=/usr/bin/python3

die() { echo "browser-upload-check: FAIL: $*" >&2; exit 1; }

[ -n "$CHROMIUM" ] || die "chromium not found (apt-get update && apt-get install -y chromium)"
[ -x "$PYTHON" ] || die "$PYTHON not found"
for page in upload.html files.html; do
    [ -f "www/$page" ] || die "www/$page is missing"
done

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.log "$OUT"/webserv.conf
WORK=$(mktemp -d /tmp/webserv-upload-check.work.XXXXXX)
SERVER_PID=
CHROME_PID=
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
        echo "browser-upload-check: pid $pid did not stop on TERM, killing it" >&2
        if [ -n "$group" ]; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        else kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_pid "$DRIVER_PID"
    stop_pid "$CHROME_PID" "${CHROME_GROUP:-}"
    # Chromium's helpers are in its process group; give them a moment to go.
    if [ -n "$CHROME_PID" ] && [ -n "${CHROME_GROUP:-}" ]; then
        for _ in $(seq 30); do kill -0 -- "-$CHROME_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$CHROME_PID" 2>/dev/null || true
    fi
    stop_pid "$SERVER_PID"
    if [ "${KEEP:-0}" = 1 ]; then
        echo "browser-upload-check: kept the temporary site in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    local elapsed=$(( $(date +%s) - START ))
    if [ "$status" -eq 0 ]; then
        echo "browser-upload-check: PASS in ${elapsed}s; screenshots and logs in $OUT"
    else
        echo "browser-upload-check: FAILED (exit $status) after ${elapsed}s; screenshots and logs in $OUT" >&2
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

echo "browser-upload-check: output in $OUT"

# --- build ---------------------------------------------------------------
if [ "${NO_BUILD:-0}" != 1 ]; then
    timeout 600 make -s webserv || die "make -s webserv failed"
fi
[ -x ./webserv ] || die "./webserv was not built"

# --- a private copy of the site and the configuration ---------------------
cp -R www "$WORK/www"
find "$WORK/www/uploads" -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
STORE=$WORK/www/uploads
REPO_UPLOADS_BEFORE=$(ls -A --full-time www/uploads)

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)
CONF=$WORK/webserv.conf
cp conf/mime.types "$WORK/mime.types"
sed -E \
    -e "s|^([[:space:]]*)listen[[:space:]]+8080[[:space:]]+default_server;|\\1listen 127.0.0.1:$PORT default_server;|" \
    -e "s|^([[:space:]]*)root[[:space:]]+www;|\\1root $WORK/www;|" \
    -e "s|^([[:space:]]*)upload_store[[:space:]]+www/uploads;|\\1upload_store $STORE;|" \
    conf/default.conf > "$CONF"
cp "$CONF" "$OUT/webserv.conf"
# The rewrite must have hit every line it is meant for, and nothing of the
# copy may still point into the repository's www/.
grep -Eq "^[[:space:]]*listen 127\.0\.0\.1:$PORT default_server;" "$CONF" \
    || die "could not rewrite 'listen 8080 default_server;' in conf/default.conf (see $OUT/webserv.conf)"
grep -Eq "^[[:space:]]*root $WORK/www;" "$CONF" \
    || die "could not rewrite 'root www;' in conf/default.conf (see $OUT/webserv.conf)"
grep -Eq "^[[:space:]]*upload_store $STORE;" "$CONF" \
    || die "could not rewrite 'upload_store www/uploads;' in conf/default.conf (see $OUT/webserv.conf)"
if grep -Eq "^[[:space:]]*(root|upload_store|alias)[[:space:]]+\.?/?www" "$CONF"; then
    die "the copied configuration still points into the repository's www/: $(grep -En '^[[:space:]]*(root|upload_store|alias)[[:space:]]+\.?/?www' "$CONF" | head -3)"
fi
./webserv -t "$CONF" > "$OUT/webserv-t.log" 2>&1 \
    || die "./webserv -t rejects the copied configuration: $(cat "$OUT/webserv-t.log")"

# --- start the server ----------------------------------------------------
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
echo "browser-upload-check: webserv (pid $SERVER_PID) on $BASE, site copy in $WORK/www"

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
CHROME_GROUP=
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
echo "browser-upload-check: chromium (pid $CHROME_PID) DevTools on 127.0.0.1:$DEVTOOLS_PORT"

# --- drive the pages -----------------------------------------------------
mkdir -p "$WORK/fixtures"
DRIVER=$WORK/driver.py
cat > "$DRIVER" <<'PY'
"""Drives the upload page and the file manager through Chromium's DevTools
protocol. Standard library only: the WebSocket client is below."""
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
STORE = os.environ["STORE"]
OUT = os.environ["OUT"]
FIXTURES = os.environ["FIXTURES"]
STEP_TIMEOUT = 20.0


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


# --- DevTools protocol --------------------------------------------------

class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.dialogs = []
        self.exceptions = []
        self.console_errors = []

    def _event(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Page.javascriptDialogOpening":
            # The file manager asks before deleting: accept, as a user would.
            self.dialogs.append(params.get("message", ""))
            self.next_id += 1
            self.ws.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                     "params": {"accept": True}}))
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

    def wait_for(self, what, expression, timeout=STEP_TIMEOUT, fail_when=None):
        """Polls expression until truthy; fail_when (an expression giving a
        string) stops at once with that string as the reason."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            if fail_when:
                reason = self.js(fail_when)
                if reason:
                    fail("%s: %s" % (what, reason))
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        fail("%s: still not true after %.0f s: %s\n  page: %s" % (
            what, timeout, expression, self.describe()))

    def describe(self):
        try:
            return self.js("location.href + ' | status: ' + "
                           "((document.querySelector('[role=status]:not([hidden])') || {}).textContent || '-')"
                           ".trim() + ' | body: ' + document.body.innerText.slice(0, 300).replace(/\\s+/g, ' ')",
                           timeout=5)
        except CheckFailed as error:
            return "(cannot describe the page: %s)" % error

    def navigate(self, url, scripts=True):
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            fail("navigating to %s: %s" % (url, result["errorText"]))
        # Loaded, and the header's session greeting (session.js) in place: a
        # click aimed before it appears could land where the layout moved.
        self.wait_for("loading " + url,
                      "document.readyState === 'complete' && location.href === %s" % json.dumps(url)
                      + ("" if not scripts else """ && (!document.querySelector('script[src="/assets/session.js"]') || document.documentElement.getAttribute('data-session') === 'settled')"""))
        status = self.js("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0")
        return status

    def viewport(self, width, height, mobile):
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        # let the layout settle
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

    def set_files(self, selector, paths):
        root = self.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            fail("no %s on the page to choose files with" % selector)
        self.call("DOM.setFileInputFiles", {"nodeId": node, "files": paths})


def http(method, path):
    """A request straight to webserv (not through the browser)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(BASE + path, method=method)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def stored_names():
    return sorted(n for n in os.listdir(STORE) if n != ".gitkeep")


def expect_file(name, content, how):
    path = os.path.join(STORE, name)
    if not os.path.isfile(path):
        fail("%s: %s is not on disk (the store holds %s)" % (how, path, stored_names()))
    with open(path, "rb") as f:
        data = f.read()
    if data != content:
        fail("%s: %s holds %d bytes that differ from the %d bytes uploaded"
             % (how, path, len(data), len(content)))


def upload_state(page):
    return page.js("document.getElementById('upload-status').dataset.state")


def main():
    # Files to upload: names with a space and an '&' (encoded in URLs),
    # one of them binary with NUL bytes.
    text_name, bin_name = "webserv check.txt", "bytes & nulls.bin"
    text = ("uploaded by scripts/browser-upload-check.sh at %s\n" % time.time()).encode() * 20
    binary = bytes(range(256)) * 40 + b"\r\n--boundary-like--\r\n" + os.urandom(3000)
    fixtures = {text_name: text, bin_name: binary}
    paths = {}
    for name, data in fixtures.items():
        paths[name] = os.path.join(FIXTURES, name)
        with open(paths[name], "wb") as f:
            f.write(data)

    targets = json.load(urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
        "http://127.0.0.1:%d/json/list" % DEVTOOLS, timeout=10))
    pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
    if not pages:
        fail("Chromium has no page target: %s" % targets)
    ws = WebSocket(pages[0]["webSocketDebuggerUrl"])
    page = Page(ws)
    for domain in ("Page", "Runtime", "DOM", "Log"):
        page.call(domain + ".enable")
    page.viewport(1280, 900, False)

    # 1. The upload page, and its no-JavaScript contract.
    status = page.navigate(BASE + "/upload.html")
    if status != 200:
        fail("GET /upload.html answered %s" % status)
    form = page.js("""(() => {
        const f = document.querySelector('form');
        const i = f && f.querySelector('input[type=file]');
        return f && {method: f.method, enctype: f.enctype,
                     action: new URL(f.getAttribute('action'), location.href).pathname,
                     input: !!i, name: i && i.name, multiple: i && i.multiple,
                     nav: ['/upload.html', '/files.html'].every(h =>
                         document.querySelector('nav a[href="' + h + '"]'))};
    })()""")
    want = {"method": "post", "enctype": "multipart/form-data", "action": "/uploads/",
            "input": True, "name": "file", "multiple": True, "nav": True}
    if form != want:
        fail("upload.html's form is %s, expected %s" % (form, want))
    log("upload.html: a POST multipart/form-data form to /uploads/ with <input type=file name=file multiple>")

    # 2. Choose two files and press Upload.
    page.set_files("#file-input", [paths[text_name], paths[bin_name]])
    chosen = page.js("document.getElementById('file-input').files.length")
    if chosen != 2:
        fail("DOM.setFileInputFiles: the input holds %s files, expected 2" % chosen)
    page.click("#upload-button", "pressing Upload")
    page.wait_for("uploading two files", "document.getElementById('upload-status').dataset.state === 'done'",
                  fail_when="document.getElementById('upload-status').dataset.state === 'error' && "
                            "document.getElementById('upload-status').textContent")
    if page.js("location.pathname") != "/upload.html":
        fail("the upload left the page (now at %s): the fetch enhancement did not run" % page.js("location.href"))
    items = page.js("""Array.from(document.querySelectorAll('#upload-list li')).map(li => ({
        name: li.dataset.name, renamed: li.dataset.renamed,
        href: new URL(li.querySelector('a').getAttribute('href'), location.href).pathname}))""")
    names = sorted(i["name"] for i in items)
    if names != sorted([text_name, bin_name]) or any(i["renamed"] != "false" for i in items):
        fail("after uploading %s the page lists %s" % ([text_name, bin_name], items))
    for item in items:
        expected = "/uploads/" + urllib.parse.quote(item["name"])
        if item["href"] != expected:
            fail("the link for %s is %s, expected %s" % (item["name"], item["href"], expected))
    expect_file(text_name, text, "upload through the page")
    expect_file(bin_name, binary, "upload through the page")
    log("upload.html: two files uploaded with fetch, listed with links, stored byte-identical on disk")

    # 3. The same name again: stored under a new name, and the page says so.
    page.set_files("#file-input", [paths[text_name]])
    page.js("document.getElementById('upload-status').dataset.state = 'idle'")
    page.click("#upload-button", "pressing Upload again")
    page.wait_for("uploading an existing name", "document.getElementById('upload-status').dataset.state === 'done'",
                  fail_when="document.getElementById('upload-status').dataset.state === 'error' && "
                            "document.getElementById('upload-status').textContent")
    item = page.js("""(() => { const li = document.querySelector('#upload-list li');
        return li && {name: li.dataset.name, renamed: li.dataset.renamed, text: li.textContent,
                      count: document.querySelectorAll('#upload-list li').length}; })()""")
    if not item or item["count"] != 1 or item["renamed"] != "true" or item["name"] == text_name:
        fail("uploading %s again: the page shows %s, expected one renamed file" % (text_name, item))
    if "saved as" not in item["text"] or item["name"] not in item["text"]:
        fail("uploading %s again: the page does not say it was saved as %s: %r"
             % (text_name, item["name"], item["text"]))
    renamed_name = item["name"]
    expect_file(renamed_name, text, "upload of an existing name")
    expect_file(text_name, text, "the first file after uploading its name again")
    log("upload.html: the same name again was saved as %r and the page says so" % renamed_name)

    page.screenshot("upload-1280.png")
    page.no_horizontal_scroll("upload.html at 1280px", 1280)
    page.viewport(400, 860, True)
    page.no_horizontal_scroll("upload.html at 400px", 400)
    page.screenshot("upload-400.png")
    page.viewport(1280, 900, False)

    # 4. With JavaScript off the plain form still uploads.
    page.call("Emulation.setScriptExecutionDisabled", {"value": True})
    page.navigate(BASE + "/upload.html", scripts=False)
    page.set_files("#file-input", [paths[bin_name]])
    page.click("#upload-button", "pressing Upload without JavaScript")
    page.wait_for("the form's POST without JavaScript",
                  "location.pathname === '/uploads/' && document.readyState === 'complete'")
    status = page.js("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0")
    links = page.js("Array.from(document.querySelectorAll('a')).map(a => a.textContent)")
    page.call("Emulation.setScriptExecutionDisabled", {"value": False})
    if status != 201:
        fail("the plain form POST answered %s, expected 201" % status)
    plain_names = [n for n in links if n != bin_name and n.startswith("bytes & nulls")]
    if len(plain_names) != 1:
        fail("the server's answer to the plain form lists %s, expected one renamed %r" % (links, bin_name))
    plain_name = plain_names[0]
    expect_file(plain_name, binary, "upload without JavaScript")
    log("upload.html without JavaScript: 201 page from the server, stored as %r" % plain_name)

    # 5. The file manager lists everything with sizes; downloads match.
    expected = {text_name: len(text), bin_name: len(binary), renamed_name: len(text),
                plain_name: len(binary)}
    if set(stored_names()) != set(expected):
        fail("the store holds %s, expected %s" % (stored_names(), sorted(expected)))
    status = page.navigate(BASE + "/files.html")
    if status != 200:
        fail("GET /files.html answered %s" % status)
    rows_js = """Array.from(document.querySelectorAll('#file-rows tr')).map(tr => ({
        name: tr.dataset.name, size: Number(tr.dataset.size),
        href: tr.querySelector('.name a') && new URL(tr.querySelector('.name a').getAttribute('href'), location.href).pathname,
        download: !!tr.querySelector('a[download]'), del: !!tr.querySelector('button[data-action=delete]'),
        date: (tr.querySelector('.date') || {}).textContent || ''}))"""
    ready = "document.getElementById('file-table').dataset.state === 'ready'"
    failed = ("document.getElementById('file-table').dataset.state === 'error' && "
              "document.getElementById('status').textContent")
    page.wait_for("the file manager's list", ready, fail_when=failed)
    rows = page.js(rows_js)
    listed = dict((r["name"], r["size"]) for r in rows)
    if listed != expected:
        fail("files.html lists %s, expected %s" % (listed, expected))
    for r in rows:
        if not (r["download"] and r["del"] and r["date"].strip()
                and r["href"] == "/uploads/" + urllib.parse.quote(r["name"])):
            fail("files.html row for %r is incomplete: %s" % (r["name"], r))
    summary = page.js("document.getElementById('summary').textContent")
    if not summary.startswith("4 files"):
        fail("files.html summary says %r, expected 4 files" % summary)
    got = page.js("""fetch(document.querySelector(%s).href, {cache: 'no-store'})
        .then(r => r.arrayBuffer()).then(b => btoa(String.fromCharCode(...new Uint8Array(b))))"""
                  % json.dumps('#file-rows tr[data-name=%s] a[download]' % json.dumps(bin_name, ensure_ascii=False)))
    if base64.b64decode(got) != binary:
        fail("the download link of %r does not give back the uploaded bytes" % bin_name)
    log("files.html: lists the 4 stored files with sizes, dates, download and delete; a download is byte-identical")
    page.screenshot("files-1280.png")
    page.no_horizontal_scroll("files.html at 1280px", 1280)

    def row(name):
        return "#file-rows tr[data-name=%s]" % json.dumps(name, ensure_ascii=False)

    def delete_through_page(name, outcome):
        dialogs = len(page.dialogs)
        page.js("document.getElementById('status').dataset.state = 'idle'")
        page.click(row(name) + " button[data-action=delete]", "pressing Delete for %r" % name)
        page.wait_for("deleting %r" % name,
                      "document.getElementById('status').dataset.state !== 'idle' && " + ready
                      + " && !document.querySelector(%s)" % json.dumps(row(name)),
                      fail_when=None if outcome == "error" else
                      "document.getElementById('status').dataset.state === 'error' && "
                      "document.getElementById('status').textContent")
        if len(page.dialogs) != dialogs + 1 or name not in page.dialogs[-1]:
            fail("deleting %r: expected one confirmation dialog naming it, got %s"
                 % (name, page.dialogs[dialogs:]))
        state, message = page.js("[document.getElementById('status').dataset.state, "
                                 "document.getElementById('status').textContent]")
        if state != outcome:
            fail("deleting %r: the page's status is %s (%r), expected %s" % (name, state, message, outcome))
        return message

    # 6. Delete one file with its Delete button.
    message = delete_through_page(bin_name, "done")
    if os.path.exists(os.path.join(STORE, bin_name)):
        fail("the page says %r but %s is still on disk" % (message, bin_name))
    left = sorted(page.js(rows_js), key=lambda r: r["name"])
    if sorted(r["name"] for r in left) != sorted(set(expected) - {bin_name}):
        fail("after deleting %r the page lists %s" % (bin_name, [r["name"] for r in left]))
    if set(stored_names()) != set(expected) - {bin_name}:
        fail("after deleting %r the store holds %s" % (bin_name, stored_names()))
    log("files.html: Delete removed %r from the list and from disk (%s)" % (bin_name, message.strip()))
    page.screenshot("files-after-delete-1280.png")
    page.viewport(400, 860, True)
    page.no_horizontal_scroll("files.html at 400px", 400)
    page.screenshot("files-400.png")
    page.viewport(1280, 900, False)

    # 7. A file deleted behind the page's back: its button shows the 404.
    status, body = http("DELETE", "/uploads/" + urllib.parse.quote(renamed_name))
    if status != 204:
        fail("DELETE /uploads/%s answered %s: %r" % (urllib.parse.quote(renamed_name), status, body[:200]))
    message = delete_through_page(renamed_name, "error")
    if "404" not in message:
        fail("deleting a file that is already gone: the page says %r, expected a 404 error" % message)
    log("files.html: deleting a file that was already gone shows %r and drops it from the list"
        % message.strip())
    page.screenshot("files-error-1280.png")

    # 8. Delete the rest: the list is empty, and so is the store.
    for name in (text_name, plain_name):
        delete_through_page(name, "done")
    page.wait_for("the empty state", "!document.getElementById('empty').hidden && "
                  "document.getElementById('table-box').hidden")
    if stored_names():
        fail("after deleting everything the store still holds %s" % stored_names())
    leftovers = [n for n in os.listdir(STORE) if n != ".gitkeep"]
    if leftovers:
        fail("the store holds leftover (temporary?) files: %s" % leftovers)
    log("files.html: after deleting every file the page shows its empty state; the store is empty")
    page.viewport(400, 860, True)
    page.screenshot("files-empty-400.png")

    if page.exceptions:
        fail("JavaScript exceptions on the pages: %s" % page.exceptions)
    # Expected: the 404 of the stale delete in step 7, and /favicon.ico asked
    # for by the server's own (icon-less) 201 page in step 4.
    allowed = ("/uploads/" + urllib.parse.quote(renamed_name), "/favicon.ico")
    unexpected = [e for e in page.console_errors if not e.endswith(allowed)]
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
    except (OSError, socket.timeout) as error:
        print("FAIL  talking to Chromium or webserv: %r" % error, file=sys.stderr, flush=True)
        sys.exit(1)
PY

# In the background, so that a signal to this script runs cleanup at once.
BASE=$BASE DEVTOOLS_PORT=$DEVTOOLS_PORT STORE=$STORE OUT=$OUT FIXTURES=$WORK/fixtures \
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

# --- the server survived, and the repository's uploads were never touched ---
kill -0 "$SERVER_PID" 2>/dev/null || die "webserv is no longer running after the session"
[ "$(ls -A --full-time www/uploads)" = "$REPO_UPLOADS_BEFORE" ] \
    || die "the repository's www/uploads changed during the check"
echo "ok    webserv still running; the repository's www/uploads is untouched"
