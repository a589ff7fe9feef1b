// FastCGI against Debian's php-fpm, started by the tests on a unix socket
// of their own (support/PhpFpm.hpp): PHP's view of the request (query,
// urlencoded, multipart and chunked bodies), what PHP sets in the answer
// (header(), setcookie(), http_response_code(), Location), index.php and a
// try_files front controller, error_log() in webserv's error log,
// keep-alive, more requests than workers, a sleeping script beside static
// files, and the failures: no responder (502), a restarted one, a script
// past cgi_timeout (504).
//
// Sync points: every request is read to the end of its response; log lines
// are waited for.

#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/PhpFpm.hpp"
#include "support/ServerProcess.hpp"
#include "support/Streaming.hpp"
#include "util/Digest.hpp"

namespace {

std::string md5Hex(const std::string& data)
{
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char byte : md5(data)) {
        hex += digits[byte >> 4];
        hex += digits[byte & 15];
    }
    return hex;
}

const char* kEcho = R"php(<?php
echo $_SERVER["REQUEST_METHOD"], " ", $_SERVER["REQUEST_URI"], "\n";
echo "query: ", json_encode($_GET), "\n";
echo "post: ", json_encode($_POST), "\n";
echo "input: ", file_get_contents("php://input"), "\n";
echo "script: ", $_SERVER["SCRIPT_FILENAME"], " ", $_SERVER["SCRIPT_NAME"], "\n";
echo "length: ", $_SERVER["CONTENT_LENGTH"] ?? "-", "\n";
echo "custom: ", $_SERVER["APP_ENV"] ?? "-", "\n";
)php";

const char* kHeaders = R"php(<?php
http_response_code(201);
header("X-App: yes");
setcookie("first", "1");
setcookie("second", "2");
echo "made";
)php";

const char* kRedirect = R"php(<?php
header("Location: https://example.org/elsewhere", true, 302);
)php";

const char* kUpload = R"php(<?php
foreach ($_FILES as $name => $file)
    echo $name, " ", $file["name"], " ", $file["size"], " ", md5_file($file["tmp_name"]), "\n";
)php";

const char* kLog = R"php(<?php
error_log("written by error_log()");
echo "logged";
)php";

const char* kSleep = R"php(<?php
usleep((int)($_GET["ms"] ?? 300) * 1000);
echo "slept ", getmypid();
)php";

// 800 blocks of 64 KiB: 50 MiB, each line its block's number.
const char* kBig = R"php(<?php
header("Content-Type: application/octet-stream");
for ($i = 0; $i < 800; $i++) {
    echo str_repeat(sprintf("%07d\n", $i), 8192);
    flush();
}
)php";

const char* kFront = R"php(<?php
echo "front controller for ", $_SERVER["REQUEST_URI"];
)php";

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    index index.php index.html;
    client_max_body_size 20m;
    location / {
        allow_methods GET POST;
        fastcgi .php {FPM};
        cgi_param APP_ENV testing;
    }
    location /app/ {
        try_files $uri /app/front.php?$args;
        fastcgi .php {FPM};
    }
    location /slow/ {
        cgi_timeout 1s;
        fastcgi .php {FPM};
    }
    location /down/ {
        fastcgi .php unix:{DIR}/no-such.sock;
    }
    location = /status { status on; }
}
)";

// php.ini's defaults (2M per file, 8M per POST) are below the test's upload.
const char* kUploadLimits = "php_admin_value[upload_max_filesize] = 20M\n"
    "php_admin_value[post_max_size] = 20M\n";

std::string configFor(const PhpFpm& fpm)
{
    std::string text = kConfig;
    for (size_t at = text.find("{FPM}"); at != std::string::npos; at = text.find("{FPM}"))
        text.replace(at, 5, fpm.address());
    return text;
}

void writeSite(const TempDir& dir)
{
    dir.write("www/echo.php", kEcho);
    dir.write("www/headers.php", kHeaders);
    dir.write("www/redirect.php", kRedirect);
    dir.write("www/upload.php", kUpload);
    dir.write("www/log.php", kLog);
    dir.write("www/sleep.php", kSleep);
    dir.write("www/slow/sleep.php", kSleep);
    dir.write("www/app/front.php", kFront);
    dir.write("www/app/real.txt", "a real file");
    dir.write("www/static.txt", "static");
    dir.write("www/big.php", kBig);
    dir.write("www/indexed/index.php", "<?php echo 'index.php ran';");
}

class FastCgiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        if (!PhpFpm::installed())
            return;
        fpm_ = new PhpFpm(2, kUploadLimits);
        server_ = new ServerProcess(configFor(*fpm_), writeSite);
    }
    static void TearDownTestSuite()
    {
        delete server_;
        delete fpm_;
        server_ = nullptr;
        fpm_ = nullptr;
    }
    void SetUp() override
    {
        if (!PhpFpm::installed())
            GTEST_SKIP() << "php-fpm is not installed (apt-get install php8.2-fpm)";
    }
    static HttpResponse send(const std::string& bytes)
    {
        return httpRaw(server_->port(), bytes);
    }
    static HttpResponse get(const std::string& path)
    {
        return httpGet(server_->port(), path);
    }

    static PhpFpm* fpm_;
    static ServerProcess* server_;
};

PhpFpm* FastCgiTest::fpm_ = nullptr;
ServerProcess* FastCgiTest::server_ = nullptr;

TEST_F(FastCgiTest, GetWithAQueryString)
{
    HttpResponse r = get("/echo.php?name=web%20serv&n=2");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("text/html; charset=UTF-8", r.header("Content-Type"));
    EXPECT_EQ("GET /echo.php?name=web%20serv&n=2\n"
              "query: {\"name\":\"web serv\",\"n\":\"2\"}\n"
              "post: []\n"
              "input: \n"
              "script: " + server_->dir().file("www/echo.php") + " /echo.php\n"
              "length: -\n"
              "custom: testing\n", r.body);
}

TEST_F(FastCgiTest, PostUrlencodedAndChunked)
{
    HttpResponse r = send(postWithLength("/echo.php", "a=1&b=two",
        "Content-Type: application/x-www-form-urlencoded\r\n"));
    EXPECT_EQ(200, r.status);
    EXPECT_NE(std::string::npos, r.body.find("post: {\"a\":\"1\",\"b\":\"two\"}\n")) << r.body;
    EXPECT_NE(std::string::npos, r.body.find("length: 9\n")) << r.body;

    std::string body(200000, 'c');
    r = send(requestHead("POST", "/echo.php", "Transfer-Encoding: chunked\r\n"
        "Content-Type: text/plain\r\nConnection: close\r\n") + chunked(body, {}, 7000));
    EXPECT_EQ(200, r.status);
    EXPECT_NE(std::string::npos, r.body.find("input: " + body + "\n")) << r.body.substr(0, 200);
    EXPECT_NE(std::string::npos, r.body.find("length: 200000\n"));
}

TEST_F(FastCgiTest, MultipartUploadReachesFiles)
{
    std::string file = randomBytes(3 * 1024 * 1024 + 17, 19);
    std::string body = multipartBody("XyZ", { filePart("doc", "big.bin", file),
        fieldPart("note", "hi") });
    HttpResponse r = send(postWithLength("/upload.php", body,
        "Content-Type: multipart/form-data; boundary=XyZ\r\nConnection: close\r\n"));
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("doc big.bin 3145745 " + md5Hex(file) + "\n", r.body);
}

TEST_F(FastCgiTest, WhatPhpSetsReachesTheClient)
{
    HttpResponse r = get("/headers.php");
    EXPECT_EQ(201, r.status);
    EXPECT_EQ("yes", r.header("X-App"));
    EXPECT_EQ(2u, r.count("Set-Cookie"));
    EXPECT_EQ("made", r.body);
    HttpResponse moved = get("/redirect.php");
    EXPECT_EQ(302, moved.status);
    EXPECT_EQ("https://example.org/elsewhere", moved.header("Location"));
}

