// Response-side pure functions: reason phrases and the serialized response
// head (src/http/ResponseHead.cpp), HeaderMap, HTTP dates (src/util/Time.cpp),
// the access-log line (src/exchange/AccessLog.cpp) and the autoindex listing
// (src/handlers/Autoindex.cpp).

#include <gtest/gtest.h>

#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "exchange/AccessLog.hpp"
#include "handlers/Autoindex.hpp"
#include "http/HeaderMap.hpp"
#include "http/ResponseHead.hpp"
#include "util/Time.hpp"
#include "util/Version.hpp"

// ================================================================ reasonPhrase

// Every name of the IANA registry: a config's `return` or `error_page`
// may produce any status.
TEST(ResponseTestReasonPhrase, EveryRegisteredStatus)
{
    const struct {
        int status;
        const char* phrase;
    } expected[] = {
        { 100, "Continue" },
        { 101, "Switching Protocols" },
        { 102, "Processing" },
        { 103, "Early Hints" },
        { 200, "OK" },
        { 201, "Created" },
        { 202, "Accepted" },
        { 203, "Non-Authoritative Information" },
        { 204, "No Content" },
        { 205, "Reset Content" },
        { 206, "Partial Content" },
        { 207, "Multi-Status" },
        { 208, "Already Reported" },
        { 226, "IM Used" },
        { 300, "Multiple Choices" },
        { 301, "Moved Permanently" },
        { 302, "Found" },
        { 303, "See Other" },
        { 304, "Not Modified" },
        { 305, "Use Proxy" },
        { 307, "Temporary Redirect" },
        { 308, "Permanent Redirect" },
        { 400, "Bad Request" },
        { 401, "Unauthorized" },
        { 402, "Payment Required" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 405, "Method Not Allowed" },
        { 406, "Not Acceptable" },
        { 407, "Proxy Authentication Required" },
        { 408, "Request Timeout" },
        { 409, "Conflict" },
        { 410, "Gone" },
        { 411, "Length Required" },
        { 412, "Precondition Failed" },
        { 413, "Content Too Large" },
        { 414, "URI Too Long" },
        { 415, "Unsupported Media Type" },
        { 416, "Range Not Satisfiable" },
        { 417, "Expectation Failed" },
        { 418, "I'm a teapot" },
        { 421, "Misdirected Request" },
        { 422, "Unprocessable Content" },
        { 423, "Locked" },
        { 424, "Failed Dependency" },
        { 425, "Too Early" },
        { 426, "Upgrade Required" },
        { 428, "Precondition Required" },
        { 429, "Too Many Requests" },
        { 431, "Request Header Fields Too Large" },
        { 451, "Unavailable For Legal Reasons" },
        { 500, "Internal Server Error" },
        { 501, "Not Implemented" },
        { 502, "Bad Gateway" },
        { 503, "Service Unavailable" },
        { 504, "Gateway Timeout" },
        { 505, "HTTP Version Not Supported" },
        { 506, "Variant Also Negotiates" },
        { 507, "Insufficient Storage" },
        { 508, "Loop Detected" },
        { 510, "Not Extended" },
        { 511, "Network Authentication Required" },
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; ++i)
        EXPECT_STREQ(expected[i].phrase, reasonPhrase(expected[i].status)) << expected[i].status;
}

TEST(ResponseTestReasonPhrase, UnregisteredCodes)
{
    EXPECT_STREQ("Unknown", reasonPhrase(0));
    EXPECT_STREQ("Unknown", reasonPhrase(299));
    EXPECT_STREQ("Unknown", reasonPhrase(306));     // "(Unused)" in the registry
    EXPECT_STREQ("Unknown", reasonPhrase(419));
    EXPECT_STREQ("Unknown", reasonPhrase(499));
    EXPECT_STREQ("Unknown", reasonPhrase(509));
    EXPECT_STREQ("Unknown", reasonPhrase(999));
    EXPECT_STREQ("Unknown", reasonPhrase(600));
}

// ================================================================ ResponseHead

namespace {

bool isOneOf(const std::string& s, const char* const* names, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        if (s == names[i])
            return true;
    return false;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7), checked by shape.
bool isImfFixdate(const std::string& s)
{
    static const char* const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    static const char* const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
        "Aug", "Sep", "Oct", "Nov", "Dec" };
    const std::string shape = "???, 00 ??? 0000 00:00:00 GMT";   // '?': a name, '0': a digit
    if (s.size() != shape.size())
        return false;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == '0' ? !(s[i] >= '0' && s[i] <= '9')
                            : (shape[i] != '?' && s[i] != shape[i]))
            return false;
    }
    return isOneOf(s.substr(0, 3), days, 7) && isOneOf(s.substr(8, 3), months, 12);
}

