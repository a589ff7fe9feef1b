// Access control against the real server, listening on 127.0.0.1 and ::1
// so that address rules see two clients: allow/deny (first match wins,
// 403 with "access forbidden by rule"), Basic authentication against a
// user file of every scheme htpasswd writes (401 with its challenge, the
// user in the access log and in a CGI's REMOTE_USER), limit_except,
// satisfy any|all, and a changed user file picked up on SIGHUP.
//
// Sync points: every request is read to the end of its response; error-
// and access-log lines are waited for.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

// Made by Debian's htpasswd (apache2-utils 2.4): -B -C 5, -5, -m, -s.
const char* kUsers =
    "# the demo users\n"
    "alice:$2y$05$hrsfLyMgDVO4LH5LAzvCw.nR8YJp4YXUriLALskcfNO5PJ4MC74by\n"
    "\n"
    "carol:$6$rCuR.XRp0re.DC.6$k7TQyVv2SLFsanYzYdG1UiGHx6N/LlwgMKFHgu7SpSlzNXkfOb2vwtQ6JU/iQHBdz0M3gTwNa9YNcPOnov0FS.\r\n"
    "dave:$apr1$YV4h5jIZ$nrYcxC8jYnjTfxWpPJrSG/\n"
    "erin:{SHA}qs67vlse11GdWHE+bbh7CYDxCOs=\n"
    "frank:{PLAIN}plain:a comment\n";

// base64 of "user:password"
const char* kAlice = "YWxpY2U6d29uZGVy";            // alice:wonder
const char* kAliceWrong = "YWxpY2U6d3Jvbmc=";       // alice:wrong
const char* kMallory = "bWFsbG9yeTp3b25kZXI=";      // mallory:wonder
const char* kAliceChanged = "YWxpY2U6Y2hhbmdlZA=="; // alice:changed

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    listen [::1]:{PORT};
    root {DIR}/www;
    allow 127.0.0.1;
    allow ::1;
    deny all;
    location /inherited/ { }
    location /v4/ { allow 127.0.0.0/8; deny all; }
    location /v6/ { allow ::1/128; deny all; }
    location /first/ { allow 127.0.0.1; deny 127.0.0.1; deny ::1; allow ::1; }
    location /nobody/ { deny all; }
    location /private/ {
        auth_basic "Private Area";
        auth_basic_user_file {DIR}/users;
        allow_methods GET POST;
    }
    location /store/ {
        allow_methods GET POST DELETE;
        upload_store {DIR}/www/store;
        limit_except GET {
            auth_basic "The store";
            auth_basic_user_file {DIR}/users;
        }
    }
    location /read-only/ { limit_except GET { deny all; } }
    location /any/ {
        satisfy any;
        allow 127.0.0.1;
        deny all;
        auth_basic "Any";
        auth_basic_user_file {DIR}/users;
    }
    location /all/ {
        allow 127.0.0.1;
        deny all;
        auth_basic "All";
        auth_basic_user_file {DIR}/users;
    }
    location /cgi-bin/ {
        root {DIR};
        cgi .sh /bin/sh;
        auth_basic "Scripts";
        auth_basic_user_file {DIR}/users;
    }
    location /open-cgi/ { root {DIR}; cgi .sh /bin/sh; }
    location = /moved { auth_basic "Moved"; auth_basic_user_file {DIR}/users; return 301 /private/; }
}
)";

const char* kWhoScript = "printf 'Content-Type: text/plain\\r\\n\\r\\n[%s] [%s]' "
    "\"$REMOTE_USER\" \"$AUTH_TYPE\"\n";

std::string request(const std::string& method, const std::string& path,
    const std::string& credentials = "", const std::string& extra = "")
{
    std::string text = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!credentials.empty())
        text += "Authorization: Basic " + credentials + "\r\n";
    return text + extra + "\r\n";
}

class AccessTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        ipv6_ = hasIpv6Loopback();
        std::string config = kConfig;
        if (!ipv6_)
            config.replace(config.find("    listen [::1]:{PORT};\n"), 26, "");
        server_ = new ServerProcess(config, [](const TempDir& dir) {
            dir.write("users", kUsers);
            for (const char* place : { "inherited", "v4", "v6", "first", "nobody", "private",
                     "read-only", "any", "all" })
                dir.write(std::string("www/") + place + "/index.html", place);
            dir.write("www/store/kept.txt", "kept");
            dir.write("cgi-bin/who.sh", kWhoScript);
            dir.write("open-cgi/who.sh", kWhoScript);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }

    // One request from host ("127.0.0.1" or "::1") on a fresh connection.
    static HttpResponse from(const std::string& host, const std::string& bytes)
    {
        TestClient client(server_->port(), host);
        EXPECT_TRUE(client.connected()) << host;
        client.send(bytes);
        return client.read(bytes.compare(0, 5, "HEAD ") == 0);
    }
    static HttpResponse get(const std::string& path, const std::string& credentials = "")
    {
        return from("127.0.0.1", request("GET", path, credentials));
    }
    void needIpv6()
    {
        if (!ipv6_)
            GTEST_SKIP() << "this machine has no IPv6 loopback";
    }

    static ServerProcess* server_;
    static bool ipv6_;
};

ServerProcess* AccessTest::server_ = nullptr;
bool AccessTest::ipv6_ = false;

TEST_F(AccessTest, AddressRulesFromIpv4)
{
    EXPECT_EQ(200, get("/inherited/").status);
    EXPECT_EQ(200, get("/v4/").status);
    EXPECT_EQ(200, get("/first/").status);      // allow 127.0.0.1 comes before its deny
    HttpResponse r = get("/v6/");
    EXPECT_EQ(403, r.status);
    EXPECT_EQ("text/html", r.header("Content-Type"));
    EXPECT_NE(std::string::npos, r.body.find("403 Forbidden")) << r.body;
    EXPECT_TRUE(server_->waitForErr("[error] access forbidden by rule, client: 127.0.0.1, "
        "server: , request: \"GET /v6/ HTTP/1.1\", host: \"localhost\"\n"));
    EXPECT_EQ(403, get("/nobody/").status);
}

TEST_F(AccessTest, AddressRulesFromIpv6)
{
    needIpv6();
    EXPECT_EQ(200, from("::1", request("GET", "/inherited/")).status);
    EXPECT_EQ(200, from("::1", request("GET", "/v6/")).status);
    EXPECT_EQ(403, from("::1", request("GET", "/v4/")).status);
    EXPECT_EQ(403, from("::1", request("GET", "/first/")).status);  // deny ::1 comes first
    EXPECT_TRUE(server_->waitForErr("access forbidden by rule, client: ::1, server: , "
        "request: \"GET /v4/ HTTP/1.1\""));
}

