#!/usr/bin/env bash
# Loads the demo site in headless Chromium (Debian's `chromium`) against a
# freshly started ./webserv and checks what the browser rendered. Exits
# non-zero, loudly, when a page is not what it should be.
#   apt-get install -y chromium     # once
#   scripts/browser-check.sh [PORT] # screenshots land in $OUT (default /tmp/webserv-browser)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${1:-18180}
OUT=${OUT:-/tmp/webserv-browser}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { echo "browser-check: chromium not found (apt-get install -y chromium)" >&2; exit 2; }
mkdir -p "$OUT"
make -s webserv

CONF=$OUT/webserv.conf
sed -e "s/listen 8080 default_server;/listen 127.0.0.1:$PORT default_server;/" \
    -e "s|include mime.types;|include $PWD/conf/mime.types;|" conf/default.conf > "$CONF"
./webserv "$CONF" > "$OUT/access.log" 2> "$OUT/error.log" &
SERVER=$!
PROFILE=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$PROFILE"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$OUT/error.log" && break; sleep 0.1; done

browser() { # extra chromium arguments...
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$PROFILE" "$@" 2>/dev/null
}
failures=0
expect() { # name url text-that-must-appear-in-the-rendered-DOM
    local dom
    dom=$(browser --dump-dom "$2" || true)
    if grep -qF -- "$3" <<< "$dom"; then
        echo "ok    $1"
    else
        echo "FAIL  $1: $2 does not show \"$3\"" >&2
        failures=$((failures + 1))
    fi
    browser --screenshot="$OUT/$1.png" --window-size=1280,900 "$2" > /dev/null || true
}

base=http://127.0.0.1:$PORT
expect index "$base/" "One process, one thread"
expect static "$base/static.html" "MIME"
expect listing "$base/files/" "notes &amp; ideas.txt"
expect not-found "$base/this-page-does-not-exist" "This page does not exist"
expect redirect "$base/old-page" "One process, one thread"

if [ "$failures" -ne 0 ]; then
    echo "browser-check: $failures page(s) failed; screenshots and logs in $OUT" >&2
    exit 1
fi
echo "browser-check: all pages render; screenshots in $OUT"
