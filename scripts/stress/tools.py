#!/usr/bin/python3
"""Load and fault clients for scripts/stress.sh (Python 3 standard library only).

    tools.py SUBCOMMAND --port PORT [options]

Every subcommand talks to 127.0.0.1 only, bounds everything it does in time
(socket timeouts and overall deadlines) and prints one JSON object on stdout
with what it measured; stress.sh decides PASS/FAIL from it.

  latency      median/p90 latency of N sequential GETs, one connection each
  slowloris    N connections trickling one header byte every few seconds;
               when the server cuts one (408 or close) its age is recorded
               and (with --reconnect) a new one takes its place
  fdflood      N connections against a server with a low fd limit: how many
               are served, the server's CPU while they stay open, recovery
  concurrent   N identical requests at once (e.g. CGI scripts that time out)
  cgiget       one request, timed, with its status and framing
  slowread     one large response read at a limited rate (or abandoned),
               sampling the server's RSS
  halfreq      N clients that send part of a request head and vanish
  abortupload  N uploads (raw, chunked, multipart) abandoned mid-body

While they run, concurrent/cgiget/slowread also probe the server with a
static GET every 250 ms on a fresh connection ("probe_*" in the output): the
server stays responsive if every probe succeeds quickly.
"""

import argparse
import errno
import json
import os
import random
import select
import socket
import statistics
import struct
import sys
import threading
import time

HOST = "127.0.0.1"


def now():
    return time.monotonic()


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * (len(values) - 1)))))
    return values[k]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000.0, 3)


class Response(object):
    def __init__(self):
        self.status = None
        self.headers = {}
        self.body_len = 0
        self.body_prefix = b""
        self.complete = False     # the framing said the body ended
        self.closed = False       # the server closed the connection


def recv_some(sock, deadline, size=65536):
    left = deadline - now()
    if left <= 0:
        raise socket.timeout("deadline")
    sock.settimeout(left)
    return sock.recv(size)


def read_response(sock, deadline, keep_prefix=256, method="GET"):
    """Reads one response: Content-Length, chunked or close-delimited."""
    r = Response()
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = recv_some(sock, deadline)
        if not data:
            r.closed = True
            if buf:
                raise ConnectionError("closed inside the response head")
            raise ConnectionError("closed before any response")
        buf += data
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    r.status = int(lines[0].split()[1])
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        r.headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")

    def keep(data):
        if len(r.body_prefix) < keep_prefix:
            r.body_prefix += data[:keep_prefix - len(r.body_prefix)]

    if method == "HEAD" or r.status in (204, 304) or 100 <= r.status < 200:
        r.complete = True
        return r
    if r.headers.get("transfer-encoding", "").lower() == "chunked":
        data = rest
        while True:
            while b"\r\n" not in data:
                more = recv_some(sock, deadline)
                if not more:
                    r.closed = True
                    return r
                data += more
            line, _, data = data.partition(b"\r\n")
            size = int(line.split(b";")[0], 16)
            while len(data) < size + 2:
                more = recv_some(sock, deadline)
                if not more:
                    r.closed = True
                    r.body_len += min(len(data), size)
                    return r
                data += more
            if size == 0:
                r.complete = True
                return r
            keep(data[:size])
            r.body_len += size
            data = data[size + 2:]
    if "content-length" in r.headers:
        want = int(r.headers["content-length"])
        keep(rest)
        got = len(rest)
        while got < want:
            data = recv_some(sock, deadline)
            if not data:
                r.closed = True
                break
            keep(data)
            got += len(data)
        r.body_len = got
        r.complete = got >= want
        return r
    keep(rest)
    r.body_len = len(rest)
    while True:
        data = recv_some(sock, deadline)
        if not data:
            r.closed = True
            r.complete = True
            return r
        keep(data)
        r.body_len += len(data)


def http_get(port, path, timeout=5.0, extra=""):
    """One GET on a fresh connection; returns (Response, seconds)."""
    t0 = now()
    deadline = t0 + timeout
    s = socket.create_connection((HOST, port), timeout=timeout)
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n"
                   % (path, extra)).encode())
        r = read_response(s, deadline)
    finally:
        s.close()
    return r, now() - t0


