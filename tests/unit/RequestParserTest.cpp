// The request-head parser (src/http/RequestParser.cpp) against the Parsing
// table of tests/contract/HTTP.md. Every table case is fed whole, one byte at a time and
// split in two at every split point (see splitPoints for the 32 KiB heads),
// and must give the same answer each way.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/Request.hpp"
#include "http/RequestParser.hpp"
#include "http/Uri.hpp"
#include "support/EverySplit.hpp"
#include "support/TestText.hpp"

namespace {

const char* framingName(BodyFraming framing)
{
    switch (framing) {
    case BODY_NONE: return "none";
    case BODY_LENGTH: return "length";
    case BODY_CHUNKED: return "chunked";
    }
    return "?";
}

const char* expectationName(Expectation expectation)
{
    switch (expectation) {
    case EXPECT_NOTHING: return "none";
    case EXPECT_CONTINUE: return "100-continue";
    case EXPECT_UNSUPPORTED: return "unsupported";
    }
    return "?";
}

// Everything the parser decided, as one comparable line:
//   "DONE GET / HTTP/1.1 minor=1 {Host: a} none len=0 keep-alive expect=none"
// followed by " rest=..." when bytes were left unconsumed, or
//   "FAILED 400", or "NEED_MORE rest=...".
// rest is what the connection still holds: the input minus every *consumed.
struct Outcome {
    RequestParser::Result result;
    int status;
    Request request;
    std::string rest;
    bool partialLinesConsumed;   // some *consumed did not end after an LF

