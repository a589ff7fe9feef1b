// Request-target split, path normalisation and Host normalisation
// (src/http/Uri.cpp).

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "http/Uri.hpp"

namespace {

RequestTarget untouchedTarget()
{
    RequestTarget t;
    t.authority = "untouched";
    t.path = "untouched";
    t.query = "untouched";
    t.hasQuery = true;
    return t;
}

void expectUntouched(const RequestTarget& t)
{
    EXPECT_EQ("untouched", t.authority);
    EXPECT_EQ("untouched", t.path);
    EXPECT_EQ("untouched", t.query);
    EXPECT_TRUE(t.hasQuery);
}

// normalizePath's result, or "<rejected>"; checks *out stays alone on failure.
std::string normalized(const std::string& raw)
{
    std::string out = "untouched";
    if (!normalizePath(raw, &out)) {
        EXPECT_EQ("untouched", out) << "output written for rejected " << raw;
        return "<rejected>";
    }
    return out;
}

std::string host(const std::string& value)
{
    std::string out = "untouched";
    if (!normalizeHost(value, &out)) {
        EXPECT_EQ("untouched", out) << "output written for rejected " << value;
        return "<rejected>";
    }
    return out;
}

}

// ================================================================ splitRequestTarget

TEST(UriTestSplitRequestTarget, OriginForm)
{
    RequestTarget t = untouchedTarget();
    ASSERT_TRUE(splitRequestTarget("/a/b.html", &t));
    EXPECT_EQ("", t.authority);
    EXPECT_EQ("/a/b.html", t.path);
    EXPECT_EQ("", t.query);
    EXPECT_FALSE(t.hasQuery);

    ASSERT_TRUE(splitRequestTarget("/", &t));
    EXPECT_EQ("/", t.path);
    EXPECT_FALSE(t.hasQuery);
}

TEST(UriTestSplitRequestTarget, QueryIsKeptAsReceived)
{
    RequestTarget t = untouchedTarget();
    ASSERT_TRUE(splitRequestTarget("/search?q=a%20b&x=%2F&y", &t));
    EXPECT_EQ("/search", t.path);
    EXPECT_TRUE(t.hasQuery);
    EXPECT_EQ("q=a%20b&x=%2F&y", t.query);

    ASSERT_TRUE(splitRequestTarget("/a?b?c=/d", &t));
    EXPECT_EQ("/a", t.path);
    EXPECT_EQ("b?c=/d", t.query);

    ASSERT_TRUE(splitRequestTarget("/a?", &t));
    EXPECT_EQ("/a", t.path);
    EXPECT_TRUE(t.hasQuery);
    EXPECT_EQ("", t.query);

    // The path stays percent-encoded: decoding is normalizePath's job.
    ASSERT_TRUE(splitRequestTarget("/a%3Fb", &t));
    EXPECT_EQ("/a%3Fb", t.path);
    EXPECT_FALSE(t.hasQuery);
}

TEST(UriTestSplitRequestTarget, AbsoluteFormHttp)
{
    RequestTarget t = untouchedTarget();
    ASSERT_TRUE(splitRequestTarget("http://Example.org/p/q?x=1", &t));
    EXPECT_EQ("Example.org", t.authority);
    EXPECT_EQ("/p/q", t.path);
    EXPECT_TRUE(t.hasQuery);
    EXPECT_EQ("x=1", t.query);
}

TEST(UriTestSplitRequestTarget, AbsoluteFormHttpsWithPort)
{
    RequestTarget t = untouchedTarget();
    ASSERT_TRUE(splitRequestTarget("https://example.org:8443/index.html", &t));
    EXPECT_EQ("example.org:8443", t.authority);
    EXPECT_EQ("/index.html", t.path);
    EXPECT_FALSE(t.hasQuery);

    ASSERT_TRUE(splitRequestTarget("http://[::1]:8080/x", &t));
    EXPECT_EQ("[::1]:8080", t.authority);
    EXPECT_EQ("/x", t.path);
}

