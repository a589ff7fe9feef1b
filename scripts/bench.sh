#!/bin/bash
# bench.sh - compare webserv against reference servers on the same docroot, with the
#            same wrk scenarios, alternating servers round by round:
#            nginx (1 worker, single process) and lighttpd (one process) for the
#            static scenarios, lighttpd (mod_cgi) for the CGI ones, lighttpd with
#            its poll() backend for idle1000_c1, nginx (fastcgi_pass) for the
#            FastCGI one, both servers on the same php-fpm pool (started here,
#            in the foreground, on a socket in the output dir), and nginx's
#            reverse proxy (upstream keepalive 64) for proxy_c50, both fronts
#            proxying to the same upstream nginx (1 worker, started here, serving
#            the docroot). Ends with the RSS each server needs per idle keep-alive
#            connection (1000 held open).
#            Needs: apt-get install -y wrk nginx lighttpd php-cgi php8.2-fpm python3
#
# usage: scripts/bench.sh [options] ["SUT COMMAND LINE" SUT_PORT]
#
#   Without a command line it builds ./webserv (make) and runs it on port 18080
#   with a generated config serving the docroot, access log off (and, for proxy_c50,
#   a second server on the proxy front port: location / { proxy_pass http://127.0.0.1:UPSTREAM; }).
#   The SUT command is run via `sh -c "exec CMD"` in its own session/process group,
#   pinned to the server CPU. In CMD, {DOCROOT} and {PORT} are replaced by the docroot
#   and SUT_PORT, {PROXY_PORT} and {UPSTREAM_PORT} by the SUT's proxy front port and
#   the upstream's (see -p); they are also exported as BENCH_DOCROOT / BENCH_PORT /
#   BENCH_PROXY_PORT / BENCH_UPSTREAM_PORT.
#   The SUT must serve DOCROOT at "/" on 127.0.0.1:SUT_PORT, i.e. answer
#   GET /1k.bin /64k.bin /1m.bin /16m.bin /empty.bin and / (index.html); for
#   proxy_c50 it must also proxy 127.0.0.1:PROXY_PORT to 127.0.0.1:UPSTREAM_PORT.
#
# options:
#   -d SECS    duration of every wrk run                       (default 10)
#   -r N       rounds per scenario; order alternates AB BA AB  (default 3)
#   -s LIST    comma-separated scenarios
#              (default: 1k_c50,1k_c1000,pipe16_c50,idle1000_c1,close_c50,64k_c10,
#                        16m_c10,cgi_py_c10,cgi_php_c10,fastcgi_c20,proxy_c50)
#                1k_c1 1k_c50 1k_c200 1k_c500 1k_c1000 idle1000_c1 close_c50
#                64k_c10 1m_c10 16m_c10 64m_c10
#                cgi_py_c10 cgi_php_c10   (a trivial python3 / php-cgi script; vs lighttpd)
#                fastcgi_c20   (the same PHP script through php-fpm, 4 workers; vs nginx)
#                proxy_c50     (GET /1k.bin through the reverse proxy to an upstream
#                               nginx serving the docroot; vs nginx's proxy_pass with
#                               upstream keepalive 64, proxy_http_version 1.1)
#              (idle1000_c1 = 1 busy connection while 1000 idle keep-alive connections
#               are held open by a python3 helper, each having had one request
#               answered 2 s before the measurement starts: exposes O(n) poll() cost)
#                pipe16_c50 (16 pipelined requests per connection)
#              extra: 0B_c50 index_c50
#   -n PORT    port for the reference nginx                    (default 18090)
#   -l PORT    port for the reference lighttpd; the poll() one uses PORT+1  (default 18091)
#   -p PORT    proxy_c50 ports: the upstream nginx on PORT, nginx's proxy front on
#              PORT+1, the SUT's on PORT+2                     (default 18093)
#   -N         compare the static scenarios with nginx only (no lighttpd column)
#   -I         skip the idle-connection RSS measurement
#   -w DIR     docroot (created/populated if files missing; never overwritten)
#              (default: $OUT/www)
#   -o DIR     output dir for logs/CSV                         (default /tmp/webserv-bench/<time>)
#   -S CPUS    taskset CPU list for both servers               (default 0)
#   -C CPUS    taskset CPU list for wrk                        (default 1)
#   -U CPUS    taskset CPU list for the proxy_c50 upstream nginx (default: the first
#              online CPU in neither -S nor -C; if there is none, the -S list,
#              which php-fpm always uses)
#   -t N       wrk threads                                     (default 1)
#   -k         if the SUT dies, restart it and go on (default: skip the remaining
#              SUT runs, finish the nginx runs, still print the table)
#
# Every run is bounded (timeout DUR+20 s); startup waits are bounded; on exit (normal,
# error, Ctrl-C, TERM) every process this script started is stopped by its own PID
# (the SUT by its own process group, which setsid created for it).
#
# env: NGINX_SENDFILE=on|off (default on), NGINX_BIN (default /usr/sbin/nginx),
#      WEBSERV_BIN: the webserv binary to measure without a command line
#      (default: ./webserv, built with make) - e.g. a build of an older commit
set -u
. "$(dirname "$0")/lib.sh"