// Splits a serialized head around its Date value; checks the value's shape
// and that it is the current time.
std::string withoutDate(const std::string& out, time_t before, time_t after)
{
    const std::string label = "\r\nDate: ";
    size_t at = out.find(label);
    if (at == std::string::npos) {
        ADD_FAILURE() << "no Date field in " << out;
        return out;
    }
    at += label.size();
    std::string date = out.substr(at, 29);
    EXPECT_TRUE(isImfFixdate(date)) << date;
    time_t parsed = 0;
    EXPECT_TRUE(parseHttpDate(date, &parsed)) << date;
    EXPECT_LE(before, parsed);
    EXPECT_GE(after, parsed);
    return out.substr(0, at) + "<date>" + out.substr(at + date.size());
}

}

TEST(ResponseTestHead, ImfFixdateShapeCheckerRejectsOtherShapes)
{
    EXPECT_TRUE(isImfFixdate("Sun, 06 Nov 1994 08:49:37 GMT"));
    EXPECT_FALSE(isImfFixdate("Sun, 06 Nov 1994 08:49:37 UTC"));
    EXPECT_FALSE(isImfFixdate("Sun, 6 Nov 1994 08:49:37 GMT"));
    EXPECT_FALSE(isImfFixdate("Abc, 06 Nov 1994 08:49:37 GMT"));
    EXPECT_FALSE(isImfFixdate("Sun, 06 Nvo 1994 08:49:37 GMT"));
    EXPECT_FALSE(isImfFixdate("Sun, 06 Nov 1994 08-49-37 GMT"));
}

TEST(ResponseTestHead, VersionIsMajorMinorPatch)
{
    const std::string version = WEBSERV_VERSION;
    size_t dots = 0;
    bool digitsAndDots = !version.empty();
    for (size_t i = 0; i < version.size(); ++i) {
        if (version[i] == '.')
            ++dots;
        else if (version[i] < '0' || version[i] > '9')
            digitsAndDots = false;
    }
    EXPECT_TRUE(digitsAndDots) << version;
    EXPECT_EQ(2u, dots) << version;
    EXPECT_EQ("webserv/" + version, WEBSERV_SOFTWARE);
}

TEST(ResponseTestHead, SerializeExactBytes)
{
    ResponseHead head;
    head.reset(404);
    head.headers.add("Content-Type", "text/html");
    head.headers.add("Content-Length", "153");
    head.headers.add("Set-Cookie", "a=1");
    head.headers.add("Set-Cookie", "b=2");
    head.headers.add("Connection", "close");
    std::string out = "previous bytes|";
    time_t before = time(0);
    head.serialize(out);
    time_t after = time(0);
    EXPECT_EQ(std::string("previous bytes|HTTP/1.1 404 Not Found\r\n"
                          "Server: webserv/") + WEBSERV_VERSION + "\r\n"
        "Date: <date>\r\n"
        "Content-Type: text/html\r\n"
        "Content-Length: 153\r\n"
        "Set-Cookie: a=1\r\n"
        "Set-Cookie: b=2\r\n"
        "Connection: close\r\n"
        "\r\n",
        withoutDate(out, before, after));
}

TEST(ResponseTestHead, DefaultIsA200WithNoFields)
{
    ResponseHead head;
    std::string out;
    time_t before = time(0);
    head.serialize(out);
    time_t after = time(0);
    EXPECT_EQ(std::string("HTTP/1.1 200 OK\r\nServer: webserv/") + WEBSERV_VERSION
            + "\r\nDate: <date>\r\n\r\n",
        withoutDate(out, before, after));
}

TEST(ResponseTestHead, ResetDropsTheFieldsAndUnknownCodesStillSerialize)
{
    ResponseHead head;
    head.headers.add("X-Old", "1");
    head.reset(299);
    EXPECT_EQ(299, head.status);
    EXPECT_EQ(0u, head.headers.size());
    head.headers.add("X-New", "2");
    std::string out;
    time_t before = time(0);
    head.serialize(out);
    time_t after = time(0);
    EXPECT_EQ(std::string("HTTP/1.1 299 Unknown\r\nServer: webserv/") + WEBSERV_VERSION
            + "\r\nDate: <date>\r\nX-New: 2\r\n\r\n",
        withoutDate(out, before, after));
}