TEST(UriTestSplitRequestTarget, SchemeIsCaseInsensitive)
{
    RequestTarget t = untouchedTarget();
    ASSERT_TRUE(splitRequestTarget("HTTP://h/x", &t));
    EXPECT_EQ("h", t.authority);
    EXPECT_EQ("/x", t.path);
    ASSERT_TRUE(splitRequestTarget("HtTpS://h:1/", &t));
    EXPECT_EQ("h:1", t.authority);
    EXPECT_EQ("/", t.path);
}

TEST(UriTestSplitRequestTarget, AbsoluteFormWithEmptyPathMeansSlash)
{
    RequestTarget t = untouchedTarget();
    ASSERT_TRUE(splitRequestTarget("http://example.org", &t));
    EXPECT_EQ("example.org", t.authority);
    EXPECT_EQ("/", t.path);
    EXPECT_FALSE(t.hasQuery);

    ASSERT_TRUE(splitRequestTarget("http://example.org:81?a=b", &t));
    EXPECT_EQ("example.org:81", t.authority);
    EXPECT_EQ("/", t.path);
    EXPECT_TRUE(t.hasQuery);
    EXPECT_EQ("a=b", t.query);
}

TEST(UriTestSplitRequestTarget, RejectsAsteriskAuthorityFormAndGarbage)
{
    const char* bad[] = {
        "*",
        "",
        "example.org:80",            // authority-form (CONNECT)
        "a/b",
        "?q",
        "ftp://example.org/x",
        "http:/x",
        "http//example.org/",
        "http://",                   // no authority
        "http:///x",
        "https://?q",
    };
    for (const char* target : bad) {
        RequestTarget t = untouchedTarget();
        EXPECT_FALSE(splitRequestTarget(target, &t)) << target;
        expectUntouched(t);
    }
}

TEST(UriTestSplitRequestTarget, RejectsUserinfo)
{
    RequestTarget t = untouchedTarget();
    EXPECT_FALSE(splitRequestTarget("http://user@example.org/", &t));
    EXPECT_FALSE(splitRequestTarget("http://user:pass@example.org:80/x", &t));
    EXPECT_FALSE(splitRequestTarget("https://@example.org", &t));
    expectUntouched(t);
    // An '@' after the authority belongs to the path or query.
    ASSERT_TRUE(splitRequestTarget("http://example.org/a@b?c@d", &t));
    EXPECT_EQ("example.org", t.authority);
    EXPECT_EQ("/a@b", t.path);
    EXPECT_EQ("c@d", t.query);
}

// ================================================================ normalizePath

TEST(UriTestNormalizePath, AlreadyNormalPathsAreUnchanged)
{
    EXPECT_EQ("/", normalized("/"));
    EXPECT_EQ("/a", normalized("/a"));
    EXPECT_EQ("/a/b.html", normalized("/a/b.html"));
    EXPECT_EQ("/a/b/", normalized("/a/b/"));
    EXPECT_EQ("/.hidden", normalized("/.hidden"));
    EXPECT_EQ("/a/...", normalized("/a/..."));
    EXPECT_EQ("/a/..b/b..", normalized("/a/..b/b.."));
}

TEST(UriTestNormalizePath, DotSegments)
{
    // RFC 3986 5.2.4 examples and friends.
    EXPECT_EQ("/a/g", normalized("/a/b/c/./../../g"));
    EXPECT_EQ("/b", normalized("/a/../b"));
    EXPECT_EQ("/a/b", normalized("/a/./b"));
    EXPECT_EQ("/a/b", normalized("/./a/b"));
    EXPECT_EQ("/", normalized("/a/.."));
    EXPECT_EQ("/", normalized("/a/../"));
    EXPECT_EQ("/", normalized("/."));
    EXPECT_EQ("/", normalized("/./"));
    EXPECT_EQ("/", normalized("/./."));
}

