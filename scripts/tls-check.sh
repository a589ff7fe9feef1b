#!/usr/bin/env bash
# tls-check.sh - webserv behind HAProxy terminating TLS, on loopback, and the
#                properties that make it "HTTPS in front":
#
#   a) index      https://127.0.0.1:18443/ is the demo's index.html, over a
#                 certificate curl verifies (--cacert)
#   b) upload     a file stored through https (demo / webserv), listed,
#                 downloaded byte for byte, deleted
#   c) session    the WEBSERV_SID cookie says Secure through HAProxy, not when
#                 asked straight over http, and not for a forged
#                 X-Forwarded-Proto from a peer webserv does not trust (a second
#                 node that trusts 10.0.0.0/8 only); $scheme and $remote_addr
#                 (the /client location) follow the same rule
#   d) redirect   http://127.0.0.1:18480/ answers 301 to https; webserv's own
#                 redirects reach the browser as https Locations
#   e) browser    headless Chromium trusting only this certificate (its SPKI
#                 hash): the demo page, the session page twice (the visit
#                 counter goes up), the cookie Secure and HttpOnly (DevTools
#                 Network.getCookies), and the http port sending it to https
#
# usage: scripts/tls-check.sh        (from any directory: it works in the repository root)
#
# Builds ./webserv (make, lib.sh's build_webserv) and writes everything else
# to a temporary directory: a self-signed certificate for localhost and
# 127.0.0.1 (openssl; key and certificate in one PEM for HAProxy), a copy of
# www/ (the uploads land there, never in the repository), two node configs
# made from conf/examples/tls-node.conf (ports and paths rewritten; the
# second one trusts 10.0.0.0/8 instead of 127.0.0.1) and
# conf/examples/haproxy-tls.cfg with its ports and certificate rewritten.
# Prints a PASS or FAIL line per check and a summary table; exits 1 when a
# check fails, 2 when the setup fails (a missing tool included).
#
# The browser part is scripts/tls-browser-driver.py, through devtools.py.
#
# Needs: haproxy (2.6, apt-get install haproxy), openssl, curl, chromium,
# python3.
#
# env: TLS_PORT (18443) REDIRECT_PORT (18480) NODE_PORT (18401)
#      UNTRUSTED_PORT (18402) CHROMIUM (browser binary) NO_BUILD=1 (no make)
#      KEEP_TMP=1 keeps the temporary directory (logs, screenshots) and
#      prints its path; it is kept after a failure too.
#
# Loopback only. Every process started here is stopped by its own PID on exit
# (normal, error, Ctrl-C); every wait is bounded.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

cd "$(dirname "$0")/.."
ROOT=$PWD
SCRIPT_NAME=tls-check
PYTHON=/usr/bin/python3

TLS_PORT=${TLS_PORT:-18443}
REDIRECT_PORT=${REDIRECT_PORT:-18480}
NODE_PORT=${NODE_PORT:-18401}
UNTRUSTED_PORT=${UNTRUSTED_PORT:-18402}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
KEEP_TMP=${KEEP_TMP:-0}

HTTPS=https://127.0.0.1:$TLS_PORT
PLAIN=http://127.0.0.1:$REDIRECT_PORT
NODE=http://127.0.0.1:$NODE_PORT
UNTRUSTED=http://127.0.0.1:$UNTRUSTED_PORT

# ---- bookkeeping -------------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/webserv-tls.XXXXXX")

# Results go through lib.sh's record (RESULTS, FAILED). Every process
# started here is named with stop_at_exit (lib.sh).
on_exit() { remove_tmp_unless_kept; }
trap_cleanup

