#!/usr/bin/env bash
# Runs Debian's packaged web applications through webserv's CGI, each with
# its example configuration (conf/examples/APP.conf), and checks with curl
# what a browser would load and do:
#   dokuwiki          front page 200, its stylesheet (lib/exe/css.php), its
#                     scripts, the template's images (lib/tpl, a symbolic
#                     link into /var/lib/dokuwiki) and the images the
#                     stylesheet names; a login, then a page saved by POST
#                     from the edit form (its sectok) and read back;
#                     bin/ and inc/ refused
#   gitweb            project list, stylesheet/script/logo, a log and a tree
#                     page of a repository made here, the path_info form
#   cgit              repository list, stylesheet, log page, and a snapshot
#                     tar.gz byte-identical to `git archive` of the same tree
#   front-controller  /a/b?x=1 and /users/42 run index.php with REQUEST_URI,
#                     SCRIPT_NAME, PATH_INFO and QUERY_STRING as nginx sets
#                     them; files that exist are served as they are
#   adminer           SQLite: login, the tables, a row, an INSERT through the
#                     SQL command form (its token)
#   mediawiki         installed by install.php into the work directory:
#                     front page redirect, Main_Page, its stylesheet, a page
#                     edited through api.php and read back
#   dokuwiki-fpm      the same checks as dokuwiki and mediawiki, through
#   mediawiki-fpm     FastCGI (conf/examples/APP-fpm.conf) to Debian's
#                     php-fpm, started here in the foreground with a pool of
#                     its own on a socket in the work directory
# Nothing outside the work directory changes: the example configurations are
# copied there with a free loopback port (the `listen 127.0.0.1:N` and
# `listen [::1]:N` lines rewritten), the mime.types include made absolute,
# and a few test lines added (cgi_param lines pointing the applications at
# their data in the work directory: a DokuWiki configuration and data copy,
# a gitweb/cgit configuration, a MediaWiki LocalSettings.php and database).
# The script checks at the end that /etc and /var/lib of these packages were
# not modified.
#
#   scripts/apps-check.sh [APP...]     # default: all of them, in that order
#
# Packages that are missing are installed with apt-get (sudo when not root).
# Environment: NO_BUILD=1 uses the existing ./webserv; KEEP=1 keeps the work
# directory (it is always kept, and named, after a failure); SERVER=lighttpd
# runs the same checks against lighttpd's mod_cgi (the reference: Debian's
# lighttpd, started in the foreground with a configuration of its own in the
# work directory) instead of webserv.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
SCRIPT_NAME=apps-check
DIE_PREFIX="$SCRIPT_NAME: FAIL: "
START=$(date +%s)

ALL_APPS="dokuwiki gitweb cgit front-controller adminer mediawiki dokuwiki-fpm mediawiki-fpm"
APPS=${*:-$ALL_APPS}
for app in $APPS; do
    case " $ALL_APPS " in *" $app "*) ;; *) DIE_STATUS=2 die "unknown application '$app' (one of: $ALL_APPS)" ;; esac
done

# --- packages ---------------------------------------------------------------
packages=()
need() { dpkg -s "$1" >/dev/null 2>&1 || packages+=("$1"); }
for package in curl git php-cgi; do need "$package"; done
for app in $APPS; do
    case $app in
        dokuwiki) need dokuwiki ;;
        gitweb) need gitweb ;;
        cgit) need cgit ;;
        adminer) need adminer; need php-sqlite3 ;;
        mediawiki) need mediawiki; need php-sqlite3 ;;
        dokuwiki-fpm) need dokuwiki; need php8.2-fpm ;;
        mediawiki-fpm) need mediawiki; need php-sqlite3; need php8.2-fpm ;;
    esac
done
if [ ${#packages[@]} -gt 0 ]; then
    echo "$SCRIPT_NAME: installing ${packages[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -q || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${packages[@]}" \
        || die "apt-get install ${packages[*]} failed"
fi

SERVER=${SERVER:-webserv}
case $SERVER in
    webserv) build_webserv ;;
    lighttpd) [ -x /usr/sbin/lighttpd ] || DIE_STATUS=2 die "SERVER=lighttpd: /usr/sbin/lighttpd is not installed (apt-get install -y lighttpd)" ;;
    *) DIE_STATUS=2 die "SERVER is webserv or lighttpd, not '$SERVER'" ;;