DUR=10; ROUNDS=3; SCEN="1k_c50,1k_c1000,pipe16_c50,idle1000_c1,close_c50,64k_c10,16m_c10,cgi_py_c10,cgi_php_c10,fastcgi_c20,proxy_c50"
NPORT=18090; LPORT=18091; XPORT=18093; DOCROOT=""; OUT=""; SCPU=0; CCPU=1; UCPU=""; THREADS=1; KEEPGOING=0; ALL_LIGHTTPD=1; IDLE_RSS=1
LIGHTTPD_BIN=${LIGHTTPD_BIN:-/usr/sbin/lighttpd}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}; NGINX_SENDFILE=${NGINX_SENDFILE:-on}

usage() { sed -n '2,/^set -u/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2; }
while getopts "d:r:s:n:l:p:LNIw:o:S:C:U:t:kh" o; do
  case $o in
    d) DUR=$OPTARG;; r) ROUNDS=$OPTARG;; s) SCEN=$OPTARG;; n) NPORT=$OPTARG;;
    l) LPORT=$OPTARG;; p) XPORT=$OPTARG;; U) UCPU=$OPTARG;; L) ALL_LIGHTTPD=1;; N) ALL_LIGHTTPD=0;; I) IDLE_RSS=0;;
    w) DOCROOT=$OPTARG;; o) OUT=$OPTARG;; S) SCPU=$OPTARG;; C) CCPU=$OPTARG;;
    t) THREADS=$OPTARG;; k) KEEPGOING=1;; *) usage;;
  esac
done
shift $((OPTIND - 1))
LPPORT=$((LPORT + 1))
UPORT=$XPORT; NXPORT=$((XPORT + 1)); SXPORT=$((XPORT + 2))   # proxy_c50: upstream, nginx front, SUT front
PROXY=0; case ",$SCEN," in *,proxy_*) PROXY=1;; esac   # the upstream and both proxy fronts only then
OUT=${OUT:-/tmp/webserv-bench/$(date +%Y%m%d-%H%M%S)}
if [ $# -eq 0 ]; then
  cd "$(dirname "$0")/.." || exit 1
  if [ -n "${WEBSERV_BIN:-}" ]; then
    [ -x "$WEBSERV_BIN" ] || die "$WEBSERV_BIN is not executable"
    WEBSERV_BIN=$(cd "$(dirname "$WEBSERV_BIN")" && pwd)/$(basename "$WEBSERV_BIN")
  else
    make -s webserv >/dev/null || die "make failed"
    WEBSERV_BIN=$PWD/webserv
  fi
  mkdir -p "$OUT"
  printf 'max_connections 4096;\naccess_log off;\nserver {\n    listen 127.0.0.1:{PORT};\n    root {DOCROOT};\n    keepalive_timeout 65s;\n    location /cgi-bin/ {\n        cgi .py /usr/bin/python3;\n        cgi .php /usr/bin/php-cgi;\n    }\n    location /fpm/ {\n        fastcgi .php unix:%s;\n    }\n}\n' "$OUT/fpm/php.sock" > "$OUT/webserv.conf.in"
  [ $PROXY = 0 ] || printf 'server {\n    listen 127.0.0.1:{PROXY_PORT};\n    root {DOCROOT};\n    location / {\n        proxy_pass http://127.0.0.1:{UPSTREAM_PORT};\n    }\n}\n' >> "$OUT/webserv.conf.in"
  set -- "$WEBSERV_BIN $OUT/webserv.conf" 18080
  WEBSERV_CONF_TEMPLATE=$OUT/webserv.conf.in
fi
[ $# -eq 2 ] || usage
SUT_CMD=$1; SPORT=$2
DOCROOT=${DOCROOT:-$OUT/www}

for b in wrk curl taskset setsid ss timeout awk "$NGINX_BIN" "$LIGHTTPD_BIN"; do
  command -v "$b" >/dev/null 2>&1 || die "missing tool: $b"
done
[ "$SPORT" != "$NPORT" ] || die "SUT port equals nginx port"
port_busy() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
port_busy "$SPORT" && die "port $SPORT already has a listener (not started by us) - refusing"
port_busy "$NPORT" && die "nginx port $NPORT already in use - pick another with -n"
port_busy "$LPORT" && die "lighttpd port $LPORT already in use - pick another with -l"
port_busy "$LPPORT" && die "lighttpd (poll) port $LPPORT already in use - pick another with -l"
case $PROXY in 1)
  for p in "$UPORT" "$NXPORT" "$SXPORT"; do
    case " $SPORT $NPORT $LPORT $LPPORT " in *" $p "*) die "proxy port $p (-p $XPORT) collides with another server's port";; esac
    port_busy "$p" && die "proxy port $p already in use - pick another base with -p"
  done;;
esac
if [ "$(ulimit -n)" -lt 2100 ]; then ulimit -n "$(ulimit -Hn)" 2>/dev/null; fi
[ "$(ulimit -n)" -ge 1100 ] || echo "WARNING: ulimit -n = $(ulimit -n); the c1000 scenario will fail" >&2

mkdir -p "$OUT"/{raw,nginx,upstream,lighttpd,logs,fpm} "$DOCROOT/cgi-bin" "$DOCROOT/fpm" || die "cannot create $OUT / $DOCROOT"