// ================================================================ HeaderMap

namespace {

std::string fieldsOf(const HeaderMap& map)
{
    std::string s;
    for (size_t i = 0; i < map.size(); ++i)
        s += "[" + map.at(i).first + ": " + map.at(i).second + "]";
    return s;
}

}

TEST(ResponseTestHeaderMap, AddKeepsOrderAndDuplicates)
{
    HeaderMap map;
    map.add("Host", "a");
    map.add("Accept", "text/html");
    map.add("accept", "*/*");
    EXPECT_EQ("[Host: a][Accept: text/html][accept: */*]", fieldsOf(map));
    EXPECT_EQ(2u, map.count("ACCEPT"));
    EXPECT_EQ(1u, map.count("host"));
    EXPECT_EQ(0u, map.count("Hos"));
}

TEST(ResponseTestHeaderMap, FindIsCaseInsensitiveAndReturnsTheFirst)
{
    HeaderMap map;
    map.add("Content-Type", "text/plain");
    map.add("X-Dup", "1");
    map.add("x-dup", "2");
    ASSERT_NE(nullptr, map.find("content-type"));
    EXPECT_EQ("text/plain", *map.find("CONTENT-TYPE"));
    ASSERT_NE(nullptr, map.find("X-DUP"));
    EXPECT_EQ("1", *map.find("x-Dup"));
    EXPECT_EQ(nullptr, map.find("Content-Typ"));
    EXPECT_EQ(nullptr, map.find("Content-Type "));
    EXPECT_EQ(nullptr, map.find(""));
}

TEST(ResponseTestHeaderMap, CombinedJoinsEveryValue)
{
    HeaderMap map;
    EXPECT_EQ("", map.combined("Accept"));
    map.add("Accept", "text/html");
    EXPECT_EQ("text/html", map.combined("accept"));
    map.add("Other", "x");
    map.add("ACCEPT", "*/*");
    map.add("accept", "image/png");
    EXPECT_EQ("text/html, */*, image/png", map.combined("Accept"));
}

TEST(ResponseTestHeaderMap, SetReplacesEveryOccurrenceWithOneField)
{
    HeaderMap map;
    map.add("Connection", "keep-alive");
    map.add("Server", "x");
    map.add("connection", "Upgrade");
    map.set("CONNECTION", "close");
    EXPECT_EQ("[Server: x][CONNECTION: close]", fieldsOf(map));
    map.set("Date", "d");
    EXPECT_EQ("[Server: x][CONNECTION: close][Date: d]", fieldsOf(map));
}

TEST(ResponseTestHeaderMap, RemoveIsCaseInsensitiveAndKeepsTheOthersInOrder)
{
    HeaderMap map;
    map.add("A", "1");
    map.add("Set-Cookie", "x");
    map.add("B", "2");
    map.add("set-cookie", "y");
    map.add("C", "3");
    map.remove("SET-COOKIE");
    EXPECT_EQ("[A: 1][B: 2][C: 3]", fieldsOf(map));
    map.remove("Missing");
    EXPECT_EQ("[A: 1][B: 2][C: 3]", fieldsOf(map));
    map.clear();
    EXPECT_EQ(0u, map.size());
    EXPECT_EQ(nullptr, map.find("A"));
}

// ================================================================ HTTP dates

TEST(ResponseTestHttpDate, KnownTimestamps)
{
    EXPECT_EQ("Thu, 01 Jan 1970 00:00:00 GMT", httpDate(0));
    EXPECT_EQ("Sun, 06 Nov 1994 08:49:37 GMT", httpDate(784111777));
    EXPECT_EQ("Tue, 29 Feb 2000 00:00:00 GMT", httpDate(951782400));
    EXPECT_EQ("Tue, 14 Nov 2023 22:13:20 GMT", httpDate(1700000000));
    EXPECT_EQ("Tue, 19 Jan 2038 03:14:07 GMT", httpDate(2147483647));
    EXPECT_EQ("Fri, 01 Jan 2100 00:00:00 GMT", httpDate(static_cast<time_t>(4102444800LL)));
}

