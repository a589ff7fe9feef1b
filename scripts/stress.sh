#!/usr/bin/env bash
# stress.sh - stress and fault checks for webserv (issue 7, item 3). Builds
# ./webserv, runs it on free loopback ports with its own configuration and
# files in a temporary directory, runs every check bounded in time and prints
# a table (check, what was measured, PASS/FAIL). Exits 1 if any check fails.
#
#   scripts/stress.sh                        # every check, the issue's durations (~12 min)
#   STRESS_SECONDS=10 scripts/stress.sh      # a quick run: every duration shortened
#   STRESS_CHECKS=slowloris,cgi scripts/stress.sh    # some checks only
#
# Checks (names for STRESS_CHECKS):
#   siege      siege -b -c 255 -t 60s on static, autoindex, 404 and CGI URLs:
#              availability 100.00 %, 0 failed transactions
#   slowloris  500 connections sending one header byte every 2-4 s (they
#              reconnect when cut), while one client's latency is measured:
#              median within 2x the idle median; each slow one is cut (408 +
#              close) at client_header_timeout (10 s), none earlier, none later
#   fds        a second webserv under `ulimit -n 256` gets 1000 connections: the
#              accepted ones are served (again, keep-alive), server CPU while
#              they stay open < 25 %, a new connection is served once they
#              close, and its fd count is back to where it was
#   cgi        50 concurrent scripts sleeping past cgi_timeout (3 s): all 504;
#              1 GiB of output to a client reading at 48 MiB/s (completes) and
#              to one that stops after 64 MiB (script killed): server RSS
#              < 64 MiB; a script that forks a grandchild keeping stdout and
#              exits, one whose grandchild detaches, one that closes stdout and
#              keeps running; a static probe every 250 ms never fails and
#              answers in < 1 s; no child left and no zombie at the end
#   disconnect 10 000 clients sending half a request head and vanishing
#              (half with a reset), 90 uploads (raw, chunked, multipart)
#              abandoned mid-body: VmRSS grows < 1 MiB, fd count equal, no
#              .webserv-upload-* temporary file and no stored file left
#   soak       wrk -c 200 keep-alive + siege -c 25 for 5 minutes: RSS at the end
#              <= 110 % of RSS after the first fifth (a minute), each the
#              median of 1 s samples over 10 s; no wrk error or non-2xx,
#              siege availability 100 %
#
# Environment:
#   STRESS_SECONDS       siege duration and the base of the others (default 60)
#   STRESS_SOAK_SECONDS  soak duration (default 5 x STRESS_SECONDS = 300)
#   STRESS_CHECKS        comma-separated subset (default: all, in the order above)
#   STRESS_KEEP=1        keep the work directory (kept anyway when a check fails)
#
# Needs: siege, wrk, curl, /usr/bin/python3 (the clients in scripts/stress/ use
# its standard library only); missing packages are installed with apt-get.
# Loopback only. Every process started here is stopped by its own PID on exit
# (normal, error, Ctrl-C); every wait is bounded.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=/usr/bin/python3
TOOLS=$ROOT/scripts/stress/tools.py

D=${STRESS_SECONDS:-60}
SOAK=${STRESS_SOAK_SECONDS:-$((D * 5))}
CHECKS=${STRESS_CHECKS:-siege,slowloris,fds,cgi,disconnect,soak}
HEADER_TIMEOUT=10
CGI_TIMEOUT=3
FD_LIMIT=256

# ------------------------------------------------------------------ tools
need=()
command -v siege >/dev/null || need+=(siege)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
[ -x $PY ] || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    echo "stress.sh: installing ${need[*]} (apt-get)"
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    timeout 300 $SUDO apt-get update -qq
    timeout 600 $SUDO apt-get install -y -qq "${need[@]}"
fi
# 500 slow connections, 1000 flood connections and the servers need more than
# the usual 1024 descriptors.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 8192 ]; then ulimit -n 8192; else ulimit -n "$hard"; fi

make -s webserv

WORK=$(mktemp -d /tmp/webserv-stress.XXXXXX)
SERVER=""; FDSERVER=""
FAILED=0
# After cleanup has stopped every server and helper (named with stop_at_exit
# by start_server and spawn).
on_exit() {
    local p
    # Scripts and grandchildren of the CGI fault checks record their own
    # PIDs; one still running is killed if it is still what it was.
    if [ -f "$WORK/cgi.pids" ]; then
        while read -r p; do
            case $( { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null) in
                "sleep 8 "|"head -c 1073741824 /dev/zero ") kill "$p" 2>/dev/null || true;;
            esac
        done < "$WORK/cgi.pids"
    fi
    if [ "$FAILED" = 0 ] && [ "${STRESS_KEEP:-0}" != 1 ]; then
        rm -rf "$WORK"
    else
        echo "work directory kept: $WORK"
    fi
}
trap_cleanup