esac
WORK=$(mktemp -d /tmp/webserv-apps.XXXXXX)
on_exit() {
    if [ "$1" -ne 0 ] || [ "${KEEP:-0}" = 1 ]; then
        echo "$SCRIPT_NAME: logs and configurations kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap_cleanup

# What must not change: the packages' configuration and data.
WATCHED=(/etc/dokuwiki /var/lib/dokuwiki /etc/gitweb.conf /etc/cgitrc /var/cache/cgit
         /etc/adminer /etc/mediawiki /var/lib/mediawiki /var/lib/git)
STAMP=$WORK/start.stamp
touch "$STAMP"
sleep 1   # mtimes have a one-second granularity on some filesystems

IPV6=0
"${PYTHON:-/usr/bin/python3}" -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null && IPV6=1

# --- php-fpm for the -fpm variants ------------------------------------------
# VARIANT is "-fpm" while one runs: its checks are the CGI ones, with
# conf/examples/APP-fpm.conf, whose socket is pointed at FPM_SOCKET.
VARIANT=
FPM_PID=
FPM_SOCKET=$WORK/fpm/php.sock
start_fpm() {
    local bin root=()
    bin=$(ls /usr/sbin/php-fpm[0-9]* 2>/dev/null | tail -n 1)
    [ -n "$bin" ] || die "php-fpm is not installed (apt-get install php8.2-fpm)"
    mkdir -p "$WORK/fpm"
    {
        printf '[global]\nerror_log = %s\ndaemonize = no\n[apps]\n' "$WORK/fpm/fpm.log"
        [ "$(id -u)" -ne 0 ] || printf 'user = root\ngroup = root\n'
        printf 'listen = %s\npm = static\npm.max_children = 4\n' "$FPM_SOCKET"
        printf 'catch_workers_output = yes\ndecorate_workers_output = no\n'
    } > "$WORK/fpm/fpm.conf"
    [ "$(id -u)" -ne 0 ] || root=(-R)
    "$bin" -F -y "$WORK/fpm/fpm.conf" "${root[@]}" > "$WORK/fpm/fpm.out" 2>&1 &
    FPM_PID=$!
    stop_at_exit "$FPM_PID"
    local i
    for i in $(seq 1 100); do [ -S "$FPM_SOCKET" ] && break; kill -0 "$FPM_PID" 2>/dev/null || break; sleep 0.1; done
    [ -S "$FPM_SOCKET" ] || die "php-fpm did not start: $(cat "$WORK/fpm/fpm.out" "$WORK/fpm/fpm.log" 2>/dev/null)"
    VARIANT=-fpm
}
stop_fpm() {
    stop_pid "$FPM_PID"
    FPM_PID=
    VARIANT=
}

# --- reporting ---------------------------------------------------------------
failures=0
APP=
ok() { echo "ok    $APP: $*"; }
fail() { echo "FAIL  $APP: $*" >&2; failures=$((failures + 1)); }

# --- one server per application ----------------------------------------------
# start_app APP [SED-ARG...]: writes $DIR/webserv.conf from conf/examples/APP.conf
# (free port, absolute mime.types, then the extra sed arguments), checks it
# with -t and starts webserv on it. Sets APP, PORT, BASE, DIR and SERVER_PID.
start_app() {
    APP=$1
    shift
    PORT=${WANT_PORT:-$(free_port)}
    WANT_PORT=
    BASE=http://127.0.0.1:$PORT
    local conf=$DIR/webserv.conf v6=(-e '/^[[:space:]]*listen \[::1\]/d')
    [ "$IPV6" -eq 0 ] || v6=(-e "s/^([[:space:]]*listen \[::1\]):[0-9]+/\1:$PORT/")
    sed -E -e "s/^([[:space:]]*listen 127\.0\.0\.1):[0-9]+/\1:$PORT/" "${v6[@]}" \
        -e "s|^include \.\./mime\.types;|include $PWD/conf/mime.types;|" \
        -e "s|fastcgi \.php unix:[^;]*;|fastcgi .php unix:$FPM_SOCKET;|" "$@" \
        "conf/examples/$APP.conf" > "$conf"
    grep -q "listen 127.0.0.1:$PORT" "$conf" || die "$APP: conf/examples/$APP.conf has no 'listen 127.0.0.1:PORT' line"
    if [ "$SERVER" = lighttpd ]; then
        start_lighttpd "$conf"
        return 0
    fi
    ./webserv -t "$conf" > "$DIR/config-test.log" 2>&1 || die "$APP: ./webserv -t rejects the configuration: $(cat "$DIR/config-test.log")"
    start_webserv "$PORT" "$conf" "$DIR/access.log" "$DIR/error.log"
    echo "--    $APP: webserv on $BASE (conf/examples/$APP.conf; logs in $DIR)"
}

# start_lighttpd CONF: the reference run (SERVER=lighttpd): lighttpd's
# mod_cgi serving APP as conf/examples/APP.conf describes it, with the
# cgi_param lines of CONF as its CGI environment.
start_lighttpd() {
    local lconf=$DIR/lighttpd.conf env root index rules
    env=$(sed -nE 's/^[[:space:]]*cgi_param ([A-Za-z_]+) (.*);$/"\1" => "\2",/p' "$1" | tr '\n' ' ')
    case $APP in
        dokuwiki) root=/usr/share/dokuwiki index=doku.php
            rules='$HTTP["url"] =~ "^/(bin|inc|vendor)/|^/\.ht" { url.access-deny = ("") }' ;;
        gitweb) root=/usr/share/gitweb index=index.cgi rules= ;;
        cgit) root=/usr/share/cgit index=index.html
            rules='alias.url = ("/cgit-css/" => "/usr/share/cgit/", "/cgit.cgi" => "/usr/lib/cgit/cgit.cgi")