TEST_F(FastCgiTest, OptionsIsTheApplicationsToAnswer)
{
    HttpResponse r = send("OPTIONS /echo.php?preflight=1 HTTP/1.1\r\nHost: localhost\r\n"
        "Origin: http://example.org\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_EQ(0u, r.body.find("OPTIONS /echo.php?preflight=1\n")) << r.body;
    EXPECT_EQ(204, send("OPTIONS /static.txt HTTP/1.1\r\nHost: localhost\r\n"
        "Connection: close\r\n\r\n").status);
}

TEST_F(FastCgiTest, IndexPhpAndAFrontController)
{
    HttpResponse index = get("/indexed/");
    EXPECT_EQ(200, index.status);
    EXPECT_EQ("index.php ran", index.body);
    HttpResponse routed = get("/app/some/route?x=1");
    EXPECT_EQ(200, routed.status);
    EXPECT_EQ("front controller for /app/some/route?x=1", routed.body);
    EXPECT_EQ("a real file", get("/app/real.txt").body);
}

TEST_F(FastCgiTest, ErrorLogReachesWebservsErrorLog)
{
    EXPECT_EQ("logged", get("/log.php").body);
    EXPECT_TRUE(server_->waitForErr("[error] FastCGI sent in stderr: \"PHP message: written by "
        "error_log()\" while reading response header from upstream, client: 127.0.0.1"));
}

TEST_F(FastCgiTest, KeepAliveAcrossTwentyRequests)
{
    TestClient client(server_->port());
    for (int i = 0; i < 20; ++i) {
        client.send(requestHead("GET", "/echo.php?i=" + std::to_string(i)));
        HttpResponse r = client.read();
        ASSERT_EQ(200, r.status) << i;
        EXPECT_NE(std::string::npos, r.body.find("{\"i\":\"" + std::to_string(i) + "\"}")) << i;
    }
}

TEST_F(FastCgiTest, MoreRequestsThanWorkersAreAllAnswered)
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 6; ++i) {
        clients.emplace_back(new TestClient(server_->port()));
        clients.back()->send(requestHead("GET", "/sleep.php?ms=200"));
    }
    for (auto& client : clients) {
        HttpResponse r = client->read();
        EXPECT_EQ(200, r.status);
        EXPECT_EQ(0u, r.body.find("slept "));
    }
}

TEST_F(FastCgiTest, ASleepingScriptDoesNotDelayStaticFiles)
{
    TestClient sleeper(server_->port());
    sleeper.send(requestHead("GET", "/sleep.php?ms=1500"));
    // Answered while the script sleeps: the loop never waits for it.
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ("static", get("/static.txt").body);
    EXPECT_EQ(0u, sleeper.read().body.find("slept "));
}

TEST_F(FastCgiTest, NoResponderIs502AtOnce)
{
    HttpResponse r = get("/down/x.php");
    EXPECT_EQ(502, r.status);
    EXPECT_TRUE(server_->waitForErr("fastcgi \"unix:" + server_->dir().file("no-such.sock")
        + "\" connect() failed (2: No such file or directory) while connecting to upstream"));
}

TEST_F(FastCgiTest, AScriptPastCgiTimeoutIs504)
{
    HttpResponse r = get("/slow/sleep.php?ms=3000");
    EXPECT_EQ(504, r.status);
    EXPECT_TRUE(server_->waitForErr("timed out (110: Connection timed out) while reading "
        "response header from upstream"));
}

// What kBig sends, as a SHA-256.
std::string bigOutputSha()
{
    Sha256 sha;
    for (int i = 0; i < 800; ++i) {
        char line[16];
        std::snprintf(line, sizeof line, "%07d\n", i);
        std::string block;
        for (int j = 0; j < 8192; ++j)
            block += line;
        sha.update(block);
    }
    return sha.hex();
}

TEST_F(FastCgiTest, FiftyMiBToASlowReaderWithBoundedServerMemory)
{
    long baselineRss = server_->rssKiB();
    TestClient client(server_->port());
    client.send(requestHead("GET", "/big.php", "Connection: close\r\n"));
    PieceReader reader(client.fd(), 4096);
    std::string head;
    ASSERT_TRUE(reader.readHead(&head)) << head;
    ASSERT_EQ(0u, head.find("HTTP/1.1 200 OK\r\n")) << head;
    MeasuredBody body = readChunkedMeasuring(reader, [] { return server_->rssKiB(); });
    EXPECT_TRUE(body.complete) << body.error << " after " << body.received << " bytes";
    EXPECT_EQ(800u * 65536, body.received);
    EXPECT_EQ(bigOutputSha(), body.sha256);
    long maxRss = std::max(baselineRss, body.maxRssKiB);
    // A few 64 KiB buffers per side; 50 MiB held would show many times over
    // (not under AddressSanitizer: each record's freed buffer is kept aside).
    if (!kUnderAddressSanitizer) {
        EXPECT_LT(maxRss - baselineRss, 16 * 1024) << "baseline " << baselineRss << " KiB, max "
                                                  << maxRss << " KiB";
    }
}