jget() { # FILE KEY [KEY...] -> value (JSON null -> "null"; objects as JSON)
    $PY - "$@" <<'EOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        v = json.loads(f.read().strip().splitlines()[-1])
    for k in sys.argv[2:]:
        v = v[k]
except Exception:
    v = None
print(json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) or v is None else v)
EOF
}
# Floating-point comparison: fcmp "A < B" -> status 0 when true.
fcmp() { awk "BEGIN { exit !($1) }" 2>/dev/null; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
nfds() { { ls "/proc/$1/fd" 2>/dev/null || true; } | wc -l; }
alive() { [ -n "$1" ] && [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
children() { ps -o pid=,stat=,args= --ppid "$1" 2>/dev/null || true; }
zombies() { ps -o stat= --ppid "$1" 2>/dev/null | grep -c '^Z' || true; }

# Runs a helper in the background, bounded: spawn NAME SECONDS CMD... ; sets LAST_BG.
spawn() {
    local name=$1 secs=$2; shift 2
    timeout -k 5 "$secs" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
    LAST_BG=$!
    stop_at_exit "$LAST_BG"
}
# Waits for a spawned helper (its own timeout bounds the wait) and forgets its
# PID, so that the cleanup never signals a PID that may have been reused;
# returns the helper's status.
bgwait() {
    local rc=0
    wait "$1" || rc=$?
    forget_pid "$1"
    return $rc
}
tool() { # NAME SECONDS SUBCOMMAND ARGS... : run a tools.py client, bounded, in the foreground
    local name=$1 secs=$2; shift 2
    spawn "$name" "$secs" $PY "$TOOLS" "$@"
    bgwait "$LAST_BG" || echo "  ($name exited with status $?; stderr: $(tail -c 300 "$WORK/$name.err"))"
}

ROWS=()
row() { # CHECK MEASURED PASS|FAIL
    ROWS+=("$1"$'\t'"$2"$'\t'"$3")
    [ "$3" = PASS ] || FAILED=1
    printf '  -> %-4s %s: %s\n' "$3" "$1" "$2"
}
verdict() { if "$@"; then echo PASS; else echo FAIL; fi; }
want() { case ",$CHECKS," in *,"$1",*) return 0;; esac; return 1; }

# ------------------------------------------------------------------ the site
PORT=$(free_port)
SITE=$WORK/www
mkdir -p "$SITE/files/sub" "$SITE/errors" "$SITE/upload" "$SITE/cgi-bin" "$SITE/cgi-long"
head -c 2048 /dev/urandom | base64 -w 76 | sed '1i <!doctype html><title>stress</title><pre>' > "$SITE/index.html"
head -c 65536 /dev/urandom > "$SITE/64k.bin"
for i in $(seq 1 40); do echo "file $i" > "$SITE/files/file-$i.txt"; done
echo '<!doctype html><title>404</title><h1>Not here</h1>' > "$SITE/errors/404.html"
PIDFILE=$WORK/cgi.pids
: > "$PIDFILE"
cgi() { printf '#!/bin/sh\n%s\n' "$2" > "$SITE/$1"; chmod 755 "$SITE/$1"; }
cgi cgi-bin/hello.sh "printf 'Content-Type: text/plain\\r\\n\\r\\nhello from %s\\n' \"\$QUERY_STRING\""
# Sleeps far past cgi_timeout (exec: the server's SIGTERM reaches sleep itself).
cgi cgi-bin/sleep.sh 'exec sleep 60'
# 1 GiB of output, with its length, so the client knows when it is complete.
# In /cgi-long/: cgi_timeout limits a script's whole run, and this one has to
# outlast a slow reader.
cgi cgi-long/flood.sh "echo \$\$ >> $PIDFILE
printf 'Content-Type: application/octet-stream\\r\\nContent-Length: 1073741824\\r\\n\\r\\n'
exec head -c 1073741824 /dev/zero"
# Forks a grandchild that keeps stdout open for 8 s, and exits at once.
cgi cgi-bin/grandchild.sh "printf 'Content-Type: text/plain\\r\\n\\r\\nparent done\\n'
sh -c 'echo \$\$ >> $PIDFILE; exec sleep 8' &
exit 0"
# Forks a grandchild that detaches (its own stdio) and sleeps 8 s; exits at once.
cgi cgi-bin/detach.sh "printf 'Content-Type: text/plain\\r\\n\\r\\nparent done\\n'
sh -c 'echo \$\$ >> $PIDFILE; exec sleep 8' </dev/null >/dev/null 2>&1 &
exit 0"
# Answers, closes its stdout, and keeps running 8 s (past cgi_timeout).
cgi cgi-bin/closeout.sh "echo \$\$ >> $PIDFILE
printf 'Content-Type: text/plain\\r\\n\\r\\nbye\\n'
exec >&-
exec sleep 8"

write_conf() { # FILE PORT
    cat > "$1" <<CONF
access_log off;
max_connections 4096;
server {
    listen 127.0.0.1:$2;
    root $SITE;
    error_page 404 /errors/404.html;
    client_header_timeout ${HEADER_TIMEOUT}s;
    location /files/ { autoindex on; }
    location /upload/ {
        allow_methods GET POST DELETE;
        upload_store $SITE/upload;
        client_max_body_size 0;
    }
    location /cgi-bin/ {
        allow_methods GET POST;
        cgi .sh;
        cgi_timeout ${CGI_TIMEOUT}s;
    }
    location /cgi-long/ {
        cgi .sh;
        cgi_timeout 600s;
    }
}
CONF
}
write_conf "$WORK/webserv.conf" "$PORT"

# start_server NAME CONF [FD_LIMIT] ; sets STARTED_PID
start_server() {
    local name=$1 conf=$2 limit=${3:-}
    if [ -n "$limit" ]; then
        bash -c 'ulimit -n "$1" && exec "$2" "$3"' _ "$limit" "$ROOT/webserv" "$conf" \
            > "$WORK/$name.out" 2> "$WORK/$name.log" &
    else
        "$ROOT/webserv" "$conf" > "$WORK/$name.out" 2> "$WORK/$name.log" &
    fi
    STARTED_PID=$!
    stop_at_exit "$STARTED_PID"
    local i
    for i in $(seq 100); do
        grep -q "listening on" "$WORK/$name.log" 2>/dev/null && return 0
        alive "$STARTED_PID" || break
        sleep 0.1
    done
    echo "webserv ($name) did not start:" >&2
    cat "$WORK/$name.log" >&2
    return 1
}
ensure_server() {
    if ! alive "$SERVER"; then
        [ -z "$SERVER" ] || row "server" "webserv (pid $SERVER) died before '$1'; restarted" FAIL
        forget_pid "$SERVER"
        start_server main "$WORK/webserv.conf"
        SERVER=$STARTED_PID
    fi
}
ensure_server start
URL=http://127.0.0.1:$PORT
for p in /index.html /files/ /missing.html /cgi-bin/hello.sh; do
    curl -s -o /dev/null --max-time 5 -w "  sanity GET $p -> %{http_code}\n" "$URL$p"
done

# siege, with its own resource file so ~/.siegerc does not interfere.
cat > "$WORK/siegerc" <<'EOF'
verbose = false
quiet = false
json_output = false
show-logfile = false
logging = false
protocol = HTTP/1.1
connection = close
parser = false
timeout = 30
failures = 1000000
limit = 1024
accept-encoding =
spinner = false
EOF
cat > "$WORK/urls.txt" <<EOF
$URL/index.html
$URL/files/
$URL/missing.html
$URL/cgi-bin/hello.sh?siege
$URL/64k.bin
$URL/files/file-7.txt
EOF
siege_run() { # NAME CONCURRENCY SECONDS -> $WORK/NAME.out (siege's report on stderr)
    local rc=0
    spawn "$1" $(($3 + 60)) siege -R "$WORK/siegerc" -b -c "$2" -t "$3S" -f "$WORK/urls.txt"
    bgwait "$LAST_BG" || rc=$?
    [ $rc = 0 ] || echo "  (siege exited with status $rc)"
}
siege_field() { # NAME FIELD -> number after "FIELD:"
    sed -n "s/^$2:[[:space:]]*\([0-9.]*\).*/\1/p" "$WORK/$1.err" "$WORK/$1.out" | head -1
}

echo "stress.sh: webserv pid $SERVER on $URL, work dir $WORK"
echo "  durations: siege ${D}s, soak ${SOAK}s; client_header_timeout ${HEADER_TIMEOUT}s, cgi_timeout ${CGI_TIMEOUT}s"
T_START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ 1. siege
if want siege; then
    ensure_server siege
    echo "== siege -b -c 255 -t ${D}s on $(wc -l < "$WORK/urls.txt") URLs"
    siege_run siege 255 "$D"
    avail=$(siege_field siege Availability); failed=$(siege_field siege "Failed transactions")
    trans=$(siege_field siege Transactions); rate=$(siege_field siege "Transaction rate")
    resp=$(siege_field siege "Response time"); longest=$(siege_field siege "Longest transaction")
    ok=FAIL
    [ "$avail" = 100.00 ] && [ "$failed" = 0 ] && [ "${trans:-0}" -gt 0 ] && alive "$SERVER" && ok=PASS
    row "siege -b -c 255 -t ${D}s (static, autoindex, 404, CGI)" \
        "availability ${avail:-?} %, failed ${failed:-?}, ${trans:-?} transactions, ${rate:-?} trans/s, mean ${resp:-?} s, longest ${longest:-?} s" $ok
fi

# ------------------------------------------------------------------ 2. slowloris
if want slowloris; then
    ensure_server slowloris
    SLOW_SECS=$((HEADER_TIMEOUT * 2 + 8))
    [ "$D" -ge 30 ] && SLOW_SECS=$((D / 2 + HEADER_TIMEOUT))
    echo "== slowloris: 500 connections, one byte every 2-4 s, ${SLOW_SECS}s"
    # A normal client: a new connection per request, and one keep-alive
    # connection; medians of 100 requests idle, then 100 spread over the run
    # (it includes the mass cuts at client_header_timeout).
    tool latency_idle 60 latency --port "$PORT" --count 100 --interval 0.05
    tool latency_idle_ka 60 latency --port "$PORT" --count 100 --interval 0.05 --keepalive
    spawn slowloris $((SLOW_SECS + 30)) $PY "$TOOLS" slowloris --port "$PORT" --conns 500 \
        --seconds "$SLOW_SECS" --header-timeout "$HEADER_TIMEOUT" --reconnect
    SLOW_PID=$LAST_BG
    sleep 2             # all 500 open and trickling
    fds_during=$(nfds "$SERVER")
    interval=$(awk -v s="$SLOW_SECS" 'BEGIN { printf "%.2f", (s - 6) / 100 }')
    spawn latency_slow_ka $((SLOW_SECS + 30)) $PY "$TOOLS" latency --port "$PORT" --count 100 --interval "$interval" --keepalive
    KA_PID=$LAST_BG
    tool latency_slow $((SLOW_SECS + 30)) latency --port "$PORT" --count 100 --interval "$interval"
    bgwait "$KA_PID" || echo "  (keep-alive latency client exited with status $?)"
    bgwait "$SLOW_PID" || echo "  (slowloris helper exited with status $?)"
    idle=$(jget "$WORK/latency_idle.out" median_ms); loaded=$(jget "$WORK/latency_slow.out" median_ms)
    lerr=$(jget "$WORK/latency_slow.out" errors); lp90=$(jget "$WORK/latency_slow.out" p90_ms)
    idle_ka=$(jget "$WORK/latency_idle_ka.out" median_ms); loaded_ka=$(jget "$WORK/latency_slow_ka.out" median_ms)
    lerr_ka=$(jget "$WORK/latency_slow_ka.out" errors)
    ok=FAIL
    alive "$SERVER" && [ "$lerr" = 0 ] && [ "$lerr_ka" = 0 ] && [ "$loaded" != null ] && [ "$loaded_ka" != null ] \
        && fcmp "$loaded <= 2 * $idle" && fcmp "$loaded_ka <= 2 * $idle_ka" && ok=PASS
    row "slowloris: latency of a normal client (limit 2x idle)" \
        "new connection per request: median ${loaded} ms (p90 ${lp90} ms) vs ${idle} ms idle = $(awk -v a="$loaded" -v b="$idle" 'BEGIN { printf "%.2f", a / b }')x; keep-alive: ${loaded_ka} ms vs ${idle_ka} ms = $(awk -v a="$loaded_ka" -v b="$idle_ka" 'BEGIN { printf "%.2f", a / b }')x; errors $lerr + $lerr_ka; server fds during: $fds_during" $ok
    S=$WORK/slowloris.out
    opened=$(jget "$S" opened); cut=$(jget "$S" cut); got408=$(jget "$S" got_408)
    early=$(jget "$S" early); late=$(jget "$S" late); cerr=$(jget "$S" connect_errors)
    ok=FAIL
    [ "$cut" != null ] && [ "$cut" -ge 500 ] && [ "$got408" = "$cut" ] && [ "$early" = 0 ] && [ "$late" = 0 ] && [ "$cerr" = 0 ] && ok=PASS
    row "slowloris: slow ones cut at client_header_timeout ${HEADER_TIMEOUT}s" \
        "$opened opened, $cut cut by the server ($got408 with 408) after $(jget "$S" cut_min_s)-$(jget "$S" cut_max_s) s (median $(jget "$S" cut_median_s) s, closed by $(jget "$S" eof_max_s) s); early $early, late $late, connect errors $cerr" $ok
fi

# ------------------------------------------------------------------ 3. fd exhaustion
if want fds; then
    echo "== fd exhaustion: webserv under ulimit -n $FD_LIMIT, 1000 connections"
    FDPORT=$(free_port)
    write_conf "$WORK/fd.conf" "$FDPORT"
    start_server fd "$WORK/fd.conf" "$FD_LIMIT"
    FDSERVER=$STARTED_PID
    limit=$(awk '/Max open files/ {print $4}' "/proc/$FDSERVER/limits")
    curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$FDPORT/index.html" || true
    fd_before=$(nfds "$FDSERVER")
    tool fdflood 90 fdflood --port "$FDPORT" --server-pid "$FDSERVER" --conns 1000
    F=$WORK/fdflood.out
    # Settle: the server drops the closed connections it accepts late.
    for _ in $(seq 50); do [ "$(nfds "$FDSERVER")" -le "$fd_before" ] && break; sleep 0.2; done
    fd_after=$(nfds "$FDSERVER")
    emfile=$(grep -c 'Too many open files' "$WORK/fd.log" || true)
    answered=$(jget "$F" answered); cpu=$(jget "$F" idle_cpu_pct)
    second=$(jget "$F" second_answered); sent2=$(jget "$F" second_sent); rec=$(jget "$F" recovered_after_s)
    ok=FAIL
    alive "$FDSERVER" && [ "$answered" != null ] && [ "$answered" -ge 100 ] && [ "$second" = "$sent2" ] \
        && [ "$rec" != null ] && fcmp "$cpu < 25" && [ "$fd_after" = "$fd_before" ] && ok=PASS
    row "fd exhaustion (RLIMIT_NOFILE $limit, 1000 connections)" \
        "$(jget "$F" connected) connected, $answered served, $second/$sent2 served again; server CPU while full ${cpu} %; fds $fd_before -> $(jget "$F" server_fds_while_full) -> $fd_after; new connection served ${rec} s after close; $emfile EMFILE log lines" $ok
    stop_pid "$FDSERVER"; FDSERVER=""
fi

# ------------------------------------------------------------------ 4. CGI faults
server_children_gone() { # wait up to $1 s for the server to have no child
    local i
    for i in $(seq $(($1 * 5))); do
        [ -z "$(children "$SERVER")" ] && return 0
        sleep 0.2
    done
    return 1
}
probe_ok() { # FILE: every static probe answered, within 1 s
    local f=$1 failed max
    failed=$(jget "$f" probe_failed); max=$(jget "$f" probe_max_ms)
    [ "$failed" = 0 ] && [ "$max" != null ] && fcmp "$max < 1000"
}
probe_txt() { echo "probes $(jget "$1" probe_count) ($(jget "$1" probe_failed) failed, max $(jget "$1" probe_max_ms) ms)"; }
if want cgi; then
    ensure_server cgi
    echo "== CGI faults"
    # 50 scripts sleeping past cgi_timeout.
    tool cgi_sleep 60 concurrent --port "$PORT" --path /cgi-bin/sleep.sh --n 50 --timeout $((CGI_TIMEOUT + 15))
    C=$WORK/cgi_sleep.out
    n504=$(jget "$C" statuses 504)
    ok=FAIL
    [ "$n504" = 50 ] && probe_ok "$C" && server_children_gone 5 && ok=PASS
    row "CGI: 50 concurrent scripts past cgi_timeout ${CGI_TIMEOUT}s" \
        "statuses $(jget "$C" statuses) after $(jget "$C" min_s)-$(jget "$C" max_s) s; $(probe_txt "$C"); children left: $(children "$SERVER" | wc -l)" $ok

    # 1 GiB to a slow reader that reads it all, then to one that stops.
    rss0=$(rss "$SERVER")
    tool cgi_flood $((D + 40)) slowread --port "$PORT" --path /cgi-long/flood.sh --server-pid "$SERVER" \
        --rate-mib 48 --max-seconds "$((D > 30 ? D : 30))"
    C=$WORK/cgi_flood.out
    maxrss=$(jget "$C" max_rss_kib); stop=$(jget "$C" stop)
    ok=FAIL
    [ "$(jget "$C" status)" = 200 ] && [ "$maxrss" -lt 65536 ] && probe_ok "$C" && server_children_gone 5 \
        && case $stop in complete|"client gave up (time bound)") true;; *) false;; esac && ok=PASS
    row "CGI: 1 GiB output, client reading at 48 MiB/s" \
        "$stop: $(jget "$C" received) bytes in $(jget "$C" seconds) s; server RSS $rss0 KiB before, max ${maxrss} KiB (limit 64 MiB); $(probe_txt "$C")" $ok
    tool cgi_flood_stop 60 slowread --port "$PORT" --path /cgi-long/flood.sh --server-pid "$SERVER" \
        --rate-mib 48 --max-seconds 30 --stop-after $((64 * 1024 * 1024))
    C=$WORK/cgi_flood_stop.out
    maxrss=$(jget "$C" max_rss_kib)
    gone=no; server_children_gone 5 && gone=yes
    ok=FAIL
    [ "$(jget "$C" stop)" = "client stopped" ] && [ "$maxrss" -lt 65536 ] && probe_ok "$C" && [ $gone = yes ] && ok=PASS
    row "CGI: 1 GiB output, client stops after 64 MiB" \
        "$(jget "$C" stop) at $(jget "$C" received) bytes; script killed and reaped within 5 s: $gone; server RSS max ${maxrss} KiB; $(probe_txt "$C")" $ok

    # A grandchild that keeps the script's stdout open.
    tool cgi_gc 60 cgiget --port "$PORT" --path /cgi-bin/grandchild.sh --timeout 20
    C=$WORK/cgi_gc.out
    ok=FAIL
    [ "$(jget "$C" status)" = 200 ] && probe_ok "$C" && fcmp "$(jget "$C" seconds) < $((CGI_TIMEOUT + 9))" && ok=PASS
    row "CGI: script forks a grandchild holding stdout (8 s) and exits" \
        "status $(jget "$C" status), body '$(jget "$C" body_prefix | tr -d '\n')', response ended after $(jget "$C" seconds) s ($(jget "$C" framing), complete $(jget "$C" complete), closed $(jget "$C" closed)); $(probe_txt "$C")" $ok
    tool cgi_detach 60 cgiget --port "$PORT" --path /cgi-bin/detach.sh --timeout 20
    C=$WORK/cgi_detach.out
    ok=FAIL
    [ "$(jget "$C" status)" = 200 ] && [ "$(jget "$C" complete)" = True ] && probe_ok "$C" \
        && [ "$(jget "$C" next_on_same_connection)" = 200 ] && fcmp "$(jget "$C" seconds) < 2" && ok=PASS
    row "CGI: script forks a detached grandchild and exits" \
        "status $(jget "$C" status), complete $(jget "$C" complete) after $(jget "$C" seconds) s, next request on the connection: $(jget "$C" next_on_same_connection); $(probe_txt "$C")" $ok
    # Closes stdout early and keeps running past cgi_timeout.
    tool cgi_closeout 60 cgiget --port "$PORT" --path /cgi-bin/closeout.sh --timeout 20
    C=$WORK/cgi_closeout.out
    ok=FAIL
    [ "$(jget "$C" status)" = 200 ] && [ "$(jget "$C" complete)" = True ] && probe_ok "$C" \
        && fcmp "$(jget "$C" seconds) < $((CGI_TIMEOUT + 2))" && ok=PASS
    row "CGI: script closes stdout early, keeps running 8 s" \
        "status $(jget "$C" status), body '$(jget "$C" body_prefix | tr -d '\n')', complete $(jget "$C" complete) after $(jget "$C" seconds) s, next request on the connection: $(jget "$C" next_on_same_connection); $(probe_txt "$C")" $ok

    # Nothing left: no child of the server (the 8 s sleepers are gone or
    # reaped), no zombie.
    server_children_gone 15 || true
    left=$(children "$SERVER"); z=$(zombies "$SERVER")
    ok=FAIL
    alive "$SERVER" && [ -z "$left" ] && [ "$z" = 0 ] && ok=PASS
    row "CGI: no zombie, no child left at the end" \
        "zombies $z, children ${left:-none}; server RSS $(rss "$SERVER") KiB, fds $(nfds "$SERVER")" $ok