url.rewrite-if-not-file = ("^/([^?]*)(\?(.*))?$" => "/cgit.cgi/$1$2")' ;;
        front-controller) root=$PWD/conf/examples/front-controller index=index.php
            rules='url.rewrite-if-not-file = ("^/[^?]*(\?.*)?$" => "/index.php$1")' ;;
        adminer) root=$PWD/conf/examples/adminer index=index.php rules= ;;
        mediawiki) root=/var/lib/mediawiki index=index.php rules= ;;
    esac
    {
        echo 'server.modules = ("mod_indexfile", "mod_alias", "mod_access", "mod_rewrite", "mod_setenv", "mod_cgi", "mod_staticfile", "mod_accesslog")'
        echo "server.document-root = \"$root\""
        echo "server.bind = \"127.0.0.1\""
        echo "server.port = $PORT"
        echo "server.errorlog = \"$DIR/error.log\""
        echo "accesslog.filename = \"$DIR/access.log\""
        echo 'server.follow-symlink = "enable"'
        echo "index-file.names = (\"$index\")"
        echo 'cgi.assign = (".php" => "/usr/bin/php-cgi", ".cgi" => "")'
        echo "setenv.add-environment = ($env)"
        echo 'server.max-request-size = 65536'
        sed -nE 's/^[[:space:]]*([a-z]+\/[^[:space:]]+)[[:space:]]+([^;]+);/\1 \2/p' conf/mime.types \
            | awk 'BEGIN { printf "mimetype.assign = (" } { for (i = 2; i <= NF; i++) printf "\".%s\" => \"%s\", ", $i, $1 } END { print ")" }'
        printf '%s\n' "$rules"
        [ "$IPV6" -eq 0 ] || echo "\$SERVER[\"socket\"] == \"[::1]:$PORT\" { }"
    } > "$lconf"
    /usr/sbin/lighttpd -tt -f "$lconf" > "$DIR/config-test.log" 2>&1 || die "$APP: lighttpd rejects $lconf: $(cat "$DIR/config-test.log")"
    /usr/sbin/lighttpd -D -f "$lconf" > "$DIR/lighttpd.out" 2>&1 &
    SERVER_PID=$!
    stop_at_exit "$SERVER_PID"
    wait_for_port "$PORT" 10 "$SERVER_PID" || die "$APP: lighttpd does not accept connections on port $PORT: $(cat "$DIR/lighttpd.out" "$DIR/error.log" 2>/dev/null)"
    echo "--    $APP: lighttpd (the reference) on $BASE ($lconf; logs in $DIR)"
}

# stop_app: stops the application's server and says how many requests it
# logged; after a failure, also the last lines of its error log.
stop_app() {
    stop_pid "$SERVER_PID"
    echo "--    $APP: $(wc -l < "$DIR/access.log") requests"
    if [ "$failures" -gt "$APP_FAILURES" ] && grep -qv '\[notice\]' "$DIR/error.log"; then
        echo "--    $APP: the last lines of $DIR/error.log:" >&2
        grep -v '\[notice\]' "$DIR/error.log" | tail -n 5 | cut -c 1-300 | sed 's/^/      /' >&2
    fi
}

# get PATH [CURL-ARG...]: sets STATUS; the body is in $DIR/body, the head in
# $DIR/head; cookies are kept in $DIR/cookies.
get() {
    local path=$1
    shift
    STATUS=$(curl -sS --max-time 60 -o "$DIR/body" -D "$DIR/head" -w '%{http_code}' \
        -b "$DIR/cookies" -c "$DIR/cookies" "$@" "$BASE$path" 2> "$DIR/curl.err") || STATUS="000 ($(cat "$DIR/curl.err"))"
}