TEST(UriTestNormalizePath, TrailingDotSegmentsLeaveADirectory)
{
    EXPECT_EQ("/a/b/", normalized("/a/b/."));
    EXPECT_EQ("/a/", normalized("/a/b/.."));
    EXPECT_EQ("/a/", normalized("/a/b/c/../.."));
    EXPECT_EQ("/a/", normalized("/a/b/../."));
}

TEST(UriTestNormalizePath, RepeatedSlashesAreMerged)
{
    EXPECT_EQ("/a/b", normalized("//a///b"));
    EXPECT_EQ("/a/b/", normalized("/a//b//"));
    EXPECT_EQ("/", normalized("//"));
    EXPECT_EQ("/", normalized("///"));
    EXPECT_EQ("/a/", normalized("/a//"));
    EXPECT_EQ("/b", normalized("/a//..//b"));
}

TEST(UriTestNormalizePath, PercentDecoding)
{
    EXPECT_EQ("/a b", normalized("/a%20b"));
    EXPECT_EQ("/A", normalized("/%41"));
    EXPECT_EQ("/~user", normalized("/%7euser"));
    EXPECT_EQ("/~user", normalized("/%7Euser"));
    EXPECT_EQ("/\xC3\xA9", normalized("/%C3%A9"));
    // Decoded exactly once: %25 is a literal '%'.
    EXPECT_EQ("/%41", normalized("/%2541"));
    EXPECT_EQ("/%00", normalized("/%2500"));
    EXPECT_EQ("/%2e%2e", normalized("/%252e%252e"));
}

TEST(UriTestNormalizePath, EncodedDotsAreDotSegments)
{
    EXPECT_EQ("/b", normalized("/a/%2e%2e/b"));
    EXPECT_EQ("/b", normalized("/a/%2E%2E/b"));
    EXPECT_EQ("/b", normalized("/a/.%2e/b"));
    EXPECT_EQ("/b", normalized("/a/%2e./b"));
    EXPECT_EQ("/a/b", normalized("/a/%2e/b"));
    EXPECT_EQ("/a/", normalized("/a/b/%2e%2e"));
}

TEST(UriTestNormalizePath, EncodedSlashesAreSlashes)
{
    EXPECT_EQ("/a/b", normalized("/a%2fb"));
    EXPECT_EQ("/a/b", normalized("/a%2Fb"));
    EXPECT_EQ("/a/", normalized("/a%2F"));
    EXPECT_EQ("/x", normalized("/a/..%2fx"));
    EXPECT_EQ("/a/b", normalized("/a%2f%2f%2fb"));
}

TEST(UriTestNormalizePath, ClimbingAboveTheRootIsRejected)
{
    EXPECT_EQ("<rejected>", normalized("/.."));
    EXPECT_EQ("<rejected>", normalized("/../"));
    EXPECT_EQ("<rejected>", normalized("/../a"));
    EXPECT_EQ("<rejected>", normalized("/a/../.."));
    EXPECT_EQ("<rejected>", normalized("/a/../../b"));
    EXPECT_EQ("<rejected>", normalized("/a/./../../etc/passwd"));
    EXPECT_EQ("<rejected>", normalized("/%2e%2e"));
    EXPECT_EQ("<rejected>", normalized("/%2e%2e/etc/passwd"));
    EXPECT_EQ("<rejected>", normalized("/a/..%2f..%2fetc/passwd"));
    EXPECT_EQ("<rejected>", normalized("/%2e%2e%2f%2e%2e%2fetc"));
    EXPECT_EQ("<rejected>", normalized("/.%2e/"));
    EXPECT_EQ("<rejected>", normalized("//../a"));
}

TEST(UriTestNormalizePath, EncodedNulIsRejected)
{
    EXPECT_EQ("<rejected>", normalized("/%00"));
    EXPECT_EQ("<rejected>", normalized("/a%00.html"));
    EXPECT_EQ("<rejected>", normalized("/a/%00/b"));
}

