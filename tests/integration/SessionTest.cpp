// Cookie sessions against the real server: the WEBSERV_SID cookie and its
// exact attributes, when Set-Cookie is (and is not) sent, IDs the server
// never issued or that expired, the session as CGI scripts see and change
// it (SESSION_ID, SESSION_DATA, Session-Set / Session-Unset /
// Session-Destroy), and the session_max cap under 200 000 cookie-less
// requests; sessions made only for answers that are not errors (a 404,
// a 413, an OPTIONS start none, as the status page's count shows, unless
// a script changed the session). Contract: the README's "Sessions" and
// its configuration table (session, session_timeout, session_max).
//
// Sync points: every request here is read to the end of its response, so
// whatever it did to the session store has happened when the next one is
// sent. The one real wait is for a 1 s session_timeout to pass (see
// ExpiredSessionGetsANewId).

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <regex>
#include <string>
#include <sys/socket.h>
#include <unordered_set>
#include <vector>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TempDir.hpp"
#include "support/TestText.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    keepalive_timeout 2s;
    location /s/ {
        session on;
    }
    location /plain/ {
    }
    location /cgi-bin/ {
        root {DIR};
        cgi .py /usr/bin/python3;
        session on;
    }
    location /short/ {
        root {DIR};
        cgi .py /usr/bin/python3;
        session on;
        session_timeout 1s;
    }
    location /nosession/ {
        root {DIR};
        cgi .py /usr/bin/python3;
    }
}
server {
    listen 127.0.0.1:{PORT};
    server_name inherit.test;
    root {DIR}/www;
    session on;
    session_timeout 10m;
    location /plain/ {
        session off;
    }
}
)";

// Prints the header lines given as `h` query parameters (each one
// url-encoded whole), then the session as the environment shows it.
const char* kScript = R"(#!/usr/bin/python3
import os
import sys
import urllib.parse

out = sys.stdout
for key, value in urllib.parse.parse_qsl(os.environ.get("QUERY_STRING", ""), keep_blank_values=True):
    if key == "h":
        out.write(value + "\r\n")
out.write("Content-Type: text/plain\r\n\r\n")
for name in ("SESSION_ID", "SESSION_DATA", "HTTP_COOKIE"):
    out.write(name + "=" + os.environ.get(name, "<unset>") + "\n")
)";

const std::regex kSessionCookie(
    "WEBSERV_SID=([0-9a-f]{32}); Path=/; Max-Age=1800; HttpOnly; SameSite=Lax");
const std::string kExpiringCookie = "WEBSERV_SID=; Path=/; Max-Age=0";
const std::string kInvented = "0123456789abcdef0123456789abcdef";

// The test script under a location, told to answer with these header lines.
std::string script(const std::string& location, const std::vector<std::string>& lines = {})
{
    std::string target = location + "session.py";
    for (size_t i = 0; i < lines.size(); ++i)
        target += (i == 0 ? "?h=" : "&h=") + percentEncode(lines[i]);
    return target;
}

std::vector<std::string> setCookies(const HttpResponse& response)
{
    std::vector<std::string> values;
    auto range = response.headers.equal_range("set-cookie");
    for (auto it = range.first; it != range.second; ++it)
        values.push_back(it->second);
    return values;
}

// The ID a response's session cookie sets, checking its exact attributes
// (session_timeout 30m); "" when it has none.
std::string sessionIdOf(const HttpResponse& response)
{
    std::string id;
    for (const std::string& value : setCookies(response)) {
        if (value.compare(0, 12, "WEBSERV_SID=") != 0)
            continue;
        std::smatch match;
        EXPECT_TRUE(std::regex_match(value, match, kSessionCookie)) << value;
        EXPECT_EQ("", id) << "two session cookies in one response";
        if (match.size() == 2)
            id = match[1];
    }
    return id;
}

// A line NAME=value of the script's body ("<missing>" when absent).
std::string scriptVar(const HttpResponse& response, const std::string& name)
{
    std::string prefix = name + "=";
    std::string::size_type at = response.body.compare(0, prefix.size(), prefix) == 0
        ? 0 : response.body.find("\n" + prefix);
    if (at == std::string::npos)
        return "<missing>";
    if (at != 0)
        ++at;
    std::string::size_type end = response.body.find('\n', at);
    return response.body.substr(at + prefix.size(), end - at - prefix.size());
}

std::string headOf(const HttpResponse& response)
{
    return response.raw.substr(0, response.raw.find("\r\n\r\n") + 4);
}

