// Security properties (issue 7 item 5) against the real server:
//
// - path traversal in every spelling (../, %2e%2e, %2f, %5c, double
//   encoding, overlong UTF-8, NUL, ..;/, trailing dots) across static GET
//   (root and alias locations), DELETE in an upload store, upload names
//   (multipart filename and raw POST path) and CGI PATH_INFO;
// - symbolic links under `disable_symlinks on` (this server's setting; the
//   default follows them, StaticTest SymlinksAreFollowedByDefault): refused,
//   403, whether they lead out of the root or not: files, directories,
//   listings, index files, error pages, CGI scripts; and whatever the
//   setting, DELETE through a link (the link goes, never its target) and
//   uploads onto a link's name (the target is never written);
// - escaping: autoindex names, error pages, redirects, upload answers
//   (no HTML or header injection from a name or a request);
// - session IDs: unpredictable and never logged;
// - uploads never overwrite the server's own files (its config, its CGI
//   scripts).
//
// Sentinel files live outside every root. Every response is checked not to
// carry a sentinel's content, and after every test the whole temporary
// tree is compared with a snapshot taken before it: nothing outside the
// places a test may write (the upload stores) was created, changed or
// removed. Contract: tests/contract/HTTP.md ("Paths", "Handlers",
// "Sessions"), README ("Uploads and DELETE", "CGI"); where both are
// silent, nginx 1.22 as noted.
//
// Sync points: every request is read to the end of its response on its own
// connection; log contents are read after a marker request's access log
// line has been waited for.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "support/Bodies.hpp"
#include "support/HttpClient.hpp"
#include "support/ServerProcess.hpp"
#include "support/TempDir.hpp"
#include "support/TestText.hpp"

namespace {

const char* kConfig = R"(
server {
    listen 127.0.0.1:{PORT};
    server_name localhost;
    root {DIR}/site/www;
    disable_symlinks on;
    location / { autoindex on; }
    location /alias/ { alias {DIR}/site/aliased/; autoindex on; }
    location /img { alias {DIR}/site/img/; }
    location /store/ {
        allow_methods GET POST DELETE;
        upload_store {DIR}/site/www/store;
        autoindex on;
    }
    location /conf/ {
        allow_methods POST;
        upload_store {DIR};
    }
    location /cgi-store/ {
        allow_methods POST;
        upload_store {DIR}/site/cgi-bin;
    }
    location /cgi-bin/ {
        root {DIR}/site;
        allow_methods GET POST;
        cgi .sh;
    }
    location /ep/ { error_page 404 /ep/404.html; }
    location = /quoted { return 301 "/q\"<script>x"; }
    location /s/ { session on; }
    location /s-cgi/ {
        root {DIR}/site;
        session on;
        cgi .sh;
    }
}
)";

// Each variable the script got, as NAME=HEX (its bytes in hex, so that any
// byte survives the trip).
const char* kInfoSh = "#!/bin/sh\n"
                      "printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                      "for name in PATH_INFO PATH_TRANSLATED SCRIPT_FILENAME SCRIPT_NAME DOCUMENT_ROOT; do\n"
                      "    if eval \"[ \\\"\\${$name+set}\\\" = set ]\"; then\n"
                      "        eval \"value=\\$$name\"\n"
                      "        printf '%s=' \"$name\"\n"
                      "        printf '%s' \"$value\" | od -An -v -tx1 | tr -d ' \\n'\n"
                      "        printf '\\n'\n"
                      "    fi\n"
                      "done\n";

const char* kSessionSh = "#!/bin/sh\n"
                         "printf 'Content-Type: text/plain\\r\\n\\r\\nsession script\\n'\n";

const std::string kBoundary = "----SecurityTestBoundary7MA4YWxk";

// The marker every sentinel's content starts with; no response may carry it.
const std::string kSentinel = "SENTINEL";
const std::string kTopSecret = "SENTINEL top secret\n";
const std::string kSiteSecret = "SENTINEL site secret\n";
const std::string kOutside = "SENTINEL outside\n";
const std::string kOutsideSwap = "SENTINEL swap target\n";
const std::string kOutsideDeep = "SENTINEL deep\n";

// Names with everything HTML cares about (no '/', which a name cannot hold).
const std::vector<std::string> kHostileNames = {
    "<script>alert(1)<.txt",
    "\"onmouseover=\"alert(2).txt",
    "a&b&amp;.txt",
    "it's <b>bold<b>.txt",
    "'><img src=x onerror=alert(5)>.txt",
};
const std::string kHostileDir = "<script>dir\"'&";

// ---------------------------------------------------------------- disk

bool exists(const std::string& path)
{
    struct stat info;
    return lstat(path.c_str(), &info) == 0;
}

bool isSymlink(const std::string& path)
{
    struct stat info;
    return lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

bool isRegular(const std::string& path)
{
    struct stat info;
    return lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::string linkTarget(const std::string& path)
{
    char buffer[4096];
    ssize_t n = readlink(path.c_str(), buffer, sizeof buffer);
    return n < 0 ? std::string() : std::string(buffer, static_cast<size_t>(n));
}

void makeLink(const std::string& target, const std::string& path)
{
    ASSERT_EQ(0, symlink(target.c_str(), path.c_str())) << path;
}

// Every entry below root (links not followed), relative path -> what it is:
// "d", "l:TARGET" or "f:MODE:CONTENT".
typedef std::map<std::string, std::string> Snapshot;

void snapshotInto(const std::string& root, const std::string& relative, Snapshot* out)
{
    std::string dirPath = relative.empty() ? root : root + "/" + relative;
    for (const std::string& name : listDirectory(dirPath)) {
        std::string rel = relative.empty() ? name : relative + "/" + name;
        std::string full = root + "/" + rel;
        struct stat info;
        if (lstat(full.c_str(), &info) != 0)
            continue;
        if (S_ISLNK(info.st_mode)) {
            (*out)[rel] = "l:" + linkTarget(full);
        } else if (S_ISDIR(info.st_mode)) {
            (*out)[rel] = "d";
            snapshotInto(root, rel, out);
        } else {
            (*out)[rel] = "f:" + std::to_string(info.st_mode & 07777) + ":" + readFile(full);
        }
    }
}

Snapshot snapshot(const std::string& root)
{
    Snapshot out;
    snapshotInto(root, "", &out);
    return out;
}

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

std::string printable(const std::string& s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out += static_cast<char>(c);
        } else {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
            out += buffer;
        }
    }
    return out;
}

// ---------------------------------------------------------------- text

std::string htmlEscape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string percentDecode(const std::string& s)
{
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1]))
            && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string fromHex(const std::string& hex)
{
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        if (!std::isxdigit(static_cast<unsigned char>(hex[i]))
            || !std::isxdigit(static_cast<unsigned char>(hex[i + 1])))
            return out + "<not hex>";
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
}

