#!/usr/bin/env bash
# cluster.sh - two webserv instances behind HAProxy on loopback, and the
#              properties that make it a cluster:
#
#   1. spread     cookie-less requests are shared by both instances
#   2. sticky     a client with a WEBSERV_SID cookie stays on the instance that
#                 made its session, and the session keeps counting (the
#                 visit counter of /cgi-bin/session.py)
#   3. failover   one instance killed with SIGKILL while new clients keep
#                 asking: every request still gets 200 (HAProxy retries and
#                 redispatches), and the health check takes it out
#   4. req/s      one instance alone vs two behind HAProxy (wrk, 1 KiB file,
#                 alternating rounds; the best round of each counts)
#
# usage: scripts/cluster.sh        (from any directory: it works in the repository root)
#
# Builds ./webserv (make) and runs a copy of it; writes everything it needs
# to a temporary directory: two configs made from conf/examples/cluster-node.conf (port and
# instance name rewritten, the mime.types include made absolute, plus a
# /bench/ location with a 1 KiB file), and conf/examples/haproxy.cfg with its
# ports rewritten. Prints a summary table; exits 1 when a property fails,
# 2 when the cluster cannot be set up.
#
# Needs: haproxy (2.6, apt-get install haproxy), curl, wrk; taskset if present.
#
# env: LB_PORT (18200) NODE_A_PORT (18201) NODE_B_PORT (18202) STATS_PORT (18209)
#      BENCH_SECONDS (10) BENCH_CONNECTIONS (50) BENCH_ROUNDS (2) FAILOVER_SECONDS (8)
#      PIN=0 runs nothing under taskset (by default, with 4 CPUs or more: node-a
#      on CPU 0, node-b on 1, HAProxy on 2, wrk on 3; with 2 or 3: only the
#      two instances are pinned, to 0 and 1)
#      KEEP_TMP=1 keeps the temporary directory (logs) and prints its path.
#
# Loopback only. Every process started here is stopped by its own PID on exit
# (normal, error, Ctrl-C); every wait is bounded.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

cd "$(dirname "$0")/.."
ROOT=$PWD

LB_PORT=${LB_PORT:-18200}
NODE_A_PORT=${NODE_A_PORT:-18201}
NODE_B_PORT=${NODE_B_PORT:-18202}
STATS_PORT=${STATS_PORT:-18209}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50}
BENCH_ROUNDS=${BENCH_ROUNDS:-2}
PIN=${PIN:-1}
FAILOVER_SECONDS=${FAILOVER_SECONDS:-8}
KEEP_TMP=${KEEP_TMP:-0}

LB=http://127.0.0.1:$LB_PORT

# ---- bookkeeping -------------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/webserv-cluster.XXXXXX")

# Results go through lib.sh's record (RESULTS, FAILED). Every process
# started here is named with stop_at_exit (lib.sh).
on_exit() { remove_tmp_unless_kept; }
trap_cleanup