TEST(ResponseTestHttpDate, ParsesWhatItFormats)
{
    const long long stamps[] = { 0, 1, 59, 86399, 86400, 784111777, 951782400, 951868799,
        978307200, 1700000000, 2147483647, 4102444800LL, 4107542400LL };
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; ++i) {
        time_t t = static_cast<time_t>(stamps[i]);
        time_t parsed = -1;
        ASSERT_TRUE(parseHttpDate(httpDate(t), &parsed)) << httpDate(t);
        EXPECT_EQ(t, parsed) << httpDate(t);
    }
    time_t parsed = -1;
    ASSERT_TRUE(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", &parsed));
    EXPECT_EQ(784111777, parsed);
}

TEST(ResponseTestHttpDate, RejectsOtherFormats)
{
    const char* const rejected[] = {
        "",
        "Sunday, 06-Nov-94 08:49:37 GMT",       // RFC 850
        "Sun Nov  6 08:49:37 1994",             // asctime
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 1994 08:49:37 GMTX",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "1994-11-06T08:49:37Z",
        "784111777",
    };
    for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; ++i) {
        time_t parsed = 42;
        EXPECT_FALSE(parseHttpDate(rejected[i], &parsed)) << '"' << rejected[i] << '"';
        EXPECT_EQ(42, parsed) << '"' << rejected[i] << '"';
    }
}

// Anything but an exact IMF-fixdate is refused, never read as another date:
// RFC 9110 §13.1.3 says an invalid If-Modified-Since is ignored.
TEST(ResponseTestHttpDate, RejectsMalformedFixdates)
{
    const char* const rejected[] = {
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:00:00 GMT",
        "Sun, 06 Nov 1994 08:61:00 GMT",
    };
    for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; ++i) {
        time_t parsed = 42;
        EXPECT_FALSE(parseHttpDate(rejected[i], &parsed)) << '"' << rejected[i] << '"';
    }
}

TEST(ResponseTestHttpDate, LogTime)
{
    EXPECT_EQ("01/Jan/1970:00:00:00 +0000", logTime(0));
    EXPECT_EQ("06/Nov/1994:08:49:37 +0000", logTime(784111777));
}

// ================================================================ access log

namespace {

AccessRecord record(const std::string& requestLine, int status, off_t bytes)
{
    AccessRecord r;
    r.remoteAddress = "192.0.2.7";
    r.requestLine = requestLine;
    r.status = status;
    r.bodyBytes = bytes;
    return r;
}

}

TEST(ResponseTestAccessLine, CombinedFormat)
{
    AccessRecord r = record("GET /index.html?a=1 HTTP/1.1", 200, 1234);
    r.referer = "http://example.com/start";
    r.userAgent = "curl/8.5.0";
    EXPECT_EQ("192.0.2.7 - - [06/Nov/1994:08:49:37 +0000] \"GET /index.html?a=1 HTTP/1.1\" 200 1234"
              " \"http://example.com/start\" \"curl/8.5.0\"\n",
        formatAccessLine(r, 784111777));
}

TEST(ResponseTestAccessLine, EscapesQuotesBackslashesAndControlBytes)
{
    AccessRecord r = record(std::string("GET /a\"b\\c\x01\x7F\xC3\xA9") + '\0' + " HTTP/1.1", 404, 153);
    EXPECT_EQ("192.0.2.7 - - [01/Jan/1970:00:00:00 +0000] "
              "\"GET /a\\x22b\\x5Cc\\x01\\x7F\\xC3\\xA9\\x00 HTTP/1.1\" 404 153 \"-\" \"-\"\n",
        formatAccessLine(r, 0));
}

TEST(ResponseTestAccessLine, HeadersCannotForgeLogLines)
{
    AccessRecord r = record("GET / HTTP/1.1", 200, 0);
    r.referer = "x\"y";
    r.userAgent = "evil\n10.0.0.1 - - [x] \"GET /admin\" 200";
    EXPECT_EQ("192.0.2.7 - - [06/Nov/1994:08:49:37 +0000] \"GET / HTTP/1.1\" 200 0 \"x\\x22y\" "
              "\"evil\\x0A10.0.0.1 - - [x] \\x22GET /admin\\x22 200\"\n",
        formatAccessLine(r, 784111777));
}

TEST(ResponseTestAccessLine, RemoteUserIsEscapedLikeTheOtherFields)
{
    AccessRecord r = record("GET / HTTP/1.1", 200, 0);
    r.remoteUser = "a\"b\\";
    EXPECT_EQ("192.0.2.7 - a\\x22b\\x5C [06/Nov/1994:08:49:37 +0000] \"GET / HTTP/1.1\" 200 0 \"-\" \"-\"\n",
        formatAccessLine(r, 784111777));
}