// Removes dot segments the way a file system would resolve them lexically;
// "" when the path climbs above "/".
std::string lexicallyNormal(const std::string& path)
{
    std::vector<std::string> segments;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string::npos)
            slash = path.size();
        std::string segment = path.substr(pos, slash - pos);
        if (segment == "..") {
            if (segments.empty())
                return "";
            segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        pos = slash + 1;
    }
    std::string out;
    for (const std::string& segment : segments)
        out += "/" + segment;
    return out.empty() ? "/" : out;
}

// Every href="..." value of an HTML page.
std::vector<std::string> hrefs(const std::string& html)
{
    std::vector<std::string> out;
    std::regex href("href=\"([^\"]*)\"");
    for (std::sregex_iterator it(html.begin(), html.end(), href), end; it != end; ++it)
        out.push_back((*it)[1]);
    return out;
}

// ---------------------------------------------------------------- requests

// One file field "file" whose filename parameter is written as given
// (filename="...", filename*=..., or several).
std::string multipart(const std::string& filenameParameter, const std::string& data)
{
    return multipartBody(kBoundary, { FormPart { "name=\"file\"; " + filenameParameter,
        "application/octet-stream", data } });
}

// The "name" values of a JSON upload answer, as written (escapes kept).
std::vector<std::string> jsonNames(const std::string& json)
{
    std::vector<std::string> names;
    std::regex name("\"name\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    for (std::sregex_iterator it(json.begin(), json.end(), name), end; it != end; ++it)
        names.push_back((*it)[1]);
    return names;
}

class SecurityTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        server_ = new ServerProcess(kConfig, [](const TempDir& dir) {
            // Outside every root.
            dir.write("secret.txt", kTopSecret);
            dir.write("site/secret.txt", kSiteSecret);
            dir.write("outside/sentinel.txt", kOutside);
            dir.write("outside/f.txt", kOutsideSwap);
            dir.write("outside/sub/deep.txt", kOutsideDeep);
            dir.write("outside/evil.sh", "#!/bin/sh\ntouch '" + dir.file("outside/ran-evil") + "'\n"
                "printf 'Content-Type: text/plain\\r\\n\\r\\nSENTINEL evil script ran\\n'\n", 0755);
            // The document root.
            dir.write("site/www/index.html", "home");
            dir.write("site/www/plain.txt", "plain");
            dir.write("site/www/files/doc.txt", "doc");
            dir.write("site/www/s/index.html", "session page");
            dir.write("site/www/swap.txt", "inside\n");
            dir.write("site/www/swapdir/f.txt", "inside dir\n");
            dir.write("site/www/ep/present.txt", "present");
            dir.mkdir("site/www/idx");
            dir.mkdir("site/www/redir/a\"b");
            dir.mkdir("site/www/redir/c\r\nX-Injected: 1");
            for (const std::string& name : kHostileNames)
                dir.write("site/www/names/" + name, "n");
            dir.write("site/www/names/" + kHostileDir + "/inner.txt", "i");
            makeLink("plain.txt", dir.file("site/www/inner-link.txt"));
            makeLink(dir.file("outside/sentinel.txt"), dir.file("site/www/file-link"));
            makeLink("../../outside/sentinel.txt", dir.file("site/www/rel-link.txt"));
            makeLink(dir.file("outside"), dir.file("site/www/dir-link"));
            // (TempDir removes with FTW_PHYS: links are removed, never followed.)
            makeLink("/etc", dir.file("site/www/root-link"));
            makeLink(dir.file("outside/sentinel.txt"), dir.file("site/www/idx/index.html"));
            makeLink(dir.file("outside/sentinel.txt"), dir.file("site/www/ep/404.html"));
            // The alias roots.
            dir.write("site/aliased/a.txt", "alias file");
            makeLink(dir.file("outside/sentinel.txt"), dir.file("site/aliased/alias-link"));
            dir.write("site/img/pic.txt", "pic");
            // The upload store.
            dir.write("site/www/store/keep.txt", "keep");
            makeLink(dir.file("outside/sentinel.txt"), dir.file("site/www/store/victim-m.txt"));
            makeLink(dir.file("outside/sentinel.txt"), dir.file("site/www/store/victim-r.txt"));
            makeLink(dir.file("outside/created-m.txt"), dir.file("site/www/store/dangling-m.txt"));
            makeLink(dir.file("outside/created-r.txt"), dir.file("site/www/store/dangling-r.txt"));
            makeLink(dir.file("outside"), dir.file("site/www/store/dir-link"));
            makeLink(dir.file("outside/sentinel.txt"), dir.file("site/www/store/del-link"));
            makeLink(dir.file("outside"), dir.file("site/www/store/del-dir-link"));
            // CGI.
            dir.write("site/cgi-bin/info.sh", kInfoSh, 0755);
            makeLink(dir.file("outside/evil.sh"), dir.file("site/cgi-bin/evil.sh"));
            makeLink(dir.file("outside"), dir.file("site/cgi-bin/outdir"));
            dir.write("site/s-cgi/who.sh", kSessionSh, 0755);
        });
    }
    static void TearDownTestSuite()
    {
        delete server_;
        server_ = nullptr;
    }

    void SetUp() override
    {
        before_ = snapshot(dir());
        config_ = readFile(dir() + "/webserv.conf");
        ASSERT_NE("", config_);
    }

    // Nothing outside the places this test may write has changed.
    void TearDown() override
    {
        Snapshot after = snapshot(dir());
        for (const auto& entry : before_) {
            if (mayChange(entry.first))
                continue;
            auto now = after.find(entry.first);
            if (now == after.end())
                ADD_FAILURE() << "removed: " << printable(entry.first);
            else if (now->second != entry.second)
                ADD_FAILURE() << "changed: " << printable(entry.first) << " now "
                              << printable(now->second.substr(0, 80));
        }
        for (const auto& entry : after)
            if (!before_.count(entry.first) && !mayChange(entry.first))
                ADD_FAILURE() << "created: " << printable(entry.first) << " "
                              << printable(entry.second.substr(0, 80));
        // The sentinels, by name, whatever the test allowed.
        EXPECT_EQ(kTopSecret, readFile(dir() + "/secret.txt"));
        EXPECT_EQ(kSiteSecret, readFile(dir() + "/site/secret.txt"));
        EXPECT_EQ(kOutside, readFile(dir() + "/outside/sentinel.txt"));
        EXPECT_EQ(kOutsideSwap, readFile(dir() + "/outside/f.txt"));
        EXPECT_EQ(kOutsideDeep, readFile(dir() + "/outside/sub/deep.txt"));
        EXPECT_FALSE(exists(dir() + "/outside/ran-evil")) << "a script outside the cgi root ran";
        EXPECT_EQ(config_, readFile(dir() + "/webserv.conf"));
        EXPECT_TRUE(server_->alive());
    }

    bool mayChange(const std::string& relative) const
    {
        if (startsWith(relative, "site/www/store/"))
            return true;
        for (const std::string& prefix : mayWrite_)
            if (startsWith(relative, prefix))
                return true;
        return false;
    }

    static int port() { return server_->port(); }
    static const std::string& dir() { return server_->dir().path(); }
    static std::string store() { return dir() + "/site/www/store"; }

    // One request on a fresh connection, read whole; checked to carry no
    // sentinel (nor /etc/passwd).
    static HttpResponse request(const std::string& method, const std::string& target,
        const std::string& extra = "", const std::string& body = "")
    {
        TestClient client(port());
        std::string head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra;
        if (!body.empty() || method == "POST")
            head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        client.send(head + "Connection: close\r\n\r\n" + body);
        HttpResponse r = client.read(method == "HEAD");
        EXPECT_EQ(std::string::npos, r.raw.find(kSentinel)) << method << " " << printable(target)
                                                            << "\n" << r.raw;
        EXPECT_EQ(std::string::npos, r.raw.find("root:x:0:0")) << method << " " << printable(target);
        return r;
    }
    static HttpResponse get(const std::string& target, const std::string& extra = "")
    {
        return request("GET", target, extra);
    }
    static HttpResponse postMultipart(const std::string& target, const std::string& filenameParameter,
        const std::string& data, bool json = true)
    {
        return request("POST", target, "Content-Type: multipart/form-data; boundary=" + kBoundary
            + "\r\n" + (json ? "Accept: application/json\r\n" : ""), multipart(filenameParameter, data));
    }

    static std::string accessLogAfterSync()
    {
        static int sequence = 0;
        std::string marker = "/sync-" + std::to_string(++sequence);
        EXPECT_EQ(404, get(marker).status);
        EXPECT_TRUE(server_->waitForOut("\"GET " + marker + " HTTP/1.1\"")) << server_->out();
        return server_->out();
    }

    static ServerProcess* server_;
    Snapshot before_;
    std::string config_;
    std::vector<std::string> mayWrite_;
};