class Prober(threading.Thread):
    """GETs a static path every `interval` seconds until stopped."""

    def __init__(self, port, path, interval=0.25, timeout=5.0):
        threading.Thread.__init__(self)
        self.daemon = True
        self.port, self.path, self.interval, self.timeout = port, path, interval, timeout
        self.stopping = threading.Event()
        self.latencies = []
        self.failed = 0
        self.errors = []

    def run(self):
        while not self.stopping.is_set():
            try:
                r, dt = http_get(self.port, self.path, self.timeout)
                if r.status == 200 and r.complete:
                    self.latencies.append(dt)
                else:
                    self.failed += 1
                    self.errors.append("status %s" % r.status)
            except (OSError, ValueError) as e:
                self.failed += 1
                self.errors.append(str(e))
            self.stopping.wait(self.interval)

    def finish(self):
        self.stopping.set()
        self.join(self.timeout + 2)
        return {
            "probe_count": len(self.latencies) + self.failed,
            "probe_failed": self.failed,
            "probe_median_ms": ms(statistics.median(self.latencies)) if self.latencies else None,
            "probe_max_ms": ms(max(self.latencies)) if self.latencies else None,
            "probe_errors": self.errors[:5],
        }


def server_rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def server_cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])      # utime + stime


def emit(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- latency

def cmd_latency(a):
    """New connection per request, or (--keepalive) all on one connection."""
    ka = {"sock": None}

    def one():
        if not a.keepalive:
            return http_get(a.port, a.path)
        t0 = now()
        if ka["sock"] is None:
            ka["sock"] = socket.create_connection((HOST, a.port), timeout=5)
            ka["sock"].setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s = ka["sock"]
        try:
            s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % a.path).encode())
            r = read_response(s, t0 + 5)
        except (OSError, ValueError):
            s.close()
            ka["sock"] = None
            raise
        if r.closed:
            s.close()
            ka["sock"] = None
        return r, now() - t0

    for _ in range(5):      # warm-up, not counted
        try:
            one()
        except (OSError, ValueError):
            pass
    lat, errors = [], 0
    for _ in range(a.count):
        try:
            r, dt = one()
            if r.status == 200 and r.complete:
                lat.append(dt)
            else:
                errors += 1
        except (OSError, ValueError):
            errors += 1
        time.sleep(a.interval)
    emit({"count": len(lat), "errors": errors,
          "median_ms": ms(statistics.median(lat)) if lat else None,
          "p90_ms": ms(pct(lat, 90)), "max_ms": ms(max(lat)) if lat else None})


# ---------------------------------------------------------------- slowloris

SLOW_HEAD = (b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n"
             b"X-Padding: " + b"a" * 4000)


class Slow(object):
    __slots__ = ("sock", "opened", "next_send", "sent", "first_byte", "status")


def cmd_slowloris(a):
    end = now() + a.seconds
    conns = {}              # fd -> Slow
    poller = select.poll()
    stats = {"opened": 0, "connect_errors": 0, "send_errors": 0, "cut": 0, "got_408": 0,
             "reset": 0, "early": 0, "late": 0, "open_at_end": 0}
    ages, eof_ages, early_ages = [], [], []
    rng = random.Random(7)

    def open_one():
        try:
            s = socket.create_connection((HOST, a.port), timeout=5)
        except OSError:
            stats["connect_errors"] += 1
            return
        s.setblocking(False)
        c = Slow()
        c.sock, c.opened, c.sent, c.first_byte, c.status = s, now(), 0, None, b""
        c.next_send = c.opened          # the first byte goes at once
        conns[s.fileno()] = c
        poller.register(s.fileno(), select.POLLIN)
        stats["opened"] += 1

    def closed(fd, reset=False):
        c = conns.pop(fd)
        poller.unregister(fd)
        c.sock.close()
        t = now()
        cut_at = c.first_byte if c.first_byte is not None else t
        age = cut_at - c.opened
        stats["cut"] += 1
        stats["reset"] += reset
        stats["got_408"] += c.status.startswith(b"HTTP/1.1 408")
        ages.append(age)
        eof_ages.append(t - c.opened)
        if age < a.header_timeout - 0.5:
            stats["early"] += 1
            early_ages.append(round(age, 3))
        elif age > a.header_timeout + a.tolerance:
            stats["late"] += 1
        if a.reconnect and t < end - 1:
            open_one()

    for _ in range(a.conns):
        open_one()
    stats["all_open_after_s"] = round(a.seconds - (end - now()), 3)
    while now() < end:
        t = now()
        for fd, c in list(conns.items()):
            if c.first_byte is None and c.next_send <= t and c.sent < len(SLOW_HEAD):
                try:
                    c.sock.send(SLOW_HEAD[c.sent:c.sent + 1])
                    c.sent += 1
                    c.next_send = t + rng.uniform(a.interval_min, a.interval_max)
                except BlockingIOError:
                    pass
                except OSError:
                    stats["send_errors"] += 1
                    closed(fd, reset=True)
        for fd, ev in poller.poll(50):
            c = conns.get(fd)
            if c is None:
                continue
            try:
                data = c.sock.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                closed(fd, reset=True)
                continue
            if not data:
                closed(fd)
                continue
            if c.first_byte is None:
                c.first_byte = now()
            if len(c.status) < 64:
                c.status += data[:64]
    for fd, c in list(conns.items()):
        if now() - c.opened > a.header_timeout + a.tolerance:
            stats["late"] += 1
        stats["open_at_end"] += 1
        c.sock.close()
    stats.update({
        "cut_min_s": round(min(ages), 3) if ages else None,
        "cut_median_s": round(statistics.median(ages), 3) if ages else None,
        "cut_max_s": round(max(ages), 3) if ages else None,
        "eof_max_s": round(max(eof_ages), 3) if eof_ages else None,
        "early_ages": early_ages[:10],
    })
    emit(stats)