# die (lib.sh), a setup failure: exit 2, after what the logs say.
DIE_STATUS=2
on_die() {
    local f
    for f in "$TMP"/*.err "$TMP"/haproxy.out; do
        [ -s "$f" ] || continue
        log "--- last lines of $f:" >&2
        tail -n 15 "$f" >&2
    done
}

port_in_use() {         # something already listens on 127.0.0.1:PORT
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# fetch NAME URL [curl options...]: the answer's head in $TMP/NAME.head, its
# body in $TMP/NAME.body; prints the status (000 if none). Trusts only
# this run's certificate; bounded to 10 s.
fetch() {
    local name=$1 url=$2
    shift 2
    curl -s --max-time 10 --cacert "$CERT" -D "$TMP/$name.head" -o "$TMP/$name.body" \
        -w '%{http_code}' "$@" "$url" 2>/dev/null || true
}

# header NAME FIELD: the value of FIELD in $TMP/NAME.head (the last one).
header() {
    tr -d '\r' <"$TMP/$1.head" 2>/dev/null |
        awk -v f="$2" 'index(tolower($0), tolower(f) ":") == 1 { v = substr($0, length(f) + 2); sub(/^ */, "", v) } END { print v }'
}

# sid_cookie NAME: the WEBSERV_SID Set-Cookie value of $TMP/NAME.head.
sid_cookie() {
    tr -d '\r' <"$TMP/$1.head" 2>/dev/null | sed -n 's/^[Ss]et-[Cc]ookie: *\(WEBSERV_SID=.*\)$/\1/p' | tail -n 1
}

# visits NAME: the visit count session.py shows in $TMP/NAME.body.
visits() {
    grep -o 'data-visits="[0-9]*"' "$TMP/$1.body" 2>/dev/null | head -n 1 | tr -dc 0-9 || true
}

is_secure() { case "; $1;" in *"; Secure;"*) return 0 ;; *) return 1 ;; esac; }

# ---- setup -------------------------------------------------------------

for tool in haproxy openssl curl make awk sed; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y haproxy openssl curl)"
done
[ -n "$CHROMIUM" ] || die "chromium is missing (apt-get install -y chromium)"
[ -x "$PYTHON" ] || die "$PYTHON is missing"
for port in "$TLS_PORT" "$REDIRECT_PORT" "$NODE_PORT" "$UNTRUSTED_PORT"; do
    port_in_use "$port" && die "port $port is already in use (set TLS_PORT, REDIRECT_PORT, NODE_PORT, UNTRUSTED_PORT)"
done

say "building ./webserv"
build_webserv

say "a self-signed certificate for localhost and 127.0.0.1, valid a day"
CERT=$TMP/cert.pem
KEY=$TMP/key.pem
PEM=$TMP/haproxy.pem
timeout 60 openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$KEY" -out "$CERT" >"$TMP/openssl.err" 2>&1 || die "openssl req failed: $(cat "$TMP/openssl.err")"
cat "$CERT" "$KEY" >"$PEM"      # HAProxy's crt: the certificate and its key in one file
# Chromium trusts this certificate alone: the SHA-256 of its public key.
SPKI=$(openssl x509 -in "$CERT" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | openssl enc -base64)
[ -n "$SPKI" ] || die "could not compute the certificate's SPKI hash"
log "   $CERT ($(openssl x509 -in "$CERT" -noout -subject)), SPKI sha256 $SPKI"

# A private copy of the site: the uploads land there.
cp -R www "$TMP/www"
find "$TMP/www/uploads" -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
STORE=$TMP/www/uploads