// The responder's connections are kept: sequential requests reuse one (the
// server holds one descriptor more, not one per request); one the responder
// closed while kept (php-fpm restarted) is retried on a fresh one; a client
// that leaves mid-answer takes its connection along (nothing leaks).
TEST(FastCgiTestPool, KeptConnectionsAreReusedRetriedAndNeverLeaked)
{
    if (!PhpFpm::installed())
        GTEST_SKIP() << "php-fpm is not installed (apt-get install php8.2-fpm)";
    PhpFpm fpm(2);
    ServerProcess server(configFor(fpm), writeSite);
    int port = server.port();
    EXPECT_EQ("static", httpGet(port, "/static.txt").body);
    int baseline = server.openFds();
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(200, httpGet(port, "/echo.php").status) << i;
    EXPECT_EQ(baseline + 1, server.openFdsSettlingAt(baseline + 1));
    EXPECT_NE(std::string::npos, httpGet(port, "/status").body.find(
        "\nFastCGI: kept connections 1, reused 19\n"));

    fpm.stop();
    ASSERT_TRUE(fpm.start());
    HttpResponse again = httpGet(port, "/echo.php?after=restart");
    EXPECT_EQ(200, again.status);
    EXPECT_NE(std::string::npos, again.body.find("{\"after\":\"restart\"}"));
    EXPECT_EQ(baseline + 1, server.openFdsSettlingAt(baseline + 1));
    // A POST too: the kept unix socket refuses its first byte, so nothing
    // of it reached anyone and it goes again.
    fpm.stop();
    ASSERT_TRUE(fpm.start());
    HttpResponse posted = httpRaw(port, postWithLength("/echo.php", "a=1",
        "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"));
    EXPECT_EQ(200, posted.status);
    EXPECT_NE(std::string::npos, posted.body.find("post: {\"a\":\"1\"}")) << posted.body;

    {
        TestClient leaving(port);
        leaving.send(requestHead("GET", "/big.php"));
        PieceReader reader(leaving.fd(), 4096);
        std::string head;
        ASSERT_TRUE(reader.readHead(&head));
    }
    // The aborted request's connection is closed, not kept; the kept one
    // is still there (the request above took it: so one fewer).
    EXPECT_EQ(baseline, server.openFdsSettlingAt(baseline));
    EXPECT_EQ(200, httpGet(port, "/echo.php").status);
    EXPECT_EQ(baseline + 1, server.openFdsSettlingAt(baseline + 1));
}

// A responder of the test's own, for what php-fpm never sends: it reads a
// request up to its empty STDIN record, then answers as the script's name
// names (the first answer whose key is in its PARAMS), then closes.
// Python 3's standard library only, on a unix socket.
const char* kBadResponder = R"py(
import socket, struct, sys

def record(kind, content, request_id=1, padding=None, version=1):
    if padding is None:
        padding = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", version, kind, request_id, len(content), padding, 0) + content + b"\0" * padding

def end(status=0):
    return record(3, struct.pack(">IB3x", 0, status))

def read_request(conn):
    data, params = b"", b""
    while True:
        while len(data) < 8:
            more = conn.recv(65536)
            if not more:
                return None
            data += more
        version, kind, rid, length, padding, _ = struct.unpack(">BBHHBB", data[:8])
        while len(data) < 8 + length + padding:
            more = conn.recv(65536)
            if not more:
                return None
            data += more
        content = data[8:8 + length]
        data = data[8 + length + padding:]
        if kind == 4:
            params += content
        if kind == 4 and length == 0 and b"early.php" in params:
            return params       # answers without reading STDIN
        if kind == 5 and length == 0:
            return params