ServerProcess* SecurityTest::server_ = nullptr;

struct Expected {
    std::string target;
    int status;
    std::string body;     // checked when not empty
};

// ================================================================ traversal: static

TEST_F(SecurityTest, TraversalInTheRootLocationNeverLeavesTheRoot)
{
    // tests/contract/HTTP.md ("Paths"): a path that would leave the root
    // never reaches the file system outside it: 400 (climbs above "/" after
    // decoding) or 404 (a name that only looks like "..": %5c, double
    // encoding, overlong UTF-8, "..;" are plain bytes of a file name on
    // Linux, as in nginx).
    const std::vector<Expected> cases = {
        { "/../secret.txt", 400, "" },
        { "/../../secret.txt", 400, "" },
        { "/files/../../secret.txt", 400, "" },
        { "/files/../../../secret.txt", 400, "" },
        { "/%2e%2e/secret.txt", 400, "" },
        { "/%2E%2e/%2e%2E/secret.txt", 400, "" },
        { "/files/%2e%2e/%2e%2e/%2e%2e/secret.txt", 400, "" },
        { "/..%2f..%2fsecret.txt", 400, "" },
        { "/files%2f..%2f..%2f..%2fsecret.txt", 400, "" },
        { "/%2f..%2f..%2fsecret.txt", 400, "" },
        { "//../../secret.txt", 400, "" },
        { "/./.././../secret.txt", 400, "" },
        { "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", 400, "" },
        { "/..%5c..%5csecret.txt", 404, "" },
        { "/files/..%5c..%5c..%5csecret.txt", 404, "" },
        { "/..\\..\\secret.txt", 404, "" },
        { "/%252e%252e/%252e%252e/secret.txt", 404, "" },
        { "/%252e%252e%252f%252e%252e%252fsecret.txt", 404, "" },
        { "/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt", 404, "" },
        { "/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afsecret.txt", 404, "" },
        { "/%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/secret.txt", 404, "" },
        { "/..;/..;/secret.txt", 404, "" },
        { "/files/..;/..;/secret.txt", 404, "" },
        { "/.../secret.txt", 404, "" },
        { "/..../..../secret.txt", 404, "" },
        { "/files/doc.txt.", 404, "" },
        { "/files/doc.txt..", 404, "" },
        { "/files/doc.txt%20", 404, "" },
        { "/files./doc.txt", 404, "" },
        { "/secret.txt", 404, "" },
        // NUL never reaches a file name (tests/contract/HTTP.md "Paths": a NUL is a 400).
        { "/secret.txt%00", 400, "" },
        { "/plain.txt%00.html", 400, "" },
        { "/%00/../secret.txt", 400, "" },
        // Dot segments that stay inside are fine.
        { "/files/..", 200, "home" },
        { "/files/./../plain.txt", 200, "plain" },
        { "/files/%2e%2e/plain.txt", 200, "plain" },
        { "http://localhost/../secret.txt", 400, "" },
        { "http://localhost/%2e%2e/%2e%2e/secret.txt", 400, "" },
    };
    for (const Expected& c : cases) {
        HttpResponse r = get(c.target);
        EXPECT_EQ(c.status, r.status) << printable(c.target);
        if (!c.body.empty()) {
            EXPECT_EQ(c.body, r.body) << printable(c.target);
        }
    }
}

TEST_F(SecurityTest, TraversalInAliasLocationsNeverLeavesTheAlias)
{
    const std::vector<Expected> cases = {
        { "/alias/a.txt", 200, "alias file" },
        // Normalised first: "/secret.txt" of the root location (none there).
        { "/alias/../secret.txt", 404, "" },
        { "/alias/..%2fsecret.txt", 404, "" },
        { "/alias/%2e%2e/secret.txt", 404, "" },
        { "/alias/%2e%2e/%2e%2e/secret.txt", 400, "" },
        { "/alias/..%2f..%2f..%2fsecret.txt", 400, "" },
        { "/alias/..%5csecret.txt", 404, "" },
        { "/alias/..%5c..%5csecret.txt", 404, "" },
        { "/alias/%252e%252e/secret.txt", 404, "" },
        { "/alias/%c0%ae%c0%ae/secret.txt", 404, "" },
        { "/alias/..;/secret.txt", 404, "" },
        { "/alias/secret.txt%00", 400, "" },
        { "/alias../secret.txt", 404, "" },
        // `location /img` with `alias .../img/`: the nginx "off by slash"
        // trap. "/img../secret.txt" would be ALIAS/../secret.txt, which is
        // site/secret.txt. README: answered 404.
        { "/img/pic.txt", 200, "pic" },
        { "/img../secret.txt", 404, "" },
        { "/img..%2fsecret.txt", 404, "" },
        { "/img%2e%2e/secret.txt", 404, "" },
        { "/img%2f..%2fsecret.txt", 404, "" },
        { "/img../img/pic.txt", 404, "" },
    };
    for (const Expected& c : cases) {
        HttpResponse r = get(c.target);
        EXPECT_EQ(c.status, r.status) << printable(c.target);
        if (!c.body.empty()) {
            EXPECT_EQ(c.body, r.body) << printable(c.target);
        }
    }
}

// ================================================================ traversal: DELETE

