// The error-log line of every refusal or failure with a server-side cause
// against the real server: one line per request, nginx 1.22's wording for
// the reason (compared with nginx 1.22 at its default "error" level; where
// nginx has no such case, CGI above all, its upstream wording), then
// ", client: ..., server: ..., request: \"...\", host: \"...\"".
//
// Sync point: a marker request (a missing file, itself logged) after the
// request under test; once its line is in the log, every line about the
// request under test is too (one process writes both, in order).

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    server_name localhost;
    root {DIR}/www;
    error_page 404 /errors/404.html;
    location / { }
    location /on/ { disable_symlinks on; }
    location /owner/ { disable_symlinks if_not_owner; }
    location /ep/ { error_page 403 /errors/missing-403.html; }
    location /cgi-bin/ {
        root {DIR};
        cgi .sh;
        cgi .xyz /nonexistent/interp;
        cgi_timeout 300ms;
    }
    location /store/ {
        allow_methods GET DELETE;
        upload_store {DIR}/www/store;
    }
}
)";

class ErrorLogTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            dir.write("www/plain.txt", "plain");
            dir.write("www/errors/404.html", "custom 404\n");
            dir.write("www/on/file.txt", "file");
            link("file.txt", dir.file("www/on/link.txt"));
            dir.write("www/owner/file.txt", "file");
            link("file.txt", dir.file("www/owner/link.txt"));
            EXPECT_EQ(0, lchown(dir.file("www/owner/link.txt").c_str(), 4242, static_cast<gid_t>(-1)));
            dir.mkdir("www/noindex");
            dir.mkdir("www/ep/noindex");
            dir.mkdir("www/store/sub");
            dir.write("cgi-bin/noexec.sh", "#!/bin/sh\necho\n", 0644);
            dir.write("cgi-bin/garbage.sh", std::string("\x7f\x01garbage", 9), 0755);
            dir.write("cgi-bin/slow.sh", "#!/bin/sh\nexec sleep 30\n", 0755);
            dir.write("cgi-bin/silent.sh", "#!/bin/sh\nexit 0\n", 0755);
            dir.write("cgi-bin/invalid.sh", "#!/bin/sh\nprintf 'no colon here\\r\\n\\r\\n'\n", 0755);
            dir.write("cgi-bin/huge.sh", "#!/bin/sh\nprintf 'X-Big: '\nhead -c 40000 /dev/zero | tr '\\0' a\n",
                0755);
            dir.write("cgi-bin/loop.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/loop.sh\\r\\n\\r\\n'\n", 0755);
            dir.write("cgi-bin/script.xyz", "", 0755);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }

    static void link(const std::string& target, const std::string& path)
    {
        EXPECT_EQ(0, symlink(target.c_str(), path.c_str())) << path;
    }

    int port() const { return server_->port(); }
    std::string dir() const { return server_->dir().path(); }

    // The error-log lines naming requestLine, each without its timestamp.
    std::vector<std::string> linesFor(const std::string& requestLine)
    {
        static int markers = 0;
        std::string marker = "/marker-" + std::to_string(++markers);
        EXPECT_EQ(404, httpGet(port(), marker).status);
        EXPECT_TRUE(server_->waitForErr("request: \"GET " + marker + " HTTP/1.1\"")) << server_->err();
        std::vector<std::string> lines;
        std::istringstream log(server_->err());
        std::regex stamp("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d (.*)");
        std::smatch match;
        for (std::string line; std::getline(log, line);) {
            if (line.find("request: \"" + requestLine + "\"") == std::string::npos)
                continue;
            EXPECT_TRUE(std::regex_match(line, match, stamp)) << line;
            lines.push_back(match[1]);
        }
        return lines;
    }

    // The line logRequestError() writes for reason about a request from
    // this client to this server.
    std::string line(const std::string& reason, const std::string& requestLine) const
    {
        return "[error] " + reason + ", client: 127.0.0.1, server: localhost, request: \""
            + requestLine + "\", host: \"localhost\"";
    }

    typedef std::vector<std::string> Lines;
    static ServerProcess* server_;
};

ServerProcess* ErrorLogTest::server_ = nullptr;