# make_node_config NAME PORT [TRUSTED]: conf/examples/tls-node.conf on PORT,
# serving the copy of the site; with TRUSTED, set_real_ip_from TRUSTED
# instead of 127.0.0.1.
make_node_config() {
    local name=$1 port=$2 trusted=${3:-} out=$TMP/$1.conf
    sed -E \
        -e "s|^include \.\./mime\.types;|include $ROOT/conf/mime.types;|" \
        -e "s|^([[:space:]]*)listen 127\.0\.0\.1:18401 default_server;|\\1listen 127.0.0.1:$port default_server;|" \
        -e "s|^([[:space:]]*)root www;|\\1root $TMP/www;|" \
        -e "s|^([[:space:]]*)upload_store www/uploads;|\\1upload_store $STORE;|" \
        -e "s|^([[:space:]]*)alias www/uploads/;|\\1alias $STORE/;|" \
        ${trusted:+-e "s|^([[:space:]]*)set_real_ip_from 127\.0\.0\.1;|\\1set_real_ip_from $trusted;|"} \
        conf/examples/tls-node.conf >"$out"
    grep -q "^include $ROOT/conf/mime.types;" "$out" &&
        grep -Eq "^[[:space:]]*listen 127\.0\.0\.1:$port default_server;" "$out" &&
        grep -Eq "^[[:space:]]*root $TMP/www;" "$out" &&
        grep -Eq "^[[:space:]]*upload_store $STORE;" "$out" &&
        grep -Eq "^[[:space:]]*alias $STORE/;" "$out" &&
        grep -Eq "^[[:space:]]*set_real_ip_from ${trusted:-127.0.0.1};" "$out" &&
        [ "$(grep -Ec '^[[:space:]]*set_real_ip_from ' "$out")" = 1 ] &&
        grep -Eq "^[[:space:]]*real_ip_header X-Forwarded-For;" "$out" ||
        die "could not rewrite conf/examples/tls-node.conf for $name (see $out)"
    ./webserv -t "$out" >"$TMP/$name.check" 2>&1 || die "$out is not valid: $(cat "$TMP/$name.check")"
}
make_node_config node "$NODE_PORT"
make_node_config untrusted "$UNTRUSTED_PORT" 10.0.0.0/8

HAPROXY_CFG=$TMP/haproxy-tls.cfg
sed -e "s/18443/$TLS_PORT/g" -e "s/18480/$REDIRECT_PORT/g" -e "s/18401/$NODE_PORT/g" \
    -e "s#crt /etc/haproxy/certs/webserv\.pem#crt $PEM#" \
    conf/examples/haproxy-tls.cfg >"$HAPROXY_CFG"
grep -q "bind 127.0.0.1:$TLS_PORT ssl crt $PEM " "$HAPROXY_CFG" &&
    grep -q "bind 127.0.0.1:$REDIRECT_PORT\$" "$HAPROXY_CFG" &&
    grep -q "server node 127.0.0.1:$NODE_PORT " "$HAPROXY_CFG" ||
    die "could not rewrite conf/examples/haproxy-tls.cfg (see $HAPROXY_CFG)"
timeout 30 haproxy -c -q -f "$HAPROXY_CFG" >"$TMP/haproxy.check" 2>&1 ||
    die "$HAPROXY_CFG is not valid: $(cat "$TMP/haproxy.check")"

say "starting webserv (:$NODE_PORT, trusts 127.0.0.1), webserv (:$UNTRUSTED_PORT, trusts 10.0.0.0/8), HAProxy (:$TLS_PORT https, :$REDIRECT_PORT http)"
start_webserv "$NODE_PORT" "$TMP/node.conf" "$TMP/node.out" "$TMP/node.err"
PID_NODE=$SERVER_PID
start_webserv "$UNTRUSTED_PORT" "$TMP/untrusted.conf" "$TMP/untrusted.out" "$TMP/untrusted.err"
PID_UNTRUSTED=$SERVER_PID
# HAProxy in the foreground (-db) of a background job; its log is standard output.
haproxy -db -f "$HAPROXY_CFG" >"$TMP/haproxy.out" 2>&1 &
PID_LB=$!
stop_at_exit "$PID_LB"
wait_for_port "$TLS_PORT" 10 "$PID_LB" || die "HAProxy does not accept on port $TLS_PORT after 10 s"
wait_for_port "$REDIRECT_PORT" 10 "$PID_LB" || die "HAProxy does not accept on port $REDIRECT_PORT after 10 s"
log "   webserv pids $PID_NODE and $PID_UNTRUSTED, HAProxy pid $PID_LB"