# ---------- docroot ----------
mkfile() { # name size
  local f=$DOCROOT/$1
  if [ -e "$f" ]; then
    [ "$(stat -c %s "$f")" = "$2" ] || die "$f exists with wrong size (want $2)"
  else
    head -c "$2" /dev/urandom > "$f" || die "cannot write $f"
  fi
}
mkfile empty.bin 0; mkfile 1k.bin 1024; mkfile 64k.bin 65536; mkfile 1m.bin 1048576; mkfile 16m.bin 16777216
mkfile 64m.bin 67108864
# The trivial CGI scripts: start-up of the interpreter is what they measure.
[ -e "$DOCROOT/cgi-bin/hello.py" ] || printf 'print("Content-Type: text/plain")\nprint()\nprint("hello")\n' > "$DOCROOT/cgi-bin/hello.py"
[ -e "$DOCROOT/cgi-bin/hello.php" ] || printf '<?php echo "hello\\n";\n' > "$DOCROOT/cgi-bin/hello.php"
[ -e "$DOCROOT/fpm/hello.php" ] || cp "$DOCROOT/cgi-bin/hello.php" "$DOCROOT/fpm/hello.php"
[ -e "$DOCROOT/index.html" ] || printf '<!DOCTYPE html>\n<html><head><title>bench</title></head><body><h1>It works</h1></body></html>\n' > "$DOCROOT/index.html"
chmod -R a+rX "$DOCROOT" 2>/dev/null

# ---------- process management ----------
# Every server and client started below is named with stop_at_exit; the
# variables tell which PID is which server.
NGINX_PID=""; LIGHTTPD_PID=""; LIGHTTPD_POLL_PID=""; SUT_PID=""; WRK_PID=""; HOLD_PID=""; FPM_PID=""; UPSTREAM_PID=""
trap_cleanup
trap 'echo "interrupted" >&2; exit 130' INT

# ---------- php-fpm: one pool both servers' FastCGI runs share ----------
FPM_BIN=$(ls /usr/sbin/php-fpm[0-9]* 2>/dev/null | tail -n 1)
FPM_SOCKET=$OUT/fpm/php.sock
case ",$SCEN," in *,fastcgi_*) [ -n "$FPM_BIN" ] || die "fastcgi_c20 needs php-fpm (apt-get install php8.2-fpm)";; esac
if [ -n "$FPM_BIN" ]; then
  {
    printf '[global]\nerror_log = %s\ndaemonize = no\n[bench]\n' "$OUT/fpm/fpm.log"
    [ "$(id -u)" -eq 0 ] && printf 'user = root\ngroup = root\n'
    printf 'listen = %s\npm = static\npm.max_children = 4\npm.max_requests = 0\n' "$FPM_SOCKET"
  } > "$OUT/fpm/fpm.conf"
  fpm_root=(); [ "$(id -u)" -eq 0 ] && fpm_root=(-R)
  taskset -c "$SCPU" "$FPM_BIN" -F -n -y "$OUT/fpm/fpm.conf" "${fpm_root[@]}" > "$OUT/logs/fpm.out" 2>&1 &
  FPM_PID=$!
  stop_at_exit "$FPM_PID"
  for i in $(seq 1 100); do [ -S "$FPM_SOCKET" ] && break; kill -0 "$FPM_PID" 2>/dev/null || break; sleep 0.1; done
  [ -S "$FPM_SOCKET" ] || { cat "$OUT/logs/fpm.out" "$OUT/fpm/fpm.log" >&2; die "php-fpm did not start"; }
fi

# ---------- upstream nginx: the one both servers' proxy_c50 runs share ----------
# A separate nginx (1 worker, single process, access log off) serving the docroot,
# started only when proxy_c50 is asked for; both fronts proxy /1k.bin to it.
cpu_expand() { # "0,2-3" -> "0 2 3"
  awk -v list="$1" 'BEGIN{n=split(list,a,","); for(i=1;i<=n;i++){ if (a[i] ~ /-/) {split(a[i],r,"-"); for(j=r[1];j<=r[2];j++) printf "%d ", j} else if (a[i] != "") printf "%d ", a[i] }}'
}
if [ -z "$UCPU" ]; then
  for c in $(cpu_expand "$(cat /sys/devices/system/cpu/online 2>/dev/null || echo 0)"); do
    case " $(cpu_expand "$SCPU") $(cpu_expand "$CCPU") " in *" $c "*) continue;; esac
    UCPU=$c; break
  done
  UCPU=${UCPU:-$SCPU}
fi
# nginx_conf DIR PORT [LOCATIONS [SERVERS]]: DIR/nginx.conf for one nginx
# process serving the docroot on 127.0.0.1:PORT (pid, logs and temporary
# paths in DIR), with LOCATIONS inside that server and SERVERS beside it.
nginx_conf() {
  cat > "$1/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process off;
worker_rlimit_nofile 20000;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 8192; use epoll; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile $NGINX_SENDFILE;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
    server {
        listen 127.0.0.1:$2;
        server_name localhost;
        root $DOCROOT;
        index index.html;
${3:-}
    }
${4:-}
}
EOF
  [ -f /etc/nginx/mime.types ] || sed -i '/mime.types/d' "$1/nginx.conf"
}

case $PROXY in 1)
  nginx_conf "$OUT/upstream" "$UPORT"
  taskset -c "$UCPU" "$NGINX_BIN" -e "$OUT/upstream/error.log" -p "$OUT/upstream" -c "$OUT/upstream/nginx.conf" \
    > "$OUT/logs/upstream.out" 2>&1 &
  UPSTREAM_PID=$!
  stop_at_exit "$UPSTREAM_PID"
  wait_for_port "$UPORT" 10 "$UPSTREAM_PID" || { cat "$OUT/logs/upstream.out" >&2; die "upstream nginx did not start"; };;
esac