TEST(UriTestNormalizePath, BadEscapesAreRejected)
{
    const char* bad[] = { "/%", "/%4", "/%zz", "/%4g", "/%g4", "/a%", "/a%2", "/%%41",
        "/%-1", "/% 1", "/a/%2" };
    for (const char* raw : bad)
        EXPECT_EQ("<rejected>", normalized(raw)) << raw;
}

TEST(UriTestNormalizePath, PathMustStartWithASlash)
{
    EXPECT_EQ("<rejected>", normalized(""));
    EXPECT_EQ("<rejected>", normalized("a/b"));
    EXPECT_EQ("<rejected>", normalized("%2fa"));
    EXPECT_EQ("<rejected>", normalized("*"));
}

namespace {

// Reference model for paths built from the generator's alphabet: decode,
// split on '/', drop "" and ".", pop on ".." (failing at the root).
bool referenceNormalize(const std::vector<std::string>& decodedSegments, std::string* out)
{
    std::vector<std::string> stack;
    bool directory = false;
    for (size_t i = 0; i < decodedSegments.size(); ++i) {
        const std::string& s = decodedSegments[i];
        if (s == "..") {
            if (stack.empty())
                return false;
            stack.pop_back();
        } else if (!s.empty() && s != ".") {
            stack.push_back(s);
        }
        directory = s.empty() || s == "." || s == "..";
    }
    std::string path;
    for (const std::string& s : stack)
        path += "/" + s;
    if (path.empty() || directory)
        path += "/";
    *out = path;
    return true;
}

std::string decodeAlphabet(const std::string& raw)
{
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%') {
            std::string code = raw.substr(i + 1, 2);
            out += (code == "2e" || code == "2E") ? '.' : '/';
            i += 2;
        } else {
            out += raw[i];
        }
    }
    return out;
}

std::vector<std::string> splitOnSlash(const std::string& decoded)
{
    // decoded starts with '/'; every piece after a '/' is a segment.
    std::vector<std::string> segments;
    std::string::size_type pos = 1;
    for (;;) {
        std::string::size_type slash = decoded.find('/', pos);
        if (slash == std::string::npos) {
            segments.push_back(decoded.substr(pos));
            return segments;
        }
        segments.push_back(decoded.substr(pos, slash - pos));
        pos = slash + 1;
    }
}

}

TEST(UriTestNormalizePath, PropertyOutputIsAlwaysCanonical)
{
    const char* pieces[] = { "a", "bc", ".", "..", "", "%2e", "%2E", "%2F", "%2f",
        "%2e%2e", ".%2e", "...", "a.", ".a" };
    const size_t pieceCount = sizeof pieces / sizeof pieces[0];
    std::mt19937 random(20240601u);
    int accepted = 0;
    int rejected = 0;
    for (int round = 0; round < 5000; ++round) {
        size_t segments = random() % 8;
        std::string raw;
        for (size_t s = 0; s < segments || raw.empty(); ++s) {
            raw += "/";
            size_t glue = 1 + random() % 2;      // sometimes two pieces in one segment
            for (size_t g = 0; g < glue; ++g)
                raw += pieces[random() % pieceCount];
        }
        SCOPED_TRACE(raw);
        std::string out;
        bool ok = normalizePath(raw, &out);
        std::string expected;
        bool expectedOk = referenceNormalize(splitOnSlash(decodeAlphabet(raw)), &expected);
        ASSERT_EQ(expectedOk, ok);
        if (!ok) {
            ++rejected;
            continue;
        }
        ++accepted;
        ASSERT_EQ(expected, out);
        ASSERT_FALSE(out.empty());
        ASSERT_EQ('/', out[0]);
        ASSERT_EQ(std::string::npos, out.find("//"));
        ASSERT_EQ(std::string::npos, out.find("/./"));
        ASSERT_EQ(std::string::npos, out.find("/../"));
        ASSERT_FALSE(out.size() >= 3 && out.compare(out.size() - 3, 3, "/..") == 0);
        ASSERT_FALSE(out.size() >= 2 && out.compare(out.size() - 2, 2, "/.") == 0);
        // Normalising again changes nothing.
        std::string again;
        ASSERT_TRUE(normalizePath(out, &again));
        ASSERT_EQ(out, again);
    }
    // The generator exercises both outcomes.
    EXPECT_GT(accepted, 1000);
    EXPECT_GT(rejected, 500);
}