# ---------------------------------------------------------------- fdflood

def cmd_fdflood(a):
    out = {}
    socks = []
    pending = []
    for _ in range(a.conns):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        err = s.connect_ex((HOST, a.port))
        if err in (0, errno.EINPROGRESS):
            pending.append(s)
        else:
            s.close()
    # Connections whose handshake completed (the kernel queues them for
    # accept() even when the server cannot accept any more).
    deadline = now() + a.connect_wait
    while pending and now() < deadline:
        _, w, _ = select.select([], pending[:1000], [], 0.2)
        for s in w:
            pending.remove(s)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                socks.append(s)
            else:
                s.close()
    out["connected"] = len(socks)
    out["connect_pending"] = len(pending)
    req = b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for s in socks:
        try:
            s.send(req)
        except OSError:
            pass
    # Collect answers: the connections the server accepted get them.
    answered, bufs = [], dict((s, b"") for s in socks)
    deadline = now() + a.answer_wait
    waiting = list(socks)
    while waiting and now() < deadline:
        r, _, _ = select.select(waiting[:1000], [], [], 0.2)
        for s in r:
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                waiting.remove(s)
                continue
            bufs[s] += data
            if b"\r\n\r\n" in bufs[s]:
                head, _, body = bufs[s].partition(b"\r\n\r\n")
                cl = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        cl = int(line.split(b":")[1])
                if len(body) >= cl:
                    waiting.remove(s)
                    if head.startswith(b"HTTP/1.1 200"):
                        answered.append(s)
    out["answered"] = len(answered)
    # The server's CPU while everything stays open and quiet.
    t0, c0 = now(), server_cpu_ticks(a.server_pid)
    time.sleep(a.idle)
    t1, c1 = now(), server_cpu_ticks(a.server_pid)
    hz = os.sysconf("SC_CLK_TCK")
    out["idle_cpu_pct"] = round(100.0 * (c1 - c0) / hz / (t1 - t0), 1)
    out["server_fds_while_full"] = len(os.listdir("/proc/%d/fd" % a.server_pid))
    # Keep-alive requests on some of the accepted connections.
    sample = answered[:a.second]
    again = 0
    for s in sample:
        try:
            s.setblocking(True)
            s.sendall(req)
            r = read_response(s, now() + 5)
            again += r.status == 200 and r.complete
        except (OSError, ValueError):
            pass
    out["second_sent"] = len(sample)
    out["second_answered"] = again
    for s in socks + pending:
        s.close()
    # Recovery: a new connection is served (retried while the backlog of
    # closed connections is accepted and dropped).
    t0 = now()
    out["recovered_after_s"] = None
    while now() - t0 < a.recover_wait:
        try:
            r, _ = http_get(a.port, "/index.html", timeout=2)
            if r.status == 200 and r.complete:
                out["recovered_after_s"] = round(now() - t0, 3)
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    emit(out)


# ---------------------------------------------------------------- concurrent

def cmd_concurrent(a):
    prober = Prober(a.port, a.probe)
    prober.start()
    t0 = now()
    results = [None] * a.n

    def one(i):
        try:
            r, dt = http_get(a.port, a.path, timeout=a.timeout)
            results[i] = (r.status, dt)
        except (OSError, ValueError) as e:
            results[i] = ("error: %s" % e, now() - t0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(a.n)]
    for t in threads:
        t.daemon = True
        t.start()
    for t in threads:
        t.join(max(0.1, t0 + a.timeout + 2 - now()))
    statuses = {}
    times = []
    for res in results:
        key = str(res[0]) if res else "no answer"
        statuses[key] = statuses.get(key, 0) + 1
        if res:
            times.append(res[1])
    out = {"statuses": statuses, "min_s": round(min(times), 3) if times else None,
           "max_s": round(max(times), 3) if times else None}
    out.update(prober.finish())
    emit(out)