# ---------- start nginx (reference) ----------
NGINX_PROXY_FRONT=""
[ $PROXY = 0 ] || NGINX_PROXY_FRONT="    # proxy_c50's front: the upstream nginx, connections kept, as many as
    # webserv keeps (64 idle per upstream).
    upstream backend {
        server 127.0.0.1:$UPORT;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$NXPORT;
        server_name localhost;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            # The forwarding fields webserv sends by itself: the same work.
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Real-IP \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
        }
    }"
NGINX_FPM_LOCATION="        location /fpm/ {
            fastcgi_pass unix:$FPM_SOCKET;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
        }"
nginx_conf "$OUT/nginx" "$NPORT" "$NGINX_FPM_LOCATION" "$NGINX_PROXY_FRONT"
taskset -c "$SCPU" "$NGINX_BIN" -e "$OUT/nginx/error.log" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" \
  > "$OUT/logs/nginx.out" 2>&1 &
NGINX_PID=$!
stop_at_exit "$NGINX_PID"
wait_for_port "$NPORT" 10 "$NGINX_PID" || { cat "$OUT/logs/nginx.out" >&2; die "nginx did not start"; }

# ---------- start lighttpd (reference for CGI; one process, no access log) ----------
cat > "$OUT/lighttpd/lighttpd.conf" <<LIGHTTPD_CONF
server.modules = ( "mod_cgi" )
server.document-root = "$DOCROOT"
server.bind = "127.0.0.1"
server.port = $LPORT
server.max-worker = 0
server.max-fds = 16384
server.max-connections = 8192
server.max-keep-alive-requests = 1000000
server.max-keep-alive-idle = 65
server.errorlog = "$OUT/lighttpd/error.log"
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html", ".bin" => "application/octet-stream" )
\$HTTP["url"] =~ "^/cgi-bin/" {
    cgi.assign = ( ".py" => "/usr/bin/python3", ".php" => "/usr/bin/php-cgi" )
}
LIGHTTPD_CONF
taskset -c "$SCPU" "$LIGHTTPD_BIN" -D -f "$OUT/lighttpd/lighttpd.conf" > "$OUT/logs/lighttpd.out" 2>&1 &
LIGHTTPD_PID=$!
stop_at_exit "$LIGHTTPD_PID"
wait_for_port "$LPORT" 10 "$LIGHTTPD_PID" || { cat "$OUT/logs/lighttpd.out" >&2; die "lighttpd did not start"; }
# The same with the poll() backend (lighttpd's default is epoll): the fair
# reference for idle1000_c1, where poll()'s own O(n) cost is what is measured.
sed -e "s/^server.port = .*/server.port = $LPPORT/" -e "s|/error.log|/error-poll.log|" \
  "$OUT/lighttpd/lighttpd.conf" > "$OUT/lighttpd/lighttpd-poll.conf"
echo 'server.event-handler = "poll"' >> "$OUT/lighttpd/lighttpd-poll.conf"
taskset -c "$SCPU" "$LIGHTTPD_BIN" -D -f "$OUT/lighttpd/lighttpd-poll.conf" > "$OUT/logs/lighttpd-poll.out" 2>&1 &
LIGHTTPD_POLL_PID=$!
stop_at_exit "$LIGHTTPD_POLL_PID"
wait_for_port "$LPPORT" 10 "$LIGHTTPD_POLL_PID" || { cat "$OUT/logs/lighttpd-poll.out" >&2; die "lighttpd (poll) did not start"; }

# ---------- start SUT ----------
if [ -n "${WEBSERV_CONF_TEMPLATE:-}" ]; then
  sed -e "s|{DOCROOT}|$DOCROOT|g" -e "s|{PORT}|$SPORT|g" -e "s|{PROXY_PORT}|$SXPORT|g" -e "s|{UPSTREAM_PORT}|$UPORT|g" \
    "$WEBSERV_CONF_TEMPLATE" > "$OUT/webserv.conf"
fi
CMD=${SUT_CMD//\{DOCROOT\}/$DOCROOT}; CMD=${CMD//\{PORT\}/$SPORT}
CMD=${CMD//\{PROXY_PORT\}/$SXPORT}; CMD=${CMD//\{UPSTREAM_PORT\}/$UPORT}
export BENCH_DOCROOT=$DOCROOT BENCH_PORT=$SPORT BENCH_PROXY_PORT=$SXPORT BENCH_UPSTREAM_PORT=$UPORT
echo "$CMD" > "$OUT/sut.cmd"
SUT_STARTS=0
start_sut() {
  SUT_STARTS=$((SUT_STARTS + 1))
  setsid taskset -c "$SCPU" sh -c "exec $CMD" >> "$OUT/logs/sut.out" 2>&1 < /dev/null &
  SUT_PID=$!
  stop_at_exit "$SUT_PID" group
  wait_for_port "$SPORT" 15 "$SUT_PID" || { tail -20 "$OUT/logs/sut.out" >&2; die "SUT did not start listening on $SPORT within 15 s: $CMD"; }
  [ "$(ps -o pgid= -p "$SUT_PID" | tr -d ' ')" = "$SUT_PID" ] || echo "WARNING: SUT is not its own process-group leader; only its PID will be stopped" >&2
}
start_sut

# ---------- scenarios ----------
# name -> "conns path extra-wrk-args"
scen_def() {
  case $1 in
    1k_c1) echo "1 /1k.bin";; idle1000_c1) echo "1 /1k.bin";; 1k_c50) echo "50 /1k.bin";; 1k_c200) echo "200 /1k.bin";; 1k_c1000) echo "1000 /1k.bin";;
    1k_c500) echo "500 /1k.bin";; 64m_c10) echo "10 /64m.bin";;
    close_c50) echo "50 /1k.bin";;
    64k_c10) echo "10 /64k.bin";; 1m_c10) echo "10 /1m.bin";; 16m_c10) echo "10 /16m.bin";;
    0B_c50) echo "50 /empty.bin";; index_c50) echo "50 /";;
    pipe16_c50) echo "50 /1k.bin";;
    cgi_py_c10) echo "10 /cgi-bin/hello.py";; cgi_php_c10) echo "10 /cgi-bin/hello.php";;
    fastcgi_c20) echo "20 /fpm/hello.php";;
    proxy_c50) echo "50 /1k.bin";;
    *) return 1;;
  esac
}
cat > "$OUT/pipeline.lua" <<'EOF'
local depth = 16
init = function(args)
  local r = {}
  for i = 1, depth do r[i] = wrk.format(nil, wrk.path) end
  req = table.concat(r)