TEST_F(SecurityTest, DeleteNeverRemovesAnythingOutsideTheStore)
{
    const std::vector<Expected> cases = {
        // Normalised to a path of the root location, which allows no DELETE.
        { "/store/../secret.txt", 405, "" },
        { "/store/..%2fplain.txt", 405, "" },
        { "/store/%2E%2e/plain.txt", 405, "" },
        // Climbing above "/".
        { "/store/..%2f..%2f..%2fsecret.txt", 400, "" },
        { "/store/%2e%2e/%2e%2e/%2e%2e/secret.txt", 400, "" },
        { "/store/../../../secret.txt", 400, "" },
        // Names that only look like a way out: not in the store.
        { "/store/..%5c..%5c..%5csecret.txt", 404, "" },
        { "/store/%252e%252e%252fkeep.txt", 404, "" },
        { "/store/%c0%ae%c0%ae%c0%afkeep.txt", 404, "" },
        { "/store/keep.txt.", 404, "" },
        { "/store/keep.txt...", 404, "" },
        { "/store/...", 404, "" },
        { "/store/keep.txt%00", 400, "" },
        // Deeper than the store's own entries, or the store itself: 403.
        { "/store/..;/secret.txt", 403, "" },
        { "/store/..;/..;/secret.txt", 403, "" },
        { "/store/dir-link/sentinel.txt", 403, "" },
        { "/store/dir-link/sub/deep.txt", 403, "" },
        { "/store/del-dir-link/sentinel.txt", 403, "" },
        { "/store/", 403, "" },
        { "/store/.", 403, "" },
        { "/store/%2e", 403, "" },
    };
    for (const Expected& c : cases) {
        HttpResponse r = request("DELETE", c.target);
        EXPECT_EQ(c.status, r.status) << "DELETE " << printable(c.target);
    }
    EXPECT_EQ("keep", readFile(store() + "/keep.txt"));
    EXPECT_TRUE(isSymlink(store() + "/dir-link"));
    EXPECT_TRUE(isSymlink(store() + "/del-dir-link"));
}

TEST_F(SecurityTest, DeleteThroughALinkRemovesTheLinkNeverItsTarget)
{
    HttpResponse file = request("DELETE", "/store/del-link");
    EXPECT_EQ(204, file.status) << file.raw;
    EXPECT_FALSE(exists(store() + "/del-link"));
    HttpResponse directory = request("DELETE", "/store/del-dir-link");
    EXPECT_EQ(204, directory.status) << directory.raw;
    EXPECT_FALSE(exists(store() + "/del-dir-link"));
    // TearDown: outside/sentinel.txt and outside/ are intact.
    EXPECT_EQ(kOutside, readFile(dir() + "/outside/sentinel.txt"));
}

// ================================================================ traversal: uploads

TEST_F(SecurityTest, MultipartFilenamesAreStoredDirectlyInTheStore)
{
    struct Name {
        std::string parameter;    // as it goes into Content-Disposition
        std::string stored;       // the name it must get ("" = a generated one)
    };
    // README: only the last path component is kept, without control bytes
    // or leading dots.
    const std::vector<Name> cases = {
        { "filename=\"../up1.txt\"", "up1.txt" },
        { "filename=\"../../../../../up2.txt\"", "up2.txt" },
        { "filename=\"..\\..\\up3.txt\"", "up3.txt" },
        { "filename=\"/etc/up4.txt\"", "up4.txt" },
        { "filename=\"C:\\Windows\\up5.ini\"", "up5.ini" },
        { "filename=\"....//....//up6.txt\"", "up6.txt" },
        { "filename=\"..;/up7.txt\"", "up7.txt" },
        { "filename=\"dir-link/up8.txt\"", "up8.txt" },
        { "filename=\"\xc0\xae\xc0\xae/up9.txt\"", "up9.txt" },
        // Not decoded: a plain (odd) name in the store.
        { "filename=\"%2e%2e%2fup10.txt\"", "%2e%2e%2fup10.txt" },
        { "filename=\"..%2fup11.txt\"", "%2fup11.txt" },
        { "filename=\"up12.txt.\"", "up12.txt." },
        { "filename=\".htaccess\"", "htaccess" },
        // RFC 5987 names are decoded, then sanitised the same way.
        { "filename*=UTF-8''..%2F..%2Fup13.txt", "up13.txt" },
        { "filename*=UTF-8''up%00%0a14.txt", "up14.txt" },
        // Nothing left of the name: a generated one.
        { "filename=\"..\"", "" },
        { "filename=\".\"", "" },
        { "filename=\"../\"", "" },
        { "filename*=UTF-8''%2E%2E", "" },
    };
    for (const Name& c : cases) {
        std::set<std::string> before;
        for (const auto& entry : snapshot(store()))
            before.insert(entry.first);
        HttpResponse r = postMultipart("/store/", c.parameter, "data of " + c.parameter);
        ASSERT_EQ(201, r.status) << printable(c.parameter) << "\n" << r.raw;
        std::vector<std::string> names = jsonNames(r.body);
        ASSERT_EQ(1u, names.size()) << r.body;
        if (!c.stored.empty()) {
            EXPECT_EQ(c.stored, names[0]) << printable(c.parameter);
        }
        std::set<std::string> added;
        for (const auto& entry : snapshot(store()))
            if (!before.count(entry.first))
                added.insert(entry.first);
        ASSERT_EQ(1u, added.size()) << printable(c.parameter);
        const std::string& name = *added.begin();
        EXPECT_EQ(std::string::npos, name.find('/')) << printable(name);
        EXPECT_TRUE(isRegular(store() + "/" + name)) << printable(name);
        EXPECT_EQ("data of " + c.parameter, readFile(store() + "/" + name)) << printable(name);
        if (!c.stored.empty()) {
            EXPECT_EQ(c.stored, name);
        }
    }
}

TEST_F(SecurityTest, RawUploadPathsNameAPlainFileDirectlyInTheStore)
{
    const std::vector<Expected> cases = {
        // Normalised out of the store: the root location takes no POST.
        { "/store/..%2fplain.txt", 405, "" },
        { "/store/../raw.txt", 405, "" },
        { "/store/%2e%2e/raw.txt", 405, "" },
        // Climbing above "/".
        { "/store/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt", 400, "" },
        { "/store/..%2f..%2f..%2fwebserv.conf", 400, "" },
        // Not a plain name directly in the store: 403 (README).
        { "/store/..%5csecret.txt", 403, "" },
        { "/store/.hidden", 403, "" },
        { "/store/...", 403, "" },
        { "/store/..;/raw.txt", 403, "" },
        { "/store/dir-link/raw.txt", 403, "" },
        { "/store/dir-link/created-raw.txt", 403, "" },
        // NUL.
        { "/store/raw.txt%00", 400, "" },
        { "/store/raw.txt%00.jpg", 400, "" },
    };
    for (const Expected& c : cases) {
        HttpResponse r = request("POST", c.target, "", "raw body");
        EXPECT_EQ(c.status, r.status) << "POST " << printable(c.target) << "\n" << r.raw;
    }
    // Double encoding is one plain (odd) name, stored as such.
    HttpResponse odd = request("POST", "/store/%252e%252e%252fraw1.txt", "", "odd");
    EXPECT_EQ(201, odd.status) << odd.raw;
    EXPECT_EQ("odd", readFile(store() + "/%2e%2e%2fraw1.txt"));
    EXPECT_FALSE(exists(dir() + "/outside/created-raw.txt"));
}