# ---- a) the index page over https --------------------------------------

say "a) index: GET $HTTPS/"
code=$(fetch index "$HTTPS/" -w '%{http_code} %{http_version} %{ssl_verify_result}')
read -r status version verify <<<"$code"
detail="status $status, HTTP/$version, certificate check $verify (0 = verified against $CERT)"
if [ "$status" = 200 ] && [ "$verify" = 0 ] && cmp -s "$TMP/index.body" "$TMP/www/index.html"; then
    record index PASS "$detail, the body is www/index.html byte for byte ($(grep -o '<title>[^<]*' "$TMP/index.body" | sed 's/<title>//'))"
else
    record index FAIL "$detail; body $(wc -c <"$TMP/index.body" 2>/dev/null || echo 0) bytes, www/index.html $(wc -c <"$TMP/www/index.html")"
fi

# ---- b) an upload through https ----------------------------------------

say "b) upload: POST, GET, listing, DELETE through $HTTPS/uploads/"
NAME=tls-check-$$.txt
head -c 3000 /dev/urandom | od -An -tx1 >"$TMP/$NAME"
problem=""
code=$(fetch up-anon "$HTTPS/uploads/" -F "file=@$TMP/$NAME")
[ "$code" = 401 ] || problem+=" POST without credentials answered $code (want 401);"
code=$(fetch up "$HTTPS/uploads/" -u demo:webserv -F "file=@$TMP/$NAME")
[ "$code" = 201 ] || problem+=" POST answered $code (want 201);"
cmp -s "$TMP/$NAME" "$STORE/$NAME" || problem+=" the stored file differs from the one sent (or is missing);"
code=$(fetch down "$HTTPS/uploads/$NAME")
{ [ "$code" = 200 ] && cmp -s "$TMP/down.body" "$TMP/$NAME"; } || problem+=" GET answered $code, or other bytes;"
code=$(fetch listing "$HTTPS/uploads/")
{ [ "$code" = 200 ] && grep -q "href=\"[^\"]*$NAME\"" "$TMP/listing.body"; } || problem+=" the listing ($code) does not link $NAME;"
code=$(fetch json "$HTTPS/api/uploads/")
{ [ "$code" = 200 ] && grep -q "\"$NAME\"" "$TMP/json.body"; } || problem+=" the JSON listing ($code) does not name $NAME;"
code=$(fetch del "$HTTPS/uploads/$NAME" -u demo:webserv -X DELETE)
[ "$code" = 204 ] || problem+=" DELETE answered $code (want 204);"
code=$(fetch gone "$HTTPS/uploads/$NAME")
{ [ "$code" = 404 ] && [ ! -e "$STORE/$NAME" ]; } || problem+=" after DELETE, GET answered $code or the file is still on disk;"
if [ -z "$problem" ]; then
    record upload PASS "$(wc -c <"$TMP/$NAME") bytes: 401 without credentials, 201 stored, listed (HTML and JSON), downloaded the same, 204 deleted, then 404"
else
    record upload FAIL "${problem# }"
fi

# ---- c) the session cookie and the proxy's fields ----------------------

say "c) session: Set-Cookie of $HTTPS/cgi-bin/session.py, of the nodes asked straight, and what /client says"
fetch s-https "$HTTPS/cgi-bin/session.py" >/dev/null
via_https=$(sid_cookie s-https)
sid=${via_https%%;*}
fetch s-https2 "$HTTPS/cgi-bin/session.py" -H "Cookie: $sid" >/dev/null
fetch s-direct "$NODE/cgi-bin/session.py" >/dev/null
direct=$(sid_cookie s-direct)
fetch s-forged "$UNTRUSTED/cgi-bin/session.py" -H 'X-Forwarded-Proto: https' >/dev/null
forged=$(sid_cookie s-forged)
fetch s-trusted "$NODE/cgi-bin/session.py" -H 'X-Forwarded-Proto: https' >/dev/null
trusted_peer=$(sid_cookie s-trusted)
log "   through HAProxy:                     ${via_https:-(no WEBSERV_SID cookie)}"
log "   :$NODE_PORT straight:                     ${direct:-(no WEBSERV_SID cookie)}"
log "   :$UNTRUSTED_PORT + forged X-Forwarded-Proto:   ${forged:-(no WEBSERV_SID cookie)}"
log "   :$NODE_PORT + X-Forwarded-Proto (trusted): ${trusted_peer:-(no WEBSERV_SID cookie)}"
if [ -n "$via_https" ] && is_secure "$via_https" && [ "$(visits s-https)" = 1 ] && [ "$(visits s-https2)" = 2 ]; then
    record "cookie https" PASS "Secure through HAProxy; visits 1 then 2 with the cookie sent back"