end
request = function() return req end
EOF
cat > "$OUT/idle_holder.py" <<'HOLDER_EOF'
import socket, sys, time
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks = []
req = b"GET /1k.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
for i in range(n):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(req)
        socks.append(s)
    except OSError as e:
        print("connect/send failed after", len(socks), e, flush=True)
        break
ok = 0
for s in socks:
    try:
        buf = b""
        while b"\r\n\r\n" not in buf:
            d = s.recv(65536)
            if not d:
                break
            buf += d
        head, _, body = buf.partition(b"\r\n\r\n")
        cl = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                cl = int(line.split(b":")[1])
        while len(body) < cl:
            d = s.recv(65536)
            if not d:
                break
            body += d
        ok += head.startswith(b"HTTP/1.1 200")
    except OSError:
        pass
print("ready %d open, %d got 200" % (len(socks), ok), flush=True)
time.sleep(hold)
alive = 0
for s in socks:
    s.setblocking(False)
    try:
        alive += 0 if s.recv(1) == b"" else 1
    except BlockingIOError:
        alive += 1
    except OSError:
        pass
print("still_open %d" % alive, flush=True)
HOLDER_EOF
IFS=, read -r -a SCENS <<< "$SCEN"
for s in "${SCENS[@]}"; do scen_def "$s" >/dev/null || die "unknown scenario $s"; done
case ",$SCEN," in *,idle1000_c1,*) command -v python3 >/dev/null || die "idle1000_c1 needs python3";; esac

port_of() { # who [scenario]: proxy_* scenarios go to the proxy fronts
  case ${2:-}:$1 in
    proxy_*:sut) echo "$SXPORT";; proxy_*:nginx) echo "$NXPORT";;
    *:sut) echo "$SPORT";; *:nginx) echo "$NPORT";; *:lighttpd) echo "$LPORT";; *:lighttpd-poll) echo "$LPPORT";;
  esac
}
pid_of() { case $1 in sut) echo "$SUT_PID";; nginx) echo "$NGINX_PID";; lighttpd) echo "$LIGHTTPD_PID";; lighttpd-poll) echo "$LIGHTTPD_POLL_PID";; esac; }
# The reference servers a scenario is compared with.
refs_of() {
  case $1 in
    cgi_*) echo lighttpd;;
    fastcgi_*|proxy_*) echo nginx;;
    idle1000_c1) [ $ALL_LIGHTTPD = 1 ] && echo "nginx lighttpd-poll" || echo nginx;;
    *) [ $ALL_LIGHTTPD = 1 ] && echo "nginx lighttpd" || echo nginx;;
  esac
}

