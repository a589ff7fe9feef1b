// CGI/1.1 against the real server (RFC 3875, tests/contract/HTTP.md "CGI
// bodies" and "Handlers", issue 5):
// python3, perl, sh and php-cgi scripts written into the server's temporary
// directory; what they receive (environment, body, working directory), what
// the client gets back (status, headers, framing), failures (502, 504, 404,
// 403), and the processes: every child reaped, none left behind, no fd
// leaked, and a waiting script never holding up other clients.
//
// Sync points: a request on a fresh connection read until the server closes
// it (syncWithServer). Anything the server was told before (a client that
// left, a script that ended) has been handled by then. Scripts that must be
// caught while running report "cgi-pid TAG PID" on their stderr, which is
// the server's error log (ServerProcess::waitForErr waits for it as an
// event). A process the server killed dies asynchronously: that one wait is
// a bounded retry loop (waitUntilGone), see there.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/Bodies.hpp"
#include "support/Gate.hpp"
#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/Streaming.hpp"
#include "support/TempDir.hpp"
#include "util/Version.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location /cgi-bin/ {
        root {DIR};
        allow_methods GET POST;
        client_max_body_size 64m;
        cgi .py /usr/bin/python3;
        cgi .pl /usr/bin/perl;
        cgi .php /usr/bin/php-cgi;
        cgi .sh;
    }
    location /slow/ {
        root {DIR};
        allow_methods GET POST;
        cgi_timeout 1s;
        cgi .py /usr/bin/python3;
    }
    location /bad/ {
        root {DIR};
        cgi .xyz /nonexistent/interp;
    }
}
)";

const char* kPhpCgi = "/usr/bin/php-cgi";

// A script importing a module beside it: python3 writes the module's
// byte code into cgi-bin/__pycache__/ when the directory is writable.
const char* kHelperPy = "GREETING = 'imported'\n";
const char* kImportsPy = R"(import helper
print("Content-Type: text/plain")
print()
print(helper.GREETING)
)";

// ---------------------------------------------------------------- scripts

// Every environment variable, the working directory, and the body's length
// and SHA-256 (read to EOF: the server must close stdin after the body).
const char* kDumpPy = R"(import hashlib, os, sys
body = sys.stdin.buffer.read()
lines = [k + b"=" + v for k, v in sorted(os.environb.items())]
lines.append(b"CWD=" + os.getcwd().encode())
lines.append(b"BODY_LENGTH=%d" % len(body))
lines.append(b"BODY_SHA256=" + hashlib.sha256(body).hexdigest().encode())
out = b"\n".join(lines) + b"\n"
sys.stdout.buffer.write(b"Content-Type: text/plain\r\nX-Script: dump\r\n\r\n" + out)
)";

// The exact environment: perl adds nothing to it (python may add LC_CTYPE).
const char* kEnvPl = R"(print "Content-Type: text/plain\r\n\r\n";
print "$_=$ENV{$_}\n" for sort keys %ENV;
)";

const char* kHelloPl = R"(my $q = $ENV{QUERY_STRING};
print "Content-Type: text/plain\r\nX-Lang: perl\r\n\r\n";
print "hello from perl\nquery=$q\n";
)";

const char* kHelloSh = "#!/bin/sh\n"
                       "printf 'Content-Type: text/plain\\r\\nX-Lang: sh\\r\\n\\r\\n'\n"
                       "printf 'hello from sh\\nquery=%s\\nmethod=%s\\n' \"$QUERY_STRING\" \"$REQUEST_METHOD\"\n";

const char* kExit3Sh = "#!/bin/sh\nexit 3\n";

const char* kOutputThenExit1Sh = "#!/bin/sh\n"
                                 "printf 'Content-Type: text/plain\\r\\n\\r\\nsaid something\\n'\n"
                                 "exit 1\n";

const char* kHelloPhp = R"(<?php
header("X-Php: yes");
echo "method=", $_SERVER["REQUEST_METHOD"], "\n";
echo "name=", isset($_GET["name"]) ? $_GET["name"] : "", "\n";
echo "a=", isset($_POST["a"]) ? $_POST["a"] : "", "\n";
echo "b=", isset($_POST["b"]) ? $_POST["b"] : "", "\n";
)";

const char* kStatus404Py = R"(import sys
sys.stdout.write("Status: 404 Nothing Here\r\nContent-Type: text/plain\r\n\r\nno such thing\n")
)";

const char* kRedirectAbsolutePy = R"(import sys
sys.stdout.write("Location: http://example.org/elsewhere?x=1\r\n\r\n")
)";

const char* kRedirectWithStatusPy = R"(import sys
sys.stdout.write("Status: 301 Moved Permanently\r\nLocation: /new-place\r\n"
                 "Content-Type: text/html\r\n\r\n<a href=\"/new-place\">moved</a>\n")
)";

const char* kRedirectStaticPy = R"(import sys
sys.stdout.write("Location: /other.txt\r\n\r\n")
)";

const char* kRedirectCgiPy = R"(import sys
sys.stdout.write("Location: /cgi-bin/dump.py?from=redirect\r\n\r\n")
)";

const char* kRedirectLoopPy = R"(import sys
sys.stdout.write("Location: /cgi-bin/loop.py\r\n\r\n")
)";

const char* kHeadersPy = R"(import sys
sys.stdout.write("Content-Type: text/plain; charset=utf-8\r\n"
                 "X-Custom: one\r\n"
                 "X-Other:   two words  \r\n"
                 "Set-Cookie: a=1; Path=/\r\n"
                 "Set-Cookie: b=2; HttpOnly\r\n"
                 "Set-Cookie: c=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT\r\n"
                 "Cache-Control: no-store\r\n"
                 "Connection: close\r\n"
                 "Transfer-Encoding: identity\r\n"
                 "\r\n"
                 "headers\n")
)";

const char* kLengthPy = R"(import sys
sys.stdout.write("Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
)";

// Announces 3 bytes, writes 6: only the 3 go out.
const char* kTooLongPy = R"(import sys
sys.stdout.write("Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nabcdef")
)";

// No Content-Length, output in several writes.
const char* kNoLengthPy = R"(import sys
sys.stdout.write("Content-Type: text/plain\r\n\r\n")
for i in range(200):
    sys.stdout.write("line %03d\n" % i)
    if i % 50 == 49:
        sys.stdout.flush()
)";

// 800 blocks of 64 KiB = 50 MiB; block i is "%07d\n" % i repeated.
const char* kBigPy = R"(import sys
out = sys.stdout.buffer
out.write(b"Content-Type: application/octet-stream\r\n\r\n")
for i in range(800):
    out.write((b"%07d\n" % i) * 8192)
)";

const char* kNoReadPy = R"(import sys
sys.stdout.write("Content-Type: text/plain\r\n\r\nnot reading\n")
)";

const char* kNoHeaderPy = R"(import sys
sys.stdout.write("just text without a header block\n")
)";

const char* kBadHeaderPy = R"(import sys
sys.stdout.write("Content-Type text/plain\r\n\r\nbody\n")
)";