answers = {
    b"version.php": record(6, b"Content-Type: text/plain\r\n\r\nx", version=2),
    b"close.php": b"",
    b"cut.php": record(6, b"Content-Type: text/plain\r\n\r\n" + b"partial " * 1000),
    b"bighead.php": b"".join(record(6, b"X-Long-%d: %s\r\n" % (i, b"h" * 1000)) for i in range(40)),
    b"badid.php": record(6, b"Content-Type: text/plain\r\n\r\nx", request_id=2),
    b"nohead.php": record(6, b"Content-Type: text/plain\r\n") + record(6, b"") + end(),
    b"overloaded.php": end(2),
    b"early.php": record(6, b"Status: 413\r\nContent-Type: text/plain\r\n\r\ntoo much") + record(6, b"") + end(),
    b"trailing.php": record(6, b"Content-Type: text/plain\r\n\r\nok") + record(6, b"") + end()
        + record(6, b"stray bytes after the end"),
    b"padding.php": record(10, b"", request_id=0) + record(6, b"Content-Type: text/plain\r\n\r\n", padding=255)
        + record(7, b"a warning\n", padding=0) + record(6, b"padded ok", padding=3) + record(6, b"") + end(),
}

server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen(16)
while True:
    conn, _ = server.accept()
    params = read_request(conn) or b""
    for key, answer in answers.items():
        if key in params:
            conn.sendall(answer)
            break
    conn.close()
)py";