# ---------------------------------------------------------------- cgiget

def cmd_cgiget(a):
    prober = Prober(a.port, a.probe)
    prober.start()
    t0 = now()
    out = {}
    try:
        s = socket.create_connection((HOST, a.port), timeout=a.timeout)
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % a.path).encode())
        r = read_response(s, t0 + a.timeout)
        out.update({"status": r.status, "complete": r.complete, "closed": r.closed,
                    "body_len": r.body_len, "body_prefix": r.body_prefix.decode("latin-1"),
                    "framing": "chunked" if "transfer-encoding" in r.headers else
                               ("length" if "content-length" in r.headers else "close")})
        # A keep-alive connection must still work after a complete response.
        if r.complete and not r.closed:
            s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % a.probe).encode())
            r2 = read_response(s, now() + 5)
            out["next_on_same_connection"] = r2.status
        s.close()
    except (OSError, ValueError) as e:
        out["error"] = str(e)
    out["seconds"] = round(now() - t0, 3)
    out.update(prober.finish())
    emit(out)


# ---------------------------------------------------------------- slowread

def cmd_slowread(a):
    prober = Prober(a.port, a.probe)
    prober.start()
    out = {"max_rss_kib": server_rss_kib(a.server_pid)}
    t0 = now()
    s = socket.create_connection((HOST, a.port), timeout=5)
    # A small receive buffer, so the client really is slow and the server
    # has to hold back (the kernel would otherwise absorb megabytes).
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % a.path).encode())
    buf = b""
    deadline = t0 + a.max_seconds
    try:
        while b"\r\n\r\n" not in buf:
            data = recv_some(s, t0 + 10)
            if not data:
                break
            buf += data
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        out["status"] = int(lines[0].split()[1]) if lines and lines[0] else None
        cl = None
        for line in lines[1:]:
            if line.lower().startswith(b"content-length:"):
                cl = int(line.split(b":")[1])
        out["content_length"] = cl
        got = len(rest)
        rate = a.rate_mib * 1024 * 1024
        start = now()
        last_sample = 0.0
        stop_reason = "eof"
        while True:
            t = now()
            if t - last_sample >= 0.1:
                rss = server_rss_kib(a.server_pid)
                if rss is not None and rss > out["max_rss_kib"]:
                    out["max_rss_kib"] = rss
                last_sample = t
            if cl is not None and got >= cl:
                stop_reason = "complete"
                break
            if a.stop_after and got >= a.stop_after:
                stop_reason = "client stopped"
                break
            if t >= deadline:
                stop_reason = "client gave up (time bound)"
                break
            ahead = got / rate - (t - start)      # throttle to `rate`
            if ahead > 0:
                time.sleep(min(ahead, 0.05))
                continue
            data = recv_some(s, t + 10, 65536)
            if not data:
                break
            got += len(data)
        out["received"] = got
        out["stop"] = stop_reason
    except (OSError, ValueError) as e:
        out["error"] = str(e)
    s.close()
    out["seconds"] = round(now() - t0, 3)
    out["mib_per_s"] = round(out.get("received", 0) / 1048576.0 / max(out["seconds"], 0.001), 1)
    # Keep probing a moment after the client left.
    time.sleep(1)
    out["rss_after_kib"] = server_rss_kib(a.server_pid)
    out.update(prober.finish())
    emit(out)


# ---------------------------------------------------------------- halfreq

HALF_REQUESTS = [
    b"GET /index.html HTTP/1.1\r\nHo",
    b"GET /ind",
    b"G",
    b"GET /files/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: half\r\n",
    b"GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r",
    b"POST /cgi-bin/hello.sh HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nabc",
]


def cmd_halfreq(a):
    done, errors, resets = 0, 0, 0
    i = 0
    t0 = now()
    while done + errors < a.n and now() - t0 < a.max_seconds:
        batch = []
        for _ in range(min(a.batch, a.n - done - errors)):
            try:
                s = socket.create_connection((HOST, a.port), timeout=5)
                batch.append(s)
            except OSError:
                errors += 1
        for s in batch:
            try:
                s.sendall(HALF_REQUESTS[i % len(HALF_REQUESTS)])
            except OSError:
                pass
            if i % 2:       # every other one vanishes with a reset
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                resets += 1
            i += 1
        if a.pause:
            time.sleep(a.pause)
        for s in batch:
            s.close()
            done += 1
    emit({"clients": done, "connect_errors": errors, "with_reset": resets,
          "seconds": round(now() - t0, 3)})