# die (lib.sh), a setup failure: exit 2, after what the logs say.
DIE_STATUS=2
on_die() {
    local f
    for f in "$TMP"/*.err "$TMP"/haproxy.log; do
        [ -s "$f" ] || continue
        log "--- last lines of $f:" >&2
        tail -n 15 "$f" >&2
    done
}

start() {               # start NAME CPU LOGBASE CMD...: sets STARTED_PID (NAME: for the reader)
    local cpu=$2 logbase=$3
    shift 3
    if [ -n "$cpu" ]; then
        taskset -c "$cpu" "$@" >"$logbase.out" 2>"$logbase.err" &
    else
        "$@" >"$logbase.out" 2>"$logbase.err" &
    fi
    STARTED_PID=$!
    stop_at_exit "$STARTED_PID"
}

port_in_use() {         # something already listens on 127.0.0.1:PORT
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# GET URL [curl options...]: prints "BODY CODE" (CODE 000 if no answer).
get() {
    local url=$1
    shift
    curl -s --max-time 5 -w ' %{http_code}' "$@" "$url" 2>/dev/null || true
}

# HAProxy's view: "STATUS" of server NAME (UP, DOWN, ...), from the stats CSV.
server_status() {
    curl -s --max-time 2 "http://127.0.0.1:$STATS_PORT/;csv" 2>/dev/null |
        awk -F, -v name="$1" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
            $1 == "webserv" && $2 == name { print $col["status"] }' || true
}

# A column of the backend's line in the stats CSV (wretr, wredis, ...).
backend_counter() {
    local n
    n=$(curl -s --max-time 2 "http://127.0.0.1:$STATS_PORT/;csv" 2>/dev/null |
        awk -F, -v what="$1" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
            $1 == "webserv" && $2 == "BACKEND" { print $col[what] + 0 }' || true)
    echo "${n:-0}"
}

wait_until() {          # wait_until SECONDS DESCRIPTION COMMAND...: polls every 0.1 s
    local seconds=$1 what=$2 i
    shift 2
    for ((i = 0; i < seconds * 10; i++)); do
        if "$@"; then
            return 0
        fi
        sleep 0.1
    done
    log "   gave up after ${seconds}s waiting for $what"
    return 1
}

node_answers() { [ "$(get "http://127.0.0.1:$1/whoami")" = "$2 200" ]; }
server_is() { [ "$(server_status "$1")" = "$2" ]; }

# ---- setup ---------------------------------------------------------------

for tool in haproxy curl wrk make awk; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y haproxy curl wrk)"
done
for port in "$LB_PORT" "$NODE_A_PORT" "$NODE_B_PORT" "$STATS_PORT"; do
    port_in_use "$port" && die "port $port is already in use (set LB_PORT, NODE_A_PORT, NODE_B_PORT, STATS_PORT)"
done

CPUS=$(nproc 2>/dev/null || echo 1)
CPU_A=""; CPU_B=""; CPU_LB=""; CPU_WRK=""
if [ "$PIN" = 1 ] && command -v taskset >/dev/null; then
    if [ "$CPUS" -ge 4 ]; then
        CPU_A=0; CPU_B=1; CPU_LB=2; CPU_WRK=3
    elif [ "$CPUS" -ge 2 ]; then
        CPU_A=0; CPU_B=1            # HAProxy and wrk share both CPUs with them
    fi
fi

say "building ./webserv"
# The instances run a copy: a rebuild of ./webserv while this script runs
# (make elsewhere) changes nothing here.
WEBSERV=$TMP/webserv
for attempt in 1 2 3; do
    make -s >"$TMP/make.log" 2>&1 || { tail -n 30 "$TMP/make.log"; die "make failed"; }
    if cp ./webserv "$WEBSERV" 2>/dev/null && "$WEBSERV" -v >/dev/null 2>&1; then
        break
    fi
    [ "$attempt" -lt 3 ] || die "./webserv cannot be copied and run (is it being rebuilt?)"
    sleep 2
done

# The 1 KiB file of the benchmark, outside the repository.
mkdir -p "$TMP/bench"
head -c 1024 /dev/zero | tr '\0' 'x' >"$TMP/bench/1k.txt"

# make_node_config NAME PORT: conf/examples/cluster-node.conf for this instance.
make_node_config() {
    local name=$1 port=$2 out=$TMP/$1.conf
    sed -e "s/127\.0\.0\.1:18201/127.0.0.1:$port/" \
        -e "s/\"node-a\"/\"$name\"/" \
        -e "s#^include \.\./mime\.types;#include $ROOT/conf/mime.types;#" \
        conf/examples/cluster-node.conf >"$out.tmp"
    # The benchmark's file: a location inserted before the server block's
    # closing brace (the last line that is just "}").
    awk -v bench="$TMP/bench/" '{ line[NR] = $0 } /^}/ { last = NR }
        END { for (i = 1; i <= NR; i++) {
                  if (i == last) { print "    location /bench/ {"; print "        alias " bench ";"; print "    }" }
                  print line[i] } }' "$out.tmp" >"$out"
    rm -f "$out.tmp"
    grep -q "127.0.0.1:$port" "$out" && grep -q "\"$name\"" "$out" ||
        die "could not rewrite conf/examples/cluster-node.conf for $name"
    "$WEBSERV" -t "$out" >"$TMP/$name.check" 2>&1 || { cat "$TMP/$name.check"; die "$out is not valid"; }
}
make_node_config node-a "$NODE_A_PORT"
make_node_config node-b "$NODE_B_PORT"

sed -e "s/127\.0\.0\.1:18200/127.0.0.1:$LB_PORT/" \
    -e "s/127\.0\.0\.1:18201/127.0.0.1:$NODE_A_PORT/" \
    -e "s/127\.0\.0\.1:18202/127.0.0.1:$NODE_B_PORT/" \
    -e "s/127\.0\.0\.1:18209/127.0.0.1:$STATS_PORT/" \
    conf/examples/haproxy.cfg >"$TMP/haproxy.cfg"
haproxy -c -q -f "$TMP/haproxy.cfg" >"$TMP/haproxy.check" 2>&1 ||
    { cat "$TMP/haproxy.check"; die "haproxy.cfg is not valid"; }

start_node() {          # start_node NAME PORT CPU: sets NODE_PID
    start "webserv $1" "$3" "$TMP/$1" "$WEBSERV" "$TMP/$1.conf"
    NODE_PID=$STARTED_PID
    wait_until 10 "$1 on port $2" node_answers "$2" "$1" || die "$1 did not start"
}

say "starting node-a (:$NODE_A_PORT), node-b (:$NODE_B_PORT), HAProxy (:$LB_PORT, stats :$STATS_PORT)"
start_node node-a "$NODE_A_PORT" "$CPU_A"; PID_A=$NODE_PID
start_node node-b "$NODE_B_PORT" "$CPU_B"; PID_B=$NODE_PID
# HAProxy logs one line per request to standard output: $TMP/haproxy.out.
start haproxy "$CPU_LB" "$TMP/haproxy" haproxy -db -f "$TMP/haproxy.cfg"
PID_LB=$STARTED_PID
wait_until 10 "HAProxy to see node-a UP" server_is node-a UP || die "HAProxy does not see node-a UP"
wait_until 10 "HAProxy to see node-b UP" server_is node-b UP || die "HAProxy does not see node-b UP"
log "   webserv node-a pid $PID_A${CPU_A:+ (CPU $CPU_A)}, node-b pid $PID_B${CPU_B:+ (CPU $CPU_B)}," \
    "HAProxy pid $PID_LB${CPU_LB:+ (CPU $CPU_LB)}; both servers UP in HAProxy"

# ---- 1. spread -------------------------------------------------------------

say "1. spread: 100 cookie-less requests for /whoami through HAProxy"
declare -A SPREAD=([node-a]=0 [node-b]=0)
other=0
for ((i = 0; i < 100; i++)); do
    answer=$(get "$LB/whoami")
    case $answer in
        "node-a 200") SPREAD[node-a]=$((SPREAD[node-a] + 1)) ;;
        "node-b 200") SPREAD[node-b]=$((SPREAD[node-b] + 1)) ;;
        *) other=$((other + 1)); log "   unexpected answer: '$answer'" ;;
    esac
done
detail="node-a ${SPREAD[node-a]}, node-b ${SPREAD[node-b]}, other $other"
if [ "$other" -eq 0 ] && [ "${SPREAD[node-a]}" -ge 30 ] && [ "${SPREAD[node-b]}" -ge 30 ]; then
    record spread PASS "$detail"
else
    record spread FAIL "$detail (want 0 other and at least 30 each)"
fi

# ---- 2. sticky sessions ----------------------------------------------------

say "2. sticky: 6 clients, 8 visits each to /cgi-bin/session.py, each followed by /whoami"
CLIENTS=6
VISITS=8
sticky_ok=1
declare -A CLIENT_NODE=()
declare -A ON_NODE=([node-a]=0 [node-b]=0)
sid_of() { awk '$6 == "WEBSERV_SID" { print $7 }' "$1" 2>/dev/null | tail -n 1; }
for ((c = 1; c <= CLIENTS; c++)); do
    jar=$TMP/client$c.jar
    : >"$jar"
    nodes="" visits="" first_sid="" problem=""
    for ((v = 1; v <= VISITS; v++)); do
        page=$(curl -s --max-time 10 -b "$jar" -c "$jar" -w '\n%{http_code}' "$LB/cgi-bin/session.py" 2>/dev/null || true)
        code=${page##*$'\n'}
        seen=$(printf '%s' "$page" | grep -o 'data-visits="[0-9]*"' | head -n 1 | tr -dc 0-9 || true)
        node=$(get "$LB/whoami" -b "$jar")
        node=${node% 200}
        sid=$(sid_of "$jar")
        [ -n "$first_sid" ] || first_sid=$sid
        nodes+="${nodes:+ }$node"
        visits+="${visits:+ }${seen:-?}"
        [ "$code" = 200 ] || problem+=" visit $v answered $code;"
        [ "$seen" = "$v" ] || problem+=" visit $v counted '${seen:-nothing}';"
        [ -n "$sid" ] && [ "$sid" = "$first_sid" ] || problem+=" visit $v: cookie changed;"
    done
    first_node=${nodes%% *}
    for n in $nodes; do
        [ "$n" = "$first_node" ] || { problem+=" moved between instances ($nodes);"; break; }
    done
    case $first_node in node-a | node-b) ON_NODE[$first_node]=$((ON_NODE[$first_node] + 1)) ;; esac
    CLIENT_NODE[$c]=$first_node
    log "   client $c: sid ${first_sid:0:8}..., instance per visit: $nodes; visits counted: $visits"
    if [ -n "$problem" ]; then
        log "     problem:$problem"
        sticky_ok=0
    fi
done
detail="$CLIENTS clients x $VISITS visits: ${ON_NODE[node-a]} on node-a, ${ON_NODE[node-b]} on node-b, none moved, counters 1..$VISITS"
if [ "$sticky_ok" = 1 ] && [ "${ON_NODE[node-a]}" -ge 1 ] && [ "${ON_NODE[node-b]}" -ge 1 ]; then
    record sticky PASS "$detail"
else
    record sticky FAIL "$CLIENTS clients x $VISITS visits: see above (node-a ${ON_NODE[node-a]}, node-b ${ON_NODE[node-b]})"
fi

# Why the stickiness matters: the other instance does not know the session.
c=1
other_port=$NODE_B_PORT
[ "${CLIENT_NODE[$c]}" = node-b ] && other_port=$NODE_A_PORT
control=$(curl -s --max-time 10 -b "$TMP/client$c.jar" "http://127.0.0.1:$other_port/cgi-bin/session.py" 2>/dev/null |
    grep -o 'data-visits="[0-9]*"' | head -n 1 | tr -dc 0-9 || true)
log "   (control: client 1's cookie sent straight to the other instance, :$other_port, counts visit ${control:-?}:" \
    "sessions live in one instance's memory)"

# ---- 3. failover -----------------------------------------------------------

say "3. failover: new clients for ${FAILOVER_SECONDS}s (4 loops: /whoami and /cgi-bin/env.py), node-b SIGKILLed after 2s"
retries_before=$(backend_counter wretr)
redispatches_before=$(backend_counter wredis)
loop_pids=()
end=$(($(date +%s) + FAILOVER_SECONDS))
for ((l = 1; l <= 4; l++)); do
    path=/whoami
    [ $((l % 2)) -eq 0 ] && path=/cgi-bin/env.py
    (
        while [ "$(date +%s)" -lt "$end" ]; do
            # One request per connection, no cookie: each one a new client.
            started=$(date +%s%N)
            code=$(curl -s --max-time 5 -o "$TMP/loop$l.body" -w '%{http_code}' "$LB$path" 2>/dev/null || true)
            node=""
            [ "$path" = /whoami ] && node=$(cat "$TMP/loop$l.body" 2>/dev/null || true)
            printf '%s %s %s\n' "$started" "${code:-000}" "${node:--}"
        done
    ) >"$TMP/loop$l.log" &
    loop_pids+=("$!")
    stop_at_exit "$!"
done
sleep 2
kill -KILL "$PID_B"
wait "$PID_B" 2>/dev/null || true
# From here on node-b's sockets are closed: no request started later can reach it.
kill_ns=$(date +%s%N)
forget_pid "$PID_B"
log "   node-b (pid $PID_B) killed with SIGKILL"
down_after=""
if wait_until 10 "HAProxy to mark node-b DOWN" server_is node-b DOWN; then
    down_after=$((($(date +%s%N) - kill_ns) / 1000000))
    log "   HAProxy marked node-b DOWN ${down_after} ms after the kill"
fi
for pid in "${loop_pids[@]}"; do
    # The loops end by themselves at the deadline (each curl is bounded too).
    for ((i = 0; i < (FAILOVER_SECONDS + 10) * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    stop_pid "$pid"
done
cat "$TMP"/loop?.log >"$TMP/failover.log"
# Each line: when the request started, its status, the instance (for /whoami).
read -r total failures before after b_after < <(awk -v k="$kill_ns" '
    { total++; if ($2 != "200") fail++; if ($1 < k) before++; else after++
      if ($1 > k && $3 == "node-b") b_after++ }
    END { printf "%d %d %d %d %d\n", total, fail, before, after, b_after }' "$TMP/failover.log")
retries=$(($(backend_counter wretr) - retries_before))
redispatches=$(($(backend_counter wredis) - redispatches_before))
if [ "$failures" -gt 0 ]; then
    log "   failed requests (start time, status, instance):"
    awk '$2 != "200"' "$TMP/failover.log" | head -n 10 | sed 's/^/     /'
fi
detail="$total requests ($before started before the kill, $after after), $failures failed; HAProxy retried $retries, redispatched $redispatches"
[ -n "$down_after" ] && detail+="; node-b DOWN after ${down_after} ms"
if [ "$failures" -eq 0 ] && [ "$before" -ge 10 ] && [ "$after" -ge 20 ] && [ -n "$down_after" ] && [ "$b_after" -eq 0 ]; then
    record failover PASS "$detail"
else
    record failover FAIL "$detail (node-b answers after the kill: $b_after)"
fi

# A client whose session lived on node-b: still served, by node-a, with a new session.
for ((c = 1; c <= CLIENTS; c++)); do
    [ "${CLIENT_NODE[$c]}" = node-b ] || continue
    page=$(curl -s --max-time 10 -b "$TMP/client$c.jar" -c "$TMP/client$c.jar" -w '\n%{http_code}' "$LB/cgi-bin/session.py" 2>/dev/null || true)
    seen=$(printf '%s' "$page" | grep -o 'data-visits="[0-9]*"' | head -n 1 | tr -dc 0-9 || true)
    node=$(get "$LB/whoami" -b "$TMP/client$c.jar")
    if [ "${page##*$'\n'}" = 200 ] && [ "$node" = "node-a 200" ] && [ "$seen" = 1 ]; then
        record "stranded session" PASS "client $c (was on node-b): 200 from node-a, a new session (visit 1)"
    else
        record "stranded session" FAIL "client $c (was on node-b): status ${page##*$'\n'}, instance '$node', visit '${seen:-?}'"
    fi
    break
done

say "restarting node-b; HAProxy puts it back after 2 good checks"
start_node node-b "$NODE_B_PORT" "$CPU_B"; PID_B=$NODE_PID
back_start=$(date +%s%N)
if wait_until 15 "HAProxy to see node-b UP again" server_is node-b UP; then
    record "rejoin" PASS "node-b UP again $((($(date +%s%N) - back_start) / 1000000)) ms after it started"
else
    record "rejoin" FAIL "node-b not UP 15 s after it started"
fi

# ---- 4. throughput ---------------------------------------------------------

# bench NAME URL ROUND: one wrk run; sets RPS and BENCH_ERRORS.
bench() {
    local name=$1 url=$2 out=$TMP/wrk-${1%% *}-round$3.txt
    local -a cmd=(wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" "$url")
    [ -n "$CPU_WRK" ] && cmd=(taskset -c "$CPU_WRK" "${cmd[@]}")
    # wrk stops by itself; the timeout only bounds a hang.
    timeout $((BENCH_SECONDS + 20)) "${cmd[@]}" >"$out" 2>&1 || true
    RPS=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$out")
    RPS=${RPS:-0}
    BENCH_ERRORS=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "$out")
    [ "$RPS" -gt 0 ] || BENCH_ERRORS=$((BENCH_ERRORS + 1))
    log "   round $3, $name: $RPS req/s, latency $(awk '/^    Latency/ { print "avg " $2 ", max " $4 }' "$out"), errors $BENCH_ERRORS"
    [ "$BENCH_ERRORS" -eq 0 ] || sed 's/^/     /' "$out"
}

say "4. throughput: wrk -t2 -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s GET /bench/1k.txt (1 KiB), $BENCH_ROUNDS alternating rounds, $CPUS CPUs"
if [ -n "$CPU_WRK" ]; then
    log "   CPUs: node-a $CPU_A, node-b $CPU_B, HAProxy $CPU_LB, wrk $CPU_WRK"
elif [ -n "$CPU_A" ]; then
    log "   CPUs: node-a $CPU_A, node-b $CPU_B; HAProxy and wrk run on any CPU"
fi
if [ "$CPUS" -lt 4 ]; then
    log "   (with fewer than 4 CPUs HAProxy and wrk take CPU time from the two instances:" \
        "expect two behind HAProxy to be no faster than one)"
fi
ONE_URL=http://127.0.0.1:$NODE_A_PORT/bench/1k.txt
TWO_URL=$LB/bench/1k.txt
timeout 10 wrk -t1 -c10 -d1s "$ONE_URL" >/dev/null 2>&1 || true     # warm-up
timeout 10 wrk -t1 -c10 -d1s "$TWO_URL" >/dev/null 2>&1 || true
RPS_ONE=0; RPS_TWO=0; ALL_ONE=""; ALL_TWO=""; ERRORS=0
for ((round = 1; round <= BENCH_ROUNDS; round++)); do
    # one, two, then two, one, ...: neither always runs first.
    if [ $((round % 2)) -eq 1 ]; then order="one two"; else order="two one"; fi
    for which in $order; do
        if [ "$which" = one ]; then
            bench "one instance (node-a direct)" "$ONE_URL" "$round"
            [ "$RPS" -gt "$RPS_ONE" ] && RPS_ONE=$RPS
            ALL_ONE+="${ALL_ONE:+, }$RPS"
        else
            bench "two instances behind HAProxy" "$TWO_URL" "$round"
            [ "$RPS" -gt "$RPS_TWO" ] && RPS_TWO=$RPS
            ALL_TWO+="${ALL_TWO:+, }$RPS"
        fi
        ERRORS=$((ERRORS + BENCH_ERRORS))
    done
done
RATIO=$(awk -v a="$RPS_ONE" -v b="$RPS_TWO" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "?" }')
detail="one instance $RPS_ONE req/s, two behind HAProxy $RPS_TWO req/s: ${RATIO}x (best of $BENCH_ROUNDS; all: $ALL_ONE / $ALL_TWO; $CPUS CPUs)"
if [ "$RPS_ONE" -gt 0 ] && [ "$RPS_TWO" -gt 0 ] && [ "$ERRORS" -eq 0 ]; then
    record "req/s" PASS "$detail"
else
    record "req/s" FAIL "$detail; $ERRORS errors (see the wrk output above)"
fi

# Both instances answered part of the load.
requests_of() { get "http://127.0.0.1:$1/status" -H 'Accept: application/json' | grep -o '"requests":[0-9]*' | tr -dc 0-9; }
log "   requests counted by the instances' /status: node-a $(requests_of "$NODE_A_PORT"), node-b $(requests_of "$NODE_B_PORT") (node-b restarted before the benchmark)"

# ---- stop and summarise ----------------------------------------------------

say "stopping HAProxy and both instances"
stop_pid "$PID_LB"
stop_pid "$PID_A"
stop_pid "$PID_B"
for name in node-a node-b; do
    if grep -q 'AddressSanitizer\|runtime error' "$TMP/$name.err" 2>/dev/null; then
        record "$name log" FAIL "sanitizer report in its error log"
    fi
done

printf '\n%-18s %-6s %s\n' "property" "result" "detail"
printf '%-18s %-6s %s\n' "------------------" "------" "------"
for row in "${RESULTS[@]}"; do
    IFS='|' read -r name result detail <<<"$row"
    printf '%-18s %-6s %s\n' "$name" "$result" "$detail"
done
if [ "$FAILED" -ne 0 ]; then
    KEEP_TMP=1
    log "cluster.sh: some properties FAILED"
    exit 1
fi
log "cluster.sh: all properties hold"