std::string lower(std::string text)
{
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

class SessionTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/s/a.txt", "AAA");
            dir.write("www/plain/a.txt", "PPP");
            dir.write("www/index.html", "home");
            dir.write("cgi-bin/session.py", kScript, 0755);
            dir.write("short/session.py", kScript, 0755);
            dir.write("nosession/session.py", kScript, 0755);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }

    // GET on a fresh connection, with `Cookie: cookie` unless it is empty.
    HttpResponse get(const std::string& target, const std::string& cookie = "",
        const std::string& host = "localhost")
    {
        TestClient client(port());
        client.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
            + (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") + "Connection: close\r\n\r\n");
        return client.read();
    }

    // A new session through the script; its ID.
    std::string newSession(const std::vector<std::string>& lines = {})
    {
        HttpResponse response = get(script("/cgi-bin/", lines));
        EXPECT_EQ(200, response.status) << response.raw;
        std::string id = sessionIdOf(response);
        EXPECT_EQ(32u, id.size()) << response.raw;
        return id;
    }

    static ServerProcess* server_;
};

ServerProcess* SessionTest::server_ = nullptr;

TEST_F(SessionTest, FirstRequestGetsACookieWithTheExactAttributes)
{
    HttpResponse response = get("/s/a.txt");
    ASSERT_EQ(200, response.status) << response.raw;
    EXPECT_EQ("AAA", response.body);
    ASSERT_EQ(1u, response.count("Set-Cookie")) << response.raw;
    std::string value = response.header("Set-Cookie");
    EXPECT_TRUE(std::regex_match(value, kSessionCookie)) << value;
    std::string id = sessionIdOf(response);
    EXPECT_NE(std::string::npos,
        response.raw.find("\r\nSet-Cookie: WEBSERV_SID=" + id
            + "; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax\r\n")) << response.raw;

    // A script's response too, and the script sees the session it just got.
    HttpResponse cgi = get(script("/cgi-bin/"));
    ASSERT_EQ(200, cgi.status) << cgi.raw;
    std::string cgiId = sessionIdOf(cgi);
    ASSERT_EQ(32u, cgiId.size()) << cgi.raw;
    EXPECT_NE(id, cgiId);
    EXPECT_EQ(cgiId, scriptVar(cgi, "SESSION_ID"));
    EXPECT_EQ("", scriptVar(cgi, "SESSION_DATA"));
    EXPECT_EQ("<unset>", scriptVar(cgi, "HTTP_COOKIE"));

    // Max-Age is the location's session_timeout in seconds: 1s, and 10m
    // inherited from a server block.
    HttpResponse shortLived = get(script("/short/"));
    EXPECT_TRUE(std::regex_match(shortLived.header("Set-Cookie"), std::regex(
        "WEBSERV_SID=[0-9a-f]{32}; Path=/; Max-Age=1; HttpOnly; SameSite=Lax")))
        << shortLived.raw;
    HttpResponse inherited = get("/s/a.txt", "", "inherit.test");
    EXPECT_TRUE(std::regex_match(inherited.header("Set-Cookie"), std::regex(
        "WEBSERV_SID=[0-9a-f]{32}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax")))
        << inherited.raw;
}

TEST_F(SessionTest, SecondRequestWithTheCookieGetsNoneAndTheSameSession)
{
    std::string id = newSession();
    ASSERT_EQ(32u, id.size());

    HttpResponse again = get(script("/cgi-bin/"), "WEBSERV_SID=" + id);
    ASSERT_EQ(200, again.status) << again.raw;
    EXPECT_EQ(0u, again.count("Set-Cookie")) << again.raw;
    EXPECT_EQ(id, scriptVar(again, "SESSION_ID"));
    EXPECT_EQ("WEBSERV_SID=" + id, scriptVar(again, "HTTP_COOKIE"));

    // Among other cookies, and for a static file in another session location.
    HttpResponse among = get(script("/cgi-bin/"), "theme=dark; WEBSERV_SID=" + id + "; lang=fr");
    EXPECT_EQ(0u, among.count("Set-Cookie")) << among.raw;
    EXPECT_EQ(id, scriptVar(among, "SESSION_ID"));
    EXPECT_EQ("theme=dark; WEBSERV_SID=" + id + "; lang=fr", scriptVar(among, "HTTP_COOKIE"));
    HttpResponse file = get("/s/a.txt", "WEBSERV_SID=" + id);
    EXPECT_EQ(200, file.status);
    EXPECT_EQ(0u, file.count("Set-Cookie")) << file.raw;

    // In the second of two Cookie fields.
    TestClient client(port());
    client.send("GET " + script("/cgi-bin/") + " HTTP/1.1\r\nHost: localhost\r\nCookie: theme=dark\r\n"
        "Cookie: WEBSERV_SID=" + id + "\r\nConnection: close\r\n\r\n");
    HttpResponse split = client.read();
    EXPECT_EQ(0u, split.count("Set-Cookie")) << split.raw;
    EXPECT_EQ(id, scriptVar(split, "SESSION_ID"));
}