# excerpt: the last body in one line: its <title> if it is HTML, else its
# first 200 bytes.
excerpt() {
    local title
    title=$(grep -o -m 1 '<title>[^<]*</title>' "$DIR/body" 2>/dev/null | sed 's/<[^>]*>//g' || true)
    if [ -n "$title" ]; then echo "page titled \"$title\""; else head -c 200 "$DIR/body" | tr '\n' ' '; fi
}

# field NAME: the value of the response header NAME (last one), without CR.
field() {
    sed -n "s/^$1:[[:space:]]*//Ip" "$DIR/head" | tr -d '\r' | tail -n 1
}

# expect WHAT CODE PATH [TEXT] [CURL-ARG...]: ok when PATH answers CODE and
# (unless TEXT is empty) its body contains TEXT.
expect() {
    local what=$1 code=$2 path=$3 text=${4:-}
    shift 3
    [ $# -eq 0 ] || shift
    get "$path" "$@"
    if [ "$STATUS" != "$code" ]; then
        fail "$what: $path answered $STATUS, expected $code ($(excerpt))"
        return 1
    fi
    if [ -n "$text" ] && ! grep -qF -- "$text" "$DIR/body"; then
        fail "$what: $path ($code) does not contain \"$text\""
        return 1
    fi
    ok "$what ($path: $code)"
}

# expect_type WHAT PATH TYPE: ok when PATH answers 200 with a non-empty body
# whose Content-Type starts with TYPE (a glob pattern).
expect_type() {
    local what=$1 path=$2 type=$3 got
    get "$path"
    got=$(field Content-Type)
    # shellcheck disable=SC2254  # TYPE is a pattern
    case $got in $type*) ;; *) got="$got (not $type)" ;; esac
    if [ "$STATUS" != 200 ] || [ "${got% (not *)}" != "$got" ] || [ ! -s "$DIR/body" ]; then
        fail "$what: $path answered $STATUS '$got' ($(stat -c %s "$DIR/body") bytes), expected 200 $type"
        return 1
    fi
    ok "$what ($path: 200 $got, $(stat -c %s "$DIR/body") bytes)"
}

# links FILE ATTR PREFIX: the distinct values of ATTR="PREFIX..." in FILE, &amp; decoded.
links() {
    { grep -oE "$2=[\"']$3[^\"']*[\"']" "$1" || true; } | sed -E "s/^$2=[\"']//; s/[\"']$//; s/&amp;/\&/g" | sort -u
}

# input_value FILE NAME: the value of the first <input name="NAME" ... value="..."> in FILE.
input_value() {
    { grep -oE "<input[^>]*name=[\"']$2[\"'][^>]*>" "$1" || true; } | head -n 1 \
        | sed -nE "s/.*value=[\"']([^\"']*)[\"'].*/\1/p"
}

# css_urls FILE: the local url(...)s of a stylesheet, without query, dot
# segments resolved, each once.
css_urls() {
    { grep -oE 'url\([^)]*\)' "$1" || true; } | sed -E "s/^url\([\"']?//; s/[\"']?\)\$//; s/[?#].*//" \
        | grep '^/' | "${PYTHON:-/usr/bin/python3}" -c 'import sys, posixpath
for line in sys.stdin: print(posixpath.normpath(line.strip()))' | sort -u
}

# A git repository with two commits of fixed dates (the same bytes every run).
make_repository() { # DIR
    local work=$WORK/git-work
    rm -rf "$work" "$1"
    git init -q -b main "$work"
    printf 'hello from the webserv apps check\n' > "$work/README"
    git -C "$work" add README
    GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z' \
        git -C "$work" -c user.name=Tester -c user.email=tester@example.org commit -q -m 'First commit'
    mkdir "$work/src"
    printf 'int main(void) { return 0; }\n' > "$work/src/main.c"
    git -C "$work" add src
    GIT_AUTHOR_DATE='2024-01-02T00:00:00Z' GIT_COMMITTER_DATE='2024-01-02T00:00:00Z' \
        git -C "$work" -c user.name=Tester -c user.email=tester@example.org commit -q -m 'Second commit: add src/main.c'
    git clone -q --bare "$work" "$1"
    echo 'A webserv check repository' > "$1/description"
}