TEST(ResponseTestAccessLine, RefusedRequestLineAsItCame)
{
    EXPECT_EQ("192.0.2.7 - - [06/Nov/1994:08:49:37 +0000] \"HELLO \\x22x\\x5C\\x01\\xFF\" 400 0 \"-\" \"-\"\n",
        formatAccessLine(record("HELLO \"x\\\x01\xFF", 400, 0), 784111777));
}

TEST(ResponseTestAccessLine, UnparsedRequestLineIsEmptyQuotes)
{
    EXPECT_EQ("192.0.2.7 - - [06/Nov/1994:08:49:37 +0000] \"\" 400 0 \"-\" \"-\"\n",
        formatAccessLine(record("", 400, 0), 784111777));
}

// ================================================================ autoindex

namespace {

DirectoryEntry entry(const std::string& name, EntryType type, off_t size, time_t modified)
{
    DirectoryEntry e;
    e.name = name;
    e.type = type;
    e.size = size;
    e.modified = modified;
    return e;
}

DirectoryEntry entry(const std::string& name, bool isDirectory, off_t size, time_t modified)
{
    return entry(name, isDirectory ? ENTRY_DIRECTORY : ENTRY_FILE, size, modified);
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        out.push_back(line);
    return out;
}

// The listing's table rows, after the header row.
std::vector<std::string> rowsOf(const std::string& html)
{
    std::vector<std::string> rows;
    std::vector<std::string> all = lines(html);
    for (size_t i = 0; i < all.size(); ++i)
        if (all[i].compare(0, 21, "<tr><td class=\"name\">") == 0)
            rows.push_back(all[i]);
    return rows;
}

const char* const kParentRow = "<tr><td class=\"name\"><a href=\"../\">../</a></td>"
    "<td class=\"date\"></td><td class=\"size\"></td></tr>";

std::string row(const std::string& href, const std::string& text, const std::string& date,
    const std::string& size)
{
    return "<tr><td class=\"name\"><a href=\"" + href + "\">" + text + "</a></td><td class=\"date\">"
        + date + "</td><td class=\"size\">" + size + "</td></tr>";
}

}

TEST(ResponseTestAutoindex, DirectoriesFirstThenFilesInByteOrderEscaped)
{
    const time_t t = 784111777;
    const std::string date = "Sun, 06 Nov 1994 08:49:37 GMT";
    std::vector<DirectoryEntry> entries = {
        entry("b.txt", false, 10, t),
        entry("zeta", true, 4096, t),
        entry("\xC3\xA9.txt", false, 5, t),
        entry("a b", false, 3, t),
        entry("<script>.html", false, 7, t),
        entry("Alpha", true, 4096, 0),
        entry("q\"uote", false, 1, t),
        entry("B.txt", false, 0, t),
        entry("100%#?.txt", false, 123456789012LL, t),
        entry("b&c", true, 512, t),
    };
    std::string html = renderListing("/files/", entries, true);
    std::vector<std::string> expected = {
        kParentRow,
        row("Alpha/", "Alpha/", "Thu, 01 Jan 1970 00:00:00 GMT", "-"),
        row("b%26c/", "b&amp;c/", date, "-"),
        row("zeta/", "zeta/", date, "-"),
        row("100%25%23%3F.txt", "100%#?.txt", date, "123456789012"),
        row("%3Cscript%3E.html", "&lt;script&gt;.html", date, "7"),
        row("B.txt", "B.txt", date, "0"),
        row("a%20b", "a b", date, "3"),
        row("b.txt", "b.txt", date, "10"),
        row("q%22uote", "q&quot;uote", date, "1"),
        row("%C3%A9.txt", "\xC3\xA9.txt", date, "5"),
    };
    EXPECT_EQ(expected, rowsOf(html));
    EXPECT_EQ(std::string::npos, html.find("<script>"));
}

TEST(ResponseTestAutoindex, TitleAndHeadingNameTheEscapedDirectory)
{
    std::string html = renderListing("/a&b/<c>/", std::vector<DirectoryEntry>(), true);
    std::vector<std::string> all = lines(html);
    ASSERT_GE(all.size(), 3u);
    EXPECT_EQ("<!DOCTYPE html>", all[0]);
    EXPECT_NE(std::string::npos, html.find("<title>Index of /a&amp;b/&lt;c&gt;/</title>"));
    EXPECT_NE(std::string::npos, html.find("\n<h1>Index of /a&amp;b/&lt;c&gt;/</h1>\n"));
    EXPECT_EQ(std::vector<std::string>(1, kParentRow), rowsOf(html));
    EXPECT_EQ("</html>", all.back());
    EXPECT_EQ('\n', html[html.size() - 1]);
}