TEST_F(SessionTest, EachRequestOnAKeepAliveConnectionHasItsOwnSession)
{
    TestClient client(port());
    client.send("GET " + script("/cgi-bin/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse first = client.read();
    std::string id = sessionIdOf(first);
    ASSERT_EQ(32u, id.size()) << first.raw;
    client.send("GET " + script("/cgi-bin/") + " HTTP/1.1\r\nHost: x\r\nCookie: WEBSERV_SID=" + id
        + "\r\n\r\n");
    HttpResponse second = client.read();
    EXPECT_EQ(0u, second.count("Set-Cookie")) << second.raw;
    EXPECT_EQ(id, scriptVar(second, "SESSION_ID"));
    // No cookie: a new session, nothing carried over from the connection.
    client.send("GET " + script("/cgi-bin/") + " HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse third = client.read();
    std::string other = sessionIdOf(third);
    EXPECT_EQ(32u, other.size()) << third.raw;
    EXPECT_NE(id, other);
    EXPECT_EQ(other, scriptVar(third, "SESSION_ID"));
    // And a location without sessions after them: nothing.
    client.send("GET " + script("/nosession/") + " HTTP/1.1\r\nHost: x\r\nCookie: WEBSERV_SID=" + id
        + "\r\nConnection: close\r\n\r\n");
    HttpResponse fourth = client.read();
    EXPECT_EQ(200, fourth.status) << fourth.raw;
    EXPECT_EQ(0u, fourth.count("Set-Cookie")) << fourth.raw;
    EXPECT_EQ("<unset>", scriptVar(fourth, "SESSION_ID"));
}

TEST_F(SessionTest, InventedIdIsReplaced)
{
    // 32 hex digits in the right shape, that the server never issued.
    HttpResponse response = get(script("/cgi-bin/"), "WEBSERV_SID=" + kInvented);
    ASSERT_EQ(200, response.status) << response.raw;
    std::string id = sessionIdOf(response);
    ASSERT_EQ(32u, id.size()) << response.raw;
    EXPECT_NE(kInvented, id);
    EXPECT_EQ(id, scriptVar(response, "SESSION_ID"));
    // Sent again, it is still not adopted; the issued one works.
    HttpResponse again = get(script("/cgi-bin/"), "WEBSERV_SID=" + kInvented);
    std::string another = sessionIdOf(again);
    EXPECT_EQ(32u, another.size()) << again.raw;
    EXPECT_NE(kInvented, another);
    EXPECT_NE(id, another);
    HttpResponse issued = get(script("/cgi-bin/"), "WEBSERV_SID=" + id);
    EXPECT_EQ(0u, issued.count("Set-Cookie")) << issued.raw;
    EXPECT_EQ(id, scriptVar(issued, "SESSION_ID"));
}

TEST_F(SessionTest, MalformedIdIsReplaced)
{
    std::string real = newSession({ "Session-Set: mine=1" });
    ASSERT_EQ(32u, real.size());
    std::string upper = real;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    std::vector<std::string> cookies = {
        "WEBSERV_SID=",
        "WEBSERV_SID=abc",
        "WEBSERV_SID=" + upper,
        "WEBSERV_SID=" + real + "0",
        "WEBSERV_SID=" + real.substr(1),
        "WEBSERV_SID=../../../etc/passwd",
        "WEBSERV_SID=" + real.substr(0, 31) + "g",
        "WEBSERV_SID=%" + real.substr(1),
        "webserv_sid=" + real,
        "WEBSERV_SID=\"" + real,
    };
    for (const std::string& cookie : cookies) {
        HttpResponse response = get(script("/cgi-bin/"), cookie);
        ASSERT_EQ(200, response.status) << cookie << "\n" << response.raw;
        std::string id = sessionIdOf(response);
        EXPECT_EQ(32u, id.size()) << cookie << "\n" << response.raw;
        EXPECT_NE(real, id) << cookie;
        EXPECT_EQ(id, scriptVar(response, "SESSION_ID")) << cookie;
        EXPECT_EQ("", scriptVar(response, "SESSION_DATA")) << cookie;
    }
    // The real session is still there, with its data.
    HttpResponse response = get(script("/cgi-bin/"), "WEBSERV_SID=" + real);
    EXPECT_EQ(0u, response.count("Set-Cookie")) << response.raw;
    EXPECT_EQ(real, scriptVar(response, "SESSION_ID"));
    EXPECT_EQ("mine=1", scriptVar(response, "SESSION_DATA"));
}

TEST_F(SessionTest, ExpiredSessionGetsANewId)
{
    // /short/ has session_timeout 1s. The request is sent on a keep-alive
    // connection, and the server closes that connection after its
    // keepalive_timeout of 2s without a request: when that close arrives,
    // at least 2 s have passed since the session's last use, so it has
    // expired (a wait for a real timeout, bounded by the client's 5 s
    // receive timeout; nothing about its length is asserted).
    TestClient client(port());
    client.send("GET " + script("/short/", { "Session-Set: visits=1" }) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse first = client.read();
    ASSERT_EQ(200, first.status) << first.raw;
    std::smatch match;
    std::string cookie = first.header("Set-Cookie");
    ASSERT_TRUE(std::regex_match(cookie, match, std::regex(
        "WEBSERV_SID=([0-9a-f]{32}); Path=/; Max-Age=1; HttpOnly; SameSite=Lax"))) << first.raw;
    std::string old = match[1];
    EXPECT_EQ("", client.readUntilClose());
    EXPECT_TRUE(client.closedByServer());

    HttpResponse response = get(script("/short/"), "WEBSERV_SID=" + old);
    ASSERT_EQ(200, response.status) << response.raw;
    cookie = response.header("Set-Cookie");
    ASSERT_TRUE(std::regex_match(cookie, match, std::regex(
        "WEBSERV_SID=([0-9a-f]{32}); Path=/; Max-Age=1; HttpOnly; SameSite=Lax"))) << response.raw;
    EXPECT_NE(old, std::string(match[1]));
    EXPECT_EQ(std::string(match[1]), scriptVar(response, "SESSION_ID"));
    EXPECT_EQ("", scriptVar(response, "SESSION_DATA"));
    // Gone everywhere, also where the timeout is longer.
    HttpResponse elsewhere = get(script("/cgi-bin/"), "WEBSERV_SID=" + old);
    std::string id = sessionIdOf(elsewhere);
    EXPECT_EQ(32u, id.size()) << elsewhere.raw;
    EXPECT_NE(old, id);
}

TEST_F(SessionTest, SessionSetIsVisibleToTheNextRequest)
{
    HttpResponse first = get(script("/cgi-bin/", {
        "Session-Set: name=J%C3%B6rg+M",
        "Session-Set: count=1",
        "Session-Set: note=a%3Db%26c",
    }));
    ASSERT_EQ(200, first.status) << first.raw;
    // One cookie, though the session was both created and modified.
    ASSERT_EQ(1u, first.count("Set-Cookie")) << first.raw;
    std::string id = sessionIdOf(first);
    ASSERT_EQ(32u, id.size());
    EXPECT_EQ("", scriptVar(first, "SESSION_DATA"));

    // The next request sees it (keys in order, values url-encoded), and a
    // change sends the cookie again.
    HttpResponse second = get(script("/cgi-bin/", { "Session-Set: count=2" }), "WEBSERV_SID=" + id);
    ASSERT_EQ(200, second.status) << second.raw;
    EXPECT_EQ(id, scriptVar(second, "SESSION_ID"));
    EXPECT_EQ("count=1&name=J%C3%B6rg%20M&note=a%3Db%26c", scriptVar(second, "SESSION_DATA"));
    ASSERT_EQ(1u, second.count("Set-Cookie")) << second.raw;
    EXPECT_EQ("WEBSERV_SID=" + id + "; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax",
        second.header("Set-Cookie"));

    // A plain read: the change is there, and no cookie.
    HttpResponse third = get(script("/cgi-bin/"), "WEBSERV_SID=" + id);
    EXPECT_EQ(0u, third.count("Set-Cookie")) << third.raw;
    EXPECT_EQ("count=2&name=J%C3%B6rg%20M&note=a%3Db%26c", scriptVar(third, "SESSION_DATA"));

    // Other sessions do not see it.
    HttpResponse stranger = get(script("/cgi-bin/"));
    EXPECT_EQ("", scriptVar(stranger, "SESSION_DATA"));
}

TEST_F(SessionTest, SessionUnset)
{
    std::string id = newSession({ "Session-Set: a=1", "Session-Set: b=2", "Session-Set: c d=3" });
    ASSERT_EQ(32u, id.size());
    HttpResponse unset = get(script("/cgi-bin/", { "Session-Unset: a", "Session-Unset: c%20d" }),
        "WEBSERV_SID=" + id);
    EXPECT_EQ("a=1&b=2&c%20d=3", scriptVar(unset, "SESSION_DATA"));
    EXPECT_EQ("WEBSERV_SID=" + id + "; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax",
        unset.header("Set-Cookie")) << unset.raw;
    HttpResponse after = get(script("/cgi-bin/"), "WEBSERV_SID=" + id);
    EXPECT_EQ(id, scriptVar(after, "SESSION_ID"));
    EXPECT_EQ("b=2", scriptVar(after, "SESSION_DATA"));
    EXPECT_EQ(0u, after.count("Set-Cookie")) << after.raw;
    // Unsetting what is not there changes nothing: no cookie.
    HttpResponse nothing = get(script("/cgi-bin/", { "Session-Unset: a" }), "WEBSERV_SID=" + id);
    EXPECT_EQ(0u, nothing.count("Set-Cookie")) << nothing.raw;
    EXPECT_EQ("b=2", scriptVar(get(script("/cgi-bin/"), "WEBSERV_SID=" + id), "SESSION_DATA"));
}

TEST_F(SessionTest, SessionDestroyExpiresTheCookie)
{
    std::string id = newSession({ "Session-Set: user=ann" });
    ASSERT_EQ(32u, id.size());
    HttpResponse destroy = get(script("/cgi-bin/", { "Session-Destroy: 1" }), "WEBSERV_SID=" + id);
    ASSERT_EQ(200, destroy.status) << destroy.raw;
    EXPECT_EQ(id, scriptVar(destroy, "SESSION_ID"));
    EXPECT_EQ("user=ann", scriptVar(destroy, "SESSION_DATA"));
    EXPECT_EQ(std::vector<std::string> { kExpiringCookie }, setCookies(destroy)) << destroy.raw;
    EXPECT_NE(std::string::npos, destroy.raw.find("\r\nSet-Cookie: " + kExpiringCookie + "\r\n"));

    // The old cookie now gets a new, empty session.
    HttpResponse next = get(script("/cgi-bin/"), "WEBSERV_SID=" + id);
    std::string fresh = sessionIdOf(next);
    ASSERT_EQ(32u, fresh.size()) << next.raw;
    EXPECT_NE(id, fresh);
    EXPECT_EQ(fresh, scriptVar(next, "SESSION_ID"));
    EXPECT_EQ("", scriptVar(next, "SESSION_DATA"));

    // Destroying the session a request has just been given: only the
    // expiring cookie goes out.
    HttpResponse born = get(script("/cgi-bin/", { "Session-Set: x=1", "Session-Destroy: 1" }));
    EXPECT_EQ(std::vector<std::string> { kExpiringCookie }, setCookies(born)) << born.raw;
}

TEST_F(SessionTest, SessionFieldsNeverReachTheClient)
{
    std::string id = newSession();
    ASSERT_EQ(32u, id.size());
    const std::vector<std::string> lines = {
        "Session-Set: a=1",
        "session-set: b=2",
        "SESSION-UNSET: nothing",
        "Session-Destroy: 0",
        "Session-Set: bad",
        "X-Kept: yes",
    };
    for (const std::string location : { "/cgi-bin/", "/nosession/" }) {
        HttpResponse response = get(script(location, lines), "WEBSERV_SID=" + id);
        ASSERT_EQ(200, response.status) << location << "\n" << response.raw;
        std::string head = lower(headOf(response));
        EXPECT_EQ(std::string::npos, head.find("\nsession-")) << location << "\n" << response.raw;
        EXPECT_EQ(std::string::npos, head.find("a=1")) << location << "\n" << response.raw;
        EXPECT_EQ(1u, response.count("X-Kept")) << location << "\n" << response.raw;
        EXPECT_EQ("text/plain", response.header("Content-Type"));
    }
    // Session-Destroy with another value than 1 did nothing; the sets did.
    HttpResponse after = get(script("/cgi-bin/"), "WEBSERV_SID=" + id);
    EXPECT_EQ(id, scriptVar(after, "SESSION_ID"));
    EXPECT_EQ("a=1&b=2", scriptVar(after, "SESSION_DATA"));
    // A destroy is consumed too.
    HttpResponse destroy = get(script("/cgi-bin/", { "Session-Destroy: 1" }), "WEBSERV_SID=" + id);
    EXPECT_EQ(std::string::npos, lower(headOf(destroy)).find("session-destroy")) << destroy.raw;
}

TEST_F(SessionTest, OtherSetCookieLinesPassThroughUnchanged)
{
    const std::string theme = "theme=dark; Path=/; Max-Age=3600";
    const std::string lang = "lang=fr; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly";
    const std::vector<std::string> lines = {
        "Set-Cookie: " + theme,
        "Session-Set: seen=1",
        "Set-Cookie: " + lang,
    };
    // New session: the script's two cookies, unchanged and in order, each
    // on its own line, and the session cookie.
    HttpResponse first = get(script("/cgi-bin/", lines));
    ASSERT_EQ(200, first.status) << first.raw;
    std::vector<std::string> values = setCookies(first);
    ASSERT_EQ(3u, values.size()) << first.raw;
    EXPECT_EQ(theme, values[0]);
    EXPECT_EQ(lang, values[1]);
    std::string id = sessionIdOf(first);
    ASSERT_EQ(32u, id.size()) << first.raw;
    EXPECT_NE(std::string::npos, first.raw.find("\r\nSet-Cookie: " + theme + "\r\n")) << first.raw;
    EXPECT_NE(std::string::npos, first.raw.find("\r\nSet-Cookie: " + lang + "\r\n")) << first.raw;

    // A plain read of the session: only the script's two.
    HttpResponse read = get(script("/cgi-bin/", { "Set-Cookie: " + theme, "Set-Cookie: " + lang }),
        "WEBSERV_SID=" + id);
    EXPECT_EQ((std::vector<std::string> { theme, lang }), setCookies(read)) << read.raw;

    // A destroy: the script's cookies and the expiring one.
    HttpResponse destroy = get(script("/cgi-bin/", {
        "Set-Cookie: " + theme, "Session-Destroy: 1", "Set-Cookie: " + lang }), "WEBSERV_SID=" + id);
    values = setCookies(destroy);
    ASSERT_EQ(3u, values.size()) << destroy.raw;
    EXPECT_EQ(theme, values[0]);
    EXPECT_EQ(lang, values[1]);
    EXPECT_EQ(kExpiringCookie, values[2]);

    // And without sessions at all.
    HttpResponse plain = get(script("/nosession/", { "Set-Cookie: " + theme, "Set-Cookie: " + lang }));
    EXPECT_EQ((std::vector<std::string> { theme, lang }), setCookies(plain)) << plain.raw;
}

TEST_F(SessionTest, LocationsWithoutSessionSendNoCookie)
{
    HttpResponse file = get("/plain/a.txt");
    ASSERT_EQ(200, file.status) << file.raw;
    EXPECT_EQ("PPP", file.body);
    EXPECT_EQ(0u, file.count("Set-Cookie")) << file.raw;
    HttpResponse root = get("/index.html");
    EXPECT_EQ(200, root.status) << root.raw;
    EXPECT_EQ(0u, root.count("Set-Cookie")) << root.raw;

    // A script there has no session, not even with a valid cookie, and still
    // gets the cookie itself as usual.
    std::string id = newSession();
    ASSERT_EQ(32u, id.size());
    HttpResponse cgi = get(script("/nosession/"), "WEBSERV_SID=" + id);
    ASSERT_EQ(200, cgi.status) << cgi.raw;
    EXPECT_EQ(0u, cgi.count("Set-Cookie")) << cgi.raw;
    EXPECT_EQ("<unset>", scriptVar(cgi, "SESSION_ID"));
    EXPECT_EQ("<unset>", scriptVar(cgi, "SESSION_DATA"));
    EXPECT_EQ("WEBSERV_SID=" + id, scriptVar(cgi, "HTTP_COOKIE"));

    // `session off` in a location of a server that has it on.
    HttpResponse off = get("/plain/a.txt", "", "inherit.test");
    EXPECT_EQ(200, off.status) << off.raw;
    EXPECT_EQ(0u, off.count("Set-Cookie")) << off.raw;
    HttpResponse on = get("/s/a.txt", "", "inherit.test");
    EXPECT_EQ(1u, on.count("Set-Cookie")) << on.raw;
}

// ---------------------------------------------------------------- sessions only when used

const char* kOnDemandConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    location /s/ {
        allow_methods GET POST;
        client_max_body_size 10;
        session on;
    }
    location /cgi-bin/ {
        root {DIR};
        cgi .py /usr/bin/python3;
        session on;
    }
    location = /status {
        status on;
    }
}
)";

// Its own server: the status page counts exactly the sessions these tests
// make (no other test's sessions expire meanwhile).
class SessionTestOnDemand : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kOnDemandConfig, [](const TempDir& dir) {
            dir.write("www/s/a.txt", "AAA");
            dir.write("cgi-bin/session.py", kScript, 0755);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }

    // One request on a fresh connection, read to its end.
    static HttpResponse request(const std::string& method, const std::string& target,
        const std::string& fields = "")
    {
        TestClient client(server_->port());
        client.send(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + fields
            + "Connection: close\r\n\r\n");
        return client.read();
    }

    // The status page's session count.
    static int sessionCount()
    {
        HttpResponse status = request("GET", "/status");
        EXPECT_EQ(0u, status.count("Set-Cookie")) << status.raw;
        std::string::size_type at = status.body.find("\nSessions: ");
        EXPECT_NE(std::string::npos, at) << status.body;
        return at == std::string::npos ? -1 : std::atoi(status.body.c_str() + at + 11);
    }

    static ServerProcess* server_;
};

ServerProcess* SessionTestOnDemand::server_ = nullptr;

TEST_F(SessionTestOnDemand, ErrorsAndOptionsStartNoSessionAnd200sDo)
{
    int before = sessionCount();
    HttpResponse missing = request("GET", "/s/missing.txt");
    EXPECT_EQ(404, missing.status) << missing.raw;
    EXPECT_EQ(0u, missing.count("Set-Cookie")) << missing.raw;

    HttpResponse tooLarge = request("POST", "/s/a.txt", "Content-Length: 11\r\n");
    EXPECT_EQ(413, tooLarge.status) << tooLarge.raw;
    EXPECT_EQ(0u, tooLarge.count("Set-Cookie")) << tooLarge.raw;

    HttpResponse notAllowed = request("DELETE", "/s/a.txt");
    EXPECT_EQ(405, notAllowed.status) << notAllowed.raw;
    EXPECT_EQ(0u, notAllowed.count("Set-Cookie")) << notAllowed.raw;

    HttpResponse options = request("OPTIONS", "/s/a.txt");
    EXPECT_EQ(204, options.status) << options.raw;
    EXPECT_EQ(0u, options.count("Set-Cookie")) << options.raw;

    HttpResponse noScript = request("GET", "/cgi-bin/missing.py");
    EXPECT_EQ(404, noScript.status) << noScript.raw;
    EXPECT_EQ(0u, noScript.count("Set-Cookie")) << noScript.raw;
    EXPECT_EQ(before, sessionCount());

    HttpResponse ok = request("GET", "/s/a.txt");
    EXPECT_EQ(200, ok.status) << ok.raw;
    EXPECT_EQ(32u, sessionIdOf(ok).size()) << ok.raw;
    EXPECT_EQ(before + 1, sessionCount());
}

TEST_F(SessionTestOnDemand, AScriptHasASessionThatItsUntouchedErrorDrops)
{
    int before = sessionCount();
    HttpResponse response = request("GET", script("/cgi-bin/", { "Status: 404 Not Found" }));
    EXPECT_EQ(404, response.status) << response.raw;
    EXPECT_EQ(32u, scriptVar(response, "SESSION_ID").size()) << response.body;
    EXPECT_EQ("", scriptVar(response, "SESSION_DATA"));
    EXPECT_EQ(0u, response.count("Set-Cookie")) << response.raw;
    EXPECT_EQ(before, sessionCount());
}

TEST_F(SessionTestOnDemand, AScriptThatSetsSessionDataOnA4xxGetsItsCookie)
{
    int before = sessionCount();
    HttpResponse response = request("GET",
        script("/cgi-bin/", { "Status: 409 Conflict", "Session-Set: user=ann" }));
    EXPECT_EQ(409, response.status) << response.raw;
    std::string id = sessionIdOf(response);
    ASSERT_EQ(32u, id.size()) << response.raw;
    EXPECT_EQ(id, scriptVar(response, "SESSION_ID"));
    EXPECT_EQ(before + 1, sessionCount());
    HttpResponse next = request("GET", script("/cgi-bin/"), "Cookie: WEBSERV_SID=" + id + "\r\n");
    EXPECT_EQ(id, scriptVar(next, "SESSION_ID"));
    EXPECT_EQ("user=ann", scriptVar(next, "SESSION_DATA"));
}

TEST_F(SessionTestOnDemand, AnExistingSessionIsStillFoundByAnError)
{
    std::string id = sessionIdOf(request("GET", "/s/a.txt"));
    ASSERT_EQ(32u, id.size());
    int before = sessionCount();
    const std::string cookie = "Cookie: WEBSERV_SID=" + id + "\r\n";
    HttpResponse missing = request("GET", "/s/missing.txt", cookie);
    EXPECT_EQ(404, missing.status) << missing.raw;
    EXPECT_EQ(0u, missing.count("Set-Cookie")) << missing.raw;
    HttpResponse error = request("GET", script("/cgi-bin/", { "Status: 403 Forbidden" }), cookie);
    EXPECT_EQ(403, error.status) << error.raw;
    EXPECT_EQ(id, scriptVar(error, "SESSION_ID"));
    EXPECT_EQ(0u, error.count("Set-Cookie")) << error.raw;
    // A script's change on an error answer is kept, and says so.
    HttpResponse changed = request("GET",
        script("/cgi-bin/", { "Status: 400 Bad Request", "Session-Set: step=2" }), cookie);
    EXPECT_EQ(400, changed.status) << changed.raw;
    EXPECT_EQ(id, sessionIdOf(changed)) << changed.raw;
    HttpResponse next = request("GET", script("/cgi-bin/"), cookie);
    EXPECT_EQ("step=2", scriptVar(next, "SESSION_DATA"));
    EXPECT_EQ(before, sessionCount());
}

// ---------------------------------------------------------------- the cap

const char* kCapConfig = R"(
session_max 100;
server {
    listen 127.0.0.1:{PORT};
    root {DIR}/www;
    access_log off;
    session on;
}
)";

