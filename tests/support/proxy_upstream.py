#!/usr/bin/env python3
"""The upstream of the proxy_pass integration tests (support/ProxyUpstream.cpp).

    /usr/bin/python3 proxy_upstream.py --port N     (127.0.0.1:N)
    /usr/bin/python3 proxy_upstream.py --unix PATH

Prints "READY" once listening. HTTP/1.1 parsed by hand, not http.server: the
tests need to see exact bytes and to get broken answers. One thread per
connection; keep-alive (HTTP/1.1 default, "Connection: close" honoured,
HTTP/1.0 only with "Connection: keep-alive") and pipelining. A request body
(Content-Length or chunked, trailers included) is always read in full, as it
comes, before the answer: only its length and SHA-256 are kept. A request
with "Expect: 100-continue" and a body gets a bare "100 Continue" first.

Every response except /malformed's carries, right after the status line:
    Server: proxy-upstream / Date / X-Upstream-Connection: <id, 1-based,
    in accept order> / X-Upstream-Request: <nth request on that connection>
and "Connection: close" when the upstream closes after it. HEAD gets the
head GET would get, without the body.

Endpoints (query parameters with their defaults):
  /echo*             200 text: "method M", "target T", "version V", one
                     "header Name: value" per field as received, "trailer
                     Name: value" per chunked trailer, "body-length N",
                     "body-sha256 HEX"; X-Body-Length / X-Body-Sha256 too
                     when the request was framed (Content-Length or chunked).
  /chunked?n=5&size=10&pause_ms=200  chunk i (0-based) is size x chr(97+i%26)
  /events?n=3&pause_ms=300           text/event-stream, no-cache, chunked,
                                     one chunk "data: event <i>\n\n" (0-based)
  /download?bytes=0[&close=1][&chunked=1]   application/octet-stream, the
                     PATTERN below; Content-Length, or close-delimited
                     (close=1), or chunked in 64 KiB chunks (chunked=1, wins
                     over close=1, which then only adds Connection: close)
  /upload            POST/PUT: "length N\nsha256 HEX\n" (else 405)
  /slow-read?ms=1000 sleeps before reading the body, then as /upload
  /early?code=413[&close=1][&stall_ms=N]  answers "early\n" before reading
                     the body, then reads and drops it (close=1: closes, the
                     body unread; stall_ms: a chunked 200 whose last chunk
                     comes N ms later)
  /slow-head?ms=2000 sleeps, then 200 "slow"
  /status?code=200   204, 304 (and 1xx): no body, no Content-Length; else
                     "status <code>\n"
  /malformed         "HTTP/1.1 200 OK\r\nBad Header Without Colon\r\n\r\n", close
  /reset?after=1000  Content-Length: 1000000, `after` pattern bytes, then an
                     RST (SO_LINGER 0) once the peer acknowledged them
                     (a plain close on a unix socket: AF_UNIX has no RST)
  /close-early       closes without answering
  /late-bytes        200, empty, kept open; 50 ms later a whole second answer
                     nobody asked for ("stale"): /stats then says "late N"
  /drop-next         200 "next one dropped\n", kept open; the next request on
                     this connection is read, then the connection closes
                     unanswered (a server that ends an idle keep-alive
                     connection just as a request arrives on it)
  /stats             "connections C\nrequests R\n": R counts every request
                     head received on any connection, this /stats one included
  /ws                with "Upgrade: websocket" and Sec-WebSocket-Key: 101,
                     then echoes each frame as it comes (same FIN/opcode and
                     payload, unmasked), ping -> pong, close -> close back
                     and end; else 426 "upgrade required\n" with
                     "Upgrade: websocket"
  /upgrade-refused   200 "no upgrade" (an Upgrade header is ignored)
  else               404 "not found\n"
Text bodies are text/plain with a Content-Length. A request that cannot be
parsed, or a parameter that is not a number, gets 400 "bad request\n", close.

PATTERN: the byte at offset k of a /download (or /reset) body is
    (k * 7 + k // 65536) % 251
"""
import argparse, base64, fcntl, hashlib, socket, struct, sys, termios, threading, time
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