TEST_F(SecurityTest, UploadOntoASymlinksNameNeverWritesItsTarget)
{
    HttpResponse m = postMultipart("/store/", "filename=\"victim-m.txt\"", "overwrite?");
    ASSERT_EQ(201, m.status) << m.raw;
    EXPECT_EQ(std::vector<std::string>{ "victim-m-1.txt" }, jsonNames(m.body));
    EXPECT_EQ("overwrite?", readFile(store() + "/victim-m-1.txt"));
    HttpResponse r = request("POST", "/store/victim-r.txt", "Accept: application/json\r\n", "overwrite?");
    ASSERT_EQ(201, r.status) << r.raw;
    EXPECT_EQ(std::vector<std::string>{ "victim-r-1.txt" }, jsonNames(r.body));
    // A dangling link: following it would create a file outside.
    HttpResponse dm = postMultipart("/store/", "filename=\"dangling-m.txt\"", "create?");
    ASSERT_EQ(201, dm.status) << dm.raw;
    EXPECT_EQ(std::vector<std::string>{ "dangling-m-1.txt" }, jsonNames(dm.body));
    HttpResponse dr = request("POST", "/store/dangling-r.txt", "Accept: application/json\r\n", "create?");
    ASSERT_EQ(201, dr.status) << dr.raw;
    EXPECT_EQ(std::vector<std::string>{ "dangling-r-1.txt" }, jsonNames(dr.body));
    EXPECT_FALSE(exists(dir() + "/outside/created-m.txt"));
    EXPECT_FALSE(exists(dir() + "/outside/created-r.txt"));
    // The links themselves are untouched.
    EXPECT_EQ(dir() + "/outside/sentinel.txt", linkTarget(store() + "/victim-m.txt"));
    EXPECT_EQ(dir() + "/outside/created-m.txt", linkTarget(store() + "/dangling-m.txt"));
}

TEST_F(SecurityTest, UploadsNeverOverwriteTheConfig)
{
    // upload_store is the directory that holds webserv.conf.
    mayWrite_ = { "webserv-" };
    HttpResponse raw = request("POST", "/conf/webserv.conf", "Accept: application/json\r\n", "# pwned\n");
    ASSERT_EQ(201, raw.status) << raw.raw;
    EXPECT_EQ(std::vector<std::string>{ "webserv-1.conf" }, jsonNames(raw.body));
    EXPECT_EQ("http://localhost:" + std::to_string(port()) + "/conf/webserv-1.conf",
        raw.header("Location"));
    EXPECT_EQ("# pwned\n", readFile(dir() + "/webserv-1.conf"));
    HttpResponse form = postMultipart("/conf/", "filename=\"webserv.conf\"", "# pwned 2\n");
    ASSERT_EQ(201, form.status) << form.raw;
    EXPECT_EQ(std::vector<std::string>{ "webserv-2.conf" }, jsonNames(form.body));
    HttpResponse up = postMultipart("/conf/", "filename=\"../webserv.conf\"", "# pwned 3\n");
    ASSERT_EQ(201, up.status) << up.raw;
    EXPECT_EQ(std::vector<std::string>{ "webserv-3.conf" }, jsonNames(up.body));
    // From a store below it, "../webserv.conf" is only a name in that store.
    HttpResponse below = postMultipart("/store/", "filename=\"../../../webserv.conf\"", "# pwned 4\n");
    ASSERT_EQ(201, below.status) << below.raw;
    EXPECT_EQ(std::vector<std::string>{ "webserv.conf" }, jsonNames(below.body));
    EXPECT_EQ("# pwned 4\n", readFile(store() + "/webserv.conf"));
    // The raw path out of the store is normalised away from it.
    EXPECT_EQ(405, request("POST", "/conf/..%2fwebserv.conf", "", "# pwned 5\n").status);
    EXPECT_EQ(405, request("POST", "/conf/%2e%2e/webserv.conf", "", "# pwned 6\n").status);
    // TearDown: webserv.conf has its original bytes.
    EXPECT_EQ(config_, readFile(dir() + "/webserv.conf"));
}

TEST_F(SecurityTest, UploadsNeverOverwriteACgiScript)
{
    mayWrite_ = { "site/cgi-bin/info-" };
    HttpResponse form = postMultipart("/cgi-store/", "filename=\"info.sh\"", "#!/bin/sh\necho pwned\n");
    ASSERT_EQ(201, form.status) << form.raw;
    EXPECT_EQ(std::vector<std::string>{ "info-1.sh" }, jsonNames(form.body));
    HttpResponse raw = request("POST", "/cgi-store/info.sh", "Accept: application/json\r\n",
        "#!/bin/sh\necho pwned\n");
    ASSERT_EQ(201, raw.status) << raw.raw;
    EXPECT_EQ(std::vector<std::string>{ "info-2.sh" }, jsonNames(raw.body));
    EXPECT_EQ(kInfoSh, readFile(dir() + "/site/cgi-bin/info.sh"));
    // An upload is never executable.
    EXPECT_NE(0, access((dir() + "/site/cgi-bin/info-1.sh").c_str(), X_OK));
}

// ================================================================ traversal: CGI

struct CgiVars {
    int status = 0;
    std::map<std::string, std::string> vars;
};

CgiVars cgiVars(const HttpResponse& r)
{
    CgiVars out;
    out.status = r.status;
    if (r.status != 200)
        return out;
    size_t pos = 0;
    while (pos < r.body.size()) {
        size_t end = r.body.find('\n', pos);
        if (end == std::string::npos)
            end = r.body.size();
        std::string line = r.body.substr(pos, end - pos);
        size_t eq = line.find('=');
        if (eq != std::string::npos)
            out.vars[line.substr(0, eq)] = fromHex(line.substr(eq + 1));
        pos = end + 1;
    }
    return out;
}