# --- DokuWiki ----------------------------------------------------------------
check_dokuwiki() {
    DIR=$WORK/dokuwiki$VARIANT
    mkdir -p "$DIR/php" "$DIR/data"
    # Its configuration: a copy of /etc/dokuwiki, with the data in $DIR/data
    # and a user "tester" who may edit (@user 8). php-cgi reads $DIR/php/*.ini
    # (PHP_INI_SCAN_DIR, set with cgi_param), which prepends a file defining
    # DOKU_CONF: the packaged /etc/dokuwiki and /var/lib/dokuwiki are not used.
    cp -R /etc/dokuwiki "$DIR/conf"
    rm -f "$DIR/conf/acl.auth.php" "$DIR/conf/users.auth.php"
    printf '*\t@ALL\t1\n*\t@user\t8\n' > "$DIR/conf/acl.auth.php"
    printf 'tester:%s:Webserv Tester:tester@localhost:user\n' \
        "$(php -r 'echo password_hash("webserv-check", PASSWORD_BCRYPT);')" > "$DIR/conf/users.auth.php"
    printf "\$conf['savedir'] = '%s';\n\$conf['useacl'] = 1;\n" "$DIR/data" >> "$DIR/conf/local.php"
    local sub
    for sub in pages attic meta media media_attic media_meta cache index locks tmp log; do mkdir -p "$DIR/data/$sub"; done
    printf '====== webserv apps check ======\n\nThe front page of the check wiki.\n' > "$DIR/data/pages/start.txt"
    printf '<?php define("DOKU_CONF", "%s/conf/");\n' "$DIR" > "$DIR/php/prepend.php"
    printf 'auto_prepend_file = %s/php/prepend.php\n' "$DIR" > "$DIR/php/webserv-check.ini"

    # php-fpm reads its ini files once; PHP_VALUE is its per-request way.
    start_app "dokuwiki$VARIANT" -e "/cgi \.php/a\\        cgi_param PHP_INI_SCAN_DIR :$DIR/php;" \
        -e "/cgi \.php/a\\        cgi_param PHP_VALUE \"auto_prepend_file=$DIR/php/prepend.php\";"

    expect "front page" 200 / "The front page of the check wiki" || true
    cp "$DIR/body" "$DIR/front.html"
    local css url count=0 failed=0
    css=$(links "$DIR/front.html" href /lib/exe/css.php | head -n 1)
    if [ -z "$css" ]; then
        fail "the front page links no /lib/exe/css.php"
    elif expect_type "stylesheet" "$css" text/css; then
        grep -q 'dokuwiki' "$DIR/body" || fail "the stylesheet $css does not style .dokuwiki"
        # Every image the stylesheet names (dot segments resolved, as a
        # browser does): many are in lib/tpl and lib/plugins, both symbolic
        # links into /var/lib/dokuwiki.
        local tpl=0 plugins=0
        for url in $(css_urls "$DIR/body"); do
            count=$((count + 1))
            case $url in /lib/tpl/*) tpl=$((tpl + 1)) ;; /lib/plugins/*) plugins=$((plugins + 1)) ;; esac
            get "$url"
            [ "$STATUS" = 200 ] || { fail "stylesheet image $url: $STATUS"; failed=$((failed + 1)); }
        done
        [ "$count" -gt 0 ] || fail "the stylesheet names no image"
        [ "$failed" -gt 0 ] || ok "the $count images the stylesheet names: 200 ($tpl in lib/tpl, $plugins in lib/plugins)"
    fi
    for url in $(links "$DIR/front.html" src /lib/exe/js.php) $(links "$DIR/front.html" src /lib/exe/jquery.php); do
        expect_type "script" "$url" '*/javascript' || true
    done
    count=0 failed=0
    for url in $(links "$DIR/front.html" src /lib/tpl/) $(links "$DIR/front.html" href /lib/tpl/); do
        count=$((count + 1))
        get "$url"
        case "$STATUS $(field Content-Type)" in
            "200 image/"*) ;;
            *) fail "template image $url: $STATUS $(field Content-Type)"; failed=$((failed + 1)) ;;
        esac
    done
    [ "$count" -gt 0 ] || fail "the front page shows no image of lib/tpl"
    [ "$failed" -gt 0 ] || [ "$count" -eq 0 ] || ok "$count template images of the front page (lib/tpl/..., a symbolic link): 200 image/*"
    expect "inc/ refused" 403 /inc/init.php || true
    expect "bin/ refused" 403 /bin/dwpage.php || true

    # Log in (the login form's sectok), then edit and save a page.
    expect "login form" 200 "/doku.php?id=start&do=login" 'name="u"' || true
    local token
    token=$(input_value "$DIR/body" sectok)
    get "/doku.php?id=start" --data-urlencode "sectok=$token" --data id=start --data do=login \
        --data u=tester --data p=webserv-check
    if [ "$STATUS" = 302 ]; then ok "login (POST: 302 to $(field Location))"; else fail "login: POST answered $STATUS"; fi
    local page=webserv:check marker
    marker="saved-through-webserv-$$-$RANDOM"
    expect "edit form" 200 "/doku.php?id=$page&do=edit" 'dw__editform' || true
    token=$(input_value "$DIR/body" sectok)
    local changecheck
    changecheck=$(input_value "$DIR/body" changecheck)
    [ -n "$token" ] || fail "the edit form has no sectok (not logged in?)"
    get "/doku.php?id=$page&do=edit" --data-urlencode "sectok=$token" --data-urlencode "id=$page" \
        --data rev=0 --data date= --data prefix=. --data suffix= --data-urlencode "changecheck=$changecheck" \
        --data target=section --data-urlencode "wikitext======= Saved by apps-check ======
