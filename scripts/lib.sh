# shellcheck shell=bash
# lib.sh - the shell functions scripts/*.sh share. Source it first thing,
# before any cd:   . "$(dirname "$0")/lib.sh"
# Sourcing it only defines functions (and the list stop_at_exit keeps, and
# the check scripts' RESULTS and FAILED): no trap, no cd, no output. Each function is documented in one line above it.
#
# Every process a script starts is stopped by its own PID on exit: the script
# names it with stop_at_exit right after starting it (start_webserv,
# start_chromium and run_driver do), forgets it with forget_pid once it has
# reaped it, and calls trap_cleanup once.
# Variables the functions read, each optional:
#   SCRIPT_NAME  how messages name the script (default: its file name)
#   DIE_PREFIX   what die prints before its message (default "$SCRIPT_NAME: ")
#   DIE_STATUS   die's exit status (default 1)
#   PYTHON       the interpreter of free_port and run_driver (default /usr/bin/python3)
# Hooks a script may define: on_die (run by die before it exits) and
# on_exit STATUS (run by cleanup after every process is stopped).
# The browser checks' part (build_webserv, start_webserv, start_chromium,
# run_driver, check_result) also reads NO_BUILD, CHROMIUM, OUT and START.

# The check scripts' bookkeeping (cluster.sh, tls-check.sh): log and say
# print, record keeps one check's result for the summary (RESULTS, one
# "name|PASS or FAIL|detail" per check; FAILED=1 after a FAIL), and
# remove_tmp_unless_kept ends their temporary directory TMP.
RESULTS=()
FAILED=0

# log TEXT...: prints TEXT on a line of its own.
log() { printf '%s\n' "$*"; }

# say TEXT...: prints TEXT as a section heading.
say() { printf '\n== %s\n' "$*"; }

# record NAME PASS|FAIL DETAIL: prints the result and keeps it in RESULTS.
record() {
    RESULTS+=("$1|$2|$3")
    if [ "$2" = PASS ]; then
        log "   PASS  $1: $3"
    else
        log "   FAIL  $1: $3"
        FAILED=1
    fi
}

# remove_tmp_unless_kept: rm -rf "$TMP", or with KEEP_TMP=1 prints where it stays.
remove_tmp_unless_kept() {
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        log "logs kept in $TMP"
    else
        rm -rf "$TMP"
    fi
}

# die MESSAGE...: prints DIE_PREFIX MESSAGE on stderr, runs on_die, exits DIE_STATUS.
die() {
    printf '%s%s\n' "${DIE_PREFIX-${SCRIPT_NAME:-$(basename "$0")}: }" "$*" >&2
    if declare -F on_die >/dev/null; then on_die; fi
    exit "${DIE_STATUS:-1}"
}