TEST_F(SecurityTest, CgiPathInfoMayHoldAnythingButNeverLeadsOut)
{
    struct Case {
        std::string target;
        int status;
        std::string pathInfo;    // for a 200
    };
    const std::vector<Case> cases = {
        { "/cgi-bin/info.sh/plain/x", 200, "/plain/x" },
        { "/cgi-bin/info.sh/..%5c..%5csecret.txt", 200, "/..\\..\\secret.txt" },
        { "/cgi-bin/info.sh/%252e%252e/%252e%252e/secret.txt", 200, "/%2e%2e/%2e%2e/secret.txt" },
        { "/cgi-bin/info.sh/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt", 200,
          "/\xc0\xae\xc0\xae/\xc0\xae\xc0\xae/secret.txt" },
        { "/cgi-bin/info.sh/..;/..;/secret.txt", 200, "/..;/..;/secret.txt" },
        { "/cgi-bin/info.sh/.../..../secret.txt", 200, "/.../..../secret.txt" },
        { "/cgi-bin/info.sh/trailing./dots..", 200, "/trailing./dots.." },
        { "/cgi-bin/info.sh/%2fetc%2fpasswd", 200, "/etc/passwd" },
        { "/cgi-bin/info.sh//double//slash/", 200, "/double/slash/" },
        { "/cgi-bin/info.sh/a/./b/../c", 200, "/a/c" },
        { "/cgi-bin/info.sh/a/%2e%2e/b", 200, "/b" },
        { "/cgi-bin/info.sh/%3Cscript%3E%22", 200, "/<script>\"" },
        // Dot segments are removed before the script is found: these name
        // no script at all.
        { "/cgi-bin/info.sh/a/b/../../../secret.txt", 404, "" },
        { "/cgi-bin/info.sh/a/..%2f..%2f..%2fsecret.txt", 404, "" },
        { "/cgi-bin/info.sh/../../../secret.txt", 400, "" },
        { "/cgi-bin/info.sh/%2e%2e/%2e%2e/%2e%2e/secret.txt", 400, "" },
        { "/cgi-bin/info.sh/x%00y", 400, "" },
        // A script outside the cgi root: never reached.
        { "/cgi-bin/../../outside/evil.sh", 400, "" },
        { "/cgi-bin/%2e%2e/%2e%2e/outside/evil.sh", 400, "" },
        { "/cgi-bin/..%2f..%2foutside%2fevil.sh", 400, "" },
        { "/cgi-bin/..%5c..%5coutside%5cevil.sh", 404, "" },
        // ...and not through a link inside it either (the decided rule).
        { "/cgi-bin/evil.sh", 403, "" },
        { "/cgi-bin/evil.sh/more", 403, "" },
        { "/cgi-bin/outdir/evil.sh", 403, "" },
    };
    const std::string documentRoot = dir() + "/site";
    for (const Case& c : cases) {
        CgiVars v = cgiVars(get(c.target));
        EXPECT_EQ(c.status, v.status) << printable(c.target);
        if (v.status != 200)
            continue;
        EXPECT_EQ(documentRoot + "/cgi-bin/info.sh", v.vars["SCRIPT_FILENAME"]) << printable(c.target);
        EXPECT_EQ("/cgi-bin/info.sh", v.vars["SCRIPT_NAME"]) << printable(c.target);
        EXPECT_EQ(documentRoot, v.vars["DOCUMENT_ROOT"]) << printable(c.target);
        EXPECT_EQ(c.pathInfo, v.vars["PATH_INFO"]) << printable(c.target);
        // PATH_TRANSLATED is DOCUMENT_ROOT + PATH_INFO (CgiTest), and stays
        // inside the document root once its dot segments are resolved.
        const std::string& translated = v.vars["PATH_TRANSLATED"];
        EXPECT_EQ(documentRoot + c.pathInfo, translated) << printable(c.target);
        std::string normal = lexicallyNormal(translated);
        EXPECT_TRUE(startsWith(normal, documentRoot + "/")) << printable(c.target) << " -> "
                                                           << printable(translated);
    }
}

// ================================================================ symlinks

TEST_F(SecurityTest, LinksAreRefused)
{
    const std::vector<Expected> cases = {
        { "/file-link", 403, "" },
        { "/rel-link.txt", 403, "" },
        { "/dir-link/", 403, "" },
        { "/dir-link/sentinel.txt", 403, "" },
        { "/dir-link/sub/deep.txt", 403, "" },
        { "/dir-link/sub/", 403, "" },
        { "/dir-link/./sub/../sentinel.txt", 403, "" },
        { "/root-link/passwd", 403, "" },
        { "/root-link/", 403, "" },
        { "/idx/", 403, "" },
        { "/idx/index.html", 403, "" },
        { "/alias/alias-link", 403, "" },
        { "/store/victim-m.txt", 403, "" },
        { "/store/dir-link/sentinel.txt", 403, "" },
        // "on" refuses a link that stays inside too, as nginx does.
        { "/inner-link.txt", 403, "" },
        { "/plain.txt", 200, "plain" },
    };
    for (const Expected& c : cases) {
        HttpResponse r = get(c.target);
        EXPECT_EQ(c.status, r.status) << c.target;
        if (!c.body.empty()) {
            EXPECT_EQ(c.body, r.body) << c.target;
        }
    }
    EXPECT_EQ(403, request("HEAD", "/file-link").status);
    EXPECT_EQ(403, request("HEAD", "/dir-link/sentinel.txt").status);
}

TEST_F(SecurityTest, LinkToADirectoryOutsideIsRefusedWithoutTheSlashToo)
{
    // disable_symlinks on refuses the link with 403, whatever is asked of
    // it; nginx 1.22 answers 403 here too, where a directory gets its 301.
    //
    // Regression: webserv used to answer "GET /dir-link HTTP/1.1" (dir-link
    // -> a directory outside the root) with "301 Moved Permanently",
    // "Location: http://localhost:PORT/dir-link/": the containment check ran
    // for files and listings only, not before the slash redirect, so the
    // answer told a client that the link exists and leads to a directory
    // (fixed in 1ff2814: 403 before any redirect).
    HttpResponse r = get("/dir-link");
    EXPECT_EQ(403, r.status) << r.raw;
    EXPECT_EQ("", r.header("Location"));
    EXPECT_EQ(403, get("/root-link").status);
}

TEST_F(SecurityTest, ErrorPageThroughALinkOutIsNotServed)
{
    // error_page 404 /ep/404.html, which is a link out of the root: the
    // built-in page is served instead, never the target.
    HttpResponse r = get("/ep/missing");
    EXPECT_EQ(404, r.status);
    EXPECT_NE(std::string::npos, r.body.find("404 Not Found")) << r.body;
    EXPECT_EQ(200, get("/ep/present.txt").status);
}

TEST_F(SecurityTest, ListingsShowLinksButNeverTheirTargetsContent)
{
    HttpResponse root = get("/");
    EXPECT_EQ(200, root.status);   // index.html exists: not a listing
    HttpResponse store = get("/store/");
    EXPECT_EQ(200, store.status);
    EXPECT_NE(std::string::npos, store.body.find(">keep.txt<")) << store.body;
    EXPECT_EQ(403, get("/dir-link/").status);
    EXPECT_EQ(403, get("/store/dir-link/").status);
    HttpResponse alias = get("/alias/");
    EXPECT_EQ(200, alias.status);
    EXPECT_NE(std::string::npos, alias.body.find(">a.txt<")) << alias.body;
}

TEST_F(SecurityTest, AFileReplacedByALinkOutIsNoLongerServed)
{
    // The file cache must not keep serving a path whose file became a link.
    mayWrite_ = { "site/www/swap" };
    HttpResponse first = get("/swap.txt");
    ASSERT_EQ(200, first.status);
    EXPECT_EQ("inside\n", first.body);
    ASSERT_EQ(0, unlink((dir() + "/site/www/swap.txt").c_str()));
    makeLink(dir() + "/outside/f.txt", dir() + "/site/www/swap.txt");
    EXPECT_EQ(403, get("/swap.txt").status);

    HttpResponse inDir = get("/swapdir/f.txt");
    ASSERT_EQ(200, inDir.status);
    EXPECT_EQ("inside dir\n", inDir.body);
    ASSERT_EQ(0, rename((dir() + "/site/www/swapdir").c_str(), (dir() + "/site/www/swapdir.old").c_str()));
    makeLink(dir() + "/outside", dir() + "/site/www/swapdir");
    EXPECT_EQ(403, get("/swapdir/f.txt").status);
}

