#!/usr/bin/python3
"""limits.py: webserv (and nginx beside it) at the two limits of README's
"Reliability": memory and the connection table.

  memory      the server under an address-space limit of its idle size plus
              24 MiB (prlimit on its pid), 3000 connections each sending a
              request line, a Host and one 30 000-byte header line and never
              finishing; then one GET. Reports the connections still held,
              the error-log lines, whether the server lives and the GET.
  idle        a table of 64 filled with idle keep-alive connections, then 20
              new clients that stay: how many are answered, slowest answer.
  trickling   a table of 64 filled with 80 request heads that never end
              (half a second for the server to read them), then 20 new
              clients: the same.

Usage: scripts/limits.py [webserv|nginx|both]   (default both; run from the
repository root after `make`; nginx needs `apt-get install nginx-light`).
Every server runs in the foreground with its own config in a temp dir, on
127.0.0.1, and is stopped by its pid; every wait is bounded.
"""

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MARGIN_KIB = 24 * 1024
HEAD = b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 30000 + b"\r\n"
WEBSERV_CONF = """max_connections {table};
error_log {dir}/error.log;
server {{ listen 127.0.0.1:{port}; root {dir}/www; access_log off; }}
"""
NGINX_CONF = """daemon off; master_process off; pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections {table}; }}
http {{ access_log off; client_body_temp_path {dir}; proxy_temp_path {dir};
  fastcgi_temp_path {dir}; uwsgi_temp_path {dir}; scgi_temp_path {dir};
  large_client_header_buffers 4 32k;
  server {{ listen 127.0.0.1:{port}; root {dir}/www; }} }}
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(kind, table, directory):
    port = free_port()
    os.makedirs(os.path.join(directory, "www"), exist_ok=True)
    with open(os.path.join(directory, "www", "index.html"), "w") as f:
        f.write("hello\n")
    conf = os.path.join(directory, kind + ".conf")
    text = WEBSERV_CONF if kind == "webserv" else NGINX_CONF
    with open(conf, "w") as f:
        f.write(text.format(table=table, dir=directory, port=port))
    argv = ["./webserv", conf] if kind == "webserv" else ["/usr/sbin/nginx", "-c", conf, "-e", os.path.join(directory, "error.log")]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(kind + " did not start")


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def get(port, timeout=10):
    began = time.time()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = s.recv(64)
        s.close()
        status = answer.split(b" ")[1].decode() if answer.startswith(b"HTTP/1.1 ") else "closed"
    except OSError as error:
        status = type(error).__name__
    return status, time.time() - began


def vm_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def held(sockets):
    """Connections with no answer and no close yet."""
    count = 0
    for s in sockets:
        s.setblocking(False)
        try:
            s.recv(1)       # an answer, or the close: not held
        except BlockingIOError:
            count += 1
        except OSError:
            pass
    return count


def memory(kind, directory):
    process, port = start(kind, 4096, directory)
    get(port)
    idle = vm_kib(process.pid, "VmSize")
    limit = (idle + MARGIN_KIB) * 1024
    resource.prlimit(process.pid, resource.RLIMIT_AS, (limit, limit))
    sockets = []
    for _ in range(3000):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(HEAD)
            sockets.append(s)
        except OSError:
            break
    status, took = get(port)
    alive = process.poll() is None
    peak = vm_kib(process.pid, "VmPeak") if alive else -1
    holding = held(sockets)
    for s in sockets:
        s.close()
    with open(os.path.join(directory, "error.log"), errors="replace") as f:
        lines = [l for l in f if "alloc" in l or "memory" in l]
    if alive:
        stop(process)
    print("%s memory: limit %d KiB (idle %d + %d), %d connections opened, %d still held,"
          " alive: %s, VmPeak %d KiB, GET: %s in %.2f s, %d memory lines in the error log"
          % (kind, limit // 1024, idle, MARGIN_KIB, len(sockets), holding, alive, peak,
             status, took, len(lines)))
    if lines:
        print("    first: " + lines[0].strip()[:160])


def full_table(kind, directory, trickling):
    process, port = start(kind, 64, directory)
    fill = []
    for _ in range(80 if trickling else 64):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if trickling:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        else:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(4096)
        fill.append(s)
    if trickling:
        # Let the server read the heads' first bytes: nginx closes a
        # connection for a new client only while no byte of its request
        # has been read (a "reusable" one).
        time.sleep(0.5)
    answered, slowest = 0, 0.0
    for _ in range(20):
        status, took = get(port, timeout=5)
        answered += status == "200"
        slowest = max(slowest, took)
    for s in fill:
        s.close()
    stop(process)
    print("%s full table (64, %s): %d of 20 new clients answered, slowest %.2f s"
          % (kind, "80 trickling heads" if trickling else "64 idle keep-alive", answered, slowest))


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    kinds = ["webserv", "nginx"] if which == "both" else [which]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 10000), hard))
    for kind in kinds:
        for run in (memory, lambda k, d: full_table(k, d, False), lambda k, d: full_table(k, d, True)):
            directory = tempfile.mkdtemp(prefix="limits-")
            try:
                run(kind, directory)
            finally:
                shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