fi

# ------------------------------------------------------------------ 5. disconnects
settle_fds() { # wait up to $2 s for the server's fd count to drop to $1
    local i
    for i in $(seq $(($2 * 5))); do
        [ "$(nfds "$SERVER")" -le "$1" ] && return 0
        sleep 0.2
    done
    return 1
}
if want disconnect; then
    ensure_server disconnect
    echo "== disconnects: 10000 half requests, 90 aborted uploads"
    # Warm-up (allocator, caches), then the baseline.
    tool warm_half 60 halfreq --port "$PORT" --n 300
    tool warm_up 60 abortupload --port "$PORT" --n 6
    curl -s -o /dev/null --max-time 10 --data-binary @"$SITE/64k.bin" "$URL/upload/warm.bin"
    curl -s -o /dev/null --max-time 10 -X DELETE "$URL/upload/warm.bin"
    sleep 1
    store_before=$(ls -A "$SITE/upload" | wc -l)
    fd0=$(nfds "$SERVER")
    settle_fds "$fd0" 5 || true
    fd0=$(nfds "$SERVER"); rss0=$(rss "$SERVER")
    tool halfreq 180 halfreq --port "$PORT" --n 10000
    # The uploads are abandoned once their bytes reach a temporary file:
    # sample the store meanwhile to see that they did.
    spawn abortupload 120 $PY "$TOOLS" abortupload --port "$PORT" --n 90
    AB=$LAST_BG; tmp_seen=0
    while kill -0 "$AB" 2>/dev/null; do
        n=$(find "$SITE/upload" -name '.webserv-upload-*' | wc -l)
        [ "$n" -gt "$tmp_seen" ] && tmp_seen=$n
        sleep 0.01
    done
    bgwait "$AB" || echo "  (abortupload exited with status $?)"
    settle_fds "$fd0" 15 || true
    sleep 1
    fd1=$(nfds "$SERVER"); rss1=$(rss "$SERVER")
    tmp=$(find "$SITE/upload" -name '.webserv-upload-*' | wc -l)
    store_after=$(ls -A "$SITE/upload" | wc -l)
    ok=FAIL
    alive "$SERVER" && [ "$fd1" = "$fd0" ] && [ $((rss1 - rss0)) -le 1024 ] && [ "$tmp" = 0 ] \
        && [ "$store_after" = "$store_before" ] && [ "$(jget "$WORK/halfreq.out" clients)" = 10000 ] && ok=PASS
    row "disconnects: 10000 half requests + 90 aborted uploads" \
        "$(jget "$WORK/halfreq.out" clients) clients in $(jget "$WORK/halfreq.out" seconds) s, uploads $(jget "$WORK/abortupload.out" aborted); VmRSS $rss0 -> $rss1 KiB (limit +1024), fds $fd0 -> $fd1, temp files $tmp (up to $tmp_seen seen during), files in store $store_before -> $store_after" $ok
