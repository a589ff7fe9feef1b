#!/usr/bin/env bash
# Streams a large upload (default 512 MiB) into a fresh ./webserv and prints
# the server's resident memory before, during and after: the body goes to
# disk as it arrives, so RSS must stay at a few MiB whatever the size.
#   scripts/upload-memory.sh [MiB]
set -euo pipefail
cd "$(dirname "$0")/.."

MIB=${1:-512}
WORK=$(mktemp -d)
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/store"
cat > "$WORK/webserv.conf" <<CONF
access_log off;
server {
    listen 127.0.0.1:$PORT;
    root $WORK;
    location /store/ {
        allow_methods GET POST DELETE;
        upload_store $WORK/store;
        client_max_body_size 0;
    }
}
CONF
make -s webserv
./webserv "$WORK/webserv.conf" 2> "$WORK/error.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$WORK/error.log" && break; sleep 0.1; done

rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
peak() { awk '/VmHWM/ {print $2}' "/proc/$SERVER/status"; }
before=$(rss)
# The body is generated on the fly and sent chunked (curl reads stdin).
head -c $((MIB * 1024 * 1024)) /dev/zero | curl -s -o "$WORK/response" -w '%{http_code}' \
    -H 'Expect:' -H 'Content-Type: application/octet-stream' -T - \
    -X POST "http://127.0.0.1:$PORT/store/big.bin" > "$WORK/status"
after=$(rss)
highest=$(peak)
size=$(stat -c %s "$WORK/store/big.bin")
echo "upload of $MIB MiB: HTTP $(cat "$WORK/status"), stored $size bytes"
echo "server RSS: before ${before} KiB, after ${after} KiB, peak ${highest} KiB"
[ "$(cat "$WORK/status")" = 201 ] && [ "$size" -eq $((MIB * 1024 * 1024)) ] || { echo "FAIL: upload not stored" >&2; exit 1; }
[ "$highest" -lt 16384 ] || { echo "FAIL: peak RSS above 16 MiB" >&2; exit 1; }
echo "ok: peak RSS stayed under 16 MiB"