# free_port: prints a TCP port that nothing listens on at 127.0.0.1 right now.
free_port() {
    "${PYTHON:-/usr/bin/python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_port PORT SECONDS [PID]: true once 127.0.0.1:PORT accepts a connection; false after SECONDS or as soon as PID has exited.
wait_for_port() {
    local port=$1 tenths=$(($2 * 10)) pid=${3:-} _
    for _ in $(seq "$tenths"); do
        [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

declare -a LIB_STOP_AT_EXIT=()   # "PID" or "PID group", in the order they were named

# stop_at_exit PID [group]: cleanup stops PID (and its process group with "group"), the last named first.
stop_at_exit() {
    [ -n "${1:-}" ] || return 0
    LIB_STOP_AT_EXIT+=("$1${2:+ group}")
}

# forget_pid PID: cleanup leaves PID alone (the script reaped it: the PID may be reused).
forget_pid() {
    local kept=() entry
    for entry in "${LIB_STOP_AT_EXIT[@]+"${LIB_STOP_AT_EXIT[@]}"}"; do
        [ "${entry%% *}" = "$1" ] || kept+=("$entry")
    done
    LIB_STOP_AT_EXIT=("${kept[@]+"${kept[@]}"}")
}

# stop_pid PID [group]: TERM, up to 5 s, then KILL (said on stderr); reaps it and forgets it. With "group", the rest of its process group gets the TERM too and up to 3 s more before a KILL.
stop_pid() {
    local pid=${1:-} group=${2:-} _
    [ -n "$pid" ] || return 0
    forget_pid "$pid"
    if kill -0 "$pid" 2>/dev/null; then
        if [ -n "$group" ]; then kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        else kill -TERM "$pid" 2>/dev/null || true; fi
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "${SCRIPT_NAME:-$(basename "$0")}: pid $pid did not stop on TERM, killing it" >&2
            if [ -n "$group" ]; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            else kill -KILL "$pid" 2>/dev/null || true; fi
        fi
    fi
    wait "$pid" 2>/dev/null || true
    if [ -n "$group" ]; then
        # Its helpers (Chromium's, a server's CGI children) outlive it briefly.
        kill -TERM -- "-$pid" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
}

# cleanup: the EXIT trap (trap_cleanup): stops every process named by stop_at_exit, runs on_exit STATUS, exits with the script's status.
cleanup() {
    local status=$? i entries
    trap - EXIT INT TERM
    entries=("${LIB_STOP_AT_EXIT[@]+"${LIB_STOP_AT_EXIT[@]}"}")
    for ((i = ${#entries[@]} - 1; i >= 0; i--)); do
        # shellcheck disable=SC2086  # "PID group": two words
        stop_pid ${entries[i]}
    done
    if declare -F on_exit >/dev/null; then on_exit "$status" || true; fi
    exit "$status"
}

# trap_cleanup: runs cleanup on exit, and on INT (status 130) and TERM (143).
trap_cleanup() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# build_webserv: make -s webserv (bounded to 600 s) unless NO_BUILD=1; dies unless ./webserv is there then.
build_webserv() {
    if [ "${NO_BUILD:-0}" != 1 ]; then
        timeout 600 make -s webserv || die "make -s webserv failed"
    fi
    [ -x ./webserv ] || die "./webserv was not built"
}

# start_webserv PORT CONF STDOUT STDERR: runs ./webserv CONF in the background (stopped at exit), sets SERVER_PID; dies unless it accepts on PORT within 10 s.
start_webserv() {
    ./webserv "$2" > "$3" 2> "$4" &
    SERVER_PID=$!
    stop_at_exit "$SERVER_PID"
    wait_for_port "$1" 10 "$SERVER_PID" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || die "webserv exited at startup: $(cat "$4")"
    die "webserv does not accept connections on port $1 after 10 s"
}

# start_chromium PROFILE LOG: headless Chromium ($CHROMIUM) with its DevTools protocol on a free port, in its own process group (stopped at exit); sets CHROME_PID and DEVTOOLS_PORT, dies unless the port is open within 30 s.
start_chromium() {
    local profile=$1 log=$2 _
    mkdir -p "$profile"
    # setsid: Chromium and its helpers get a process group of their own, led
    # by CHROME_PID (a background job is no group leader, so setsid execs in
    # place). A signal to that group reaches nothing else.
    setsid "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --no-default-browser-check \
        --no-proxy-server --disable-extensions --mute-audio --hide-scrollbars \
        --user-data-dir="$profile" --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 \
        --window-size=1280,900 about:blank > "$log" 2>&1 &
    CHROME_PID=$!
    stop_at_exit "$CHROME_PID" group
    DEVTOOLS_PORT=
    for _ in $(seq 300); do
        kill -0 "$CHROME_PID" 2>/dev/null || die "chromium exited at startup: $(tail -n 20 "$log")"
        if [ -s "$profile/DevToolsActivePort" ]; then
            DEVTOOLS_PORT=$(head -n 1 "$profile/DevToolsActivePort")
            [ -n "$DEVTOOLS_PORT" ] && return 0
        fi
        sleep 0.1
    done
    die "chromium did not open its DevTools port within 30 s (see $log)"
}

# check_result STATUS LOG: a browser check's last line, "SCRIPT_NAME: PASS in Ns; screenshots and logs in $OUT" (elapsed since $START), or FAILED with the status and LOG's last 15 lines, on stderr.
check_result() {
    local status=$1 log=$2 elapsed=$(( $(date +%s) - START ))
    if [ "$status" -eq 0 ]; then
        echo "$SCRIPT_NAME: PASS in ${elapsed}s; screenshots and logs in $OUT"
    else
        echo "$SCRIPT_NAME: FAILED (exit $status) after ${elapsed}s; screenshots and logs in $OUT" >&2
        if [ -s "$log" ]; then
            echo "--- last lines of $log:" >&2
            tail -n 15 "$log" >&2
        fi
    fi
}

# run_driver DRIVER.py [NAME=VALUE...]: runs a browser check's Python driver with those variables, bounded to 240 s; dies when it fails.
run_driver() {
    local driver=$1 status=0 pid
    shift
    # In the background, so that a signal to the script runs cleanup at
    # once. -B: no __pycache__ in scripts/.
    env "$@" timeout 240 "${PYTHON:-/usr/bin/python3}" -B "$driver" &
    pid=$!
    stop_at_exit "$pid"
    wait "$pid" || status=$?
    forget_pid "$pid"
    case $status in
        0) ;;
        124) die "the browser session took longer than 240 s" ;;
        *) die "a browser step failed (see above)" ;;
    esac
}
