#!/usr/bin/env bash
# Drives the cookie-session demo (cgi-bin/session.py and the header greeting
# of every page, www/assets/session.js) in a real headless Chromium (Debian's
# `chromium`) against a freshly built ./webserv, and fails loudly when a step
# does not hold:
#   - a new browser gets the login form and a WEBSERV_SID cookie;
#   - logging in with a name full of non-ASCII and HTML characters greets
#     exactly that name (escaped: no markup of it is rendered), the POST is
#     answered with 303 and the page after it is a GET; a reload is still
#     greeted and counts one more visit;
#   - every demo page greets the user in its header (session.js), and the
#     JSON those pages read counts no visit;
#   - the cookie in the browser: WEBSERV_SID, HttpOnly (invisible to
#     document.cookie), SameSite=Lax, Path=/, expiring after session_timeout;
#     no Session-* field ever reaches the browser;
#   - after session_timeout without requests (a short one here), the browser
#     has dropped its cookie; given the old ID back, the server does not take
#     it: the reload shows the login form and a new WEBSERV_SID;
#   - logging in again then out: the cookie is expired and gone, the session
#     is destroyed on the server too, the page shows the login form, and the
#     other pages offer "Log in";
#   - no JavaScript errors; no horizontal scrolling at 1280px and 400px wide.
# The server runs on a free loopback port, from the repository root, with a
# copy of conf/default.conf whose /cgi-bin/ session_timeout is short. It only
# gets GET requests and the session page's form posts: nothing on disk
# changes. Chromium is driven through its DevTools protocol by
# scripts/browser-session-driver.py (standard library only, with the
# protocol client of scripts/devtools.py).
#
#   apt-get install -y chromium          # once
#   scripts/browser-session-check.sh     # screenshots and logs land in $OUT
#
# Environment: OUT (default /tmp/webserv-session-check), CHROMIUM (browser
# binary), SESSION_TIMEOUT (seconds, default 3), NO_BUILD=1 uses the
# existing ./webserv without running make.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
SCRIPT_NAME=browser-session-check
DIE_PREFIX="$SCRIPT_NAME: FAIL: "

OUT=${OUT:-/tmp/webserv-session-check}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
PYTHON=/usr/bin/python3
SESSION_TIMEOUT=${SESSION_TIMEOUT:-3}

[ -n "$CHROMIUM" ] || die "chromium not found (apt-get update && apt-get install -y chromium)"
[ -x "$PYTHON" ] || die "$PYTHON not found"
case $SESSION_TIMEOUT in
    [1-9] | [1-9][0-9]) ;;
    *) die "SESSION_TIMEOUT must be a number of seconds from 1 to 99, not '$SESSION_TIMEOUT'" ;;
esac
for file in cgi-bin/session.py www/assets/session.js www/index.html; do
    [ -f "$file" ] || die "$file is missing"
done

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.log "$OUT"/webserv.conf
WORK=$(mktemp -d /tmp/webserv-session-check.work.XXXXXX)
START=$(date +%s)

# After cleanup has stopped the driver, Chromium and webserv.
on_exit() {
    rm -rf "$WORK"
    check_result "$1" "$OUT/webserv.error.log"
}
trap_cleanup

echo "browser-session-check: output in $OUT"

# --- build ---------------------------------------------------------------
build_webserv

# --- the configuration: default.conf on a free port, short sessions -------
PORT=$(free_port)
CONF=$WORK/webserv.conf
cp conf/mime.types "$WORK/mime.types"     # `include mime.types;` is relative to the copy
sed -E \
    -e "s|^([[:space:]]*)listen[[:space:]]+127\.0\.0\.1:8080[[:space:]]+default_server;|\\1listen 127.0.0.1:$PORT default_server;|" \
    -e "/^[[:space:]]*listen[[:space:]]+\[::1\]:8080[[:space:]]+default_server;/d" \
    -e "s|^([[:space:]]*)session_timeout[[:space:]]+[0-9a-z]+;|\\1session_timeout ${SESSION_TIMEOUT}s;|" \
    conf/default.conf > "$CONF"
cp "$CONF" "$OUT/webserv.conf"
grep -Eq "^[[:space:]]*listen 127\.0\.0\.1:$PORT default_server;" "$CONF" \
    || die "could not rewrite 'listen 127.0.0.1:8080 default_server;' in conf/default.conf (see $OUT/webserv.conf)"
# Exactly one session_timeout, the one of location /cgi-bin/, now short.
"$PYTHON" - "$CONF" "$SESSION_TIMEOUT" <<'PY' || die "conf/default.conf: expected 'session on;' and one 'session_timeout' in location /cgi-bin/ (see $OUT/webserv.conf)"
import re, sys
text = open(sys.argv[1]).read()
block = re.search(r"location\s+/cgi-bin/\s*\{([^}]*)\}", text)
ok = (block and re.search(r"^\s*session\s+on;", block.group(1), re.M)
      and re.findall(r"^\s*session_timeout\s+(\S+);", text, re.M) == [sys.argv[2] + "s"]
      and re.search(r"^\s*session_timeout\s+" + sys.argv[2] + "s;", block.group(1), re.M))
sys.exit(0 if ok else 1)
PY
./webserv -t "$CONF" > "$OUT/webserv-t.log" 2>&1 \
    || die "./webserv -t rejects the copied configuration: $(cat "$OUT/webserv-t.log")"

# --- start the server (from the repository root: root www, root .) -------
start_webserv "$PORT" "$CONF" "$OUT/webserv.access.log" "$OUT/webserv.error.log"
BASE=http://127.0.0.1:$PORT
echo "browser-session-check: webserv (pid $SERVER_PID) on $BASE, session_timeout ${SESSION_TIMEOUT}s in /cgi-bin/"

# --- start Chromium with the DevTools protocol on a free port -------------
start_chromium "$WORK/chromium-profile" "$OUT/chromium.log"
echo "browser-session-check: chromium (pid $CHROME_PID) DevTools on 127.0.0.1:$DEVTOOLS_PORT"

# --- drive the pages -----------------------------------------------------
run_driver scripts/browser-session-driver.py \
    BASE="$BASE" DEVTOOLS_PORT="$DEVTOOLS_PORT" OUT="$OUT" SESSION_TIMEOUT="$SESSION_TIMEOUT"

kill -0 "$SERVER_PID" 2>/dev/null || die "webserv is no longer running after the session"
echo "ok    webserv still running"