# ---------- sanity: every path answers 200 with the right body size on both servers ----------
declare -A BADPATH
for p in /1k.bin /64k.bin /1m.bin /16m.bin /64m.bin /empty.bin / /cgi-bin/hello.py /cgi-bin/hello.php /fpm/hello.php; do
  case $p in /) want=$(stat -c %s "$DOCROOT/index.html");; /cgi-bin/*|/fpm/*) want=6;; *) want=$(stat -c %s "$DOCROOT${p}");; esac
  for who in nginx lighttpd lighttpd-poll sut; do
    case $p in /cgi-bin/*) [ $who = nginx ] && continue;; /fpm/*) [ "${who#lighttpd}" != "$who" ] && continue;; esac
    port=$(port_of $who)
    got=$(curl -s -o /dev/null --max-time 10 -w '%{http_code} %{size_download}' "http://127.0.0.1:$port$p")
    if [ "$got" != "200 $want" ]; then
      echo "SANITY: $who GET $p -> '$got' (want '200 $want')" >&2
      [ $who = sut ] && BADPATH[$p]=1
    fi
  done
done
# BADPATH key of a scenario's path: proxy_* ones are checked through the proxy fronts.
path_key() { case $1 in proxy_*) echo "proxy:$2";; *) echo "$2";; esac; }
case $PROXY in 1)
  want=$(stat -c %s "$DOCROOT/1k.bin")
  for who in upstream nginx sut; do
    case $who in upstream) port=$UPORT;; *) port=$(port_of $who proxy_c50);; esac
    got=$(curl -s -o /dev/null --max-time 10 -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/1k.bin")
    if [ "$got" != "200 $want" ]; then
      echo "SANITY: $who (proxy) GET /1k.bin on port $port -> '$got' (want '200 $want')" >&2
      [ $who = sut ] && BADPATH[proxy:/1k.bin]=1
    fi
  done;;
esac

# ---------- measurement ----------
cpu_busy() { # "busy total" for a CPU list like 0 or 0,1 or 0-1 (sum)
  awk -v list="$1" 'BEGIN{n=split(list,a,","); for(i=1;i<=n;i++){ if (a[i] ~ /-/) {split(a[i],r,"-"); for(j=r[1];j<=r[2];j++) want["cpu" j]=1} else want["cpu" a[i]]=1 }}
       ($1 in want){b+=$2+$3+$4+$7+$8; t+=$2+$3+$4+$5+$6+$7+$8} END{print b, t}' /proc/stat
}
proc_ticks() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
group_ticks() { # CPU ticks (self + reaped children) of every live process in process group $1
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$1" '{ sub(/^.*\) /, ""); if ($3 == g) t += $12 + $13 + $14 + $15 } END { print t + 0 }'
}
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); printf "%.3f", v/1000}
  else if (v ~ /ms$/) {sub(/ms$/,"",v); printf "%.3f", v}
  else if (v ~ /m$/) {sub(/m$/,"",v); printf "%.3f", v*60000}
  else if (v ~ /s$/) {sub(/s$/,"",v); printf "%.3f", v*1000} else printf "NA"}'; }
to_mib() { awk -v v="$1" 'BEGIN{ if (v ~ /GB$/) {sub(/GB$/,"",v); printf "%.1f", v*1024}
  else if (v ~ /MB$/) {sub(/MB$/,"",v); printf "%.1f", v} else if (v ~ /KB$/) {sub(/KB$/,"",v); printf "%.3f", v/1024}
  else if (v ~ /B$/) {sub(/B$/,"",v); printf "%.6f", v/1048576} else printf "0"}'; }

CSV=$OUT/runs.csv
echo "scenario,round,server,req_s,MiB_s,p50_ms,p99_ms,errors,non2xx,server_cpu_pct,client_cpu_pct,idle_open" > "$CSV"
SUT_DEAD=0; CRASHES=0
one_run() { # scen round who
  local scen=$1 r=$2 who=$3 def conns path port pid f extra=()
  def=$(scen_def "$scen"); read -r conns path <<< "$def"
  case $scen in
    close_c50) extra=(-H "Connection: close");;
    pipe16_c50) extra=(-s "$OUT/pipeline.lua");;
  esac
  port=$(port_of "$who" "$scen"); pid=$(pid_of "$who")
  f=$OUT/raw/$scen.r$r.$who.txt
  local c0 p0 w0 c1 p1 w1 idle_open="" i
  if [ "$scen" = idle1000_c1 ]; then
    timeout -k 2 $((DUR + 40)) taskset -c "$CCPU" python3 "$OUT/idle_holder.py" "$port" 1000 $((DUR + 5)) > "$f.holder" 2>&1 &
    HOLD_PID=$!; stop_at_exit "$HOLD_PID"
    for i in $(seq 1 300); do grep -q '^ready' "$f.holder" 2>/dev/null && break; kill -0 "$HOLD_PID" 2>/dev/null || break; sleep 0.1; done
    sleep 2     # idle means idle for a while, as between a browser's clicks
  fi
  local ticks=proc_ticks; [ "$who" = sut ] && ticks=group_ticks
  c0=$(cpu_busy "$CCPU"); p0=$($ticks "$pid"); w0=$(date +%s.%N)
  timeout -k 5 $((DUR + 20)) taskset -c "$CCPU" wrk -t"$THREADS" -c"$conns" -d"${DUR}s" --timeout 5s --latency "${extra[@]}" \
    "http://127.0.0.1:$port$path" > "$f" 2>&1 &
  WRK_PID=$!; stop_at_exit "$WRK_PID"; wait "$WRK_PID"; forget_pid "$WRK_PID"; WRK_PID=""
  w1=$(date +%s.%N); p1=$($ticks "$pid"); c1=$(cpu_busy "$CCPU")
  if [ -n "$HOLD_PID" ]; then
    wait "$HOLD_PID" 2>/dev/null; forget_pid "$HOLD_PID"; HOLD_PID=""
    idle_open=$(awk '/^still_open/{print $2}' "$f.holder"); idle_open=${idle_open:-0}
  fi
  local rps mib p50 p99 err non2xx scpu ccpu
  rps=$(awk '/^Requests\/sec:/{print $2}' "$f"); rps=${rps:-0}
  mib=$(to_mib "$(awk '/^Transfer\/sec:/{print $2}' "$f")")
  p50=$(to_ms "$(awk '$1=="50%"{print $2}' "$f")"); p99=$(to_ms "$(awk '$1=="99%"{print $2}' "$f")")
  [ "$scen" = pipe16_c50 ] && { p50=NA; p99=NA; }   # wrk latency is per pipelined batch
  err=$(awk '/Socket errors/{gsub(",","");print $4+$6+$8+$10}' "$f"); err=${err:-0}
  non2xx=$(awk '/Non-2xx/{print $NF}' "$f"); non2xx=${non2xx:-0}
  scpu=$(awk -v a="$p0" -v b="$p1" -v x="$w0" -v y="$w1" 'BEGIN{printf "%.0f", (b-a)/(y-x)}')
  ccpu=$(echo "$c0 $c1" | awk '{ if ($4>$2) printf "%.0f", 100*($3-$1)/($4-$2); else print 0 }')
  echo "$scen,$r,$who,$rps,$mib,$p50,$p99,$err,$non2xx,$scpu,$ccpu,$idle_open" >> "$CSV"
  printf '  %-11s r%-2s %-5s %10s req/s %9s MiB/s  p50 %8s ms  p99 %8s ms  err %s non2xx %s  srvCPU %s%% cliCPU %s%%%s\n' \
    "$scen" "$r" "$who" "$rps" "$mib" "$p50" "$p99" "$err" "$non2xx" "$scpu" "$ccpu" "${idle_open:+  idle-open $idle_open/1000}"
}

NS=${#SCENS[@]}
echo "bench.sh: SUT='$CMD' port $SPORT vs nginx (1 worker, sendfile $NGINX_SENDFILE) port $NPORT, lighttpd (1 process) port $LPORT"
echo "  docroot $DOCROOT, out $OUT, servers on CPU $SCPU, wrk -t$THREADS on CPU $CCPU"
case $PROXY in 1) echo "  proxy_c50: upstream nginx (1 worker) port $UPORT on CPU $UCPU; fronts: nginx port $NXPORT, SUT port $SXPORT";; esac
RUNS=0; for s in "${SCENS[@]}"; do r=($(refs_of "$s")); RUNS=$((RUNS + ROUNDS * (${#r[@]} + 1))); done
echo "  $NS scenarios, $RUNS runs of ${DUR}s  ~= $(( RUNS * (DUR + 2) / 60 + 1 )) min"
# warm-up (page cache, lazy init), not recorded
WARM_PORTS="$NPORT $LPORT $LPPORT $SPORT"
case $PROXY in 1) WARM_PORTS="$WARM_PORTS $NXPORT $SXPORT";; esac
for port in $WARM_PORTS; do
  timeout 15 taskset -c "$CCPU" wrk -t1 -c10 -d2s "http://127.0.0.1:$port/1k.bin" > /dev/null 2>&1
done
# ---------- RSS per idle keep-alive connection ----------
# Measured first, on servers that have only been warmed up: VmRSS before
# and while 1000 connections, each having had one request
# answered, are held open; the growth divided by the connections open.
idle_rss() { # who -> "KiB-per-connection (open/1000)" or "NA"
  local who=$1 port pid f before during open i
  port=$(port_of "$who"); pid=$(pid_of "$who"); f=$OUT/raw/idle_rss.$who.txt
  [ -n "$pid" ] && [ -e "/proc/$pid/status" ] || { echo NA; return; }
  before=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  timeout -k 2 60 taskset -c "$CCPU" python3 "$OUT/idle_holder.py" "$port" 1000 2 > "$f" 2>&1 &
  HOLD_PID=$!; stop_at_exit "$HOLD_PID"
  for i in $(seq 1 300); do grep -q '^ready' "$f" 2>/dev/null && break; kill -0 "$HOLD_PID" 2>/dev/null || break; sleep 0.1; done
  during=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  wait "$HOLD_PID" 2>/dev/null; forget_pid "$HOLD_PID"; HOLD_PID=""
  open=$(awk '/^ready/{print $2}' "$f")
  [ -n "$open" ] && [ "$open" -gt 0 ] && [ -n "$before" ] && [ -n "$during" ] || { echo NA; return; }
  awk -v a="$before" -v b="$during" -v n="$open" 'BEGIN { printf "%.1f KiB (%d open)", (b - a) / n, n }'
}
IDLE_SUT=NA; IDLE_NGX=NA; IDLE_LTY=NA
if [ $IDLE_RSS = 1 ] && command -v python3 >/dev/null; then
  IDLE_SUT=$(idle_rss sut); sleep 1; IDLE_NGX=$(idle_rss nginx); sleep 1; IDLE_LTY=$(idle_rss lighttpd)
fi

for scen in "${SCENS[@]}"; do
  read -r _c path <<< "$(scen_def "$scen")"
  for r in $(seq 1 "$ROUNDS"); do
    refs=$(refs_of "$scen")
    if [ $((r % 2)) -eq 1 ]; then order="$refs sut"; else order="sut $refs"; fi
    for who in $order; do
      if [ "$who" = sut ]; then
        if [ -n "${BADPATH[$(path_key "$scen" "$path")]:-}" ]; then echo "$scen,$r,sut,FAIL,,,,,,,," >> "$CSV"; continue; fi
        if [ $SUT_DEAD = 1 ]; then echo "$scen,$r,sut,DEAD,,,,,,,," >> "$CSV"; continue; fi
      fi
      one_run "$scen" "$r" "$who"
      sleep 1
      if [ $SUT_DEAD = 0 ] && ! kill -0 "$SUT_PID" 2>/dev/null; then
        wait "$SUT_PID" 2>/dev/null; rc=$?
        echo "!! SUT DIED (exit status $rc) during/after $scen round $r (who=$who)" | tee -a "$OUT/logs/events" >&2
        kill -KILL -- "-$SUT_PID" 2>/dev/null; forget_pid "$SUT_PID"; SUT_PID=""; CRASHES=$((CRASHES + 1))
        if [ $KEEPGOING = 1 ]; then
          sleep 1; port_busy "$SPORT" && die "port $SPORT still busy after SUT death"
          start_sut; echo "   SUT restarted (pid $SUT_PID)" | tee -a "$OUT/logs/events" >&2
        else
          SUT_DEAD=1; echo "   (remaining SUT runs skipped; nginx runs continue; use -k to restart instead)" >&2
        fi
      fi
    done
  done
done

SUT_RSS=NA; NGX_RSS=NA; LTY_RSS=NA
[ -n "$SUT_PID" ] && SUT_RSS=$(awk '/VmHWM/{print $2}' "/proc/$SUT_PID/status" 2>/dev/null)
NGX_RSS=$(awk '/VmHWM/{print $2}' "/proc/$NGINX_PID/status" 2>/dev/null)
LTY_RSS=$(awk '/VmHWM/{print $2}' "/proc/$LIGHTTPD_PID/status" 2>/dev/null)

# ---------- summary: medians over rounds ----------
{
echo
echo "Summary (median of $ROUNDS rounds; spread = (max-min)/median of req/s; ratio = SUT/reference)"
printf '%-11s %-13s | %11s %11s %7s | %9s %9s | %9s %9s | %9s %9s | %9s %9s | %s\n' \
  scenario reference "SUT req/s" "ref req/s" ratio "SUT MiB/s" "ref MiB/s" "SUT p50" "ref p50" "SUT p99" "ref p99" "SUT sprd" "ref sprd" notes
awk -F, -v scens="${SCEN}" '
  function med(arr, n,   i, j, t) { for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j+1] = arr[j]; arr[j+1] = t }
                                    return (n % 2) ? arr[(n+1)/2] : (arr[n/2] + arr[n/2+1]) / 2 }
  # Medians and notes of one (scenario, server) into R M P5 P9 SP; notes appended.
  function stats(s, who,   k, m, j, lo, hi) {
    k = s SUBSEP who; m = n[k]
    if (m == 0) { R[who] = "-"; M[who] = "-"; P5[who] = "-"; P9[who] = "-"; SP[who] = "-"; if (k in bad) notes = notes who "=" bad[k] " "; return }
    delete a; lo = 1e18; hi = 0
    for (j = 1; j <= m; j++) { a[j] = rps[k, j] + 0; if (a[j] < lo) lo = a[j]; if (a[j] > hi) hi = a[j] }
    R[who] = med(a, m); SP[who] = (R[who] > 0) ? sprintf("%.0f%%", 100 * (hi - lo) / R[who]) : "-"
    delete a; for (j = 1; j <= m; j++) a[j] = mib[k, j] + 0; M[who] = med(a, m)
    delete a; for (j = 1; j <= m; j++) a[j] = p50[k, j] + 0; P5[who] = (p50[k, 1] == "NA") ? "NA" : sprintf("%.2fms", med(a, m))
    delete a; for (j = 1; j <= m; j++) a[j] = p99[k, j] + 0; P9[who] = (p99[k, 1] == "NA") ? "NA" : sprintf("%.2fms", med(a, m))
    if (err[k] > 0) notes = notes who "-errors=" err[k] " "
    if (cli[k]) notes = notes who "-client-bound "
    if (k in idl) notes = notes who "-idle-open-min=" idl[k] "/1000 "
  }
  NR == 1 { next }
  { k = $1 SUBSEP $3
    if ($3 != "sut") refs[$1, $3] = 1
    if ($4 == "FAIL" || $4 == "DEAD") { bad[k] = $4; next }
    n[k]++; rps[k, n[k]] = $4; mib[k, n[k]] = $5; p50[k, n[k]] = $6; p99[k, n[k]] = $7
    err[k] += $8 + $9; if ($11 + 0 >= 95) cli[k] = 1
    if ($12 != "" && $12 + 0 < 1000) { if (!(k in idl) || $12 + 0 < idl[k]) idl[k] = $12 + 0 } }
  END {
    ns = split(scens, S, ",")
    nr = split("nginx lighttpd lighttpd-poll", REF, " ")
    for (i = 1; i <= ns; i++) {
      for (q = 1; q <= nr; q++) {
        s = S[i]; ref = REF[q]
        if (!((s, ref) in refs)) continue
        notes = ""
        stats(s, "sut"); stats(s, ref)
        ratio = (R["sut"] != "-" && R[ref] != "-" && R[ref] > 0) ? sprintf("%.2f", R["sut"] / R[ref]) : "-"
        printf "%-11s %-13s | %11s %11s %7s | %9s %9s | %9s %9s | %9s %9s | %9s %9s | %s\n", s, ref,
          (R["sut"] == "-") ? "-" : sprintf("%.0f", R["sut"]), (R[ref] == "-") ? "-" : sprintf("%.0f", R[ref]), ratio,
          (M["sut"] == "-") ? "-" : sprintf("%.1f", M["sut"]), (M[ref] == "-") ? "-" : sprintf("%.1f", M[ref]),
          P5["sut"], P5[ref], P9["sut"], P9[ref], SP["sut"], SP[ref], notes
      }
    }
  }' "$CSV"
echo
echo "peak RSS (VmHWM): SUT ${SUT_RSS:-NA} kB, nginx ${NGX_RSS:-NA} kB, lighttpd ${LTY_RSS:-NA} kB"
echo "RSS per idle keep-alive connection (1000 held open): SUT $IDLE_SUT, nginx $IDLE_NGX, lighttpd $IDLE_LTY"
[ $CRASHES -gt 0 ] && echo "SUT DIED $CRASHES time(s) during the run - see $OUT/logs/events and $OUT/logs/sut.out"
echo "notes: 'client-bound' = wrk's CPU was >=95% busy, so that figure is a floor and the ratio is compressed toward 1."
case ",$SCEN," in *,pipe16_c50,*) echo "notes: pipe16 vs nginx is not a fair ratio: nginx with sendfile+tcp_nopush stalls on pipelined requests (~18k req/s, ~40 ms Nagle/cork stalls); compare pipe16 against the SUT's own 1k_c50 instead.";; esac
echo "raw wrk output: $OUT/raw/   per-run CSV: $CSV"
} | tee "$OUT/summary.txt"
