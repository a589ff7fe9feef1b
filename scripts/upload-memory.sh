#!/usr/bin/env bash
# Streams a large upload (default 512 MiB) into a fresh ./webserv and prints
# the server's resident memory before, during and after: the body goes to
# disk as it arrives, so RSS must stay at a few MiB whatever the size.
#   scripts/upload-memory.sh [MiB]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
DIE_PREFIX="FAIL: "

MIB=${1:-512}
WORK=$(mktemp -d)
on_exit() { rm -rf "$WORK"; }
trap_cleanup
PORT=$(free_port)
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
stop_at_exit "$SERVER"
wait_for_port "$PORT" 5 "$SERVER" || die "webserv does not accept connections on port $PORT after 5 s: $(cat "$WORK/error.log")"

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
[ "$(cat "$WORK/status")" = 201 ] && [ "$size" -eq $((MIB * 1024 * 1024)) ] || die "upload not stored"
[ "$highest" -lt 16384 ] || die "peak RSS above 16 MiB"
echo "ok: peak RSS stayed under 16 MiB"