// Its own look in any location: a viewport for phones and an inline
// stylesheet, no external resource (no other link than the entries').
TEST(ResponseTestAutoindex, PageCarriesViewportAndItsOwnStyle)
{
    std::string html = renderListing("/x/", std::vector<DirectoryEntry>(), true);
    EXPECT_NE(std::string::npos,
        html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    size_t style = html.find("<style>");
    ASSERT_NE(std::string::npos, style);
    EXPECT_LT(style, html.find("</head>"));
    EXPECT_NE(std::string::npos, html.find("@media (max-width:34rem)"));
    EXPECT_EQ(std::string::npos, html.find("<link"));
    EXPECT_EQ(std::string::npos, html.find("src="));
}

// The values nginx 1.22.1 printed with autoindex_exact_size off for files
// of these sizes (K from 10000 bytes, 1024-based, half up).
TEST(ResponseTestAutoindex, HumanSizesRoundAsNginx)
{
    const struct { off_t size; const char* text; } cases[] = {
        { 0, "0" }, { 1, "1" }, { 9999, "9999" }, { 10000, "10K" }, { 10751, "10K" },
        { 10752, "11K" }, { 1048575, "1024K" }, { 1048576, "1M" }, { 1572863, "1M" },
        { 1572864, "2M" }, { 1073741823LL, "1024M" }, { 1073741824LL, "1G" },
        { 3758096383LL, "3G" }, { 3758096384LL, "4G" }, { 5497558138880LL, "5120G" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
        EXPECT_EQ(cases[i].text, humanSize(cases[i].size)) << cases[i].size;
}

TEST(ResponseTestAutoindex, InexactSizesInThePage)
{
    const time_t t = 784111777;
    const std::string date = "Sun, 06 Nov 1994 08:49:37 GMT";
    std::vector<DirectoryEntry> entries = {
        entry("big", false, 12 * 1048576 + 1, t),
        entry("dir", true, 4096, t),
        entry("small", false, 9999, t),
    };
    std::vector<std::string> expected = {
        kParentRow,
        row("dir/", "dir/", date, "-"),
        row("big", "big", date, "12M"),
        row("small", "small", date, "9999"),
    };
    EXPECT_EQ(expected, rowsOf(renderListing("/f/", entries, false)));
}

// What nginx 1.22.1 answered for the same directory with
// autoindex_format json, byte for byte.
TEST(ResponseTestAutoindex, JsonIsNginxsByteForByte)
{
    const time_t t = 1577934245;   // Thu, 02 Jan 2020 03:04:05 GMT
    std::vector<DirectoryEntry> entries = {
        entry("q\"uote", ENTRY_FILE, 0, t),
        entry("fifo", ENTRY_OTHER, 0, t),
        entry("sub", ENTRY_DIRECTORY, 4096, t),
        entry("b10000", ENTRY_FILE, 10000, t),
        entry("nl\nx", ENTRY_FILE, 12, t),
        entry("<b>&amp", ENTRY_FILE, 3758096384LL, t),
    };
    const std::string d = "\"mtime\":\"Thu, 02 Jan 2020 03:04:05 GMT\"";
    EXPECT_EQ("[\r\n"
        "{ \"name\":\"sub\", \"type\":\"directory\", " + d + " },\r\n"
        "{ \"name\":\"<b>&amp\", \"type\":\"file\", " + d + ", \"size\":3758096384 },\r\n"
        "{ \"name\":\"b10000\", \"type\":\"file\", " + d + ", \"size\":10000 },\r\n"
        "{ \"name\":\"fifo\", \"type\":\"other\", " + d + " },\r\n"
        "{ \"name\":\"nl\\nx\", \"type\":\"file\", " + d + ", \"size\":12 },\r\n"
        "{ \"name\":\"q\\\"uote\", \"type\":\"file\", " + d + ", \"size\":0 }\r\n"
        "]", renderJsonListing(entries));
    EXPECT_EQ("[\r\n]", renderJsonListing(std::vector<DirectoryEntry>()));
}