TEST_F(AccessTest, ARefusalKeepsTheConnectionAndDropsTheBody)
{
    TestClient client(server_->port());
    client.send("POST /nobody/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"
                "GET /inherited/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(403, client.read().status);
    HttpResponse next = client.read();
    EXPECT_EQ(200, next.status);
    EXPECT_EQ("inherited", next.body);
}

TEST_F(AccessTest, NoCredentialsGet401WithTheChallenge)
{
    HttpResponse r = get("/private/");
    EXPECT_EQ(401, r.status);
    EXPECT_EQ("Basic realm=\"Private Area\", charset=\"UTF-8\"", r.header("WWW-Authenticate"));
    EXPECT_EQ(1u, r.count("WWW-Authenticate"));
    EXPECT_NE(std::string::npos, r.body.find("<h1>401 Unauthorized</h1>")) << r.body;
    // Another scheme is no credentials either.
    HttpResponse bearer = from("127.0.0.1", request("GET", "/private/", "",
        "Authorization: Bearer abc\r\n"));
    EXPECT_EQ(401, bearer.status);
}

TEST_F(AccessTest, EachSchemeOfTheUserFileLetsItsUserIn)
{
    const char* credentials[] = {
        kAlice,                     // bcrypt
        "Y2Fyb2w6c2hhNTEycHc=",     // carol:sha512pw, $6$
        "ZGF2ZTphcHIxcHc=",         // dave:apr1pw, $apr1$
        "ZXJpbjpzaGFwdw==",         // erin:shapw, {SHA}
        "ZnJhbms6cGxhaW4=",         // frank:plain, {PLAIN}
    };
    for (const char* c : credentials) {
        HttpResponse r = get("/private/", c);
        EXPECT_EQ(200, r.status) << c;
        EXPECT_EQ("private", r.body) << c;
    }
    EXPECT_TRUE(server_->waitForOut("127.0.0.1 - frank ["));
    EXPECT_TRUE(server_->waitForOut("127.0.0.1 - alice ["));
}

TEST_F(AccessTest, WrongPasswordAndUnknownUserAreRefusedAndLogged)
{
    HttpResponse wrong = get("/private/", kAliceWrong);
    EXPECT_EQ(401, wrong.status);
    EXPECT_EQ("Basic realm=\"Private Area\", charset=\"UTF-8\"", wrong.header("WWW-Authenticate"));
    EXPECT_TRUE(server_->waitForErr("[error] user \"alice\": password mismatch, client: "
        "127.0.0.1, server: , request: \"GET /private/ HTTP/1.1\", host: \"localhost\"\n"));
    HttpResponse unknown = get("/private/", kMallory);
    EXPECT_EQ(401, unknown.status);
    EXPECT_TRUE(server_->waitForErr("[error] user \"mallory\" was not found in \""
        + server_->dir().path() + "/users\", client: 127.0.0.1"));
    // The right password still works after wrong ones (nothing is locked).
    EXPECT_EQ(200, get("/private/", kAlice).status);
}

TEST_F(AccessTest, LimitExceptProtectsWritesAndLeavesReadsPublic)
{
    HttpResponse read = get("/store/kept.txt");
    EXPECT_EQ(200, read.status);
    EXPECT_EQ("kept", read.body);
    HttpResponse head = from("127.0.0.1", request("HEAD", "/store/kept.txt"));
    EXPECT_EQ(200, head.status);                // GET implies HEAD
    HttpResponse del = from("127.0.0.1", request("DELETE", "/store/kept.txt"));
    EXPECT_EQ(401, del.status);
    EXPECT_EQ("Basic realm=\"The store\", charset=\"UTF-8\"", del.header("WWW-Authenticate"));
    EXPECT_EQ(200, get("/store/kept.txt").status);      // still there
    HttpResponse post = from("127.0.0.1", "POST /store/ HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nnew");
    EXPECT_EQ(401, post.status);
    EXPECT_EQ(401, from("127.0.0.1", request("OPTIONS", "/store/")).status);  // not listed

    HttpResponse deleted = from("127.0.0.1", request("DELETE", "/store/kept.txt", kAlice));
    EXPECT_EQ(204, deleted.status);
    EXPECT_EQ(404, get("/store/kept.txt").status);
    server_->dir().write("www/store/kept.txt", "kept");

    EXPECT_EQ(200, get("/read-only/").status);
    EXPECT_EQ(403, from("127.0.0.1", request("POST", "/read-only/", "",
        "Content-Length: 0\r\n")).status);
}

TEST_F(AccessTest, SatisfyAnyLetsEitherThrough)
{
    EXPECT_EQ(200, get("/any/").status);            // the address is enough
    if (!ipv6_)
        GTEST_SKIP() << "this machine has no IPv6 loopback";
    HttpResponse challenged = from("::1", request("GET", "/any/"));
    EXPECT_EQ(401, challenged.status);          // a password would do: 401, not 403
    EXPECT_EQ("Basic realm=\"Any\", charset=\"UTF-8\"", challenged.header("WWW-Authenticate"));
    EXPECT_EQ(200, from("::1", request("GET", "/any/", kAlice)).status);
    EXPECT_EQ(401, from("::1", request("GET", "/any/", kAliceWrong)).status);
}

TEST_F(AccessTest, SatisfyAllNeedsBoth)
{
    EXPECT_EQ(401, get("/all/").status);
    EXPECT_EQ(200, get("/all/", kAlice).status);
    if (!ipv6_)
        GTEST_SKIP() << "this machine has no IPv6 loopback";
    EXPECT_EQ(403, from("::1", request("GET", "/all/", kAlice)).status);
    EXPECT_EQ(403, from("::1", request("GET", "/all/")).status);
}

TEST_F(AccessTest, TheCheckedUserReachesTheScript)
{
    HttpResponse r = get("/cgi-bin/who.sh", kAlice);
    EXPECT_EQ(200, r.status);
    EXPECT_EQ("[alice] [Basic]", r.body);
    EXPECT_EQ(401, get("/cgi-bin/who.sh").status);
    // Where webserv checked nobody, credentials sent anyway name no user.
    HttpResponse open = get("/open-cgi/who.sh", kAlice);
    EXPECT_EQ(200, open.status);
    EXPECT_EQ("[] []", open.body);
}

TEST_F(AccessTest, ReturnAnswersBeforeAuthentication)
{
    HttpResponse r = get("/moved");
    EXPECT_EQ(301, r.status);
    EXPECT_EQ(0u, r.count("WWW-Authenticate"));
}

// A user file of its own, so the reload does not disturb the suite's.
// The shipped demo: conf/default.conf's store, its listen lines moved to a
// free port and its upload_store into the test's directory, with the demo
// user file of conf/demo.htpasswd that README prints (demo / webserv).
std::string demoConfig()
{
    std::string text = readFile("conf/default.conf");
    auto swap = [&text](const std::string& from, const std::string& to) {
        size_t at = text.find(from);
        EXPECT_NE(std::string::npos, at) << "conf/default.conf no longer has: " << from;
        if (at != std::string::npos)
            text.replace(at, from.size(), to);
    };
    swap("listen 127.0.0.1:8080 default_server;", "listen 127.0.0.1:{PORT} default_server;");
    swap("listen [::1]:8080 default_server;", "");
    swap("upload_store www/uploads;", "upload_store {DIR}/uploads;");
    return text;
}

TEST(AccessTestDemo, TheShippedStoreIsPublicToReadAndAsksForCredentialsToChange)
{
    ServerProcess server(demoConfig(), [](const TempDir& dir) {
        dir.write("mime.types", readFile("conf/mime.types"));     // included next to the config
        dir.write("uploads/.keep", "");
    });
    int port = server.port();
    const std::string demo = "Authorization: Basic ZGVtbzp3ZWJzZXJ2\r\n";        // demo:webserv
    const std::string wrong = "Authorization: Basic ZGVtbzp3cm9uZw==\r\n";       // demo:wrong
    const std::string body = "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

    HttpResponse refused = httpRaw(port, "POST /uploads/demo.txt HTTP/1.1\r\nHost: localhost\r\n" + body);
    EXPECT_EQ(401, refused.status);
    EXPECT_EQ("Basic realm=\"webserv demo uploads\", charset=\"UTF-8\"", refused.header("WWW-Authenticate"));
    EXPECT_EQ(401, httpRaw(port, "POST /uploads/demo.txt HTTP/1.1\r\nHost: localhost\r\n" + wrong
        + body).status);
    EXPECT_NE(0, access(server.dir().file("uploads/demo.txt").c_str(), F_OK));
    EXPECT_TRUE(server.waitForErr("user \"demo\": password mismatch"));

    EXPECT_EQ(201, httpRaw(port, "POST /uploads/demo.txt HTTP/1.1\r\nHost: localhost\r\n" + demo
        + body).status);
    EXPECT_EQ("hello", readFile(server.dir().file("uploads/demo.txt")));
    EXPECT_EQ(200, httpGet(port, "/uploads/").status);  // the listing (of the repository's www/uploads)
    EXPECT_EQ(401, httpRaw(port, "DELETE /uploads/demo.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").status);
    EXPECT_EQ(204, httpRaw(port, "DELETE /uploads/demo.txt HTTP/1.1\r\nHost: localhost\r\n" + demo
        + "\r\n").status);
    EXPECT_NE(0, access(server.dir().file("uploads/demo.txt").c_str(), F_OK));
    EXPECT_TRUE(server.waitForOut("\"DELETE /uploads/demo.txt HTTP/1.1\" 204"));
    EXPECT_NE(std::string::npos, server.out().find(" - demo ["));   // $remote_user
}

TEST(AccessTestReload, SighupReadsTheChangedUserFile)
{
    ServerProcess server("server { listen 127.0.0.1:{PORT}; root {DIR}/www;"
        " auth_basic \"R\"; auth_basic_user_file {DIR}/users; }",
        [](const TempDir& dir) {
            dir.write("users", "alice:{PLAIN}wonder\n");
            dir.write("www/index.html", "in");
        });
    int port = server.port();
    EXPECT_EQ(200, httpGet(port, "/", std::string("Authorization: Basic ") + kAlice + "\r\n").status);
    server.dir().write("users", "alice:{PLAIN}changed\n");
    // Read at load only: the old password still holds until the reload.
    EXPECT_EQ(200, httpGet(port, "/", std::string("Authorization: Basic ") + kAlice + "\r\n").status);
    ASSERT_EQ(0, kill(server.pid(), SIGHUP));
    ASSERT_TRUE(server.waitForErr("configuration reloaded from "));
    EXPECT_EQ(401, httpGet(port, "/", std::string("Authorization: Basic ") + kAlice + "\r\n").status);
    EXPECT_EQ(200, httpGet(port, "/",
        std::string("Authorization: Basic ") + kAliceChanged + "\r\n").status);
}

}