HttpResponse request(int port, const std::string& method, const std::string& target)
{
    return httpRaw(port, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
}

const char* kLoop = "(40: Too many levels of symbolic links)";

TEST_F(ErrorLogTest, SymlinkRefusedByOn)
{
    EXPECT_EQ(403, httpGet(port(), "/on/link.txt").status);
    EXPECT_EQ(Lines{ line("openat() \"" + dir() + "/www/on/link.txt\" failed " + kLoop,
                  "GET /on/link.txt HTTP/1.1") },
        linesFor("GET /on/link.txt HTTP/1.1"));
    EXPECT_EQ(200, httpGet(port(), "/on/file.txt").status);
    EXPECT_EQ(Lines{}, linesFor("GET /on/file.txt HTTP/1.1"));
}

TEST_F(ErrorLogTest, SymlinkRefusedByIfNotOwner)
{
    if (geteuid() != 0)
        GTEST_SKIP() << "lchown() to another user needs root";
    EXPECT_EQ(403, httpGet(port(), "/owner/link.txt").status);
    EXPECT_EQ(Lines{ line("openat() \"" + dir() + "/www/owner/link.txt\" failed " + kLoop,
                  "GET /owner/link.txt HTTP/1.1") },
        linesFor("GET /owner/link.txt HTTP/1.1"));
}

TEST_F(ErrorLogTest, DirectoryIndexForbidden)
{
    EXPECT_EQ(403, httpGet(port(), "/noindex/").status);
    EXPECT_EQ(Lines{ line("directory index of \"" + dir() + "/www/noindex/\" is forbidden",
                  "GET /noindex/ HTTP/1.1") },
        linesFor("GET /noindex/ HTTP/1.1"));
}

TEST_F(ErrorLogTest, OneLineWhenTheErrorPageIsMissingToo)
{
    // error_page 403 names a file that does not exist: the built-in page
    // goes out, and the error page's own 404 is not logged.
    HttpResponse r = httpGet(port(), "/ep/noindex/");
    EXPECT_EQ(403, r.status);
    EXPECT_NE(std::string::npos, r.body.find("403 Forbidden")) << r.body;
    EXPECT_EQ(Lines{ line("directory index of \"" + dir() + "/www/ep/noindex/\" is forbidden",
                  "GET /ep/noindex/ HTTP/1.1") },
        linesFor("GET /ep/noindex/ HTTP/1.1"));
}

TEST_F(ErrorLogTest, MissingFileIsLoggedOnceThoughAnErrorPageIsServed)
{
    // nginx logs a missing file at "error" (log_not_found on by default).
    HttpResponse r = httpGet(port(), "/missing.txt");
    EXPECT_EQ(404, r.status);
    EXPECT_EQ("custom 404\n", r.body);
    EXPECT_EQ(Lines{ line("open() \"" + dir() + "/www/missing.txt\" failed (2: No such file or directory)",
                  "GET /missing.txt HTTP/1.1") },
        linesFor("GET /missing.txt HTTP/1.1"));
    EXPECT_EQ(404, httpGet(port(), "/plain.txt/more").status);
    EXPECT_EQ(Lines{ line("open() \"" + dir() + "/www/plain.txt/more\" failed (20: Not a directory)",
                  "GET /plain.txt/more HTTP/1.1") },
        linesFor("GET /plain.txt/more HTTP/1.1"));
    EXPECT_EQ(404, httpGet(port(), "/nodir/").status);
    EXPECT_EQ(Lines{ line("\"" + dir() + "/www/nodir/index.html\" is not found (2: No such file or directory)",
                  "GET /nodir/ HTTP/1.1") },
        linesFor("GET /nodir/ HTTP/1.1"));
}

TEST_F(ErrorLogTest, ScriptWithoutExecutePermission)
{
    EXPECT_EQ(403, httpGet(port(), "/cgi-bin/noexec.sh").status);
    EXPECT_EQ(Lines{ line("access() \"" + dir() + "/cgi-bin/noexec.sh\" failed (13: Permission denied)",
                  "GET /cgi-bin/noexec.sh HTTP/1.1") },
        linesFor("GET /cgi-bin/noexec.sh HTTP/1.1"));
}

TEST_F(ErrorLogTest, ScriptThatCannotBeExecuted)
{
    EXPECT_EQ(500, httpGet(port(), "/cgi-bin/garbage.sh").status);
    EXPECT_EQ(Lines{ line("posix_spawn() \"" + dir() + "/cgi-bin/garbage.sh\" failed (8: Exec format error)",
                  "GET /cgi-bin/garbage.sh HTTP/1.1") },
        linesFor("GET /cgi-bin/garbage.sh HTTP/1.1"));
}

TEST_F(ErrorLogTest, MissingInterpreter)
{
    EXPECT_EQ(502, httpGet(port(), "/cgi-bin/script.xyz").status);
    EXPECT_EQ(Lines{ line("cgi interpreter \"/nonexistent/interp\" for \"" + dir()
                      + "/cgi-bin/script.xyz\" is missing or not executable",
                  "GET /cgi-bin/script.xyz HTTP/1.1") },
        linesFor("GET /cgi-bin/script.xyz HTTP/1.1"));
}

TEST_F(ErrorLogTest, ScriptTimeout)
{
    EXPECT_EQ(504, httpGet(port(), "/cgi-bin/slow.sh").status);
    EXPECT_EQ(Lines{ line("cgi \"" + dir() + "/cgi-bin/slow.sh\" timed out (110: Connection timed out)"
                      " while reading response header from upstream",
                  "GET /cgi-bin/slow.sh HTTP/1.1") },
        linesFor("GET /cgi-bin/slow.sh HTTP/1.1"));
}

TEST_F(ErrorLogTest, ScriptEndsWithoutAHeader)
{
    EXPECT_EQ(502, httpGet(port(), "/cgi-bin/silent.sh").status);
    EXPECT_EQ(Lines{ line("cgi \"" + dir() + "/cgi-bin/silent.sh\" prematurely closed connection"
                      " while reading response header from upstream",
                  "GET /cgi-bin/silent.sh HTTP/1.1") },
        linesFor("GET /cgi-bin/silent.sh HTTP/1.1"));
}

TEST_F(ErrorLogTest, ScriptSendsAnInvalidHeader)
{
    EXPECT_EQ(502, httpGet(port(), "/cgi-bin/invalid.sh").status);
    EXPECT_EQ(Lines{ line("cgi \"" + dir() + "/cgi-bin/invalid.sh\" sent invalid header"
                      " while reading response header from upstream",
                  "GET /cgi-bin/invalid.sh HTTP/1.1") },
        linesFor("GET /cgi-bin/invalid.sh HTTP/1.1"));
}

TEST_F(ErrorLogTest, ScriptSendsTooBigAHeader)
{
    EXPECT_EQ(502, httpGet(port(), "/cgi-bin/huge.sh").status);
    EXPECT_EQ(Lines{ line("cgi \"" + dir() + "/cgi-bin/huge.sh\" sent too big header"
                      " while reading response header from upstream",
                  "GET /cgi-bin/huge.sh HTTP/1.1") },
        linesFor("GET /cgi-bin/huge.sh HTTP/1.1"));
}

TEST_F(ErrorLogTest, LocalRedirectCycle)
{
    EXPECT_EQ(500, httpGet(port(), "/cgi-bin/loop.sh").status);
    EXPECT_EQ(Lines{ line("rewrite or internal redirection cycle while internally redirecting to"
                      " \"/cgi-bin/loop.sh\"",
                  "GET /cgi-bin/loop.sh HTTP/1.1") },
        linesFor("GET /cgi-bin/loop.sh HTTP/1.1"));
}

TEST_F(ErrorLogTest, DeleteRefusals)
{
    EXPECT_EQ(403, request(port(), "DELETE", "/store/sub").status);
    EXPECT_EQ(Lines{ line("DELETE \"" + dir() + "/www/store/sub\" failed (21: Is a directory)",
                  "DELETE /store/sub HTTP/1.1") },
        linesFor("DELETE /store/sub HTTP/1.1"));
    EXPECT_EQ(403, request(port(), "DELETE", "/store/sub/x.txt").status);
    EXPECT_EQ(Lines{ line("DELETE \"" + dir() + "/www/store/sub/x.txt\" is not a file directly in the"
                      " upload store \"" + dir() + "/www/store\"",
                  "DELETE /store/sub/x.txt HTTP/1.1") },
        linesFor("DELETE /store/sub/x.txt HTTP/1.1"));
    // nginx's dav module logs a missing file too.
    EXPECT_EQ(404, request(port(), "DELETE", "/store/gone.txt").status);
    EXPECT_EQ(Lines{ line("lstat() \"" + dir() + "/www/store/gone.txt\" failed (2: No such file or directory)",
                  "DELETE /store/gone.txt HTTP/1.1") },
        linesFor("DELETE /store/gone.txt HTTP/1.1"));
}

}