const char* kNoFieldsPy = R"(import sys
sys.stdout.write("X-Only: 1\r\n\r\nbody\n")
)";

const char* kBadStatusPy = R"(import sys
sys.stdout.write("Status: abc\r\nContent-Type: text/plain\r\n\r\nbody\n")
)";

const char* kCrashPy = R"(import os, signal
os.kill(os.getpid(), signal.SIGKILL)
)";

const char* kRaisePy = R"(raise SystemExit("failing on purpose")
)";

// The scripts below report "cgi-pid TAG PID" on stderr (the server's error
// log), TAG being their query string.
const char* kReportPid = R"(import os, select, signal, sys, time
tag = os.environ["QUERY_STRING"]
sys.stderr.write("cgi-pid %s %d\n" % (tag, os.getpid()))
sys.stderr.flush()
)";

// Sleeps 30 s; "…-head" tags first send a head and a line of body.
const char* kSleep30Py = R"(if tag.endswith("-head"):
    sys.stdout.write("Content-Type: text/plain\r\n\r\nstarted\n")
    sys.stdout.flush()
time.sleep(30)
)";

// Waits until the test opens the FIFO gate-TAG in its directory.
const char* kGatePy = R"(open("gate-" + tag).close()
sys.stdout.write("Content-Type: text/plain\r\n\r\nreleased " + tag + "\n")
)";

// Writes 64 KiB blocks without blocking until its stdout pipe has stayed
// full for 0.3 s (the server stopped reading it: the client is behind),
// then reports "wrote TAG BYTES" and exits, its last output still in the
// server's buffers.
const char* kFillPy = R"(os.write(1, b"Content-Type: application/octet-stream\r\n\r\n")
os.set_blocking(1, False)
block = b"f" * 65536
written = 0
while True:
    try:
        written += os.write(1, block)
    except BlockingIOError:
        if not select.select([], [1], [], 0.3)[1]:
            break
sys.stderr.write("wrote %s %d\n" % (tag, written))
sys.stderr.flush()
)";

// /slow/ (cgi_timeout 1s)
const char* kTimeoutSleepPy = R"(time.sleep(30)
)";

const char* kTimeoutStubbornPy = R"(signal.signal(signal.SIGTERM, signal.SIG_IGN)
time.sleep(30)
)";

const char* kTimeoutPartialPy = R"(sys.stdout.write("Content-Type: text/plain\r\n\r\npartial\n")
sys.stdout.flush()
time.sleep(30)
)";


// ---------------------------------------------------------------- helpers

typedef std::map<std::string, std::string> Vars;

// "NAME=value" lines (as dump.py and env.pl print them) as a map.
Vars parseVars(const std::string& body)
{
    Vars vars;
    size_t pos = 0;
    while (pos < body.size()) {
        size_t lf = body.find('\n', pos);
        if (lf == std::string::npos)
            lf = body.size();
        std::string line = body.substr(pos, lf - pos);
        size_t eq = line.find('=');
        if (eq != std::string::npos)
            vars[line.substr(0, eq)] = line.substr(eq + 1);
        pos = lf + 1;
    }
    return vars;
}

std::string describe(const Vars& vars)
{
    std::string out;
    for (const auto& entry : vars)
        out += "  " + entry.first + "=" + entry.second + "\n";
    return out;
}

// Chunk sizes cycling through a few odd values, past 64 KiB reads too.
const std::vector<size_t> kOddChunkSizes = { 1, 7, 4093, 65536, 100000, 333, 262144 };

