"""A small client of Chromium's DevTools protocol for the browser checks
(scripts/browser-upload-check.sh, scripts/browser-session-check.sh).
Standard library only, with its own minimal WebSocket client.

What a check gets from it:
  - CheckFailed, fail(message) and log(message): a failed step raises
    CheckFailed; log() prints "ok    " + message;
  - connect(devtools_port): the WebSocket of Chromium's first page target;
  - Page(ws, out_dir): commands and events on that page: call(), js(),
    wait_for(), navigation, viewport, screenshots (written to out_dir),
    real mouse clicks; exceptions and console errors of the page are
    collected. A check subclasses it for the events it wants (on_event) and
    may set POLL_SECONDS, RETRY_WHILE_REPLACED and DESCRIBE_JS;
  - run(main): runs a check's main() and turns a failure into "FAIL  ..."
    on stderr and exit status 1.
"""
import base64
import hashlib
import json
import os
import socket
import struct
import sys
import time
import urllib.parse
import urllib.request

STEP_TIMEOUT = 20.0

# Part of a wait_for() expression: a page that loads /assets/session.js has
# put its header's session greeting in place (a click aimed before it
# appears could land where the layout moved).
SESSION_GREETING_SETTLED = (
    """ && (!document.querySelector('script[src="/assets/session.js"]') || """
    """document.documentElement.getAttribute('data-session') === 'settled')""")


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


def connect(devtools_port):
    """The WebSocket of the first page target of the Chromium whose
    DevTools protocol listens on 127.0.0.1:devtools_port."""
    targets = json.load(urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
        "http://127.0.0.1:%d/json/list" % devtools_port, timeout=10))
    pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
    if not pages:
        fail("Chromium has no page target: %s" % targets)
    return WebSocket(pages[0]["webSocketDebuggerUrl"])


# --- DevTools protocol --------------------------------------------------

class Page:
    # How often wait_for() evaluates its expression again.
    POLL_SECONDS = 0.1
    # True: wait_for() takes an expression that fails (the page is being
    # replaced under it) as not true yet, instead of failing the check.
    RETRY_WHILE_REPLACED = False
    # What describe() tells of the page, for failure messages.
    DESCRIBE_JS = ("location.href + ' | ' + document.title + ' | body: ' + "
                   "(document.body ? document.body.innerText.slice(0, 300).replace(/\\s+/g, ' ') : '-')")

    def __init__(self, ws, out_dir):
        self.ws = ws
        self.out_dir = out_dir
        self.next_id = 0
        self.exceptions = []
        self.console_errors = []

    def on_event(self, method, params):
        """An event other than an exception or a console message; for
        subclasses."""

    def _event(self, message):
        method = message.get("method", "")
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            self.exceptions.append("%s (%s:%s)" % (text, details.get("url", "?"),
                                                     details.get("lineNumber", "?")))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                self.console_errors.append("%s %s" % (entry.get("text", ""), entry.get("url", "")))
        else:
            self.on_event(method, params)

    def send(self, method, params=None):
        """Sends a command without waiting for its answer (from an event
        handler, which runs inside call()); returns its id."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        return self.next_id

    def call(self, method, params=None, timeout=STEP_TIMEOUT):
        my_id = self.send(method, params)
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
        """Polls expression until truthy and returns its value; fail_when (an
        expression giving a string) stops at once with that string as the
        reason."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if fail_when:
                reason = self.js(fail_when)
                if reason:
                    fail("%s: %s" % (what, reason))
            try:
                value = self.js(expression)
            except CheckFailed:
                if not self.RETRY_WHILE_REPLACED:
                    raise
                value = None     # the page is being replaced: try again
            if value:
                return value
            time.sleep(self.POLL_SECONDS)
        fail("%s: still not true after %.0f s: %s\n  page: %s" % (
            what, timeout, expression, self.describe()))

    def describe(self):
        try:
            return self.js(self.DESCRIBE_JS, timeout=5)
        except CheckFailed as error:
            return "(cannot describe the page: %s)" % error

    def open_url(self, url):
        """Page.navigate; fails when Chromium cannot load url at all."""
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            fail("navigating to %s: %s" % (url, result["errorText"]))

    def status(self):
        """The HTTP status of the current document."""
        return self.js("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0")

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
        path = os.path.join(self.out_dir, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        log("screenshot %s (%dx%d)" % (path, width, height))

    def both_widths(self, what, name, narrow=400):
        """Screenshots at 1280px and a phone's width, and no sideways scrolling."""
        self.no_horizontal_scroll(what + " at 1280px", 1280)
        self.screenshot(name + "-1280.png")
        self.viewport(narrow, 860, True)
        self.no_horizontal_scroll(what + " at %dpx" % narrow, narrow)
        self.screenshot(name + "-%d.png" % narrow)
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

    def close_browser(self):
        """Closes Chromium (if it still answers) and the WebSocket."""
        try:
            self.call("Browser.close", timeout=5)
        except CheckFailed:
            pass
        self.ws.close()


def run(main, also_failures=()):
    """Runs main(); a CheckFailed, an OSError or a socket timeout (and the
    exception classes in also_failures) is printed as "FAIL  ..." on stderr
    and exits with status 1."""
    try:
        main()
    except CheckFailed as error:
        print("FAIL  %s" % error, file=sys.stderr, flush=True)
        sys.exit(1)
    except (OSError, socket.timeout) + tuple(also_failures) as error:
        print("FAIL  talking to Chromium or webserv: %r" % error, file=sys.stderr, flush=True)
        sys.exit(1)