class BadResponder {
public:
    BadResponder() : socket_(dir_.file("bad.sock")), pid_(-1)
    {
        std::string script = dir_.write("responder.py", kBadResponder);
        std::vector<std::string> args = { "/usr/bin/python3", script, socket_ };
        std::vector<char*> argv;
        for (std::string& arg : args)
            argv.push_back(&arg[0]);
        argv.push_back(nullptr);
        posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ);
        for (int i = 0; i < 500 && access(socket_.c_str(), F_OK) != 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~BadResponder()
    {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    std::string address() const { return "unix:" + socket_; }

private:
    TempDir dir_;
    std::string socket_;
    pid_t pid_;
};

TEST(FastCgiTestBadResponder, WhatPhpFpmNeverSendsIsA502OrACutAnswer)
{
    BadResponder responder;
    ServerProcess server("server { listen 127.0.0.1:{PORT}; root {DIR}; client_max_body_size 8m; "
        "location / { allow_methods GET POST; fastcgi .php " + responder.address() + "; } }");
    int port = server.port();
    const std::string prefix = "fastcgi \"" + responder.address() + "\" ";
    // Bytes after END_REQUEST: the answer stands, the connection is not
    // kept (the next request would read them as its own). A clean end is.
    int baseline = server.openFds();
    HttpResponse trailing = httpGet(port, "/trailing.php");
    EXPECT_EQ(200, trailing.status);
    EXPECT_EQ("ok", trailing.body);
    EXPECT_EQ(baseline, server.openFdsSettlingAt(baseline));
    EXPECT_EQ(200, httpGet(port, "/padding.php").status);
    EXPECT_EQ(baseline + 1, server.openFdsSettlingAt(baseline + 1));
    struct Case { const char* path; const char* logged; } cases[] = {
        { "/version.php", "sent unsupported FastCGI protocol version while reading response header" },
        { "/close.php", "prematurely closed connection while reading response header" },
        { "/bighead.php", "sent too big header while reading response header" },
        { "/badid.php", "sent unexpected FastCGI request id while reading response header" },
        { "/nohead.php", "ended the request without a complete header while reading response header" },
        { "/overloaded.php", "is overloaded while reading response header" },
    };
    for (const Case& c : cases) {
        HttpResponse r = httpGet(port, c.path);
        EXPECT_EQ(502, r.status) << c.path;
        EXPECT_TRUE(server.waitForErr(prefix + c.logged)) << c.path << "\n" << server.err();
    }
    // Padding of every length and a management record between: all fine.
    HttpResponse padded = httpGet(port, "/padding.php");
    EXPECT_EQ(200, padded.status);
    EXPECT_EQ("padded ok", padded.body);
    EXPECT_TRUE(server.waitForErr("FastCGI sent in stderr: \"a warning\" while reading upstream"));
    // An answer before the body was read, then the connection closed: the
    // rest of the body is dropped, and the answer stands.
    std::string big(4 * 1024 * 1024, 'b');
    HttpResponse early = httpRaw(port, postWithLength("/early.php", big, "Connection: close\r\n"));
    EXPECT_EQ(413, early.status);
    EXPECT_EQ("too much", early.body);
    // A head, then the connection closes before END_REQUEST: the answer is
    // cut (no last chunk), never passed off as complete.
    TestClient client(port);
    client.send(requestHead("GET", "/cut.php"));
    std::string raw = client.readUntilClose();
    EXPECT_EQ(0u, raw.find("HTTP/1.1 200 OK\r\n")) << raw.substr(0, 200);
    EXPECT_NE(std::string::npos, raw.find("partial partial"));
    EXPECT_EQ(std::string::npos, raw.find("\r\n0\r\n\r\n"));
    EXPECT_TRUE(server.waitForErr(prefix + "prematurely closed connection while reading upstream"));
}

TEST(FastCgiTestTcp, AResponderOnTcpAndARefusedPort)
{
    if (!PhpFpm::installed())
        GTEST_SKIP() << "php-fpm is not installed (apt-get install php8.2-fpm)";
    PhpFpm fpm(1, "", freePort());
    ServerProcess server(configFor(fpm) + "server { listen 127.0.0.1:{PORT}; server_name refused; "
        "root {DIR}/www; location / { fastcgi .php 127.0.0.1:" + std::to_string(freePort()) + "; } }",
        writeSite);
    HttpResponse r = httpGet(server.port(), "/echo.php?over=tcp");
    EXPECT_EQ(200, r.status);
    EXPECT_NE(std::string::npos, r.body.find("{\"over\":\"tcp\"}")) << r.body;
    // Over TCP a closed kept connection still takes a first send; it is
    // seen closed when taken, so even a POST (never sent twice) goes through.
    fpm.stop();
    ASSERT_TRUE(fpm.start());
    HttpResponse posted = httpRaw(server.port(), postWithLength("/echo.php", "a=2",
        "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"));
    EXPECT_EQ(200, posted.status);
    EXPECT_NE(std::string::npos, posted.body.find("post: {\"a\":\"2\"}")) << posted.body;
    HttpResponse refused = httpRaw(server.port(), "GET /echo.php HTTP/1.1\r\nHost: refused\r\n"
        "Connection: close\r\n\r\n");
    EXPECT_EQ(502, refused.status);
    EXPECT_TRUE(server.waitForErr("connect() failed (111: Connection refused) while connecting to upstream"));
}

// A chunked upload is collected before a worker is asked for: with one
// worker, a client that stalls mid-body does not stop another's request.
TEST(FastCgiTestPool, AStalledChunkedUploadHoldsNoWorker)
{
    if (!PhpFpm::installed())
        GTEST_SKIP() << "php-fpm is not installed (apt-get install php8.2-fpm)";
    PhpFpm fpm(1);
    ServerProcess server(configFor(fpm), writeSite);
    TestClient uploader(server.port());
    uploader.send(requestHead("POST", "/echo.php", "Transfer-Encoding: chunked\r\n"
        "Content-Type: text/plain\r\n") + "5\r\nfirst\r\n");
    HttpResponse other = httpGet(server.port(), "/echo.php?while=stalled");
    EXPECT_EQ(200, other.status);
    EXPECT_NE(std::string::npos, other.body.find("{\"while\":\"stalled\"}"));
    uploader.send("7\r\n second\r\n0\r\n\r\n");
    HttpResponse done = uploader.read();
    EXPECT_EQ(200, done.status);
    EXPECT_NE(std::string::npos, done.body.find("input: first second\n")) << done.body;
}

TEST(FastCgiTestRestart, AStoppedResponderIs502AndARestartedOneServesAgain)
{
    if (!PhpFpm::installed())
        GTEST_SKIP() << "php-fpm is not installed (apt-get install php8.2-fpm)";
    PhpFpm fpm(1);
    ServerProcess server(configFor(fpm), writeSite);
    EXPECT_EQ(200, httpGet(server.port(), "/echo.php").status);
    fpm.stop();
    EXPECT_EQ(502, httpGet(server.port(), "/echo.php").status);
    ASSERT_TRUE(fpm.start());
    EXPECT_EQ(200, httpGet(server.port(), "/echo.php").status);
}

}