std::string get(const std::string& path, const std::string& extra = "")
{
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

std::string postChunked(const std::string& path, const std::string& body, const std::string& extra = "")
{
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra
        + "Transfer-Encoding: chunked\r\n\r\n" + chunkedInSizes(body, kOddChunkSizes);
}

// The local port of a connected socket (the server's REMOTE_PORT).
int localPort(int fd)
{
    sockaddr_in address {};
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

// True when fd has something to read (or was closed) right now.
bool readableNow(int fd)
{
    pollfd entry { fd, POLLIN, 0 };
    return poll(&entry, 1, 0) > 0;
}

struct ProcessInfo {
    pid_t pid;
    char state;
    std::string name;
};

// Every process whose parent is parent, from /proc/*/stat.
std::vector<ProcessInfo> childrenOf(pid_t parent)
{
    std::vector<ProcessInfo> children;
    DIR* proc = opendir("/proc");
    if (!proc)
        return children;
    while (dirent* entry = readdir(proc)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        std::ifstream in(std::string("/proc/") + entry->d_name + "/stat");
        std::string stat;
        std::getline(in, stat);
        size_t open = stat.find('(');
        size_t close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close + 4 > stat.size())
            continue;
        char state = stat[close + 2];
        long ppid = std::strtol(stat.c_str() + close + 4, nullptr, 10);
        if (ppid == parent)
            children.push_back({ static_cast<pid_t>(std::atol(entry->d_name)), state,
                stat.substr(open + 1, close - open - 1) });
    }
    closedir(proc);
    return children;
}

std::string describe(const std::vector<ProcessInfo>& processes)
{
    std::string out;
    for (const ProcessInfo& p : processes)
        out += "  pid " + std::to_string(p.pid) + " (" + p.name + ") state " + p.state + "\n";
    return out;
}

// A process the server killed (or that ended) dies and is reaped
// asynchronously: SIGKILL, its exit, the SIGCHLD, the server's waitpid() all
// happen after the server answered the request we synchronise on, and no
// event of the server tells us when. So this one check polls, boundedly:
// 100 x 20 ms. It never waits for the server to do something it was asked
// to by a request, only for the kernel to finish a death the server caused.
// kill(pid, 0) succeeds on a zombie, so ESRCH means reaped too.
bool waitUntilGone(pid_t pid)
{
    for (int i = 0; i < 100; ++i) {
        if (kill(pid, 0) != 0 && errno == ESRCH)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

// Same bounded wait (same reason): the server has no child left at all,
// neither running nor a zombie.
::testing::AssertionResult noChildrenLeft(pid_t server)
{
    std::vector<ProcessInfo> children;
    for (int i = 0; i < 100; ++i) {
        children = childrenOf(server);
        if (children.empty())
            return ::testing::AssertionSuccess();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ::testing::AssertionFailure() << "children of the server after 2 s:\n" << describe(children);
}

// ---------------------------------------------------------------- fixture

class CgiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        // Something of the test's environment that the scripts must not see.
        ScopedEnv secret("WEBSERV_SECRET", "1");
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/static.txt", "static file\n");
            dir.write("www/other.txt", "the other file\n");
            dir.write("cgi-bin/dump.py", kDumpPy);
            dir.write("cgi-bin/env.pl", kEnvPl);
            dir.write("cgi-bin/hello.pl", kHelloPl);
            dir.write("cgi-bin/hello.sh", kHelloSh, 0755);
            dir.write("cgi-bin/noexec.sh", kHelloSh, 0644);
            dir.write("cgi-bin/exit3.sh", kExit3Sh, 0755);
            dir.write("cgi-bin/output-exit1.sh", kOutputThenExit1Sh, 0755);
            dir.write("cgi-bin/hello.php", kHelloPhp);
            dir.write("cgi-bin/status404.py", kStatus404Py);
            dir.write("cgi-bin/redirect-absolute.py", kRedirectAbsolutePy);
            dir.write("cgi-bin/redirect-status.py", kRedirectWithStatusPy);
            dir.write("cgi-bin/redirect-static.py", kRedirectStaticPy);
            dir.write("cgi-bin/redirect-cgi.py", kRedirectCgiPy);
            dir.write("cgi-bin/loop.py", kRedirectLoopPy);
            dir.write("cgi-bin/headers.py", kHeadersPy);
            dir.write("cgi-bin/length.py", kLengthPy);
            dir.write("cgi-bin/too-long.py", kTooLongPy);
            dir.write("cgi-bin/nolength.py", kNoLengthPy);
            dir.write("cgi-bin/big.py", kBigPy);
            dir.write("cgi-bin/noread.py", kNoReadPy);
            dir.write("cgi-bin/noheader.py", kNoHeaderPy);
            dir.write("cgi-bin/badheader.py", kBadHeaderPy);
            dir.write("cgi-bin/nofields.py", kNoFieldsPy);
            dir.write("cgi-bin/badstatus.py", kBadStatusPy);
            dir.write("cgi-bin/crash.py", kCrashPy);
            dir.write("cgi-bin/raise.py", kRaisePy);
            dir.write("cgi-bin/sleep30.py", std::string(kReportPid) + kSleep30Py);
            dir.write("cgi-bin/gate.py", std::string(kReportPid) + kGatePy);
            dir.write("cgi-bin/fill.py", std::string(kReportPid) + kFillPy);
            dir.mkdir("cgi-bin/directory.py");
            dir.write("cgi-bin/helper.py", kHelperPy);
            dir.write("cgi-bin/imports.py", kImportsPy);
            dir.write("cgi-bin/__pycache__/x.pyc", "compiled\n");
            dir.write("cgi-bin/.git/config", "[core]\n");
            dir.write("cgi-bin/.venv/bin/tool.py", kImportsPy);
            dir.write("cgi-bin/readme.txt", "read me\n");
            dir.write("slow/sleep.py", std::string(kReportPid) + kTimeoutSleepPy);
            dir.write("slow/stubborn.py", std::string(kReportPid) + kTimeoutStubbornPy);
            dir.write("slow/partial.py", std::string(kReportPid) + kTimeoutPartialPy);
            dir.write("bad/script.xyz", "whatever\n");
        });
        syncWithServer();
        baselineFds_ = server_->openFds();
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }

    int port() const { return server_->port(); }
    const std::string& dir() const { return server_->dir().path(); }

    static void syncWithServer()
    {
        TestClient client(server_->port());
        client.send(get("/static.txt", "Connection: close\r\n"));
        EXPECT_NE(std::string::npos, client.readUntilClose().find("\r\n\r\nstatic file\n"));
    }
    static void expectNoLeakedFds()
    {
        syncWithServer();
        syncWithServer();
        EXPECT_EQ(baselineFds_, server_->openFdsSettlingAt(baselineFds_));
    }

    // The pid a script reported as "cgi-pid TAG PID" on the error log.
    static pid_t reportedPid(const std::string& tag)
    {
        std::string marker = "cgi-pid " + tag + " ";
        if (!server_->waitForErr(marker))
            return -1;
        std::string err = server_->err();
        size_t at = err.find(marker);
        return static_cast<pid_t>(std::atol(err.c_str() + at + marker.size()));
    }

    // One request on a fresh connection, Connection: close.
    HttpResponse fetch(const std::string& path, const std::string& extra = "")
    {
        return httpGet(port(), path, extra);
    }

    Vars dump(const std::string& request)
    {
        HttpResponse r = httpRaw(port(), request);
        EXPECT_EQ(200, r.status) << r.raw.substr(0, 2000);
        EXPECT_EQ("dump", r.header("X-Script"));
        return parseVars(r.body);
    }

    static ServerProcess* server_;
    static int baselineFds_;
};

ServerProcess* CgiTest::server_ = nullptr;
int CgiTest::baselineFds_ = 0;

}

// ================================================================ request side

TEST_F(CgiTest, GetWithQueryString)
{
    Vars v = dump(get("/cgi-bin/dump.py?name=World&x=%41%20b", "Connection: close\r\n"));
    EXPECT_EQ("GET", v["REQUEST_METHOD"]);
    EXPECT_EQ("name=World&x=%41%20b", v["QUERY_STRING"]);
    EXPECT_EQ(0u, v.count("CONTENT_LENGTH"));
    EXPECT_EQ(0u, v.count("CONTENT_TYPE"));
    EXPECT_EQ("0", v["BODY_LENGTH"]);
}

TEST_F(CgiTest, EveryRfc3875VariableHasItsExactValue)
{
    TestClient client(port());
    std::string host = "localhost:" + std::to_string(port());
    client.send("GET /cgi-bin/env.pl/some/info?a=1&b=%20c HTTP/1.1\r\n"
                "Host: " + host + "\r\n"
                "User-Agent: cgi-test/1.0\r\n"
                "Accept: text/plain\r\n"
                "Accept: text/html\r\n"
                "Cookie: a=1\r\n"
                "Cookie: b=2\r\n"
                "X-Custom-Thing: yes\r\n"
                "Connection: close\r\n\r\n");
    int clientPort = localPort(client.fd());
    HttpResponse r = client.read();
    ASSERT_EQ(200, r.status) << r.raw;
    const char* path = std::getenv("PATH");
    Vars expected = {
        { "DOCUMENT_ROOT", dir() },
        { "GATEWAY_INTERFACE", "CGI/1.1" },
        { "HTTP_ACCEPT", "text/plain, text/html" },
        { "HTTP_CONNECTION", "close" },
        { "HTTP_COOKIE", "a=1; b=2" },
        { "HTTP_HOST", host },
        { "HTTP_USER_AGENT", "cgi-test/1.0" },
        { "HTTP_X_CUSTOM_THING", "yes" },
        { "PATH", path ? path : "/usr/local/bin:/usr/bin:/bin" },
        { "PATH_INFO", "/some/info" },
        { "PATH_TRANSLATED", dir() + "/some/info" },
        { "QUERY_STRING", "a=1&b=%20c" },
        { "REDIRECT_STATUS", "200" },
        { "REMOTE_ADDR", "127.0.0.1" },
        { "REMOTE_PORT", std::to_string(clientPort) },
        { "REQUEST_METHOD", "GET" },
        { "REQUEST_URI", "/cgi-bin/env.pl/some/info?a=1&b=%20c" },
        { "SCRIPT_FILENAME", dir() + "/cgi-bin/env.pl" },
        { "SCRIPT_NAME", "/cgi-bin/env.pl" },
        { "SERVER_NAME", "localhost" },
        { "SERVER_PORT", std::to_string(port()) },
        { "SERVER_PROTOCOL", "HTTP/1.1" },
        { "SERVER_SOFTWARE", WEBSERV_SOFTWARE },
    };
    Vars got = parseVars(r.body);
    // Nothing else: no WEBSERV_SECRET (set for the server), no HOME, ...
    EXPECT_EQ(expected, got) << "got:\n" << describe(got);
}