// ================================================================ normalizeHost

TEST(UriTestNormalizeHost, LowerCase)
{
    EXPECT_EQ("example.org", host("Example.ORG"));
    EXPECT_EQ("example.org", host("example.org"));
    EXPECT_EQ("localhost", host("LOCALHOST"));
    EXPECT_EQ("127.0.0.1", host("127.0.0.1"));
}

TEST(UriTestNormalizeHost, PortIsStripped)
{
    EXPECT_EQ("example.org", host("Example.ORG:8080"));
    EXPECT_EQ("127.0.0.1", host("127.0.0.1:80"));
    EXPECT_EQ("h", host("h:"));                 // RFC 3986: port = *DIGIT
    EXPECT_EQ("h", host("h:0"));
}

TEST(UriTestNormalizeHost, Ipv6Literal)
{
    EXPECT_EQ("[::1]", host("[::1]"));
    EXPECT_EQ("[::1]", host("[::1]:80"));
    EXPECT_EQ("[fe80::a]", host("[FE80::A]:8080"));
    EXPECT_EQ("<rejected>", host("[::1"));
    EXPECT_EQ("<rejected>", host("[::1]80"));
    EXPECT_EQ("<rejected>", host("[::1]:8a"));
    EXPECT_EQ("<rejected>", host("[::1/x]"));
    EXPECT_EQ("<rejected>", host("::1"));       // not bracketed: the port would be ":1"
}

TEST(UriTestNormalizeHost, TrailingDotIsDropped)
{
    EXPECT_EQ("example.org", host("example.org."));
    EXPECT_EQ("example.org", host("Example.Org.:8080"));
}

TEST(UriTestNormalizeHost, EmptyHostIsEmpty)
{
    EXPECT_EQ("", host(""));
}

TEST(UriTestNormalizeHost, InvalidCharactersAreRejected)
{
    const char* bad[] = { "exa mple.org", "a/b", "a\\b", "a\tb", "a@b", "a?b", "a#b",
        "a\"b", "a<b", "a\x01" "b", "a\x7f" "b", "h:80a", "h:8:8", "h: 80", "a[b]",
        "\xC3\xA9.org" };
    for (const char* value : bad)
        EXPECT_EQ("<rejected>", host(value)) << value;
}

TEST(UriTestNormalizeHost, RegNameCharactersAreAccepted)
{
    EXPECT_EQ("a-b_c~d.e", host("A-B_C~D.E"));
    EXPECT_EQ("xn--bcher-kva.example", host("xn--bcher-kva.example"));
}

TEST(UriTestNormalizeHost, ConsecutiveDotsAreRejectedLikeNginx)
{
    // nginx's ngx_http_validate_host rejects a Host with ".." (400).
    EXPECT_EQ("<rejected>", host("a..b"));
    EXPECT_EQ("<rejected>", host(".."));
}

// A path built from variables is already decoded: only slashes and dot
// segments change, a '%' stays.
TEST(UriTest, CleanPathNeverDecodes)
{
    std::string out;
    ASSERT_TRUE(cleanPath("/a//b/./c/../d%2e", &out));
    EXPECT_EQ("/a/b/d%2e", out);
    ASSERT_TRUE(cleanPath("/docs//", &out));
    EXPECT_EQ("/docs/", out);
    EXPECT_FALSE(cleanPath("/../etc/passwd", &out));
    EXPECT_FALSE(cleanPath("relative", &out));
    EXPECT_FALSE(cleanPath(std::string("/a\0b", 4), &out));
}