$marker" --data summary=apps-check --data-urlencode 'do[save]=1'
    if [ "$STATUS" = 302 ] && [ -f "$DIR/data/pages/webserv/check.txt" ]; then
        ok "page saved (POST do[save]: 302 to $(field Location))"
    else
        fail "saving $page: POST answered $STATUS; $DIR/data/pages/webserv/check.txt $( [ -f "$DIR/data/pages/webserv/check.txt" ] && echo exists || echo 'is missing')"
    fi
    expect "saved page, rendered" 200 "/doku.php?id=$page" "$marker" || true
    get "/doku.php?id=$page&do=export_raw"
    if [ "$STATUS" = 200 ] && [ "$(cat "$DIR/body")" = "====== Saved by apps-check ======
$marker" ]; then
        ok "saved page, raw: the text as sent"
    else
        fail "saved page, raw: $STATUS ($(excerpt))"
    fi
    stop_app
}

# --- gitweb ------------------------------------------------------------------
check_gitweb() {
    DIR=$WORK/gitweb
    mkdir -p "$DIR/git"
    make_repository "$DIR/git/demo.git"
    printf '$projectroot = "%s";\n$git_temp = "%s";\n@diff_opts = ();\n' "$DIR/git" "$DIR" > "$DIR/gitweb.conf"
    start_app gitweb -e "s|cgi_param GITWEB_CONFIG .*;|cgi_param GITWEB_CONFIG $DIR/gitweb.conf;|"
    expect "project list" 200 / 'A webserv check repository' || true
    grep -qF 'p=demo.git' "$DIR/body" || fail "the project list does not link demo.git"
    cp "$DIR/body" "$DIR/front.html"
    local url
    for url in $(links "$DIR/front.html" href static/) $(links "$DIR/front.html" src static/); do
        case $url in
            *.css) expect_type "stylesheet" "/$url" text/css || true ;;
            *.js) expect_type "script" "/$url" text/javascript || true ;;
            *.png) expect_type "image" "/$url" image/png || true ;;
        esac
    done
    expect "log page" 200 "/?p=demo.git;a=log" 'Second commit: add src/main.c' || true
    grep -qF 'First commit' "$DIR/body" || fail "the log page does not show the first commit"
    expect "tree page" 200 "/?p=demo.git;a=tree;f=src" 'main.c' || true
    expect "log page, path_info form" 200 "/index.cgi/demo.git/log" 'Second commit: add src/main.c' || true
    expect "unknown project" 404 "/?p=nothing.git;a=log" || true
    stop_app
}