TEST_F(CgiTest, PostVariablesExactlyAndHttp10)
{
    TestClient client(port());
    client.send("POST /cgi-bin/env.pl HTTP/1.0\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n"
                "Content-Length: 5\r\n\r\nhello");
    int clientPort = localPort(client.fd());
    HttpResponse r = client.read();
    ASSERT_EQ(200, r.status) << r.raw;
    const char* path = std::getenv("PATH");
    Vars expected = {
        { "CONTENT_LENGTH", "5" },
        { "CONTENT_TYPE", "text/plain; charset=utf-8" },
        { "DOCUMENT_ROOT", dir() },
        { "GATEWAY_INTERFACE", "CGI/1.1" },
        { "PATH", path ? path : "/usr/local/bin:/usr/bin:/bin" },
        { "PATH_INFO", "" },
        { "QUERY_STRING", "" },
        { "REDIRECT_STATUS", "200" },
        { "REMOTE_ADDR", "127.0.0.1" },
        { "REMOTE_PORT", std::to_string(clientPort) },
        { "REQUEST_METHOD", "POST" },
        { "REQUEST_URI", "/cgi-bin/env.pl" },
        { "SCRIPT_FILENAME", dir() + "/cgi-bin/env.pl" },
        { "SCRIPT_NAME", "/cgi-bin/env.pl" },
        // No Host: the listen address stands in (no server_name configured).
        { "SERVER_NAME", "127.0.0.1" },
        { "SERVER_PORT", std::to_string(port()) },
        { "SERVER_PROTOCOL", "HTTP/1.0" },
        { "SERVER_SOFTWARE", WEBSERV_SOFTWARE },
    };
    Vars got = parseVars(r.body);
    EXPECT_EQ(expected, got) << "got:\n" << describe(got);
}

TEST_F(CgiTest, PathInfoAndPathTranslated)
{
    Vars v = dump(get("/cgi-bin/dump.py/extra/path%20x/?q=1", "Connection: close\r\n"));
    EXPECT_EQ("/cgi-bin/dump.py", v["SCRIPT_NAME"]);
    EXPECT_EQ(dir() + "/cgi-bin/dump.py", v["SCRIPT_FILENAME"]);
    EXPECT_EQ("/extra/path x/", v["PATH_INFO"]);
    // nginx's $document_root$fastcgi_path_info: the location's root.
    EXPECT_EQ(dir() + "/extra/path x/", v["PATH_TRANSLATED"]);
    EXPECT_EQ("/cgi-bin/dump.py/extra/path%20x/?q=1", v["REQUEST_URI"]);
    EXPECT_EQ("q=1", v["QUERY_STRING"]);
}

TEST_F(CgiTest, DotSegmentsAreRemovedBeforeTheScriptIsFound)
{
    Vars v = dump(get("/cgi-bin/x/../dump.py/a/./b", "Connection: close\r\n"));
    EXPECT_EQ("/cgi-bin/dump.py", v["SCRIPT_NAME"]);
    EXPECT_EQ("/a/b", v["PATH_INFO"]);
}

TEST_F(CgiTest, WorkingDirectoryIsTheScriptsDirectory)
{
    Vars v = dump(get("/cgi-bin/dump.py", "Connection: close\r\n"));
    EXPECT_EQ(dir() + "/cgi-bin", v["CWD"]);
}

TEST_F(CgiTest, PostWithContentLengthReachesTheScriptWhole)
{
    std::string body = randomBytes(3 * 1024 * 1024 + 4321, 7);
    Vars v = dump(postWithLength("/cgi-bin/dump.py", body,
        "Content-Type: application/octet-stream\r\nConnection: close\r\n"));
    EXPECT_EQ("POST", v["REQUEST_METHOD"]);
    EXPECT_EQ(std::to_string(body.size()), v["CONTENT_LENGTH"]);
    EXPECT_EQ("application/octet-stream", v["CONTENT_TYPE"]);
    EXPECT_EQ(0u, v.count("HTTP_CONTENT_LENGTH"));
    EXPECT_EQ(0u, v.count("HTTP_CONTENT_TYPE"));
    EXPECT_EQ(std::to_string(body.size()), v["BODY_LENGTH"]);
    EXPECT_EQ(sha256(body), v["BODY_SHA256"]);
}

TEST_F(CgiTest, EmptyPostHasContentLengthZero)
{
    // A Content-Length field signals a body, an empty one here: RFC 3875
    // §4.1.2 wants CONTENT_LENGTH then (nginx passes "0"), as for an empty
    // chunked body.
    Vars v = dump(postWithLength("/cgi-bin/dump.py", "", "Connection: close\r\n"));
    EXPECT_EQ("0", v["CONTENT_LENGTH"]);
    EXPECT_EQ("0", v["BODY_LENGTH"]);
}

TEST_F(CgiTest, EmptyChunkedPostHasContentLengthZero)
{
    Vars v = dump(postChunked("/cgi-bin/dump.py", "", "Connection: close\r\n"));
    EXPECT_EQ("0", v["CONTENT_LENGTH"]);
    EXPECT_EQ("0", v["BODY_LENGTH"]);
}

TEST_F(CgiTest, SmallChunkedPostGetsTheDecodedContentLength)
{
    std::string body = "field=value&other=" + std::string(1000, 'x');
    Vars v = dump(postChunked("/cgi-bin/dump.py", body, "Connection: close\r\n"));
    EXPECT_EQ(std::to_string(body.size()), v["CONTENT_LENGTH"]);
    EXPECT_EQ(std::to_string(body.size()), v["BODY_LENGTH"]);
    EXPECT_EQ(sha256(body), v["BODY_SHA256"]);
}

TEST_F(CgiTest, MultiMiBChunkedPostGetsTheDecodedContentLength)
{
    // Over the in-memory spool: goes through the temporary file.
    std::string body = randomBytes(5 * 1024 * 1024 + 777, 11);
    Vars v = dump(postChunked("/cgi-bin/dump.py", body, "Connection: close\r\n"));
    EXPECT_EQ(std::to_string(body.size()), v["CONTENT_LENGTH"]);
    EXPECT_EQ(std::to_string(body.size()), v["BODY_LENGTH"]);
    EXPECT_EQ(sha256(body), v["BODY_SHA256"]);
    expectNoLeakedFds();
}