fi

# ------------------------------------------------------------------ 6. soak
if want soak; then
    ensure_server soak
    echo "== soak: wrk -c 200 keep-alive + siege -c 25, ${SOAK}s"
    FIRST=$((SOAK / 5))
    spawn soak_wrk $((SOAK + 60)) wrk -t2 -c200 -d"${SOAK}s" --timeout 5s "$URL/index.html"
    WRK=$LAST_BG
    siege_run_bg() { spawn soak_siege $((SOAK + 60)) siege -R "$WORK/siegerc" -b -c 25 -t "${SOAK}S" -f "$WORK/urls.txt"; }
    siege_run_bg
    SIEGE=$LAST_BG
    # RSS once a second. A single sample moves by ~1 MiB with what the open
    # connections hold at that instant (64 KiB file pieces, buffers), so
    # "RSS after the first minute" is the median of the samples within 5 s
    # of FIRST, and "RSS at the end" the median of the last 10 s of load.
    : > "$WORK/soak_rss.txt"
    t0=$(date +%s)
    while kill -0 "$WRK" 2>/dev/null || kill -0 "$SIEGE" 2>/dev/null; do
        t=$(( $(date +%s) - t0 ))
        echo "$t $(rss "$SERVER") $(nfds "$SERVER")" >> "$WORK/soak_rss.txt"
        [ "$t" -gt $((SOAK + 70)) ] && break
        sleep 1
    done
    bgwait "$WRK" || echo "  (wrk exited with status $?)"
    siege_rc=0; bgwait "$SIEGE" || siege_rc=$?
    rss_after=$(rss "$SERVER")
    window_median() { # FROM TO -> median RSS of the samples with FROM <= t <= TO
        awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b && $2 > 0 {print $2}' "$WORK/soak_rss.txt" | sort -n \
            | awk '{v[NR] = $1} END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
    }
    rss_first=$(window_median $((FIRST - 5)) $((FIRST + 5)))
    rss_end=$(window_median $((SOAK - 12)) $((SOAK - 2)))
    rss_range=$(awk -v a="$FIRST" '$1 >= a && $2 > 0 { if (!n++ || $2 < lo) lo = $2; if ($2 > hi) hi = $2 } END { print lo "-" hi }' "$WORK/soak_rss.txt")
    W=$WORK/soak_wrk.out
    reqs=$(awk '/requests in/ {print $1}' "$W"); rps=$(awk '/^Requests\/sec:/ {print $2}' "$W")
    werr=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$W"); werr=${werr:-0}
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$W"); non2xx=${non2xx:-0}
    avail=$(siege_field soak_siege Availability); failed=$(siege_field soak_siege "Failed transactions")
    trans=$(siege_field soak_siege Transactions)
    ok=FAIL
    alive "$SERVER" && [ -n "$rss_first" ] && [ -n "$rss_end" ] && [ "$rss_end" -le $((rss_first * 110 / 100)) ] \
        && [ "$werr" = 0 ] && [ "$non2xx" = 0 ] && [ "${reqs:-0}" != 0 ] && [ "$avail" = 100.00 ] && [ "$failed" = 0 ] && ok=PASS
    row "soak ${SOAK}s: wrk -c 200 keep-alive + siege -c 25" \
        "RSS (medians) ${rss_first} KiB at ${FIRST} s, ${rss_end} KiB at the end (limit +10 %); samples from ${FIRST} s: ${rss_range} KiB; ${rss_after} KiB after, peak $(hwm "$SERVER") KiB; wrk ${reqs:-?} requests (${rps:-?}/s), ${werr} socket errors, ${non2xx} non-2xx; siege ${trans:-?} transactions, availability ${avail:-?} %, failed ${failed:-?}" $ok