# --- cgit --------------------------------------------------------------------
check_cgit() {
    DIR=$WORK/cgit
    mkdir -p "$DIR/git"
    make_repository "$DIR/git/demo.git"
    cat > "$DIR/cgitrc" <<EOF
css=/cgit-css/cgit.css
logo=/cgit-css/cgit.png
virtual-root=/
cache-size=0
snapshots=tar.gz
repo.url=demo
repo.path=$DIR/git/demo.git
repo.desc=A webserv check repository
EOF
    start_app cgit -e "s|cgi_param CGIT_CONFIG .*;|cgi_param CGIT_CONFIG $DIR/cgitrc;|"
    expect "repository list" 200 / 'A webserv check repository' || true
    cp "$DIR/body" "$DIR/front.html"
    local css
    css=$(links "$DIR/front.html" href /cgit-css/ | grep '\.css$' | head -n 1 || true)
    if [ -n "$css" ]; then expect_type "stylesheet" "$css" text/css || true; else fail "the repository list links no stylesheet"; fi
    expect_type "logo" /cgit-css/cgit.png image/png || true
    expect_type "static file of /usr/share/cgit (try_files \$uri)" /robots.txt text/plain || true
    expect "log page" 200 /demo/log/ 'Second commit: add src/main.c' || true
    expect "tree page" 200 /demo/tree/src/ 'main.c' || true
    expect "commit page" 200 /demo/commit/ 'snapshot/demo-main.tar.gz' || true
    get /demo/snapshot/demo-main.tar.gz
    git -C "$DIR/git/demo.git" archive --format=tar.gz --prefix=demo-main/ main > "$DIR/git-archive.tar.gz"
    if [ "$STATUS" != 200 ]; then
        fail "snapshot: /demo/snapshot/demo-main.tar.gz answered $STATUS"
    elif cmp -s "$DIR/body" "$DIR/git-archive.tar.gz"; then
        ok "snapshot demo-main.tar.gz: $(stat -c %s "$DIR/body") bytes, identical to git archive"
    else
        # git archive of another git version may compress differently: then
        # compare with cgit itself, run from the shell.
        CGIT_CONFIG=$DIR/cgitrc GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET QUERY_STRING="" \
            PATH_INFO=/demo/snapshot/demo-main.tar.gz SCRIPT_NAME=/cgit.cgi \
            /usr/lib/cgit/cgit.cgi > "$DIR/cgit-shell.out"
        "${PYTHON:-/usr/bin/python3}" -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.stdout.buffer.write(d[d.index(b"\n\n") + 2:])' \
            "$DIR/cgit-shell.out" > "$DIR/cgit-shell.tar.gz"
        if cmp -s "$DIR/body" "$DIR/cgit-shell.tar.gz"; then
            ok "snapshot demo-main.tar.gz: identical to cgit run from the shell (git archive compresses differently)"
        else
            fail "snapshot demo-main.tar.gz ($(stat -c %s "$DIR/body") bytes) differs from git archive and from cgit run from the shell"
        fi
    fi
    stop_app
}

# --- front controller ----------------------------------------------------------
check_front_controller() {
    DIR=$WORK/front-controller
    mkdir -p "$DIR"
    start_app front-controller
    local expected
    expect "/a/b?x=1 runs index.php" 200 "/a/b?x=1" || true
    expected="route: page /a/b
REQUEST_METHOD: GET
REQUEST_URI: /a/b?x=1
SCRIPT_NAME: /index.php
PATH_INFO: 
QUERY_STRING: x=1
SCRIPT_FILENAME: $PWD/conf/examples/front-controller/index.php
x: 1"
    if [ "$(cat "$DIR/body")" = "$expected" ]; then
        ok "/a/b?x=1: REQUEST_URI /a/b?x=1, SCRIPT_NAME /index.php, PATH_INFO empty, QUERY_STRING x=1"
    else
        fail "/a/b?x=1 shows:
$(cat "$DIR/body")
--- expected:
$expected"
    fi
    expect "/users/42 routed" 200 /users/42 'route: user 42' || true
    grep -qxF 'QUERY_STRING: ' "$DIR/body" || fail "/users/42 without a query: QUERY_STRING is not empty"
    expect "POST /users/42" 200 /users/42 'REQUEST_METHOD: POST' --data 'name=Ada' || true
    expect "/ runs index.php (the index)" 200 / 'route: home' || true
    expect "no route: the script's 404" 404 /users/x1 'no route for /users/x1' || true
    expect_type "a file is served as it is" /static/app.css text/css || true
    if [ "$IPV6" -eq 1 ]; then
        BASE="http://[::1]:$PORT" expect "over IPv6 ([::1])" 200 "/users/7" 'route: user 7' -g || true
    fi
    stop_app
}

# --- Adminer -------------------------------------------------------------------
check_adminer() {
    DIR=$WORK/adminer
    mkdir -p "$DIR"
    local db=$DIR/check.sqlite password=webserv-check-pw
    php -r '$d = new SQLite3($argv[1]); $d->exec("CREATE TABLE greetings (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO greetings (text) VALUES (\"hello from sqlite\");");' "$db"
    start_app adminer -e "s|cgi_param ADMINER_PASSWORD .*;|cgi_param ADMINER_PASSWORD $password;|"
    expect "login page" 200 / 'auth[password]' || true
    expect_type "stylesheet" "/?file=default.css&version=4.8.1" text/css || true
    get / --data 'auth[driver]=sqlite' --data 'auth[server]=' --data 'auth[username]=' \
        --data-urlencode "auth[password]=$password" --data-urlencode "auth[db]=$db"
    local location
    location=$(field Location)
    if [ "$STATUS" = 302 ] && [ "${location#\?sqlite=}" != "$location" ]; then
        ok "login (POST: 302 to $location, a relative Location passed through)"
    else
        fail "login: POST answered $STATUS, Location '$location'"
    fi
    local q
    q="sqlite=&username=&db=$(printf %s "$db" | sed 's|/|%2F|g')"
    expect "tables" 200 "/?$q" 'greetings' || true
    expect "a row" 200 "/?$q&select=greetings" 'hello from sqlite' || true
    expect "SQL command form" 200 "/?$q&sql=" "<textarea name='query'" || true
    local token
    token=$(input_value "$DIR/body" token)
    get "/?$q&sql=" -F "query=INSERT INTO greetings (text) VALUES ('inserted through webserv');" -F "token=$token"
    if [ "$STATUS" = 200 ] && grep -q 'Query executed OK, 1 row affected' "$DIR/body"; then
        ok "SQL command: INSERT posted with the form's token"
    else
        fail "SQL command: POST answered $STATUS without 'Query executed OK, 1 row affected'"
    fi
    expect "the inserted row" 200 "/?$q&select=greetings" 'inserted through webserv' || true
    stop_app
}