// Pipelined requests on one keep-alive connection, with a reader that walks
// a buffer instead of erasing from its front (hundreds of thousands of
// responses go through it).
class Pipeline {
public:
    explicit Pipeline(int port) : client_(port, "127.0.0.1", 20000), pos_(0) {}

    bool connected() const { return client_.connected(); }
    void send(const std::string& bytes) { client_.send(bytes); }

    // Reads count responses, each a 200 for a.txt with a new session cookie;
    // their IDs are appended to ids. "" or what was wrong.
    std::string read(size_t count, std::vector<std::string>* ids)
    {
        static const std::string kCookie = "\r\nSet-Cookie: WEBSERV_SID=";
        static const std::string kAttributes = "; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax\r\n";
        for (size_t i = 0; i < count; ++i) {
            std::string::size_type end;
            while ((end = buffer_.find("\r\n\r\n", pos_)) == std::string::npos)
                if (!fill())
                    return "connection ended after " + std::to_string(i) + " responses";
            std::string head = buffer_.substr(pos_, end + 2 - pos_);
            if (head.compare(0, 13, "HTTP/1.1 200 ") != 0)
                return "not a 200: " + head;
            std::string::size_type length = head.find("\r\nContent-Length: ");
            if (length == std::string::npos)
                return "no Content-Length: " + head;
            size_t bodySize = std::strtoul(head.c_str() + length + 18, nullptr, 10);
            std::string::size_type cookie = head.find(kCookie);
            if (cookie == std::string::npos
                || head.compare(cookie + kCookie.size() + 32, kAttributes.size(), kAttributes) != 0)
                return "no session cookie: " + head;
            ids->push_back(head.substr(cookie + kCookie.size(), 32));
            while (buffer_.size() < end + 4 + bodySize)
                if (!fill())
                    return "connection ended in a body";
            if (buffer_.compare(end + 4, bodySize, "AAA") != 0)
                return "wrong body";
            pos_ = end + 4 + bodySize;
        }
        return "";
    }

private:
    bool fill()
    {
        if (pos_ > (1u << 20)) {
            buffer_.erase(0, pos_);
            pos_ = 0;
        }
        char chunk[256 * 1024];
        ssize_t n = recv(client_.fd(), chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        buffer_.append(chunk, static_cast<size_t>(n));
        return true;
    }

    TestClient client_;
    std::string buffer_;
    size_t pos_;
};

TEST(SessionTestCap, CapHoldsUnder200000CookielessRequests)
{
    // Under AddressSanitizer (make asan) freed memory sits in a quarantine
    // of up to 256 MiB before it is reused, which would look like growth
    // here: this one server runs without it. (ASan reads the variable when
    // a process starts, so this test binary is not affected; a server
    // without ASan ignores it.)
    const char* asanOptions = std::getenv("ASAN_OPTIONS");
    std::string options = asanOptions && *asanOptions ? std::string(asanOptions) + ":" : "";
    ScopedEnv noQuarantine("ASAN_OPTIONS",
        options + "quarantine_size_mb=0:thread_local_quarantine_size_kb=0");
    ServerProcess server(kCapConfig, [](const TempDir& dir) { dir.write("www/a.txt", "AAA"); });
    ASSERT_TRUE(server.started());
    const size_t kTotal = 200000;
    const size_t kConnections = 4;
    const size_t kBatch = 500;          // requests per connection per round
    const std::string request = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";

    std::vector<std::unique_ptr<Pipeline> > pipes;
    for (size_t i = 0; i < kConnections; ++i) {
        pipes.emplace_back(new Pipeline(server.port()));
        ASSERT_TRUE(pipes.back()->connected());
    }
    std::unordered_set<std::string> seen;
    std::vector<std::string> ids;
    size_t done = 0;
    // Sends up to `count` more requests spread over the connections, then
    // reads every answer.
    auto round = [&](size_t count) -> std::string {
        std::vector<size_t> share(kConnections, count / kConnections);
        for (size_t i = 0; i < count % kConnections; ++i)
            ++share[i];
        for (size_t i = 0; i < kConnections; ++i) {
            std::string batch;
            batch.reserve(share[i] * request.size());
            for (size_t n = 0; n < share[i]; ++n)
                batch += request;
            pipes[i]->send(batch);
        }
        for (size_t i = 0; i < kConnections; ++i) {
            ids.clear();
            std::string error = pipes[i]->read(share[i], &ids);
            if (!error.empty())
                return error;
            for (const std::string& id : ids)
                if (!seen.insert(id).second)
                    return "ID given out twice: " + id;
        }
        done += count;
        return "";
    };

    // The very first session, alone.
    ASSERT_EQ("", round(1));
    ASSERT_EQ(1u, seen.size());
    const std::string first = *seen.begin();
    while (done < 1000)
        ASSERT_EQ("", round(std::min(kConnections * kBatch, 1000 - done))) << "after " << done;
    long early = server.rssKiB();
    ASSERT_GT(early, 0);
    while (done < kTotal)
        ASSERT_EQ("", round(std::min(kConnections * kBatch, kTotal - done))) << "after " << done;
    long late = server.rssKiB();
    EXPECT_EQ(kTotal, seen.size());

    // 199 000 more sessions, but the store holds 100: the memory is where
    // it was (a few MiB of slack for the allocator).
    EXPECT_LE(late, early + 4 * 1024) << "RSS after 1 000 requests: " << early
        << " KiB, after 200 000: " << late << " KiB";

    // The first session was evicted long ago: its cookie gets a new one.
    HttpResponse evicted = httpGet(server.port(), "/a.txt", "Cookie: WEBSERV_SID=" + first + "\r\n");
    ASSERT_EQ(200, evicted.status) << evicted.raw;
    std::string replacement = sessionIdOf(evicted);
    EXPECT_EQ(32u, replacement.size()) << evicted.raw;
    EXPECT_NE(first, replacement);
    // The store still works: a session just issued is found.
    HttpResponse kept = httpGet(server.port(), "/a.txt", "Cookie: WEBSERV_SID=" + replacement + "\r\n");
    EXPECT_EQ(200, kept.status) << kept.raw;
    EXPECT_EQ(0u, kept.count("Set-Cookie")) << kept.raw;
    EXPECT_TRUE(server.alive());
}

}