// ================================================================ escaping

TEST_F(SecurityTest, AutoindexEscapesEveryName)
{
    HttpResponse r = get("/names/");
    ASSERT_EQ(200, r.status) << r.raw;
    for (const std::string& name : kHostileNames) {
        EXPECT_EQ(std::string::npos, r.body.find(name)) << "unescaped: " << name;
        EXPECT_NE(std::string::npos, r.body.find(">" + htmlEscape(name) + "<")) << name;
        EXPECT_NE(std::string::npos, r.body.find("href=\"" + percentEncode(name) + "\"")) << name;
    }
    EXPECT_NE(std::string::npos, r.body.find(">" + htmlEscape(kHostileDir) + "/<")) << r.body;
    EXPECT_EQ(std::string::npos, r.body.find("<script")) << r.body;
    EXPECT_EQ(std::string::npos, r.body.find("<img")) << r.body;
    EXPECT_EQ(std::string::npos, r.body.find("<b>")) << r.body;
    // Every link is a percent-encoded path: nothing can close the attribute.
    for (const std::string& href : hrefs(r.body))
        EXPECT_TRUE(std::regex_match(href, std::regex("[A-Za-z0-9%._~/-]*"))) << href;

    // The requested path is reflected in the title: escaped too.
    HttpResponse inner = get("/names/" + percentEncode(kHostileDir) + "/");
    ASSERT_EQ(200, inner.status) << inner.raw;
    EXPECT_EQ(std::string::npos, inner.body.find(kHostileDir)) << inner.body;
    EXPECT_NE(std::string::npos, inner.body.find("Index of /names/" + htmlEscape(kHostileDir) + "/"))
        << inner.body;
    EXPECT_EQ(std::string::npos, inner.body.find("<script")) << inner.body;
}

TEST_F(SecurityTest, ErrorPagesReflectNothingFromTheRequest)
{
    const std::vector<std::pair<std::string, int>> cases = {
        { "/%3Cscript%3Ealert(1)%3C/script%3E", 404 },
        { "/<script>alert(1)</script>", 404 },
        { "/%22%3E%3Cscript%3Ealert(1)%3C/script%3E", 404 },
        { "/'onload='alert(1)", 404 },
        { "/names/%3Cscript%3Emissing", 404 },
        { "/%3Cscript%3Ealert(1)%3C/%2e%2e/%2e%2e/%2e%2e/x", 400 },
        { "/%3Cscript%3Ealert(1)%00", 400 },
    };
    for (const auto& c : cases) {
        HttpResponse r = get(c.first);
        EXPECT_EQ(c.second, r.status) << c.first;
        EXPECT_EQ("text/html", r.header("Content-Type")) << c.first;
        EXPECT_EQ(std::string::npos, r.body.find("<script")) << c.first << "\n" << r.body;
        EXPECT_EQ(std::string::npos, r.body.find("alert(1)")) << c.first << "\n" << r.body;
    }
    // A method is reflected nowhere either.
    HttpResponse method = httpRaw(port(), "ALERT'1 /index.html HTTP/1.1\r\nHost: localhost\r\n"
                                          "Connection: close\r\n\r\n");
    EXPECT_EQ(405, method.status);
    EXPECT_EQ(std::string::npos, method.raw.find("ALERT")) << method.raw;
    // Nor a Host.
    HttpResponse host = httpRaw(port(), "GET / HTTP/1.1\r\nHost: <script>alert(1)</script>\r\n\r\n");
    EXPECT_EQ(400, host.status);
    EXPECT_EQ(std::string::npos, host.raw.find("<script")) << host.raw;
    // A Host that percent-encodes a tag goes into a redirect as it came,
    // still encoded (nginx 1.22: the same 301 and Location).
    HttpResponse encoded = httpRaw(port(), "GET /files HTTP/1.1\r\nHost: %3Cscript%3E\r\n"
                                           "Connection: close\r\n\r\n");
    EXPECT_EQ(301, encoded.status) << encoded.raw;
    EXPECT_EQ("http://%3cscript%3e:" + std::to_string(port()) + "/files/", encoded.header("Location"));
    EXPECT_EQ(std::string::npos, encoded.raw.find("<script")) << encoded.raw;
}

TEST_F(SecurityTest, RedirectLocationsCannotBeInjected)
{
    std::string base = "http://localhost:" + std::to_string(port());
    // A directory named a"b: the 301 to its slash form, percent-encoded
    // (nginx 1.22: the same Location).
    HttpResponse quote = get("/redir/a%22b");
    EXPECT_EQ(301, quote.status);
    EXPECT_EQ(base + "/redir/a%22b/", quote.header("Location"));
    EXPECT_EQ(std::string::npos, quote.body.find("a\"b")) << quote.body;
    // A directory whose name holds CR LF and a header: no header injected,
    // no CR or LF in the Location (nginx 1.22 percent-encodes them too).
    HttpResponse crlf = get("/redir/c%0d%0aX-Injected:%201");
    EXPECT_EQ(301, crlf.status) << crlf.raw;
    EXPECT_EQ(0u, crlf.count("X-Injected")) << crlf.raw;
    std::string location = crlf.header("Location");
    EXPECT_EQ(std::string::npos, location.find_first_of("\r\n \"<>")) << printable(location);
    EXPECT_EQ(base + "/redir/c\r\nX-Injected: 1/", percentDecode(location)) << printable(location);
    // `return 301 "/q\"<script>x"`: configuration text goes out as written
    // (nginx 1.22 does the same), and the body never reflects it.
    HttpResponse configured = get("/quoted");
    EXPECT_EQ(301, configured.status);
    EXPECT_EQ(base + "/q\"<script>x", configured.header("Location"));
    EXPECT_EQ(std::string::npos, configured.body.find("<script")) << configured.body;
}

TEST_F(SecurityTest, UploadAnswersEscapeTheNames)
{
    // HTML answer: names escaped; the link is percent-encoded.
    HttpResponse html = postMultipart("/store/", "filename=\"<script>alert(1)<.txt\"", "x", false);
    ASSERT_EQ(201, html.status) << html.raw;
    EXPECT_EQ("text/html", html.header("Content-Type"));
    EXPECT_EQ(std::string::npos, html.body.find("<script")) << html.body;
    EXPECT_NE(std::string::npos, html.body.find("&lt;script&gt;alert(1)&lt;.txt")) << html.body;
    for (const std::string& href : hrefs(html.body))
        EXPECT_TRUE(std::regex_match(href, std::regex("[A-Za-z0-9%._~/:-]*"))) << href;
    EXPECT_EQ(std::string::npos, html.header("Location").find_first_of("<>\"' "))
        << html.header("Location");
    // The "already existed" note reflects the requested name: escaped.
    HttpResponse again = postMultipart("/store/", "filename=\"<script>alert(1)<.txt\"", "y", false);
    ASSERT_EQ(201, again.status);
    EXPECT_EQ(std::string::npos, again.body.find("<script")) << again.body;
    // JSON answer: quotes and backslashes escaped.
    HttpResponse json = postMultipart("/store/", "filename=\"q\\\"uo\\\"te<&>.txt\"", "z");
    ASSERT_EQ(201, json.status) << json.raw;
    EXPECT_EQ("application/json", json.header("Content-Type"));
    EXPECT_EQ("z", readFile(store() + "/q\"uo\"te<&>.txt"));
    EXPECT_EQ(std::vector<std::string>{ "q\\\"uo\\\"te<&>.txt" }, jsonNames(json.body)) << json.body;
    EXPECT_EQ(std::string::npos, json.header("Location").find_first_of("<>\"'\\ "))
        << json.header("Location");
}

