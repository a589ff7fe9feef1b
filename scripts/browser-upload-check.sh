#!/usr/bin/env bash
# Uploads and deletes files through the demo site's pages in a real headless
# Chromium (Debian's `chromium`) against a freshly built ./webserv, and fails
# loudly when a step does not hold:
#   - the store asks for credentials to change it (conf/default.conf's
#     limit_except GET HEAD { auth_basic ...; }): DELETE without them is 401
#     with WWW-Authenticate: Basic realm="webserv demo uploads"; in the file
#     manager, Delete brings the browser's credentials prompt, and Cancel
#     leaves the file (on disk and in the list) with a 401 message; the first
#     upload brings the prompt too, answered with demo / webserv (through the
#     DevTools Fetch domain, as a user typing them); reading never asks.
#   - upload.html: the plain form is a POST multipart/form-data form to
#     /uploads/ with <input type=file name=file multiple>; two files chosen
#     in it and sent with its Upload button are stored (the page stays put,
#     lists both with links, and the bytes on disk are the bytes sent); the
#     same name again is stored under a new name and the page says "saved as";
#     with JavaScript off, the same form still uploads, and the server's 201
#     page has the site's look and links back to the form, to the store's
#     listing and home; that listing (followed from it) is styled, shows
#     sizes as 13K, and switches to its narrow layout at 390px.
#   - files.html: lists every stored file with its size (read from the
#     store's JSON listing, /api/uploads/); a download link
#     gives back the same bytes; the Delete button (confirm dialog accepted)
#     removes the file from the list and from disk; deleting a file that is
#     already gone shows a 404 error; deleting the rest shows the empty state.
#   - no JavaScript errors; no horizontal scrolling at 1280px and 400px wide
#     (390px for the server's own pages).
# The server runs on a free loopback port with a copy of conf/default.conf
# whose root and upload_store point at a temporary copy of www/, so the
# repository's www/uploads is never touched. Chromium is driven through its
# DevTools protocol by scripts/browser-upload-driver.py (standard library
# only, with the protocol client of scripts/devtools.py).
#
#   apt-get install -y chromium          # once
#   scripts/browser-upload-check.sh      # screenshots and logs land in $OUT
#
# Environment: OUT (default /tmp/webserv-upload-check), CHROMIUM (browser
# binary), KEEP=1 keeps the temporary site copy for inspection, NO_BUILD=1
# uses the existing ./webserv without running make.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
SCRIPT_NAME=browser-upload-check
DIE_PREFIX="$SCRIPT_NAME: FAIL: "

OUT=${OUT:-/tmp/webserv-upload-check}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
PYTHON=/usr/bin/python3

[ -n "$CHROMIUM" ] || die "chromium not found (apt-get update && apt-get install -y chromium)"
[ -x "$PYTHON" ] || die "$PYTHON not found"
for page in upload.html files.html; do
    [ -f "www/$page" ] || die "www/$page is missing"
done

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.log "$OUT"/webserv.conf
WORK=$(mktemp -d /tmp/webserv-upload-check.work.XXXXXX)
START=$(date +%s)

# After cleanup has stopped the driver, Chromium and webserv.
on_exit() {
    local status=$1
    if [ "${KEEP:-0}" = 1 ]; then
        echo "browser-upload-check: kept the temporary site in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    check_result "$status" "$OUT/webserv.error.log"
}
trap_cleanup

echo "browser-upload-check: output in $OUT"

# --- build ---------------------------------------------------------------
build_webserv

# --- a private copy of the site and the configuration ---------------------
cp -R www "$WORK/www"
find "$WORK/www/uploads" -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
STORE=$WORK/www/uploads
REPO_UPLOADS_BEFORE=$(ls -A --full-time www/uploads)

PORT=$(free_port)
CONF=$WORK/webserv.conf
cp conf/mime.types "$WORK/mime.types"
sed -E \
    -e "s|^([[:space:]]*)listen[[:space:]]+127\.0\.0\.1:8080[[:space:]]+default_server;|\\1listen 127.0.0.1:$PORT default_server;|" \
    -e "/^[[:space:]]*listen[[:space:]]+\[::1\]:8080[[:space:]]+default_server;/d" \
    -e "s|^([[:space:]]*)root[[:space:]]+www;|\\1root $WORK/www;|" \
    -e "s|^([[:space:]]*)upload_store[[:space:]]+www/uploads;|\\1upload_store $STORE;|" \
    -e "s|^([[:space:]]*)alias[[:space:]]+www/uploads/;|\\1alias $STORE/;|" \
    conf/default.conf > "$CONF"
cp "$CONF" "$OUT/webserv.conf"
# The rewrite must have hit every line it is meant for, and nothing of the
# copy may still point into the repository's www/.
grep -Eq "^[[:space:]]*listen 127\.0\.0\.1:$PORT default_server;" "$CONF" \
    || die "could not rewrite 'listen 127.0.0.1:8080 default_server;' in conf/default.conf (see $OUT/webserv.conf)"
grep -Eq "^[[:space:]]*root $WORK/www;" "$CONF" \
    || die "could not rewrite 'root www;' in conf/default.conf (see $OUT/webserv.conf)"
grep -Eq "^[[:space:]]*upload_store $STORE;" "$CONF" \
    || die "could not rewrite 'upload_store www/uploads;' in conf/default.conf (see $OUT/webserv.conf)"
grep -Eq "^[[:space:]]*alias $STORE/;" "$CONF" \
    || die "could not rewrite 'alias www/uploads/;' in conf/default.conf (see $OUT/webserv.conf)"
if grep -Eq "^[[:space:]]*(root|upload_store|alias)[[:space:]]+\.?/?www" "$CONF"; then
    die "the copied configuration still points into the repository's www/: $(grep -En '^[[:space:]]*(root|upload_store|alias)[[:space:]]+\.?/?www' "$CONF" | head -3)"
fi
./webserv -t "$CONF" > "$OUT/webserv-t.log" 2>&1 \
    || die "./webserv -t rejects the copied configuration: $(cat "$OUT/webserv-t.log")"

# --- start the server ----------------------------------------------------
start_webserv "$PORT" "$CONF" "$OUT/webserv.access.log" "$OUT/webserv.error.log"
BASE=http://127.0.0.1:$PORT
echo "browser-upload-check: webserv (pid $SERVER_PID) on $BASE, site copy in $WORK/www"

# --- start Chromium with the DevTools protocol on a free port -------------
start_chromium "$WORK/chromium-profile" "$OUT/chromium.log"
echo "browser-upload-check: chromium (pid $CHROME_PID) DevTools on 127.0.0.1:$DEVTOOLS_PORT"

# --- drive the pages -----------------------------------------------------
mkdir -p "$WORK/fixtures"
run_driver scripts/browser-upload-driver.py \
    BASE="$BASE" DEVTOOLS_PORT="$DEVTOOLS_PORT" STORE="$STORE" OUT="$OUT" FIXTURES="$WORK/fixtures"

# --- the server survived, and the repository's uploads were never touched ---
kill -0 "$SERVER_PID" 2>/dev/null || die "webserv is no longer running after the session"
[ "$(ls -A --full-time www/uploads)" = "$REPO_UPLOADS_BEFORE" ] \
    || die "the repository's www/uploads changed during the check"
echo "ok    webserv still running; the repository's www/uploads is untouched"