else
    record "cookie https" FAIL "through HAProxy: '${via_https:-none}', visits '$(visits s-https)' then '$(visits s-https2)' (want Secure, 1, 2)"
fi
if [ -n "$direct" ] && ! is_secure "$direct"; then
    record "cookie http" PASS "no Secure when asked straight over http"
else
    record "cookie http" FAIL "straight over http: '${direct:-none}' (want a cookie without Secure)"
fi
if [ -n "$forged" ] && ! is_secure "$forged"; then
    record "cookie forged" PASS "no Secure from an untrusted peer sending X-Forwarded-Proto: https"
else
    record "cookie forged" FAIL "untrusted peer, forged X-Forwarded-Proto: '${forged:-none}' (want a cookie without Secure)"
fi

# $scheme $remote_addr as webserv took them. Through HAProxy a client's own
# X-Forwarded-* come first; HAProxy's come last and win.
FAKE=203.0.113.9
client_https=$(fetch c-https "$HTTPS/client" -H "X-Forwarded-For: $FAKE" -H 'X-Forwarded-Proto: http' >/dev/null; cat "$TMP/c-https.body" 2>/dev/null)
client_direct=$(fetch c-direct "$NODE/client" >/dev/null; cat "$TMP/c-direct.body" 2>/dev/null)
client_trusted=$(fetch c-trusted "$NODE/client" -H "X-Forwarded-For: $FAKE" -H 'X-Forwarded-Proto: https' >/dev/null; cat "$TMP/c-trusted.body" 2>/dev/null)
client_forged=$(fetch c-forged "$UNTRUSTED/client" -H "X-Forwarded-For: $FAKE" -H 'X-Forwarded-Proto: https' >/dev/null; cat "$TMP/c-forged.body" 2>/dev/null)
detail="HAProxy with the client's forged fields: '$client_https'; straight: '$client_direct'; untrusted peer, forged: '$client_forged'"
if [ "$client_https" = "https 127.0.0.1" ] && [ "$client_direct" = "http 127.0.0.1" ] && [ "$client_forged" = "http 127.0.0.1" ]; then
    record "scheme/addr" PASS "$detail"
else
    record "scheme/addr" FAIL "$detail (want 'https 127.0.0.1', 'http 127.0.0.1', 'http 127.0.0.1')"
fi
# The trust is in the peer's address, not in the fields: a trusted peer's say goes.
if [ -n "$trusted_peer" ] && is_secure "$trusted_peer" && [ "$client_trusted" = "https $FAKE" ]; then
    record "trusted peer" PASS "127.0.0.1 asking :$NODE_PORT straight with the fields is believed: Secure, '$client_trusted'"
else
    record "trusted peer" FAIL "127.0.0.1 with the fields: cookie '${trusted_peer:-none}', /client '$client_trusted' (want Secure, 'https $FAKE')"
fi

# ---- d) redirects ------------------------------------------------------