    std::string describe() const
    {
        if (result == RequestParser::FAILED)
            return "FAILED " + std::to_string(status);
        std::string restText = rest.empty() ? "" : " rest=\"" + visible(rest) + "\"";
        if (result == RequestParser::NEED_MORE)
            return "NEED_MORE" + restText;
        std::string fields;
        for (size_t i = 0; i < request.headers.size(); ++i)
            fields += (i ? "|" : "") + visible(request.headers.at(i).first) + ": "
                + visible(request.headers.at(i).second);
        return "DONE " + visible(request.method) + " " + visible(request.target) + " "
            + visible(request.versionText) + " minor=" + std::to_string(request.versionMinor)
            + " {" + fields + "} " + framingName(request.framing)
            + " len=" + std::to_string(static_cast<long long>(request.contentLength))
            + (request.keepAlive ? " keep-alive" : " close")
            + " expect=" + expectationName(request.expectation) + restText;
    }
};

// Feeds input in pieces ending at the given offsets (the last is
// input.size()) the way a connection does: append the new bytes to its
// buffer, parse the whole buffer, erase the *consumed bytes, repeat.
Outcome feedCuts(const std::string& input, const std::vector<size_t>& ends)
{
    RequestParser parser;
    Outcome out;
    out.result = RequestParser::NEED_MORE;
    out.status = 0;
    out.partialLinesConsumed = false;
    std::string buffer;
    size_t fed = 0;
    for (size_t i = 0; i < ends.size(); ++i) {
        buffer.append(input, fed, ends[i] - fed);
        fed = ends[i];
        size_t consumed = 12345;
        RequestParser::Result result =
            parser.parse(buffer.data(), buffer.size(), &consumed, out.request);
        if (result == RequestParser::FAILED) {
            out.result = result;
            out.status = parser.errorStatus();
            return out;
        }
        if (consumed > buffer.size()) {
            ADD_FAILURE() << "consumed " << consumed << " of " << buffer.size();
            consumed = buffer.size();
        }
        if (consumed > 0 && buffer[consumed - 1] != '\n')
            out.partialLinesConsumed = true;
        buffer.erase(0, consumed);
        if (result == RequestParser::DONE) {
            out.result = result;
            break;
        }
    }
    out.rest = buffer + input.substr(fed);
    return out;
}

Outcome feedPieces(const std::vector<std::string>& pieces)
{
    std::string input;
    std::vector<size_t> ends;
    for (size_t i = 0; i < pieces.size(); ++i) {
        input += pieces[i];
        ends.push_back(input.size());
    }
    return feedCuts(input, ends);
}

Outcome feedWhole(const std::string& input)
{
    return feedCuts(input, wholeEnds(input.size()));
}

Outcome feedByteByByte(const std::string& input)
{
    return feedCuts(input, byteByByteEnds(input.size()));
}

Outcome feedSplit(const std::string& input, size_t at)
{
    return feedCuts(input, splitEnds(at, input.size()));
}

// Field by field, as describe() would tell, but cheap enough to run at every
// split point of a 40 KiB head.
bool sameOutcome(const Outcome& a, const Outcome& b)
{
    if (a.result != b.result)
        return false;
    if (a.result == RequestParser::FAILED)
        return a.status == b.status;
    if (a.rest != b.rest)
        return false;
    if (a.result == RequestParser::NEED_MORE)
        return true;
    const Request& x = a.request;
    const Request& y = b.request;
    if (x.method != y.method || x.target != y.target || x.versionText != y.versionText
        || x.versionMinor != y.versionMinor || x.framing != y.framing
        || x.contentLength != y.contentLength || x.keepAlive != y.keepAlive
        || x.expectation != y.expectation || x.headers.size() != y.headers.size())
        return false;
    for (size_t i = 0; i < x.headers.size(); ++i)
        if (x.headers.at(i) != y.headers.at(i))
            return false;
    return true;
}

struct Case {
    std::string name;
    std::string input;
    std::string expected;   // Outcome::describe()
};

// The expected description of a DONE head; keepAlive etc. spelled out.
std::string done(const std::string& requestLine, const std::string& fields,
    const std::string& framing = "none len=0", const std::string& connection = "keep-alive",
    const std::string& expect = "none", const std::string& rest = "")
{
    return "DONE " + visible(requestLine) + " {" + visible(fields) + "} " + framing + " " + connection
        + " expect=" + expect + (rest.empty() ? "" : " rest=\"" + visible(rest) + "\"");
}

const std::string kGet = "GET / HTTP/1.1\r\nHost: a\r\n";
const std::string kGetLine = "GET / HTTP/1.1 minor=1";

std::string repeat(const std::string& s, size_t n)
{
    std::string out;
    for (size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

// "GET /aaa...a HTTP/1.1" of exactly length bytes (without CRLF).
std::string requestLineOf(size_t length)
{
    const std::string fixed = "GET / HTTP/1.1";
    return "GET /" + std::string(length - fixed.size(), 'a') + " HTTP/1.1";
}

// A request whose Host line is followed by fields X-0 ... X-(n-2): n fields.
std::string requestWithFields(size_t n)
{
    std::string s = kGet;
    for (size_t i = 0; i + 1 < n; ++i)
        s += "X-" + std::to_string(i) + ": v\r\n";
    return s + "\r\n";
}

std::string describeFields(size_t n)
{
    std::string s = "Host: a";
    for (size_t i = 0; i + 1 < n; ++i)
        s += "|X-" + std::to_string(i) + ": v";
    return s;
}

std::vector<Case> requestLineCases()
{
    const std::string line8192 = requestLineOf(8192);
    return {
        { "simple GET", kGet + "\r\n", done(kGetLine, "Host: a") },
        { "query kept as received", "GET /a%20b?x=1&y HTTP/1.1\r\nHost: a\r\n\r\n",
          done("GET /a%20b?x=1&y HTTP/1.1 minor=1", "Host: a") },
        { "request line of exactly 8192 bytes", line8192 + "\r\nHost: a\r\n\r\n",
          done(line8192 + " minor=1", "Host: a") },
        { "request line of 8193 bytes -> 414", requestLineOf(8193) + "\r\nHost: a\r\n\r\n",
          "FAILED 414" },
        { "request line of 9000 bytes -> 414", requestLineOf(9000) + "\r\nHost: a\r\n\r\n",
          "FAILED 414" },
        { "9000 bytes of request line, no LF yet -> 414", requestLineOf(9000), "FAILED 414" },
        { "8192 bytes + CR, no LF yet: still possible", line8192 + "\r",
          "NEED_MORE rest=\"" + visible(line8192) + "\\x0D\"" },
        // Over the limit, the line is a long URI only if its method ended
        // within it; otherwise it is no request line at all.
        { "method of 100 KiB -> 400", std::string(100 * 1024, 'M') + " / HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "method of 8193 bytes -> 400", std::string(8193, 'M') + " / HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "method of 8192 bytes ending at the limit -> 414",
          std::string(8192, 'M') + " / HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 414" },
        { "9000 bytes without a space, no LF yet -> 400", std::string(9000, 'G'), "FAILED 400" },
        { "8193 bytes without a space, then LF -> 400", std::string(8193, 'G') + "\r\n\r\n",
          "FAILED 400" },
        { "8192 bytes without a space + CR, no LF yet: still possible", std::string(8192, 'G') + "\r",
          "NEED_MORE rest=\"" + std::string(8192, 'G') + "\\x0D\"" },
        { "8192 bytes without a space: an ordinary malformed line -> 400",
          std::string(8192, 'G') + "\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "long line with a NUL -> 414 first",
          "GET /" + std::string(8200, 'a') + '\0' + " HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 414" },
        { "no version -> 400", "GET /\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "trailing space after version -> 400", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "two spaces after method -> 400", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "two spaces before version -> 400", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "empty method -> 400", " / HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "four words -> 400", "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "only a method -> 400", "GET\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "tabs as separators -> 400", "GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "'(' in method -> 400", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "DEL in method -> 400", "GE\x7FT / HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "byte >= 0x80 in method -> 400", "G\xC3\x89T / HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "lower-case method is a token (405 later)", "get / HTTP/1.1\r\nHost: a\r\n\r\n",
          done("get / HTTP/1.1 minor=1", "Host: a") },
        { "unknown token method (405 later)", "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n",
          done("BREW /pot HTTP/1.1 minor=1", "Host: a") },
        { "NUL in target -> 400", std::string("GET /a") + '\0' + "b HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "control byte in target -> 400", "GET /a\x01" "b HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "VT in target -> 400", "GET /a\x0B" "b HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "DEL in target -> 400", "GET /a\x7F" "b HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "bare CR in target -> 400", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "absolute-form target kept as received",
          "GET http://Other.example:8080/p?q=1 HTTP/1.1\r\nHost: a\r\n\r\n",
          done("GET http://Other.example:8080/p?q=1 HTTP/1.1 minor=1", "Host: a") },
        { "absolute-form still needs Host in 1.1 -> 400",
          "GET http://other.example/ HTTP/1.1\r\n\r\n", "FAILED 400" },
        { "asterisk-form with OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
          done("OPTIONS * HTTP/1.1 minor=1", "Host: a") },
        { "OPTIONS with an origin-form target", "OPTIONS /a HTTP/1.1\r\nHost: a\r\n\r\n",
          done("OPTIONS /a HTTP/1.1 minor=1", "Host: a") },
        { "asterisk-form with GET -> 400", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "asterisk-form with POST -> 400", "POST * HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "asterisk-form with lower-case options -> 400",
          "options * HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "asterisk-form still needs Host in 1.1 -> 400", "OPTIONS * HTTP/1.1\r\n\r\n",
          "FAILED 400" },
        { "a '*' in a path is no asterisk-form", "GET /* HTTP/1.1\r\nHost: a\r\n\r\n",
          done("GET /* HTTP/1.1 minor=1", "Host: a") },
        { "'**' is no asterisk-form (the router's 400)", "OPTIONS ** HTTP/1.1\r\nHost: a\r\n\r\n",
          done("OPTIONS ** HTTP/1.1 minor=1", "Host: a") },
        // RFC 9112 §3.2, RFC 3986: visible ASCII only, no fragment.
        { "raw UTF-8 in target -> 400", "GET /caf\xC3\xA9 HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "overlong UTF-8 in target -> 400", "GET /\xC0\xAF HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "byte 0x80 in target -> 400", "GET /a\x80 HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "byte 0xFF in target -> 400", "GET /\xFF HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "ESC in target -> 400", "GET /a\x1B[0m HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "fragment in target -> 400", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "empty fragment in target -> 400", "GET /# HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "fragment after a query -> 400", "GET /a?b#c HTTP/1.1\r\nHost: a\r\n\r\n",
          "FAILED 400" },
        { "fragment in an absolute-form target -> 400",
          "GET http://a/p#f HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "percent-encoded UTF-8 and %23 kept", "GET /caf%C3%A9%23x HTTP/1.1\r\nHost: a\r\n\r\n",
          done("GET /caf%C3%A9%23x HTTP/1.1 minor=1", "Host: a") },
        { "every other visible ASCII byte kept", "GET /!$&'()*+,;=:@-._~[]{}|^`\"<>\\ HTTP/1.1\r\n"
            "Host: a\r\n\r\n",
          done("GET /!$&'()*+,;=:@-._~[]{}|^`\"<>\\ HTTP/1.1 minor=1", "Host: a") },
        { "bad percent-encoding is not the parser's business",
          "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", done("GET /a%zz HTTP/1.1 minor=1", "Host: a") },
    };
}

std::vector<Case> versionCases()
{
    return {
        { "HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n",
          done("GET / HTTP/1.0 minor=0", "", "none len=0", "close") },
        { "HTTP/1.0 with Host", "GET / HTTP/1.0\r\nHost: a\r\n\r\n",
          done("GET / HTTP/1.0 minor=0", "Host: a", "none len=0", "close") },
        { "HTTP/1.2 served as 1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
          done("GET / HTTP/1.2 minor=1", "Host: a") },
        { "HTTP/1.9 served as 1.1", "GET / HTTP/1.9\r\nHost: a\r\n\r\n",
          done("GET / HTTP/1.9 minor=1", "Host: a") },
        { "HTTP/1.2 needs Host like 1.1 -> 400", "GET / HTTP/1.2\r\n\r\n", "FAILED 400" },
        { "HTTP/0.9 -> 505", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", "FAILED 505" },
        { "HTTP/2.0 -> 505", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", "FAILED 505" },
        { "HTTP/3.0 -> 505", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", "FAILED 505" },
        { "HTTP/9.1 -> 505", "GET / HTTP/9.1\r\nHost: a\r\n\r\n", "FAILED 505" },
        { "HTTP/1 -> 400", "GET / HTTP/1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "HTTP/3 -> 400", "GET / HTTP/3\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "http/1.1 -> 400", "GET / http/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "HTTP/1.10 -> 400", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "HTTP/11.1 -> 400", "GET / HTTP/11.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "HTTP/1,1 -> 400", "GET / HTTP/1,1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "HTTPS/1.1 -> 400", "GET / HTTPS/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "HTTP/a.1 -> 400", "GET / HTTP/a.1\r\nHost: a\r\n\r\n", "FAILED 400" },
    };
}

std::vector<Case> hostCases()
{
    return {
        { "HTTP/1.1 without Host -> 400", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", "FAILED 400" },
        { "HTTP/1.1 with two equal Hosts -> 400", kGet + "Host: a\r\n\r\n", "FAILED 400" },
        { "HTTP/1.1 with two Hosts -> 400", kGet + "host: b\r\n\r\n", "FAILED 400" },
        { "HTTP/1.0 with two Hosts -> 400", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
          "FAILED 400" },
        { "Host with a space -> 400", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "FAILED 400" },
        { "Host with a slash -> 400", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "FAILED 400" },
        { "Host with userinfo -> 400", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", "FAILED 400" },
        { "Host with a non-numeric port -> 400", "GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n",
          "FAILED 400" },
        { "invalid Host in HTTP/1.0 -> 400", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n",
          "FAILED 400" },
        { "Host with port, kept as received", "GET / HTTP/1.1\r\nHost: Example.COM:8080\r\n\r\n",
          done(kGetLine, "Host: Example.COM:8080") },
        { "IPv6 literal Host", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
          done(kGetLine, "Host: [::1]:80") },
        { "Host name is case-insensitive", "GET / HTTP/1.1\r\nhOsT: a\r\n\r\n",
          done(kGetLine, "hOsT: a") },
    };
}

std::vector<Case> headerLineCases()
{
    return {
        { "bare LF line ends", "GET / HTTP/1.1\nHost: a\nX-A: b\n\n",
          done(kGetLine, "Host: a|X-A: b") },
        { "mixed CRLF and LF line ends", "GET / HTTP/1.1\nHost: a\r\nX-A: b\n\r\n",
          done(kGetLine, "Host: a|X-A: b") },
        { "leading empty lines ignored", "\r\n\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
          done(kGetLine, "Host: a") },
        { "space before colon -> 400", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "FAILED 400" },
        { "tab before colon -> 400", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", "FAILED 400" },
        { "obs-fold with space -> 400", kGet + "X-A: b\r\n c\r\n\r\n", "FAILED 400" },
        { "obs-fold with tab -> 400", kGet + "X-A: b\r\n\tc\r\n\r\n", "FAILED 400" },
        { "whitespace before the first field -> 400", "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
          "FAILED 400" },
        { "no colon -> 400", kGet + "X-A b\r\n\r\n", "FAILED 400" },
        { "empty field name -> 400", kGet + ": b\r\n\r\n", "FAILED 400" },
        { "space inside field name -> 400", kGet + "X A: b\r\n\r\n", "FAILED 400" },
        { "'(' in field name -> 400", kGet + "X(A): b\r\n\r\n", "FAILED 400" },
        { "byte >= 0x80 in field name -> 400", kGet + "X-\xC3\xA9: b\r\n\r\n", "FAILED 400" },
        { "NUL in field value -> 400", kGet + "X-A: a" + '\0' + "b\r\n\r\n", "FAILED 400" },
        { "control byte in field value -> 400", kGet + "X-A: a\x01" "b\r\n\r\n", "FAILED 400" },
        { "ESC in field value -> 400", kGet + "X-A: a\x1B" "b\r\n\r\n", "FAILED 400" },
        { "DEL in field value -> 400", kGet + "X-A: a\x7F" "b\r\n\r\n", "FAILED 400" },
        { "bare CR inside a field value -> 400", kGet + "X-A: a\rb\r\n\r\n", "FAILED 400" },
        { "CR CR LF line end -> 400", kGet + "X-A: b\r\r\n\r\n", "FAILED 400" },
        { "CR CR LF final line -> 400", kGet + "\r\r\n", "FAILED 400" },
        { "CR CR LF request line end -> 400", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", "FAILED 400" },
        { "HTAB inside a field value kept", kGet + "X-A: a\tb\r\n\r\n",
          done(kGetLine, "Host: a|X-A: a\tb") },
        { "bytes >= 0x80 in a field value kept", kGet + "X-A: caf\xC3\xA9 \xFF\x80\r\n\r\n",
          done(kGetLine, "Host: a|X-A: caf\xC3\xA9 \xFF\x80") },
        { "OWS around the value trimmed", kGet + "X-A: \t v a l \t \r\nX-B:c\r\n\r\n",
          done(kGetLine, "Host: a|X-A: v a l|X-B: c") },
        { "empty field value kept", kGet + "X-A:\r\nX-B:  \r\n\r\n",
          done(kGetLine, "Host: a|X-A: |X-B: ") },
        { "field order and name case kept, duplicates kept",
          kGet + "x-A: 1\r\nX-a: 2\r\nACCEPT: */*\r\n\r\n",
          done(kGetLine, "Host: a|x-A: 1|X-a: 2|ACCEPT: */*") },
        { "head still incomplete", kGet + "X-A: b", "NEED_MORE rest=\"X-A: b\"" },
        { "pipelined bytes are left alone", kGet + "\r\nGET /next HTTP/1.1\r\n",
          done(kGetLine, "Host: a", "none len=0", "keep-alive", "none",
              "GET /next HTTP/1.1\r\n") },
    };
}

// A head whose header lines ("Host: a\r\n" and one "X-Big: vvv\r\n") are
// exactly n bytes, CRLFs included, the final empty line not.
std::string headerLinesOf(size_t n)
{
    return kGet + "X-Big: " + std::string(n - 18, 'v') + "\r\n\r\n";
}

std::vector<Case> limitCases()
{
    const std::string line8192 = requestLineOf(8192);
    // Under 32 KiB however the header limit counts CRLFs; over it in any case.
    const std::string bigValue(32700, 'v');
    const std::string hugeValue(32769, 'v');
    std::vector<Case> cases = {
        { "100 header fields accepted", requestWithFields(100),
          done(kGetLine, describeFields(100)) },
        { "101 header fields -> 431", requestWithFields(101), "FAILED 431" },
        { "one field just under 32 KiB accepted", kGet + "X-Big: " + bigValue + "\r\n\r\n",
          done(kGetLine, "Host: a|X-Big: " + bigValue) },
        { "one field over 32 KiB -> 431", "GET / HTTP/1.1\r\nX-Big: " + hugeValue
            + "\r\nHost: a\r\n\r\n", "FAILED 431" },
        { "many fields over 32 KiB -> 431",
          kGet + repeat("X-Many: " + std::string(990, 'm') + "\r\n", 40) + "\r\n",
          "FAILED 431" },
        { "40000 bytes of header line, no LF yet -> 431", kGet + "X-Big: "
            + std::string(40000, 'v'), "FAILED 431" },
        { "header lines of 32766 bytes accepted", headerLinesOf(32766),
          done(kGetLine, "Host: a|X-Big: " + std::string(32766 - 18, 'v')) },
        { "header lines of 32769 bytes -> 431", headerLinesOf(32769), "FAILED 431" },
        { "the request line does not count toward the header limit",
          line8192 + "\r\nHost: a\r\nX-Big: " + bigValue + "\r\n\r\n",
          done(line8192 + " minor=1", "Host: a|X-Big: " + bigValue) },
    };
    return cases;
}

std::vector<Case> framingCases()
{
    const std::string te = "Transfer-Encoding: ";
    const std::string cl = "Content-Length: ";
    return {
        { "TE chunked", kGet + te + "chunked\r\n\r\n",
          done(kGetLine, "Host: a|Transfer-Encoding: chunked", "chunked len=0") },
        { "TE CHUNKED (case-insensitive)", kGet + te + "CHUNKED\r\n\r\n",
          done(kGetLine, "Host: a|Transfer-Encoding: CHUNKED", "chunked len=0") },
        { "TE name in lower case", kGet + "transfer-encoding: Chunked \r\n\r\n",
          done(kGetLine, "Host: a|transfer-encoding: Chunked", "chunked len=0") },
        { "TE chunked, body bytes left alone", kGet + te + "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
          done(kGetLine, "Host: a|Transfer-Encoding: chunked", "chunked len=0", "keep-alive",
              "none", "5\r\nhello\r\n0\r\n\r\n") },
        { "TE in HTTP/1.0 -> 400", "GET / HTTP/1.0\r\n" + te + "chunked\r\n\r\n", "FAILED 400" },
        { "TE gzip in HTTP/1.0 -> 400", "GET / HTTP/1.0\r\n" + te + "gzip\r\n\r\n", "FAILED 400" },
        // RFC 9112 §6.3: unless chunked is the last coding, named once, the
        // length cannot be determined -> 400. Chunked after a coding we do
        // not decode -> 501. All the fields count, as one list.
        { "TE gzip, chunked -> 501", kGet + te + "gzip, chunked\r\n\r\n", "FAILED 501" },
        { "TE identity, chunked -> 501", kGet + te + "identity, chunked\r\n\r\n", "FAILED 501" },
        { "TE gzip;level=1 ,chunked -> 501", kGet + te + "gzip;level=1 ,chunked\r\n\r\n",
          "FAILED 501" },
        { "TE fields gzip then chunked -> 501", kGet + te + "gzip\r\n" + te + "chunked\r\n\r\n",
          "FAILED 501" },
        { "TE chunked, identity -> 400", kGet + te + "chunked, identity\r\n\r\n", "FAILED 400" },
        { "TE chunked, gzip -> 400", kGet + te + "chunked, gzip\r\n\r\n", "FAILED 400" },
        { "TE gzip -> 400", kGet + te + "gzip\r\n\r\n", "FAILED 400" },
        { "TE identity -> 400", kGet + te + "identity\r\n\r\n", "FAILED 400" },
        { "TE xchunked -> 400", kGet + te + "xchunked\r\n\r\n", "FAILED 400" },
        { "TE quoted \"chunked\" -> 400", kGet + te + "\"chunked\"\r\n\r\n", "FAILED 400" },
        { "TE chunked with parameters -> 400", kGet + te + "chunked;q=1\r\n\r\n", "FAILED 400" },
        { "TE gzip, chunked;x -> 400", kGet + te + "gzip, chunked;x\r\n\r\n", "FAILED 400" },
        { "TE chunked, chunked -> 400", kGet + te + "chunked, chunked\r\n\r\n", "FAILED 400" },
        { "TE chunked, gzip, chunked -> 400", kGet + te + "chunked, gzip, chunked\r\n\r\n",
          "FAILED 400" },
        { "two TE fields chunked + chunked -> 400",
          kGet + te + "chunked\r\n" + te + "chunked\r\n\r\n", "FAILED 400" },
        { "TE fields chunked then gzip -> 400", kGet + te + "chunked\r\n" + te + "gzip\r\n\r\n",
          "FAILED 400" },
        { "TE , chunked -> 400", kGet + te + ", chunked\r\n\r\n", "FAILED 400" },
        { "TE chunked, -> 400", kGet + te + "chunked,\r\n\r\n", "FAILED 400" },
        { "TE gzip,,chunked -> 400", kGet + te + "gzip,,chunked\r\n\r\n", "FAILED 400" },
        { "TE g zip, chunked (not a token) -> 400", kGet + te + "g zip, chunked\r\n\r\n",
          "FAILED 400" },
        { "empty TE -> 400", kGet + te + "\r\n\r\n", "FAILED 400" },
        { "empty TE beside Content-Length -> 400", kGet + te + "\r\n" + cl + "5\r\n\r\n",
          "FAILED 400" },
        { "empty TE field, then TE chunked -> 400", kGet + "Transfer-Encoding:\r\n" + te
            + "chunked\r\n\r\n", "FAILED 400" },
        { "TE chunked, then an empty TE field -> 400", kGet + te + "chunked\r\n"
            + "Transfer-Encoding:  \r\n\r\n", "FAILED 400" },
        { "TE gzip, chunked with Content-Length -> 400 (not 501)",
          kGet + te + "gzip, chunked\r\n" + cl + "5\r\n\r\n", "FAILED 400" },
        { "TE gzip, chunked in HTTP/1.0 -> 400", "GET / HTTP/1.0\r\n" + te + "gzip, chunked\r\n\r\n",
          "FAILED 400" },
        { "TE chunked and Content-Length -> 400", kGet + te + "chunked\r\n" + cl + "5\r\n\r\n",
          "FAILED 400" },
        { "Content-Length and TE chunked -> 400", kGet + cl + "5\r\n" + te + "chunked\r\n\r\n",
          "FAILED 400" },
        { "Transfer-Encoding : chunked -> 400", kGet + "Transfer-Encoding : chunked\r\n\r\n",
          "FAILED 400" },
        { "VT in TE value -> 400", kGet + te + "chunked\x0B\r\n\r\n", "FAILED 400" },
        { "Content-Length 5, body left alone", kGet + cl + "5\r\n\r\nhelloGET",
          done(kGetLine, "Host: a|Content-Length: 5", "length len=5", "keep-alive", "none",
              "helloGET") },
        { "Content-Length 0 -> no body", kGet + cl + "0\r\n\r\n",
          done(kGetLine, "Host: a|Content-Length: 0", "none len=0") },
        { "Content-Length with OWS", kGet + "content-length:  7 \r\n\r\n",
          done(kGetLine, "Host: a|content-length: 7", "length len=7") },
        { "Content-Length with leading zeros", kGet + cl + "007\r\n\r\n",
          done(kGetLine, "Host: a|Content-Length: 007", "length len=7") },
        { "largest Content-Length", kGet + cl + "9223372036854775807\r\n\r\n",
          done(kGetLine, "Host: a|Content-Length: 9223372036854775807",
              "length len=9223372036854775807") },
        { "Content-Length +5 -> 400", kGet + cl + "+5\r\n\r\n", "FAILED 400" },
        { "Content-Length -5 -> 400", kGet + cl + "-5\r\n\r\n", "FAILED 400" },
        { "Content-Length 5, 5 -> 400", kGet + cl + "5, 5\r\n\r\n", "FAILED 400" },
        { "two equal Content-Length fields -> 400", kGet + cl + "5\r\n" + cl + "5\r\n\r\n",
          "FAILED 400" },
        { "Content-Length abc -> 400", kGet + cl + "abc\r\n\r\n", "FAILED 400" },
        { "Content-Length 5a -> 400", kGet + cl + "5a\r\n\r\n", "FAILED 400" },
        { "Content-Length 0x5 -> 400", kGet + cl + "0x5\r\n\r\n", "FAILED 400" },
        { "empty Content-Length -> 400", kGet + cl + "\r\n\r\n", "FAILED 400" },
        { "Content-Length overflow -> 400", kGet + cl + "99999999999999999999\r\n\r\n",
          "FAILED 400" },
        { "Content-Length 2^63 -> 400", kGet + cl + "9223372036854775808\r\n\r\n",
          "FAILED 400" },
    };
}

std::vector<Case> connectionCases()
{
    const std::string get10 = "GET / HTTP/1.0\r\nHost: a\r\n";
    const std::string get10Line = "GET / HTTP/1.0 minor=0";
    return {
        { "1.1 keeps alive by default", kGet + "\r\n", done(kGetLine, "Host: a") },
        { "1.1 Connection: close", kGet + "Connection: close\r\n\r\n",
          done(kGetLine, "Host: a|Connection: close", "none len=0", "close") },
        { "1.1 Connection: CLOSE", kGet + "connection: CLOSE\r\n\r\n",
          done(kGetLine, "Host: a|connection: CLOSE", "none len=0", "close") },
        { "1.1 close among other options", kGet + "Connection: Upgrade, close\r\n\r\n",
          done(kGetLine, "Host: a|Connection: Upgrade, close", "none len=0", "close") },
        { "1.1 keep-alive and close: close wins",
          kGet + "Connection: keep-alive\r\nConnection: close\r\n\r\n",
          done(kGetLine, "Host: a|Connection: keep-alive|Connection: close", "none len=0",
              "close") },
        { "1.1 'closed' is not close", kGet + "Connection: closed\r\n\r\n",
          done(kGetLine, "Host: a|Connection: closed") },
        { "1.0 closes by default", get10 + "\r\n",
          done(get10Line, "Host: a", "none len=0", "close") },
        { "1.0 Connection: keep-alive", get10 + "Connection: keep-alive\r\n\r\n",
          done(get10Line, "Host: a|Connection: keep-alive", "none len=0", "keep-alive") },
        { "1.0 Connection: Keep-Alive", get10 + "Connection: Keep-Alive\r\n\r\n",
          done(get10Line, "Host: a|Connection: Keep-Alive", "none len=0", "keep-alive") },
        { "1.0 keep-alive, close", get10 + "Connection: keep-alive, close\r\n\r\n",
          done(get10Line, "Host: a|Connection: keep-alive, close", "none len=0", "close") },
        { "Expect: 100-continue", kGet + "Expect: 100-continue\r\n\r\n",
          done(kGetLine, "Host: a|Expect: 100-continue", "none len=0", "keep-alive",
              "100-continue") },
        { "Expect: 100-Continue (case-insensitive)", kGet + "expect: 100-Continue\r\n\r\n",
          done(kGetLine, "Host: a|expect: 100-Continue", "none len=0", "keep-alive",
              "100-continue") },
        { "Expect: something else", kGet + "Expect: teapot\r\n\r\n",
          done(kGetLine, "Host: a|Expect: teapot", "none len=0", "keep-alive", "unsupported") },
        { "Expect ignored in HTTP/1.0", get10 + "Expect: 100-continue\r\n\r\n",
          done(get10Line, "Host: a|Expect: 100-continue", "none len=0", "close") },
    };
}

// Descriptions of 40 KiB heads are unreadable whole: on a mismatch, show
// where they first differ.
std::string firstDifference(const std::string& expected, const std::string& actual)
{
    if (expected.size() < 300 && actual.size() < 300)
        return "\n  expected: " + expected + "\n  actual:   " + actual;
    size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at])
        ++at;
    size_t from = at < 40 ? 0 : at - 40;
    return "\n  first difference at " + std::to_string(at) + "\n  expected: ..."
        + expected.substr(from, 120) + "\n  actual:   ..." + actual.substr(from, 120);
}

bool same(const std::string& expected, const std::string& actual, const std::string& how)
{
    if (expected == actual)
        return true;
    ADD_FAILURE() << how << firstDifference(expected, actual);
    return false;
}

// Every split point of a head up to 16 KiB. The few 32-40 KiB limit cases
// would take seconds that way, so for them: every split point within 64
// bytes of the start, the end, a line end or a limit threshold, and every
// 13th point in the long runs of filler bytes between (where the parser's
// state differs only in how much of the pending line it has scanned).
std::vector<size_t> splitPoints(const std::string& input)
{
    const size_t kEverySplitUpTo = 16 * 1024;
    const size_t kWindow = 64;
    std::vector<size_t> points;
    if (input.size() <= kEverySplitUpTo) {
        for (size_t at = 1; at < input.size(); ++at)
            points.push_back(at);
        return points;
    }
    std::vector<size_t> marks = { 0, input.size(), RequestParser::kMaxRequestLine };
    size_t firstLf = input.find('\n');
    if (firstLf != std::string::npos)
        marks.push_back(firstLf + 1 + RequestParser::kMaxHeaderBytes);
    for (size_t i = 0; i < input.size(); ++i)
        if (input[i] == '\n')
            marks.push_back(i);
    std::vector<bool> near(input.size() + 1, false);
    for (size_t m = 0; m < marks.size(); ++m)
        for (size_t at = marks[m] > kWindow ? marks[m] - kWindow : 0;
             at <= marks[m] + kWindow && at <= input.size(); ++at)
            near[at] = true;
    for (size_t at = 1; at < input.size(); ++at)
        if (near[at] || at % 13 == 0)
            points.push_back(at);
    return points;
}

// Whole: the table's answer, consuming whole lines only. Every other way:
// the whole answer (compared field by field first, which is cheap), and
// whole lines only too.
void checkEverySplit(const std::vector<Case>& cases)
{
    for (size_t c = 0; c < cases.size(); ++c) {
        const Case& tc = cases[c];
        SCOPED_TRACE(tc.name);
        ::checkEverySplit(tc.input.size(), splitPoints(tc.input),
            [&](const std::vector<size_t>& ends) { return feedCuts(tc.input, ends); },
            [&](const Outcome& whole) {
                same(tc.expected, whole.describe(), "fed whole");
                EXPECT_FALSE(whole.partialLinesConsumed);
            },
            [&](const Outcome& whole, const Outcome& other, const std::string& how) {
                if (!sameOutcome(whole, other))
                    return same(whole.describe(), other.describe(), how);
                if (other.partialLinesConsumed) {
                    ADD_FAILURE() << how << ": consumed part of a line";
                    return false;
                }
                return true;
            });
    }
}

}

// ================================================================ the table

TEST(RequestParserTestTable, RequestLine)
{
    checkEverySplit(requestLineCases());
}

TEST(RequestParserTestTable, Version)
{
    checkEverySplit(versionCases());
}

TEST(RequestParserTestTable, Host)
{
    checkEverySplit(hostCases());
}

TEST(RequestParserTestTable, HeaderLines)
{
    checkEverySplit(headerLineCases());
}

TEST(RequestParserTestTable, Limits)
{
    checkEverySplit(limitCases());
}

TEST(RequestParserTestTable, Framing)
{
    checkEverySplit(framingCases());
}

TEST(RequestParserTestTable, ConnectionAndExpect)
{
    checkEverySplit(connectionCases());
}

// A target has no whitespace (RFC 9112 §3): HTAB is a malformed request
// line, 400, as in nginx 1.22.
TEST(RequestParserTestTable, TabInTargetIsMalformed)
{
    checkEverySplit({
        { "HTAB in target -> 400", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", "FAILED 400" },
    });
}

// An over-long line that also holds a bare CR gets the same answer whole
// and in pieces: the length is checked first both ways.
TEST(RequestParserTestTable, BareCrInOverlongLineSameAnswerEveryWay)
{
    std::string longLine = "GET /a\rb" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
    std::string longField = kGet + "X-A: a\rb" + std::string(40000, 'v') + "\r\n\r\n";
    EXPECT_EQ(feedWhole(longLine).describe(), feedByteByByte(longLine).describe());
    EXPECT_EQ(feedWhole(longField).describe(), feedByteByByte(longField).describe());
}

// tests/contract/HTTP.md ("Parsing"): 431 only for header lines *larger*
// than 32 KiB; the empty line ending the head is not a header line.
TEST(RequestParserTestTable, HeaderLinesOfExactly32KiBAccepted)
{
    checkEverySplit({
        { "header lines of 32768 bytes accepted", headerLinesOf(32768),
          done(kGetLine, "Host: a|X-Big: " + std::string(32768 - 18, 'v')) },
    });
}

// ================================================================ other properties

TEST(RequestParserTest, EachKindOfSplitIsExercised)
{
    // The helper really re-presents the tail: a head split inside a line
    // needs the first part again, and the answer must not depend on it.
    Outcome split = feedSplit(kGet + "\r\n", 7);
    EXPECT_EQ(done(kGetLine, "Host: a"), split.describe());
    std::vector<std::string> pieces = { "GET / HT", "TP/1.1\r\nHo", "st: a\r", "\n", "\r", "\n" };
    EXPECT_EQ(done(kGetLine, "Host: a"), feedPieces(pieces).describe());
}

TEST(RequestParserTest, ConsumesWholeLinesOnly)
{
    RequestParser parser;
    Request request;
    size_t consumed = 99;
    std::string first = "GET / HTTP/1.1\r\nHost: a\r\nX-Par";
    EXPECT_EQ(RequestParser::NEED_MORE, parser.parse(first.data(), first.size(), &consumed, request));
    EXPECT_EQ(std::string("GET / HTTP/1.1\r\nHost: a\r\n").size(), consumed);
    std::string second = "X-Par";
    EXPECT_EQ(RequestParser::NEED_MORE, parser.parse(second.data(), second.size(), &consumed, request));
    EXPECT_EQ(0u, consumed);
    std::string third = "X-Partial: 1\r\n\r\nrest";
    EXPECT_EQ(RequestParser::DONE, parser.parse(third.data(), third.size(), &consumed, request));
    EXPECT_EQ(third.size() - 4, consumed);
    ASSERT_NE(nullptr, request.headers.find("x-partial"));
    EXPECT_EQ("1", *request.headers.find("x-partial"));
}

TEST(RequestParserTest, PipelinedRequests)
{
    const std::string first = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n";
    const std::string second = "GET /b HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
    std::string buffer = first + "xyz" + second + "GET /c";
    RequestParser parser;
    Request request;
    size_t consumed = 0;
    ASSERT_EQ(RequestParser::DONE, parser.parse(buffer.data(), buffer.size(), &consumed, request));
    EXPECT_EQ(first.size(), consumed);
    EXPECT_EQ("POST", request.method);
    EXPECT_EQ("/a", request.target);
    EXPECT_EQ(BODY_LENGTH, request.framing);
    EXPECT_EQ(3, request.contentLength);
    buffer.erase(0, consumed + 3);   // the connection reads the body

    parser.reset();
    request.clear();
    EXPECT_FALSE(parser.started());
    ASSERT_EQ(RequestParser::DONE, parser.parse(buffer.data(), buffer.size(), &consumed, request));
    EXPECT_EQ(second.size(), consumed);
    EXPECT_EQ("GET", request.method);
    EXPECT_EQ("/b", request.target);
    EXPECT_EQ(1u, request.headers.count("host"));
    EXPECT_EQ("b", *request.headers.find("HOST"));
    EXPECT_EQ(2u, request.headers.size());
    EXPECT_EQ(BODY_NONE, request.framing);
    EXPECT_FALSE(request.keepAlive);
    buffer.erase(0, consumed);
    EXPECT_EQ("GET /c", buffer);

    parser.reset();
    request.clear();
    EXPECT_EQ(RequestParser::NEED_MORE, parser.parse(buffer.data(), buffer.size(), &consumed, request));
    EXPECT_EQ(0u, consumed);
    EXPECT_TRUE(parser.started());
}

TEST(RequestParserTest, StartedOnlyAfterARequestByte)
{
    RequestParser parser;
    Request request;
    size_t consumed = 0;
    EXPECT_FALSE(parser.started());
    std::string empty = "\r\n\n\r\n";
    EXPECT_EQ(RequestParser::NEED_MORE, parser.parse(empty.data(), empty.size(), &consumed, request));
    EXPECT_EQ(empty.size(), consumed);
    EXPECT_FALSE(parser.started());
    std::string cr = "\r";
    EXPECT_EQ(RequestParser::NEED_MORE, parser.parse(cr.data(), cr.size(), &consumed, request));
    EXPECT_FALSE(parser.started());
    std::string g = "\r\nG";
    EXPECT_EQ(RequestParser::NEED_MORE, parser.parse(g.data(), g.size(), &consumed, request));
    EXPECT_EQ(2u, consumed);
    EXPECT_TRUE(parser.started());
    parser.reset();
    EXPECT_FALSE(parser.started());
}

TEST(RequestParserTest, OverlongRequestLineRefusedBeforeItsEnd)
{
    // Byte by byte, no LF ever: refused as soon as no line ending can fit
    // 8192 bytes (8192 bytes plus a CR is still a legal prefix).
    const std::string line = requestLineOf(9000);
    RequestParser parser;
    Request request;
    std::string buffer;
    size_t failedAt = 0;
    for (size_t i = 0; i < line.size() && failedAt == 0; ++i) {
        buffer += line[i];
        size_t consumed = 0;
        RequestParser::Result result = parser.parse(buffer.data(), buffer.size(), &consumed, request);
        if (result == RequestParser::FAILED)
            failedAt = i + 1;
        else
            ASSERT_EQ(RequestParser::NEED_MORE, result);
    }
    EXPECT_EQ(414, parser.errorStatus());
    EXPECT_GE(failedAt, 8193u);
    EXPECT_LE(failedAt, 8194u);
}

TEST(RequestParserTest, OverlongHeaderSectionRefusedBeforeItsEnd)
{
    RequestParser parser;
    Request request;
    std::string buffer = kGet;
    size_t consumed = 0;
    ASSERT_EQ(RequestParser::NEED_MORE, parser.parse(buffer.data(), buffer.size(), &consumed, request));
    buffer.erase(0, consumed);
    buffer += "X-Big: ";
    size_t failedAt = 0;
    for (size_t i = 0; i < 40000 && failedAt == 0; ++i) {
        buffer += 'v';
        RequestParser::Result result = parser.parse(buffer.data(), buffer.size(), &consumed, request);
        if (result == RequestParser::FAILED)
            failedAt = buffer.size();
        else
            ASSERT_EQ(RequestParser::NEED_MORE, result);
    }
    EXPECT_EQ(431, parser.errorStatus());
    // Refused with the first byte after which the header lines ("Host: a\r\n"
    // and the pending one, which still needs its LF) cannot fit in 32 KiB.
    EXPECT_EQ(32 * 1024u, std::string("Host: a\r\n").size() + failedAt);
}

TEST(RequestParserTest, FailureIsSticky)
{
    RequestParser parser;
    Request request;
    size_t consumed = 7;
    std::string bad = "GET / HTTP/2.0\r\n";
    EXPECT_EQ(RequestParser::FAILED, parser.parse(bad.data(), bad.size(), &consumed, request));
    EXPECT_EQ(505, parser.errorStatus());
    std::string good = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    EXPECT_EQ(RequestParser::FAILED, parser.parse(good.data(), good.size(), &consumed, request));
    EXPECT_EQ(505, parser.errorStatus());
    parser.reset();
    request.clear();
    EXPECT_EQ(0, parser.errorStatus());
    EXPECT_EQ(RequestParser::DONE, parser.parse(good.data(), good.size(), &consumed, request));
    EXPECT_EQ(good.size(), consumed);
}

TEST(RequestParserTest, HeaderNamesAreCaseInsensitiveThroughHeaderMap)
{
    std::string input = "GET / HTTP/1.1\r\nhost: a\r\nCONTENT-type: text/plain\r\n"
        "x-Custom: 1\r\nX-CUSTOM: 2\r\n\r\n";
    Outcome out = feedWhole(input);
    ASSERT_EQ(RequestParser::DONE, out.result);
    const HeaderMap& headers = out.request.headers;
    ASSERT_NE(nullptr, headers.find("Content-Type"));
    EXPECT_EQ("text/plain", *headers.find("content-TYPE"));
    ASSERT_NE(nullptr, headers.find("HOST"));
    EXPECT_EQ("a", *headers.find("HOST"));
    EXPECT_EQ("1", *headers.find("X-Custom"));
    EXPECT_EQ(2u, headers.count("x-custom"));
    EXPECT_EQ("1, 2", headers.combined("X-CUSTOM"));
    EXPECT_EQ(nullptr, headers.find("X-Missing"));
}

TEST(RequestParserTest, AbsoluteFormAuthorityIsAvailableForRouting)
{
    // "its authority wins over Host": the parser keeps both; the target's
    // authority is what splitRequestTarget hands the router.
    Outcome out = feedWhole("GET http://other.example:8080/p?q HTTP/1.1\r\nHost: a\r\n\r\n");
    ASSERT_EQ(RequestParser::DONE, out.result);
    RequestTarget target;
    ASSERT_TRUE(splitRequestTarget(out.request.target, &target));
    EXPECT_EQ("other.example:8080", target.authority);
    EXPECT_EQ("/p", target.path);
    EXPECT_EQ("q", target.query);
}

TEST(RequestParserTest, BadPercentEncodingIsRefusedWhenThePathIsNormalised)
{
    // The parser keeps the target as received; the 400 for a bad escape
    // comes from normalizePath, which every route decision starts from.
    Outcome out = feedWhole("GET /a%zz%2 HTTP/1.1\r\nHost: a\r\n\r\n");
    ASSERT_EQ(RequestParser::DONE, out.result);
    RequestTarget target;
    ASSERT_TRUE(splitRequestTarget(out.request.target, &target));
    std::string path;
    EXPECT_FALSE(normalizePath(target.path, &path));
}

TEST(RequestParserTest, RequestLineForLogs)
{
    Outcome out = feedWhole("DELETE /x?y HTTP/1.0\r\n\r\n");
    ASSERT_EQ(RequestParser::DONE, out.result);
    EXPECT_EQ("DELETE /x?y HTTP/1.0", out.request.requestLine());
}

// A refused request line is kept for the access log as nginx logs it: up
// to its first CR or LF, at most 8 KiB; whole or byte by byte alike.
TEST(RequestParserTest, RefusedRequestLineIsKeptForTheLog)
{
    const std::string longLine = requestLineOf(9000);
    const struct {
        std::string input;
        int status;
        std::string logged;
    } cases[] = {
        { "HELLO\r\n\r\n", 400, "HELLO" },
        { "\r\n\r\nHELLO there\n", 400, "HELLO there" },
        { "GET /a HTTP/7.1\r\nHost: a\r\n\r\n", 505, "GET /a HTTP/7.1" },
        { "GET /a\rb HTTP/1.1\r\n", 400, "GET /a" },
        { "HEL\"LO\\ \x01\xFF\r\n", 400, "HEL\"LO\\ \x01\xFF" },
        { longLine + "\r\n\r\n", 414, longLine.substr(0, 8192) },
        { longLine, 414, longLine.substr(0, 8192) },
    };
    for (const auto& c : cases) {
        Outcome whole = feedWhole(c.input);
        Outcome bytes = feedByteByByte(c.input);
        EXPECT_EQ(c.status, whole.status) << visible(c.input.substr(0, 40));
        EXPECT_EQ(c.logged, whole.request.unparsedLine) << visible(c.input.substr(0, 40));
        EXPECT_EQ(c.logged, bytes.request.unparsedLine) << visible(c.input.substr(0, 40));
    }
    // A request line that parsed leaves nothing there, whatever follows.
    Outcome badHeader = feedWhole("GET /a HTTP/1.1\r\nbad header\r\n\r\n");
    EXPECT_EQ(400, badHeader.status);
    EXPECT_EQ("", badHeader.request.unparsedLine);
    EXPECT_EQ("GET /a HTTP/1.1", badHeader.request.requestLine());
}

// Found by fuzz_request_parser: strchr() also finds the terminating NUL,
// which made NUL a token character in methods and field names.
TEST(RequestParserTestRegression, NulIsNeverATokenCharacter)
{
    const std::string inputs[] = {
        std::string("\0 / HTTP/1.1\r\nHost: a\r\n\r\n", 25),
        std::string("GET / HTTP/1.1\r\nHost: a\r\nX-A\0B: 1\r\n\r\n", 37),
    };
    for (const std::string& input : inputs) {
        RequestParser parser;
        Request request;
        size_t consumed = 0;
        EXPECT_EQ(RequestParser::FAILED, parser.parse(input.data(), input.size(), &consumed, request));
        EXPECT_EQ(400, parser.errorStatus());
    }
}