// The no-JavaScript answer links back to the page that held the form only
// when the Referer is this server's own origin, and escaped.
TEST_F(SecurityTest, UploadAnswerLinksBackOnlyToItsOwnOrigin)
{
    const std::string origin = "http://localhost:" + std::to_string(port());
    auto answerTo = [](const std::string& referer) {
        HttpResponse r = request("POST", "/store/", "Content-Type: multipart/form-data; boundary=" + kBoundary
            + "\r\nReferer: " + referer + "\r\n", multipart("filename=\"back.txt\"", "x"));
        EXPECT_EQ(201, r.status) << r.raw;
        return r.body;
    };
    std::string own = answerTo(origin + "/form.html?a=1&b=\"><script>x</script>");
    EXPECT_EQ(std::string::npos, own.find("<script")) << own;
    EXPECT_NE(std::string::npos, own.find("<a href=\"" + origin
        + "/form.html?a=1&amp;b=&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">Back to the form</a>")) << own;
    const std::vector<std::string> foreign = {
        "http://evil.example/form.html",
        origin + ".evil.example/form.html",
        origin + "@evil.example/form.html",
        "https://localhost:" + std::to_string(port()) + "/form.html",
        "//evil.example/form.html",
        "javascript:alert(1)",
        "/form.html",
    };
    for (const std::string& referer : foreign) {
        std::string body = answerTo(referer);
        EXPECT_EQ(std::string::npos, body.find("Back to the form")) << referer << "\n" << body;
        EXPECT_EQ(std::string::npos, body.find("evil")) << referer;
        EXPECT_EQ(std::string::npos, body.find("javascript")) << referer;
        EXPECT_NE(std::string::npos, body.find("<a href=\"/\">Home</a>")) << referer;
    }
}

// ================================================================ sessions

TEST_F(SecurityTest, SessionIdsAreUnpredictable)
{
    const std::regex cookie("WEBSERV_SID=([0-9a-f]{32}); Path=/; .*");
    std::vector<std::string> ids;
    TestClient client(port());
    for (int i = 0; i < 1000 && client.connected(); ++i) {
        client.send("GET /s/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
        HttpResponse r = client.read();
        ASSERT_EQ(200, r.status) << r.raw;
        std::smatch match;
        std::string value = r.header("Set-Cookie");
        ASSERT_TRUE(std::regex_match(value, match, cookie)) << value;
        ids.push_back(match[1]);
    }
    ASSERT_EQ(1000u, ids.size());
    std::set<std::string> distinct(ids.begin(), ids.end());
    EXPECT_EQ(1000u, distinct.size());
    // A crude check: sorted, neighbours share the longest prefixes. Among
    // 1000 random 128-bit IDs, two sharing 9 hex digits has odds of about
    // 7e-6 (499500 pairs / 16^9).
    std::vector<std::string> sorted(distinct.begin(), distinct.end());
    size_t longest = 0;
    for (size_t i = 1; i < sorted.size(); ++i) {
        size_t common = 0;
        while (common < 32 && sorted[i][common] == sorted[i - 1][common])
            ++common;
        longest = std::max(longest, common);
    }
    EXPECT_LT(longest, 9u);
    // Same for suffixes (a counter in the low digits would share a prefix,
    // one in the high digits a suffix).
    std::vector<std::string> reversed;
    for (const std::string& id : sorted)
        reversed.push_back(std::string(id.rbegin(), id.rend()));
    std::sort(reversed.begin(), reversed.end());
    longest = 0;
    for (size_t i = 1; i < reversed.size(); ++i) {
        size_t common = 0;
        while (common < 32 && reversed[i][common] == reversed[i - 1][common])
            ++common;
        longest = std::max(longest, common);
    }
    EXPECT_LT(longest, 9u);
    // Every hex digit about equally often (32000 digits: 2000 each, the
    // standard deviation is about 43).
    std::map<char, int> counts;
    for (const std::string& id : ids)
        for (char c : id)
            ++counts[c];
    EXPECT_EQ(16u, counts.size());
    for (const auto& count : counts) {
        EXPECT_GT(count.second, 1700) << count.first;
        EXPECT_LT(count.second, 2300) << count.first;
    }
}

TEST_F(SecurityTest, SessionIdsNeverReachTheLogs)
{
    std::vector<std::string> ids;
    const std::regex cookie("WEBSERV_SID=([0-9a-f]{32});.*");
    // (A 404 starts no session: the IDs meet the errors below.)
    for (const char* target : { "/s/", "/s-cgi/who.sh", "/s/index.html" }) {
        HttpResponse r = get(target);
        std::smatch match;
        std::string value = r.header("Set-Cookie");
        ASSERT_TRUE(std::regex_match(value, match, cookie)) << target << ": " << value;
        ids.push_back(match[1]);
    }
    // Each one used again, in all the ways a request can end.
    for (const std::string& id : ids) {
        std::string sent = "Cookie: WEBSERV_SID=" + id + "\r\n";
        EXPECT_EQ(200, get("/s/", sent).status);
        EXPECT_EQ(200, get("/s-cgi/who.sh/path", sent).status);
        EXPECT_EQ(404, get("/s/missing", sent).status);
        EXPECT_EQ(405, request("POST", "/s/", sent, "body").status);
        EXPECT_EQ(400, httpRaw(port(), "GET /s/ HTTP/1.1\r\nHost: localhost\r\n" + sent
                                           + "Bad header\r\n\r\n").status);
        EXPECT_EQ(400, httpRaw(port(), "GET /s/ HTTP/1.1\r\nHost: localhost\r\nCookie: WEBSERV_SID="
                                           + id + "\x01\r\n\r\n").status);
        EXPECT_EQ(200, get("/s/", "Cookie: a=1; WEBSERV_SID=" + id + "; b=2\r\n").status);
    }
    std::string out = accessLogAfterSync();
    std::string err = server_->err();
    ASSERT_NE(std::string::npos, out.find("\"GET /s/ HTTP/1.1\" 200")) << out;
    for (const std::string& id : ids) {
        EXPECT_EQ(std::string::npos, out.find(id)) << "access log holds " << id;
        EXPECT_EQ(std::string::npos, err.find(id)) << "error log holds " << id;
    }
}

}