# --- MediaWiki -----------------------------------------------------------------
check_mediawiki() {
    DIR=$WORK/mediawiki$VARIANT
    mkdir -p "$DIR/db"
    PORT=$(free_port)
    # install.php writes LocalSettings.php (with $wgServer) to --confpath and
    # the SQLite database to --dbpath: both in $DIR. start_app takes the port
    # it was given here.
    if ! php /usr/share/mediawiki/maintenance/install.php --dbtype=sqlite --dbpath="$DIR/db" --dbname=wiki \
        --server="http://127.0.0.1:$PORT" --scriptpath= --confpath="$DIR" --lang=en --skins=Vector \
        --pass=webserv-check-password "Webserv Check Wiki" Admin > "$DIR/install.log" 2>&1; then
        APP=mediawiki fail "install.php failed: $(tail -n 5 "$DIR/install.log")"
        return 0
    fi
    WANT_PORT=$PORT start_app "mediawiki$VARIANT" -e "s|cgi_param MW_CONFIG_FILE .*;|cgi_param MW_CONFIG_FILE $DIR/LocalSettings.php;|"
    expect "front page redirect" 301 / || true
    [ "$(field Location)" = "$BASE/index.php?title=Main_Page" ] || fail "/ redirects to '$(field Location)', not $BASE/index.php?title=Main_Page"
    expect "Main_Page" 200 "/index.php?title=Main_Page" 'MediaWiki has been installed' || true
    cp "$DIR/body" "$DIR/front.html"
    local css
    css=$(links "$DIR/front.html" href /load.php | grep 'only=styles' | head -n 1 || true)
    if [ -n "$css" ]; then expect_type "stylesheet" "$css" text/css || true; else fail "Main_Page links no load.php stylesheet"; fi
    expect_type "startup script" "/load.php?lang=en&modules=startup&only=scripts&raw=1&skin=vector" text/javascript || true
    expect_type "an asset (resources/, a symbolic link)" /resources/assets/change-your-logo.svg image/svg+xml || true
    # An anonymous edit through the API (the anonymous CSRF token is "+\").
    local text
    text="Saved through webserv $$-$RANDOM"
    expect "edit token" 200 "/api.php?action=query&meta=tokens&format=json" 'csrftoken' || true
    get /api.php --data action=edit --data title=Webserv_check --data-urlencode "text=$text" \
        --data summary=apps-check --data format=json --data-urlencode 'token=+\'
    if [ "$STATUS" = 200 ] && grep -q '"result":"Success"' "$DIR/body"; then
        ok "page edited through api.php"
    else
        fail "api.php action=edit: $STATUS ($(excerpt))"
    fi
    get "/index.php?title=Webserv_check&action=raw"
    if [ "$STATUS" = 200 ] && [ "$(cat "$DIR/body")" = "$text" ]; then ok "edited page, raw: the text as sent"
    else fail "edited page, raw: $STATUS ($(excerpt))"; fi
    expect "edited page, rendered" 200 "/index.php?title=Webserv_check" "$text" || true
    stop_app
}

check_dokuwiki_fpm() { start_fpm; check_dokuwiki; stop_fpm; }
check_mediawiki_fpm() { start_fpm; check_mediawiki; stop_fpm; }

for app in $APPS; do
    APP=$app
    APP_FAILURES=$failures
    "check_${app//-/_}"
done

# Nothing of the packages' configuration and data has changed.
APP=system
changed=$(find "${WATCHED[@]}" -newer "$STAMP" 2>/dev/null | head -n 5 || true)
if [ -n "$changed" ]; then fail "modified during the check: $changed"; else ok "${WATCHED[*]} unchanged"; fi

elapsed=$(( $(date +%s) - START ))
[ "$failures" -eq 0 ] || die "$failures check(s) failed after ${elapsed}s ($APPS)"
echo "$SCRIPT_NAME: PASS in ${elapsed}s ($APPS, served by $SERVER)"