PIECE = 65536
# In piece p (offsets p*PIECE + j) the byte is (7*j + c) % 251 with
# c = p*(7*PIECE + 1) % 251. 36 is 7's inverse mod 251, so that is
# BASE[j + 36*c % 251]: each piece is a slice of one table, 100 MiB cost
# nothing to make.
BASE = bytes(7 * j % 251 for j in range(PIECE + 251))


def pattern(size):
    """The first `size` bytes of the pattern, in pieces of at most PIECE."""
    for p in range((size + PIECE - 1) // PIECE):
        shift = 36 * (p * (7 * PIECE + 1) % 251) % 251
        yield BASE[shift:shift + min(PIECE, size - p * PIECE)]


WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
STATS = {"connections": 0, "requests": 0, "late": 0}
LOCK = threading.Lock()


def field(fields, name):
    """All values of a field, comma-joined (RFC 9110 5.3), or None."""
    values = [v for n, v in fields if n.lower() == name]
    return ", ".join(values) if values else None


def tokens(fields, name):
    return [t.strip().lower() for t in (field(fields, name) or "").split(",")]


def reason(code):
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Unknown"


class Reader:
    """Buffered reads from the socket; what one request leaves is the next's."""

    def __init__(self, sock):
        self.sock, self.buf = sock, bytearray()

    def fill(self):
        data = self.sock.recv(PIECE)
        if not data:
            raise EOFError
        self.buf += data

    def line(self, limit=65536):
        while True:
            end = self.buf.find(b"\n")
            if end >= 0:
                line = bytes(self.buf[:end]).rstrip(b"\r")
                del self.buf[:end + 1]
                return line
            if len(self.buf) > limit:
                raise ValueError("line too long")
            self.fill()

    def exact(self, n):
        return b"".join(self.pieces(n))

    def pieces(self, n):
        while n > 0:
            if not self.buf:
                self.fill()
            piece = bytes(self.buf[:n])
            del self.buf[:len(piece)]
            n -= len(piece)
            yield piece


class Body:
    """What is kept of a request body: never the bytes."""

    def __init__(self):
        self.framed, self.length, self.sha, self.trailers = False, 0, hashlib.sha256(), []

    def take(self, pieces):
        for piece in pieces:
            self.length += len(piece)
            self.sha.update(piece)


def parse_field(line):
    name, colon, value = line.decode("latin-1").partition(":")
    if not colon or not name or name != name.strip():
        raise ValueError("bad field")
    return name, value.strip(" \t")


def read_body(reader, fields):
    body = Body()
    te, cl = field(fields, "transfer-encoding"), field(fields, "content-length")
    if te is not None:
        if te.split(",")[-1].strip().lower() != "chunked":
            raise ValueError("unknown transfer coding")
        body.framed = True
        while True:
            size = int(reader.line().split(b";")[0].strip(), 16)
            if size == 0:
                break
            body.take(reader.pieces(size))
            if reader.line() != b"":
                raise ValueError("no CRLF after chunk")
        line = reader.line()
        while line:
            body.trailers.append(parse_field(line))
            line = reader.line()
    elif cl is not None:
        if not cl.isdigit():
            raise ValueError("bad Content-Length")
        body.framed = True
        body.take(reader.pieces(int(cl)))
    return body


class Connection:
    def __init__(self, sock, cid):
        self.sock, self.reader, self.id, self.n = sock, Reader(sock), cid, 0
        self.close = self.keep10 = self.head_only = False
        self.drop_next = False

    def serve(self):
        try:
            while self.one():
                pass
        except (EOFError, OSError):
            pass                # the peer went; nothing to answer
        except Exception as e:  # a bug here: say so, drop the connection
            print("proxy_upstream: %r" % e, file=sys.stderr, flush=True)
        finally:
            self.sock.close()

    def one(self):
        line = self.reader.line()
        while not line:         # RFC 9112 2.2: empty lines before a request
            line = self.reader.line()
        self.n += 1
        with LOCK:
            STATS["requests"] += 1
        self.close, self.keep10, self.head_only = True, False, False
        try:
            method, target, version = line.decode("latin-1").split(" ")
            if not version.startswith("HTTP/1."):
                raise ValueError("bad version")
            fields, line = [], self.reader.line()
            while line:
                fields.append(parse_field(line))
                line = self.reader.line()
            conn = tokens(fields, "connection")
            self.close = "close" in conn or (version == "HTTP/1.0" and "keep-alive" not in conn)
            self.keep10 = version == "HTTP/1.0" and not self.close
            self.head_only = method == "HEAD"
            if "100-continue" in tokens(fields, "expect") and (
                    field(fields, "content-length") not in (None, "0") or field(fields, "transfer-encoding")):
                self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            early = self.before_body(target, fields)
            if early is not None:
                return early
            body = read_body(self.reader, fields)
            if self.drop_next:
                return False
            # A bad number in the query raises here too, before anything is sent.
            return self.route(method, target, version, fields, body) and not self.close
        except ValueError:
            self.close = True
            self.simple(400, b"bad request\n")
            return False

    def before_body(self, target, fields):
        """What some endpoints do before the body is read; None: go on."""
        url = urlsplit(target)
        query = parse_qs(url.query)
        if url.path == "/slow-read":        # a slow reader: the body waits
            time.sleep(int(query.get("ms", ["1000"])[0]) / 1000)
            return None
        if url.path != "/early":
            return None
        # Answers at once; then drops the body as it comes (close=1: leaves
        # it unread and closes, as a server refusing an upload may;
        # stall_ms: a chunked answer whose end waits that long, unread body
        # and all).
        stall = int(query.get("stall_ms", ["0"])[0]) / 1000
        if stall:
            self.head(200, [("Transfer-Encoding", "chunked")])
            self.sock.sendall(b"6\r\nearly\n\r\n")
            time.sleep(stall)
            self.sock.sendall(b"0\r\n\r\n")
        else:
            self.simple(int(query.get("code", ["413"])[0]), b"early\n")
        if query.get("close", ["0"])[0] == "1":
            return False
        read_body(self.reader, fields)
        return not self.close

    def head(self, status, fields=()):
        lines = ["HTTP/1.1 %d %s" % (status, reason(status)), "Server: proxy-upstream",
                 "Date: " + formatdate(usegmt=True), "X-Upstream-Connection: %d" % self.id,
                 "X-Upstream-Request: %d" % self.n]
        lines += ["%s: %s" % f for f in fields]
        if self.close:
            lines.append("Connection: close")
        elif self.keep10:
            lines.append("Connection: keep-alive")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def simple(self, status, body, fields=(), ctype="text/plain"):
        self.head(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))] + list(fields))
        if not self.head_only:
            self.sock.sendall(body)
        return True

    def chunked(self, pieces, fields, pause):
        self.head(200, fields + [("Transfer-Encoding", "chunked")])
        if self.head_only:
            return True
        for i, piece in enumerate(pieces):
            if i and pause:
                time.sleep(pause)
            self.sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.sock.sendall(b"0\r\n\r\n")
        return True

    def route(self, method, target, version, fields, body):
        url = urlsplit(target)
        path, query = url.path, parse_qs(url.query)

        def num(name, default):
            return int(query.get(name, [default])[0])
        if path.startswith("/echo"):
            lines = ["method " + method, "target " + target, "version " + version]
            lines += ["header %s: %s" % f for f in fields]
            lines += ["trailer %s: %s" % f for f in body.trailers]
            lines += ["body-length %d" % body.length, "body-sha256 " + body.sha.hexdigest()]
            extra = [("X-Body-Length", str(body.length)),
                     ("X-Body-Sha256", body.sha.hexdigest())] if body.framed else []
            return self.simple(200, ("\n".join(lines) + "\n").encode("latin-1"), extra)
        if path == "/chunked":
            size = num("size", 10)
            pieces = (bytes([97 + i % 26]) * size for i in range(num("n", 5)))
            return self.chunked(pieces, [("Content-Type", "text/plain")], num("pause_ms", 200) / 1000)
        if path == "/events":
            pieces = (b"data: event %d\n\n" % i for i in range(num("n", 3)))
            return self.chunked(pieces, [("Content-Type", "text/event-stream"),
                                         ("Cache-Control", "no-cache")], num("pause_ms", 300) / 1000)
        if path == "/download":
            size, ctype = num("bytes", 0), [("Content-Type", "application/octet-stream")]
            self.close = self.close or num("close", 0) == 1
            if num("chunked", 0) == 1:
                return self.chunked(pattern(size), ctype, 0)
            self.head(200, ctype + ([] if self.close else [("Content-Length", str(size))]))
            for piece in ([] if self.head_only else pattern(size)):
                self.sock.sendall(piece)    # blocks while the proxy does not read
            return True
        if path in ("/upload", "/slow-read"):
            if method not in ("POST", "PUT"):
                return self.simple(405, b"method not allowed\n", [("Allow", "POST, PUT")])
            return self.simple(200, b"length %d\nsha256 %s\n" % (body.length, body.sha.hexdigest().encode()))
        if path == "/slow-head":
            time.sleep(num("ms", 2000) / 1000)
            return self.simple(200, b"slow")
        if path == "/status":
            code = num("code", 200)
            if code < 200 or code in (204, 304):
                self.head(code)
                return True
            return self.simple(code, b"status %d\n" % code)
        if path == "/malformed":
            self.sock.sendall(b"HTTP/1.1 200 OK\r\nBad Header Without Colon\r\n\r\n")
            return False
        if path == "/reset":
            after = min(num("after", 1000), 999999)
            self.head(200, [("Content-Type", "application/octet-stream"), ("Content-Length", "1000000")])
            for piece in ([] if self.head_only else pattern(after)):
                self.sock.sendall(piece)
            self.reset()
            return False
        if path == "/close-early":
            return False
        if path == "/late-bytes":       # a complete answer, then bytes out of turn
            self.simple(200, b"")
            time.sleep(0.05)
            self.sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale")
            with LOCK:
                STATS["late"] += 1
            return not self.close
        if path == "/drop-next":
            self.drop_next = True
            return self.simple(200, b"next one dropped\n")
        if path == "/stats":
            with LOCK:
                text = "connections %d\nrequests %d\n" % (STATS["connections"], STATS["requests"])
                if STATS["late"]:
                    text += "late %d\n" % STATS["late"]
            return self.simple(200, text.encode())
        if path == "/ws":
            key = field(fields, "sec-websocket-key")
            if "websocket" not in tokens(fields, "upgrade") or not key:
                return self.simple(426, b"upgrade required\n", [("Upgrade", "websocket")])
            return self.websocket(key)
        if path == "/upgrade-refused":
            return self.simple(200, b"no upgrade")
        return self.simple(404, b"not found\n")

    def reset(self):
        # An RST drops what the send queue still holds: wait (5 s at most)
        # until the peer acknowledged every byte, so the cut is where we say.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            queued = fcntl.ioctl(self.sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
            if struct.unpack("i", queued)[0] == 0:
                break
            time.sleep(0.01)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def websocket(self, key):
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.close = self.keep10 = False    # the head says "Connection: Upgrade" itself
        self.head(101, [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept)])
        while True:
            b0, b1 = self.reader.exact(2)
            opcode, length = b0 & 0x0F, b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.reader.exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.reader.exact(8))[0]
            mask = self.reader.exact(4) if b1 & 0x80 else None
            payload = self.reader.exact(length)
            if mask:
                # XOR as one big integer: a byte loop would take seconds per MiB.
                key_bytes = (mask * (length // 4 + 1))[:length]
                payload = (int.from_bytes(payload, "big") ^ int.from_bytes(key_bytes, "big")).to_bytes(length, "big")
            if opcode == 0xA:
                continue                    # a pong needs no answer
            self.frame(0x80 | 0xA if opcode == 0x9 else b0, payload)
            if opcode == 0x8:
                return False

    def frame(self, b0, payload):
        n = len(payload)
        if n < 126:
            head = struct.pack(">BB", b0, n)
        elif n < 65536:
            head = struct.pack(">BBH", b0, 126, n)
        else:
            head = struct.pack(">BBQ", b0, 127, n)
        self.sock.sendall(head + payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", type=int)
    where.add_argument("--unix")
    args = parser.parse_args()
    if args.unix:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(args.unix)
    else:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", args.port))
    server.listen(128)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    while True:
        sock, _ = server.accept()
        if not args.unix:
            # Each chunk or event leaves when sent, not after a delayed ACK.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with LOCK:
            STATS["connections"] += 1
            cid = STATS["connections"]
        threading.Thread(target=Connection(sock, cid).serve, daemon=True).start()


if __name__ == "__main__":
    main()
