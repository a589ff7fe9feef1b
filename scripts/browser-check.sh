#!/usr/bin/env bash
# Loads the demo site in headless Chromium (Debian's `chromium`) against a
# freshly started ./webserv and checks what the browser rendered. Exits
# non-zero, loudly, when a page is not what it should be.
#   apt-get install -y chromium     # once
#   scripts/browser-check.sh [PORT] # screenshots land in $OUT (default /tmp/webserv-browser)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
SCRIPT_NAME=browser-check

PORT=${1:-18180}
OUT=${OUT:-/tmp/webserv-browser}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || DIE_STATUS=2 die "chromium not found (apt-get install -y chromium)"
mkdir -p "$OUT"
make -s webserv

CONF=$OUT/webserv.conf
# The port changed, and IPv4 only (the [::1] line dropped).
sed -e "s/listen 127\.0\.0\.1:8080 default_server;/listen 127.0.0.1:$PORT default_server;/" \
    -e "/^[[:space:]]*listen \[::1\]:8080 default_server;/d" \
    -e "s|include mime.types;|include $PWD/conf/mime.types;|" conf/default.conf > "$CONF"
grep -q "listen 127.0.0.1:$PORT default_server;" "$CONF" \
    || die "could not rewrite 'listen 127.0.0.1:8080 default_server;' in conf/default.conf (see $CONF)"
./webserv "$CONF" > "$OUT/access.log" 2> "$OUT/error.log" &
SERVER=$!
stop_at_exit "$SERVER"
PROFILE=$(mktemp -d)
on_exit() { rm -rf "$PROFILE"; }
trap_cleanup
wait_for_port "$PORT" 5 "$SERVER" || die "webserv does not accept connections on port $PORT after 5 s: $(cat "$OUT/error.log")"

browser() { # extra chromium arguments...
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$PROFILE" "$@" 2>/dev/null
}
failures=0
expect() { # name url text-that-must-appear-in-the-rendered-DOM...
    local dom text missing=0
    dom=$(browser --dump-dom "$2" || true)
    for text in "${@:3}"; do
        if ! grep -qF -- "$text" <<< "$dom"; then
            echo "FAIL  $1: $2 does not show \"$text\"" >&2
            missing=1
        fi
    done
    if [ "$missing" -eq 0 ]; then
        echo "ok    $1"
    else
        failures=$((failures + 1))
    fi
    browser --screenshot="$OUT/$1-1280.png" --window-size=1280,900 "$2" > /dev/null || true
    browser --screenshot="$OUT/$1-390.png" --window-size=390,844 "$2" > /dev/null || true
}

base=http://127.0.0.1:$PORT
expect index "$base/" "One process, one thread"
expect static "$base/static.html" "MIME"
expect listing "$base/files/" "notes &amp; ideas.txt" \
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
expect not-found "$base/this-page-does-not-exist" "This page does not exist"
expect redirect "$base/old-page" "One process, one thread"

[ "$failures" -eq 0 ] || die "$failures page(s) failed; screenshots and logs in $OUT"
echo "browser-check: all pages render; screenshots in $OUT"