TEST_F(CgiTest, ExpectContinueThenBodyToTheScript)
{
    TestClient client(port());
    std::string body = "0123456789";
    client.send("POST /cgi-bin/dump.py HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                "Content-Length: 10\r\nConnection: close\r\n\r\n");
    HttpResponse interim = client.read();
    EXPECT_EQ(100, interim.status);
    client.send(body);
    HttpResponse r = client.read();
    ASSERT_EQ(200, r.status);
    Vars v = parseVars(r.body);
    EXPECT_EQ("10", v["CONTENT_LENGTH"]);
    EXPECT_EQ(sha256(body), v["BODY_SHA256"]);
}

TEST_F(CgiTest, ScriptThatNeverReadsStdinStillAnswersAMultiMiBBody)
{
    std::string body(8 * 1024 * 1024, 'b');
    TestClient client(port());
    client.send(postWithLength("/cgi-bin/noread.py", body));
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("not reading\n", r.body);
    // The whole body was consumed: the connection goes on.
    client.send(get("/static.txt"));
    EXPECT_EQ("static file\n", client.read().body);
    client.close();
    expectNoLeakedFds();
}

TEST_F(CgiTest, ScriptThatNeverReadsStdinStillAnswersAMultiMiBChunkedBody)
{
    std::string body(6 * 1024 * 1024, 'c');
    TestClient client(port());
    client.send(postChunked("/cgi-bin/noread.py", body));
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("not reading\n", r.body);
    client.send(get("/static.txt"));
    EXPECT_EQ("static file\n", client.read().body);
    client.close();
    expectNoLeakedFds();
}

// ================================================================ response side

TEST_F(CgiTest, StatusFromTheScriptWithItsBody)
{
    HttpResponse r = fetch("/cgi-bin/status404.py");
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("text/plain", r.header("Content-Type"));
    EXPECT_EQ("no such thing\n", r.body);
}

TEST_F(CgiTest, StatusReasonFromTheScriptIsSent)
{
    // The script's own reason phrase goes into the status line, as nginx
    // passes it.
    HttpResponse r = fetch("/cgi-bin/status404.py");
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("Nothing Here", r.reason);
}

TEST_F(CgiTest, AbsoluteLocationIsAClientRedirect302)
{
    HttpResponse r = fetch("/cgi-bin/redirect-absolute.py");
    EXPECT_EQ(302, r.status);
    EXPECT_EQ("http://example.org/elsewhere?x=1", r.header("Location"));
    EXPECT_EQ(1u, r.count("Location"));
}

TEST_F(CgiTest, LocationWithStatusAndBodyIsPassedOn)
{
    HttpResponse r = fetch("/cgi-bin/redirect-status.py");
    EXPECT_EQ(301, r.status);
    EXPECT_EQ("/new-place", r.header("Location"));
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_EQ("<a href=\"/new-place\">moved</a>\n", r.body);
}

TEST_F(CgiTest, LocalRedirectServesAStaticFile)
{
    HttpResponse r = fetch("/cgi-bin/redirect-static.py");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("the other file\n", r.body);
    EXPECT_EQ(0u, r.count("Location"));
}

TEST_F(CgiTest, LocalRedirectRunsAnotherScript)
{
    HttpResponse r = fetch("/cgi-bin/redirect-cgi.py");
    ASSERT_EQ(200, r.status);
    EXPECT_EQ(0u, r.count("Location"));
    Vars v = parseVars(r.body);
    EXPECT_EQ("from=redirect", v["QUERY_STRING"]);
    EXPECT_EQ("/cgi-bin/dump.py", v["SCRIPT_NAME"]);
    EXPECT_EQ("GET", v["REQUEST_METHOD"]);
}

TEST_F(CgiTest, LocalRedirectAfterAPostIsAGetWithoutBody)
{
    Vars v = dump(postWithLength("/cgi-bin/redirect-cgi.py", "a=1&b=2",
        "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"));
    EXPECT_EQ("GET", v["REQUEST_METHOD"]);
    EXPECT_EQ("from=redirect", v["QUERY_STRING"]);
    EXPECT_EQ(0u, v.count("CONTENT_LENGTH")) << "CONTENT_LENGTH=" << v["CONTENT_LENGTH"];
    EXPECT_EQ(0u, v.count("CONTENT_TYPE"));
    EXPECT_EQ("0", v["BODY_LENGTH"]);
}

TEST_F(CgiTest, LocalRedirectLoopEndsIn500)
{
    HttpResponse r = fetch("/cgi-bin/loop.py");
    EXPECT_EQ(500, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    expectNoLeakedFds();
}

TEST_F(CgiTest, HeadersPassThroughAndSetCookieStaysSeparate)
{
    TestClient client(port());
    client.send(get("/cgi-bin/headers.py"));
    HttpResponse r = client.read();
    ASSERT_EQ(200, r.status);
    EXPECT_EQ("text/plain; charset=utf-8", r.header("Content-Type"));
    EXPECT_EQ("one", r.header("X-Custom"));
    EXPECT_EQ("two words", r.header("X-Other"));
    EXPECT_EQ("no-store", r.header("Cache-Control"));
    ASSERT_EQ(3u, r.count("Set-Cookie"));
    auto cookies = r.headers.equal_range("set-cookie");
    std::vector<std::string> values;
    for (auto it = cookies.first; it != cookies.second; ++it)
        values.push_back(it->second);
    EXPECT_EQ((std::vector<std::string>{ "a=1; Path=/", "b=2; HttpOnly",
                  "c=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT" }),
        values);
    EXPECT_NE(std::string::npos,
        r.raw.find("\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\n"
                   "Set-Cookie: c=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT\r\n"));
    // The script's Connection and Transfer-Encoding are not the server's
    // framing: one of each, the server's own.
    EXPECT_EQ(1u, r.count("Connection"));
    EXPECT_EQ("keep-alive", r.header("Connection"));
    EXPECT_EQ(1u, r.count("Transfer-Encoding"));
    EXPECT_EQ("chunked", r.header("Transfer-Encoding"));
    EXPECT_EQ("headers\n", r.body);
    EXPECT_EQ(WEBSERV_SOFTWARE, r.header("Server"));
    EXPECT_EQ(1u, r.count("Date"));
    client.send(get("/static.txt"));
    EXPECT_EQ("static file\n", client.read().body);
}

TEST_F(CgiTest, ContentLengthFromTheScriptIsHonoured)
{
    HttpResponse r = fetch("/cgi-bin/length.py");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("5", r.header("Content-Length"));
    EXPECT_EQ(1u, r.count("Content-Length"));
    EXPECT_EQ(0u, r.count("Transfer-Encoding"));
    EXPECT_EQ("hello", r.body);
}

TEST_F(CgiTest, OutputBeyondTheScriptsContentLengthIsCut)
{
    TestClient client(port());
    client.send(get("/cgi-bin/too-long.py"));
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("3", r.header("Content-Length"));
    EXPECT_EQ("abc", r.body);
    // The next response starts where it should.
    client.send(get("/static.txt"));
    HttpResponse next = client.read();
    EXPECT_EQ(200, next.status);
    EXPECT_EQ("static file\n", next.body);
}

TEST_F(CgiTest, NoContentLengthIsChunkedForHttp11)
{
    std::string expected;
    for (int i = 0; i < 200; ++i) {
        char line[32];
        std::snprintf(line, sizeof line, "line %03d\n", i);
        expected += line;
    }
    TestClient client(port());
    client.send(get("/cgi-bin/nolength.py"));
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("chunked", r.header("Transfer-Encoding"));
    EXPECT_EQ(0u, r.count("Content-Length"));
    EXPECT_EQ("keep-alive", r.header("Connection"));
    EXPECT_EQ(expected, r.body);
    client.send(get("/static.txt"));
    EXPECT_EQ("static file\n", client.read().body);
}

TEST_F(CgiTest, NoContentLengthIsCloseDelimitedForHttp10)
{
    TestClient client(port());
    client.send("GET /cgi-bin/nolength.py HTTP/1.0\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(0u, r.count("Transfer-Encoding"));
    EXPECT_EQ(0u, r.count("Content-Length"));
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_EQ(1800u, r.body.size());
    EXPECT_EQ("line 000\n", r.body.substr(0, 9));
    EXPECT_EQ("line 199\n", r.body.substr(r.body.size() - 9));
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(CgiTest, NoContentLengthClosesEvenWhenHttp10AsksForKeepAlive)
{
    TestClient client(port());
    client.send("GET /cgi-bin/nolength.py HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("close", r.header("Connection"));
    EXPECT_EQ(1800u, r.body.size());
    EXPECT_TRUE(client.closedByServer());
}

TEST_F(CgiTest, Http10WithScriptContentLengthKeepsTheLength)
{
    TestClient client(port());
    client.send("GET /cgi-bin/length.py HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    HttpResponse r = client.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("5", r.header("Content-Length"));
    EXPECT_EQ("keep-alive", r.header("Connection"));
    EXPECT_EQ("hello", r.body);
    client.send("GET /static.txt HTTP/1.0\r\n\r\n");
    EXPECT_EQ("static file\n", client.read().body);
}

TEST_F(CgiTest, KeepAliveAfterCgiResponses)
{
    TestClient client(port());
    client.send(get("/cgi-bin/nolength.py"));
    HttpResponse first = client.read();
    EXPECT_EQ(200, first.status);
    EXPECT_EQ(1800u, first.body.size());
    client.send(get("/cgi-bin/length.py"));
    EXPECT_EQ("hello", client.read().body);
    client.send(postWithLength("/cgi-bin/dump.py", "abc"));
    HttpResponse third = client.read();
    EXPECT_EQ(200, third.status);
    EXPECT_EQ("3", parseVars(third.body)["BODY_LENGTH"]);
    client.send(get("/static.txt"));
    HttpResponse fourth = client.read();
    EXPECT_EQ("static file\n", fourth.body);
    EXPECT_EQ("keep-alive", fourth.header("Connection"));
}

TEST_F(CgiTest, PipelinedCgiRequestsAreAnsweredInOrder)
{
    TestClient client(port());
    client.send(get("/cgi-bin/length.py") + get("/cgi-bin/dump.py?second") + get("/static.txt")
        + get("/cgi-bin/hello.sh?fourth"));
    EXPECT_EQ("hello", client.read().body);
    HttpResponse second = client.read();
    EXPECT_EQ("second", parseVars(second.body)["QUERY_STRING"]);
    EXPECT_EQ("static file\n", client.read().body);
    HttpResponse fourth = client.read();
    EXPECT_EQ("hello from sh\nquery=fourth\nmethod=GET\n", fourth.body);
}

TEST_F(CgiTest, HeadGetsTheHeadersAndNoBody)
{
    TestClient client(port());
    client.send("HEAD /cgi-bin/length.py HTTP/1.1\r\nHost: localhost\r\n\r\n");
    HttpResponse r = client.read(true);
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("text/plain", r.header("Content-Type"));
    EXPECT_EQ("5", r.header("Content-Length"));
    client.send("HEAD /cgi-bin/nolength.py HTTP/1.1\r\nHost: localhost\r\n\r\n");
    HttpResponse chunkedHead = client.read(true);
    EXPECT_EQ(200, chunkedHead.status);
    EXPECT_EQ("chunked", chunkedHead.header("Transfer-Encoding"));
    // No body bytes came before this response.
    client.send(get("/static.txt"));
    HttpResponse next = client.read();
    EXPECT_EQ(200, next.status);
    EXPECT_EQ("static file\n", next.body);
    client.close();
    expectNoLeakedFds();
}

TEST_F(CgiTest, HeadRunsTheScriptWithMethodHead)
{
    TestClient client(port());
    client.send("HEAD /cgi-bin/hello.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    HttpResponse r = client.read(true);
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("sh", r.header("X-Lang"));
    EXPECT_EQ("", client.readUntilClose());
}

// ================================================================ languages

TEST_F(CgiTest, PerlScript)
{
    HttpResponse r = fetch("/cgi-bin/hello.pl?x=1");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("perl", r.header("X-Lang"));
    EXPECT_EQ("hello from perl\nquery=x=1\n", r.body);
}

TEST_F(CgiTest, ShellScriptRunDirectly)
{
    HttpResponse r = fetch("/cgi-bin/hello.sh?y=2");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("sh", r.header("X-Lang"));
    EXPECT_EQ("hello from sh\nquery=y=2\nmethod=GET\n", r.body);
}

TEST_F(CgiTest, PhpGetWithQuery)
{
    if (access(kPhpCgi, X_OK) != 0)
        GTEST_SKIP() << kPhpCgi << " is not installed";
    HttpResponse r = fetch("/cgi-bin/hello.php?name=World%21");
    EXPECT_EQ(200, r.status) << r.raw;
    EXPECT_EQ("yes", r.header("X-Php"));
    EXPECT_EQ(0u, r.header("Content-Type").find("text/html"));
    EXPECT_EQ("method=GET\nname=World!\na=\nb=\n", r.body);
}

TEST_F(CgiTest, PhpPostForm)
{
    if (access(kPhpCgi, X_OK) != 0)
        GTEST_SKIP() << kPhpCgi << " is not installed";
    HttpResponse r = httpRaw(port(), postWithLength("/cgi-bin/hello.php?name=q", "a=1&b=two+words",
        "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"));
    EXPECT_EQ(200, r.status) << r.raw;
    EXPECT_EQ("method=POST\nname=q\na=1\nb=two words\n", r.body);
}

TEST_F(CgiTest, PhpChunkedPostForm)
{
    if (access(kPhpCgi, X_OK) != 0)
        GTEST_SKIP() << kPhpCgi << " is not installed";
    HttpResponse r = httpRaw(port(), postChunked("/cgi-bin/hello.php", "a=chunked&b=%C3%A9t%C3%A9",
        "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"));
    EXPECT_EQ(200, r.status) << r.raw;
    EXPECT_EQ("method=POST\nname=\na=chunked\nb=\xC3\xA9t\xC3\xA9\n", r.body);
}

// ================================================================ failures

TEST_F(CgiTest, MissingScriptIs404)
{
    EXPECT_EQ(404, fetch("/cgi-bin/missing.py").status);
    EXPECT_EQ(404, fetch("/cgi-bin/missing.py/with/path/info").status);
    EXPECT_EQ(404, fetch("/cgi-bin/nodir/missing.sh").status);
}

TEST_F(CgiTest, HiddenDirectoriesAndPycacheAre404WhileScriptsRun)
{
    HttpResponse r = fetch("/cgi-bin/imports.py");
    EXPECT_EQ(200, r.status) << r.raw;
    EXPECT_EQ("imported\n", r.body);
    EXPECT_EQ(404, fetch("/cgi-bin/__pycache__/x.pyc").status);
    EXPECT_EQ(404, fetch("/cgi-bin/__pycache__/").status);
    EXPECT_EQ(404, fetch("/cgi-bin/.git/config").status);
    EXPECT_EQ(404, fetch("/cgi-bin/.venv/bin/tool.py").status);   // not run either
    // What python3 itself wrote there is hidden the same way.
    for (const std::string& name : listDirectory(dir() + "/cgi-bin/__pycache__"))
        EXPECT_EQ(404, fetch("/cgi-bin/__pycache__/" + name).status) << name;
    // Other files beside the scripts are served as before.
    r = fetch("/cgi-bin/readme.txt");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("read me\n", r.body);
}

TEST_F(CgiTest, ShellScriptWithoutExecutePermissionIs403)
{
    HttpResponse r = fetch("/cgi-bin/noexec.sh");
    EXPECT_EQ(403, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
}

TEST_F(CgiTest, DirectoryNamedLikeAScriptIs403)
{
    EXPECT_EQ(403, fetch("/cgi-bin/directory.py").status);
}

TEST_F(CgiTest, MissingInterpreterIs502WithAnErrorLogLine)
{
    HttpResponse r = fetch("/bad/script.xyz");
    EXPECT_EQ(502, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_TRUE(server_->waitForErr("cgi interpreter \"/nonexistent/interp\" for \"" + dir()
        + "/bad/script.xyz\" is missing or not executable"))
        << server_->err();
}

TEST_F(CgiTest, CrashWithoutOutputIs502)
{
    HttpResponse r = fetch("/cgi-bin/crash.py");
    EXPECT_EQ(502, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_EQ(502, fetch("/cgi-bin/raise.py").status);
    syncWithServer();
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
}

TEST_F(CgiTest, NonZeroExitWithoutOutputIs502)
{
    EXPECT_EQ(502, fetch("/cgi-bin/exit3.sh").status);
}

TEST_F(CgiTest, NonZeroExitAfterAValidResponseIsPassedOn)
{
    HttpResponse r = fetch("/cgi-bin/output-exit1.sh");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("said something\n", r.body);
}

TEST_F(CgiTest, NoHeaderBlockIs502)
{
    EXPECT_EQ(502, fetch("/cgi-bin/noheader.py").status);
}

TEST_F(CgiTest, MalformedHeaderBlockIs502)
{
    EXPECT_EQ(502, fetch("/cgi-bin/badheader.py").status);
    EXPECT_EQ(502, fetch("/cgi-bin/nofields.py").status);
    EXPECT_EQ(502, fetch("/cgi-bin/badstatus.py").status);
}

TEST_F(CgiTest, FailureKeepsTheConnectionUsable)
{
    TestClient client(port());
    client.send(get("/cgi-bin/noheader.py"));
    HttpResponse r = client.read();
    EXPECT_EQ(502, r.status);
    EXPECT_EQ("keep-alive", r.header("Connection"));
    client.send(get("/static.txt"));
    EXPECT_EQ("static file\n", client.read().body);
}

TEST_F(CgiTest, TimeoutIs504AndTheScriptIsReaped)
{
    TestClient client(port());
    client.send(get("/slow/sleep.py?timeout-term"));
    pid_t pid = reportedPid("timeout-term");
    ASSERT_GT(pid, 0);
    HttpResponse r = client.read();
    EXPECT_EQ(504, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    client.close();
    syncWithServer();
    EXPECT_TRUE(waitUntilGone(pid)) << "script " << pid << " still exists";
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
    expectNoLeakedFds();
}

TEST_F(CgiTest, TimeoutKillsAScriptThatIgnoresSigterm)
{
    TestClient client(port());
    client.send(get("/slow/stubborn.py?timeout-stubborn"));
    pid_t pid = reportedPid("timeout-stubborn");
    ASSERT_GT(pid, 0);
    HttpResponse r = client.read();
    EXPECT_EQ(504, r.status);
    client.close();
    syncWithServer();
    EXPECT_TRUE(waitUntilGone(pid)) << "script " << pid << " still exists";
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
    expectNoLeakedFds();
}

TEST_F(CgiTest, TimeoutAfterTheHeadClosesTheConnectionWithoutEndingTheBody)
{
    // cgi_timeout after the head went out: the script dies of the SIGTERM and
    // its stdout ends, which must not end the body like a complete one (last
    // chunk, keep-alive): the connection is closed instead (issue 5).
    TestClient client(port());
    client.send(get("/slow/partial.py?timeout-partial"));
    pid_t pid = reportedPid("timeout-partial");
    ASSERT_GT(pid, 0);
    std::string all = client.readUntilClose();
    EXPECT_EQ(0u, all.find("HTTP/1.1 200 OK\r\n")) << all;
    EXPECT_NE(std::string::npos, all.find("\r\nTransfer-Encoding: chunked\r\n")) << all;
    size_t headEnd = all.find("\r\n\r\n");
    ASSERT_NE(std::string::npos, headEnd) << all;
    // The chunk that went out, then the close: no last chunk.
    EXPECT_EQ("8\r\npartial\n\r\n", all.substr(headEnd + 4)) << all;
    syncWithServer();
    EXPECT_TRUE(waitUntilGone(pid)) << "script " << pid << " still exists";
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
}

TEST_F(CgiTest, ClientLeavingBeforeTheHeadKillsAndReapsTheScript)
{
    pid_t pid;
    {
        TestClient client(port());
        client.send(get("/cgi-bin/sleep30.py?leave-early"));
        pid = reportedPid("leave-early");
        ASSERT_GT(pid, 0);
    }
    syncWithServer();
    EXPECT_TRUE(waitUntilGone(pid)) << "script " << pid << " still exists";
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
    expectNoLeakedFds();
}

TEST_F(CgiTest, ClientLeavingDuringTheBodyKillsAndReapsTheScript)
{
    // Once the head is out and nothing is left to send, the client's FIN
    // must still be noticed while the script is quiet.
    pid_t pid;
    {
        TestClient client(port());
        client.send(get("/cgi-bin/sleep30.py?leave-late-head"));
        pid = reportedPid("leave-late-head");
        ASSERT_GT(pid, 0);
        // Read everything sent so far (head and "started"), so that closing
        // is an orderly FIN, not a reset.
        std::string got;
        char buffer[4096];
        while (got.find("started\n") == std::string::npos) {
            ssize_t n = recv(client.fd(), buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            got.append(buffer, static_cast<size_t>(n));
        }
        ASSERT_NE(std::string::npos, got.find("\r\n\r\n8\r\nstarted\n\r\n")) << got;
    }
    syncWithServer();
    EXPECT_TRUE(waitUntilGone(pid)) << "script " << pid << " still exists";
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
    expectNoLeakedFds();
}

TEST_F(CgiTest, ClientLeavingWhileItsBodyIsStreamedKillsTheScript)
{
    // The client sends half of its body and leaves: the script (waiting on
    // its stdin) goes with it.
    pid_t pid;
    {
        TestClient client(port());
        client.send("POST /cgi-bin/sleep30.py?leave-upload HTTP/1.1\r\nHost: localhost\r\n"
                    "Content-Length: 100000\r\n\r\n" + std::string(50000, 'u'));
        pid = reportedPid("leave-upload");
        ASSERT_GT(pid, 0);
    }
    syncWithServer();
    EXPECT_TRUE(waitUntilGone(pid)) << "script " << pid << " still exists";
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
    expectNoLeakedFds();
}

// ================================================================ concurrency

TEST_F(CgiTest, WaitingScriptDoesNotDelayOtherClients)
{
    // gate.py blocks until the test opens its FIFO: a script that takes as
    // long as the test wants, with no clock involved.
    Gate gate(dir() + "/cgi-bin/gate-key");
    TestClient cgi(port());
    cgi.send(get("/cgi-bin/gate.py?key"));
    ASSERT_GT(reportedPid("key"), 0);     // the script runs and waits

    // Static requests on other connections are answered meanwhile...
    for (int i = 0; i < 5; ++i) {
        HttpResponse r = fetch("/static.txt");
        EXPECT_EQ(200, r.status);
        EXPECT_EQ("static file\n", r.body);
    }
    TestClient keepAlive(port());
    for (int i = 0; i < 3; ++i) {
        keepAlive.send(get("/other.txt"));
        EXPECT_EQ("the other file\n", keepAlive.read().body);
    }
    // ...and so is another script.
    EXPECT_EQ("hello", fetch("/cgi-bin/length.py").body);
    // ...while the waiting script's client has had nothing yet.
    EXPECT_FALSE(readableNow(cgi.fd()));

    gate.open();
    HttpResponse r = cgi.read();
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("released key\n", r.body);
}

TEST_F(CgiTest, TwoWaitingScriptsAnswerInTheOrderTheyAreReleased)
{
    Gate first(dir() + "/cgi-bin/gate-first");
    Gate second(dir() + "/cgi-bin/gate-second");
    TestClient a(port());
    TestClient b(port());
    a.send(get("/cgi-bin/gate.py?first"));
    b.send(get("/cgi-bin/gate.py?second"));
    ASSERT_GT(reportedPid("first"), 0);
    ASSERT_GT(reportedPid("second"), 0);
    second.open();
    EXPECT_EQ("released second\n", b.read().body);
    EXPECT_FALSE(readableNow(a.fd()));
    first.open();
    EXPECT_EQ("released first\n", a.read().body);
}

// ================================================================ large output

TEST_F(CgiTest, FiftyMiBStreamedToASlowReaderWithBoundedServerMemory)
{
    const size_t kBlocks = 800;
    const size_t kBlock = 65536;
    const size_t kTotal = kBlocks * kBlock;
    Sha256 expectedSha;
    for (size_t i = 0; i < kBlocks; ++i) {
        char line[16];
        std::snprintf(line, sizeof line, "%07zu\n", i);
        std::string block;
        for (size_t j = 0; j < kBlock / 8; ++j)
            block += line;
        expectedSha.update(block);
    }
    std::string expectedHex = expectedSha.hex();

    long baselineRss = server_->rssKiB();
    TestClient client(port());
    client.send(get("/cgi-bin/big.py", "Connection: close\r\n"));
    // Small pieces, decoded as they come: megabytes are never held here.
    PieceReader reader(client.fd(), 4096);
    std::string head;
    ASSERT_TRUE(reader.readHead(&head)) << head;
    ASSERT_EQ(0u, head.find("HTTP/1.1 200 OK\r\n")) << head;
    ASSERT_NE(std::string::npos, head.find("\r\nTransfer-Encoding: chunked\r\n")) << head;
    MeasuredBody body = readChunkedMeasuring(reader, [] { return server_->rssKiB(); });
    EXPECT_TRUE(body.complete) << body.error << " after " << body.received << " bytes";
    EXPECT_EQ(kTotal, body.received);
    EXPECT_EQ(expectedHex, body.sha256);
    long maxRss = std::max(baselineRss, body.maxRssKiB);
    // The server holds at most a few buffers of 64 KiB per side; 50 MiB
    // buffered would show many times over.
    EXPECT_LT(maxRss - baselineRss, 16 * 1024) << "baseline " << baselineRss << " KiB, max "
                                              << maxRss << " KiB";
    EXPECT_LT(maxRss, 32 * 1024) << "baseline " << baselineRss << " KiB";
    expectNoLeakedFds();
}

TEST_F(CgiTest, ScriptEndingWhileTheClientIsBehindStillEndsTheBody)
{
    // When the script's stdout ends while the send buffer is full and more
    // output waits in the exchange, that rest must still go out (nothing
    // but the client's socket can wake the connection up for it). The
    // client reads nothing until the script has exited and the server has
    // read the end of its output, then reads in 64 KiB pieces.
    // Two tries, in case the server's buffers are caught in another state.
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::string tag = "fill" + std::to_string(attempt);
        TestClient client(port());
        client.send(get("/cgi-bin/fill.py?" + tag, "Connection: close\r\n"));
        pid_t pid = reportedPid(tag);
        ASSERT_GT(pid, 0);
        std::string marker = "wrote " + tag + " ";
        ASSERT_TRUE(server_->waitForErr(marker));
        std::string err = server_->err();
        size_t written = std::strtoul(err.c_str() + err.find(marker) + marker.size(), nullptr, 10);
        ASSERT_GT(written, 0u);
        // The script has exited and the server has read the end of its
        // output (its pipe reports the hang-up on every turn of the loop; a
        // request answered afterwards took several turns).
        ASSERT_TRUE(waitUntilGone(pid));
        syncWithServer();
        PieceReader reader(client.fd(), 65536);
        std::string head;
        ASSERT_TRUE(reader.readHead(&head)) << head;
        ASSERT_EQ(0u, head.find("HTTP/1.1 200 OK\r\n")) << head;
        size_t received = 0;
        bool onlyF = true;
        std::string error;
        bool complete = reader.readChunkedBody([&](const char* data, size_t len) {
            received += len;
            onlyF = onlyF && std::string(data, len).find_first_not_of('f') == std::string::npos;
        }, &error);
        ASSERT_TRUE(complete) << "attempt " << attempt << ": " << error << " after " << received
                              << " of " << written << " bytes";
        EXPECT_EQ(written, received) << "attempt " << attempt;
        EXPECT_TRUE(onlyF) << "attempt " << attempt;
    }
    expectNoLeakedFds();
}

// ================================================================ resources

TEST_F(CgiTest, NoDescriptorOrChildLeftAfterAll)
{
    syncWithServer();
    EXPECT_TRUE(noChildrenLeft(server_->pid()));
    expectNoLeakedFds();
}