# ---------------------------------------------------------------- abortupload

def cmd_abortupload(a):
    kinds = {"raw": 0, "chunked": 0, "multipart": 0}
    errors = 0
    t0 = now()
    chunk = b"x" * 65536
    for i in range(a.n):
        kind = ("raw", "chunked", "multipart")[i % 3]
        try:
            s = socket.create_connection((HOST, a.port), timeout=5)
            name = "abort-%d.bin" % i
            if kind == "raw":
                s.sendall(("POST %s%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n"
                           % (a.path, name, 10 * 1024 * 1024)).encode())
                for _ in range(4):
                    s.sendall(chunk)
            elif kind == "chunked":
                s.sendall(("POST %s%s HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                           % (a.path, name)).encode())
                for _ in range(4):
                    s.sendall(b"10000\r\n" + chunk + b"\r\n")
                s.sendall(b"10000\r\n" + chunk[:1000])      # a chunk cut short
            else:
                boundary = "----stress%d" % i
                part = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                        "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name)).encode()
                s.sendall(("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                           "boundary=%s\r\nContent-Length: %d\r\n\r\n"
                           % (a.path, boundary, 10 * 1024 * 1024)).encode() + part)
                for _ in range(4):
                    s.sendall(chunk)
            # Let the server get the bytes into its temporary file, then vanish
            # (every other one with a reset).
            time.sleep(a.pause)
            if i % 2:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            kinds[kind] += 1
        except OSError:
            errors += 1
        if now() - t0 > a.max_seconds:
            break
    emit({"aborted": kinds, "errors": errors, "seconds": round(now() - t0, 3)})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    def add(name, func):
        sp = sub.add_parser(name)
        sp.add_argument("--port", type=int, required=True)
        sp.set_defaults(func=func)
        return sp

    sp = add("latency", cmd_latency)
    sp.add_argument("--path", default="/index.html")
    sp.add_argument("--count", type=int, default=50)
    sp.add_argument("--interval", type=float, default=0.05)
    sp.add_argument("--keepalive", action="store_true")

    sp = add("slowloris", cmd_slowloris)
    sp.add_argument("--conns", type=int, default=500)
    sp.add_argument("--seconds", type=float, default=25)
    sp.add_argument("--interval-min", type=float, default=2)
    sp.add_argument("--interval-max", type=float, default=4)
    sp.add_argument("--header-timeout", type=float, required=True)
    sp.add_argument("--tolerance", type=float, default=2.5)
    sp.add_argument("--reconnect", action="store_true")

    sp = add("fdflood", cmd_fdflood)
    sp.add_argument("--server-pid", type=int, required=True)
    sp.add_argument("--conns", type=int, default=1000)
    sp.add_argument("--connect-wait", type=float, default=5)
    sp.add_argument("--answer-wait", type=float, default=5)
    sp.add_argument("--idle", type=float, default=5)
    sp.add_argument("--second", type=int, default=50)
    sp.add_argument("--recover-wait", type=float, default=15)

    sp = add("concurrent", cmd_concurrent)
    sp.add_argument("--path", required=True)
    sp.add_argument("--n", type=int, default=50)
    sp.add_argument("--timeout", type=float, default=20)
    sp.add_argument("--probe", default="/index.html")

    sp = add("cgiget", cmd_cgiget)
    sp.add_argument("--path", required=True)
    sp.add_argument("--timeout", type=float, default=20)
    sp.add_argument("--probe", default="/index.html")

    sp = add("slowread", cmd_slowread)
    sp.add_argument("--path", required=True)
    sp.add_argument("--server-pid", type=int, required=True)
    sp.add_argument("--rate-mib", type=float, default=40)
    sp.add_argument("--max-seconds", type=float, default=60)
    sp.add_argument("--stop-after", type=int, default=0)
    sp.add_argument("--probe", default="/index.html")

    sp = add("halfreq", cmd_halfreq)
    sp.add_argument("--n", type=int, default=10000)
    sp.add_argument("--batch", type=int, default=100)
    sp.add_argument("--pause", type=float, default=0.0)
    sp.add_argument("--max-seconds", type=float, default=120)

    sp = add("abortupload", cmd_abortupload)
    sp.add_argument("--path", default="/upload/")
    sp.add_argument("--n", type=int, default=90)
    sp.add_argument("--pause", type=float, default=0.02)
    sp.add_argument("--max-seconds", type=float, default=60)

    a = p.parse_args()
    a.func(a)


if __name__ == "__main__":
    main()