say "d) redirects: $PLAIN/ to https; webserv's own Location through HAProxy"
code=$(fetch r-plain "$PLAIN/cgi-bin/session.py?from=http")
location=$(header r-plain Location)
followed=$(curl -s --max-time 10 --cacert "$CERT" -L -o /dev/null -w '%{http_code} %{url_effective}' "$PLAIN/" 2>/dev/null || true)
if [ "$code" = 301 ] && [ "$location" = "$HTTPS/cgi-bin/session.py?from=http" ] && [ "$followed" = "200 $HTTPS/" ]; then
    record "http->https" PASS "301 Location $location; curl -L $PLAIN/ ends at $HTTPS/ (200)"
else
    record "http->https" FAIL "$PLAIN/cgi-bin/session.py?from=http: $code Location '$location'; curl -L $PLAIN/: '$followed'"
fi
code=$(fetch r-old "$HTTPS/old-page")
location=$(header r-old Location)
code2=$(fetch r-dir "$HTTPS/files")
location2=$(header r-dir Location)
fetch r-node "$NODE/old-page" >/dev/null
if [ "$code" = 301 ] && [ "$location" = "$HTTPS/index.html" ] && [ "$code2" = 301 ] && [ "$location2" = "$HTTPS/files/" ]; then
    record "Location" PASS "/old-page $code $location, /files $code2 $location2 (webserv itself says $(header r-node Location))"
else
    record "Location" FAIL "/old-page $code '$location', /files $code2 '$location2' (want $HTTPS/index.html and $HTTPS/files/)"
fi

# ---- e) headless Chromium ----------------------------------------------

say "e) browser: headless Chromium over $HTTPS, trusting only this certificate"
# start_chromium (lib.sh) runs $CHROMIUM with its own flags: a wrapper adds
# the certificate's SPKI hash (exec: the PID stays Chromium's).
REAL_CHROMIUM=$CHROMIUM
CHROMIUM=$TMP/chromium
printf '#!/bin/sh\nexec %q --ignore-certificate-errors-spki-list=%q "$@"\n' "$REAL_CHROMIUM" "$SPKI" >"$CHROMIUM"
chmod +x "$CHROMIUM"
start_chromium "$TMP/chromium-profile" "$TMP/chromium.log"
log "   chromium pid $CHROME_PID, DevTools on 127.0.0.1:$DEVTOOLS_PORT"


: >"$TMP/browser.results"
# PYTHONPATH: the driver imports scripts/devtools.py.
run_driver scripts/tls-browser-driver.py PYTHONPATH="$ROOT/scripts" HTTPS="$HTTPS" PLAIN="$PLAIN" \
    DEVTOOLS_PORT="$DEVTOOLS_PORT" OUT="$TMP" RESULTS="$TMP/browser.results"
while IFS='|' read -r name result detail; do
    record "$name" "$result" "$detail"
done <"$TMP/browser.results"
[ -s "$TMP/browser.results" ] || record browser FAIL "the driver reported nothing"
stop_pid "$CHROME_PID" group

# ---- stop and summarise ------------------------------------------------

for pid in "$PID_NODE" "$PID_UNTRUSTED" "$PID_LB"; do
    kill -0 "$pid" 2>/dev/null || record "processes" FAIL "pid $pid (webserv or HAProxy) died during the checks"
done
stop_pid "$PID_LB"
stop_pid "$PID_UNTRUSTED"
stop_pid "$PID_NODE"
for name in node untrusted; do
    if grep -q 'AddressSanitizer\|runtime error' "$TMP/$name.err" 2>/dev/null; then
        record "$name log" FAIL "sanitizer report in its error log"
    fi
done

printf '\n%-17s %-6s %s\n' "check" "result" "detail"
printf '%-17s %-6s %s\n' "-----------------" "------" "------"
passed=0
failed=0
for row in "${RESULTS[@]}"; do
    IFS='|' read -r name result detail <<<"$row"
    printf '%-17s %-6s %s\n' "$name" "$result" "$detail"
    if [ "$result" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
log ""
log "tls-check: $passed passed, $failed failed"
if [ "$FAILED" -ne 0 ]; then
    KEEP_TMP=1
    exit 1
fi