fi

# ------------------------------------------------------------------ the end
if alive "$SERVER"; then
    kill "$SERVER"
    rc=0
    if timeout 10 tail --pid="$SERVER" -f /dev/null; then
        wait "$SERVER" 2>/dev/null || rc=$?
        forget_pid "$SERVER"
    else
        rc="none within 10 s"     # cleanup kills it
    fi
    row "exit on SIGTERM" "exit status $rc" "$(verdict [ "$rc" = 0 ])"
    SERVER=""
fi
# Anything serious in the error logs (crit, alert, emerg; a sanitizer or
# abort message)?
bad=$(cat "$WORK"/*.log 2>/dev/null | grep -cE '\[(crit|alert|emerg)\]|Sanitizer|runtime error|terminate called|Abort' || true)
row "error logs" "$bad crit/alert/emerg or crash lines$( [ "$bad" = 0 ] || echo ": $(cat "$WORK"/*.log | grep -E '\[(crit|alert|emerg)\]|Sanitizer|runtime error|terminate called|Abort' | head -3 | tr '\n' ' ')")" \
    "$(verdict [ "$bad" = 0 ])"
T_END=$(date +%s)
echo
echo "webserv stress and fault checks ($(date -u '+%Y-%m-%d %H:%M UTC'), $((T_END - T_START)) s)"
echo
echo "| check | measured | result |"
echo "|---|---|---|"
for r in "${ROWS[@]}"; do
    IFS=$'\t' read -r c m v <<< "$r"
    echo "| $c | $m | $v |"
done
echo
echo "machine: $(nproc) CPUs, load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), Linux $(uname -r);" \
     "siege $(siege --version 2>&1 | awk '/SIEGE/ {print $2; exit}'), $(wrk --version 2>&1 | awk '{print $1, $2; exit}')"
if [ "$FAILED" = 0 ]; then echo "all checks passed"; else echo "SOME CHECKS FAILED (logs in $WORK)"; exit 1; fi
