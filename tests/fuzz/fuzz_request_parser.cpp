// libFuzzer target: the request-head parser (src/http/RequestParser.cpp).
//
// Input: the split plan of FuzzSupport.hpp, then the bytes a client sends.
// They are fed the way a connection does (append, parse the whole buffer,
// erase *consumed, keep the tail); after each DONE the parser is reset and
// the rest parsed as the next request, as for pipelined requests.
//
// Properties:
// - the outcome (every request, or the error status, and the bytes left)
//   is the same fed whole as fed in the fuzzer's pieces;
// - *consumed never exceeds the bytes given and always ends after an LF;
// - a parsed head follows the grammar of tests/contract/HTTP.md ("Parsing"):
//   method and field names
//   are tokens, the target is visible ASCII (0x21-0x7E) without '#',
//   field values have no CTL (NUL included) but HTAB;
// - a parsed head written out again ("name:value" lines) parses to the
//   same request.

#include <cstring>
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "http/Request.hpp"
#include "http/RequestParser.hpp"

namespace {

const size_t kMaxRequests = 8;

bool isToken(const std::string& s)
{
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != 0);
        if (!tchar)
            return false;
    }
    return !s.empty();
}

// CTL of tests/contract/HTTP.md: 0x00-0x1F and 0x7F, except HTAB.
bool hasCtl(const std::string& s)
{
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return true;
    }
    return false;
}

std::string describeRequest(const Request& r)
{
    std::string out = fuzz::visible(r.method) + " " + fuzz::visible(r.target) + " "
        + fuzz::visible(r.versionText) + " minor=" + std::to_string(r.versionMinor) + " {";
    for (size_t i = 0; i < r.headers.size(); ++i)
        out += (i ? "|" : "") + fuzz::visible(r.headers.at(i).first) + ": "
            + fuzz::visible(r.headers.at(i).second);
    out += "} framing=" + std::to_string(r.framing)
        + " len=" + std::to_string(static_cast<long long>(r.contentLength))
        + (r.keepAlive ? " keep-alive" : " close")
        + " expect=" + std::to_string(r.expectation);
    return out;
}

struct Outcome {
    std::vector<Request> requests;   // every DONE, in order
    std::string end;                 // "FAILED 400", "NEED_MORE" or "LIMIT"
    std::string rest;                // bytes held or not yet fed at the end

    std::string describe() const
    {
        std::string out;
        for (size_t i = 0; i < requests.size(); ++i)
            out += "DONE " + describeRequest(requests[i]) + "\n";
        return out + end + " rest=" + fuzz::visible(rest);
    }
};

Outcome feed(const std::string& input, const std::vector<size_t>& ends)
{
    Outcome out;
    out.end = "NEED_MORE";
    RequestParser parser;
    Request request;
    std::string buffer;
    size_t fed = 0;
    for (size_t i = 0; i < ends.size(); ++i) {
        buffer.append(input, fed, ends[i] - fed);
        fed = ends[i];
        for (;;) {
            size_t consumed = 12345;
            RequestParser::Result result =
                parser.parse(buffer.data(), buffer.size(), &consumed, request);
            if (result == RequestParser::FAILED) {
                out.end = "FAILED " + std::to_string(parser.errorStatus());
                return out;
            }
            FUZZ_CHECK(consumed <= buffer.size(), "consumed " + std::to_string(consumed)
                + " of " + std::to_string(buffer.size()));
            FUZZ_CHECK(consumed == 0 || buffer[consumed - 1] == '\n',
                "consumed part of a line: " + fuzz::visible(buffer.substr(0, consumed)));
            buffer.erase(0, consumed);
            if (result == RequestParser::NEED_MORE)
                break;
            out.requests.push_back(request);
            if (out.requests.size() == kMaxRequests) {
                out.end = "LIMIT";
                out.rest = buffer + input.substr(fed);
                return out;
            }
            parser.reset();
            request.clear();
        }
    }
    out.rest = buffer + input.substr(fed);
    return out;
}

// Written as compactly as the grammar allows, so that the head is never
// longer than the one it came from (and stays within the same limits).
std::string serialize(const Request& r)
{
    std::string out = r.method + " " + r.target + " " + r.versionText + "\n";
    for (size_t i = 0; i < r.headers.size(); ++i)
        out += r.headers.at(i).first + ":" + r.headers.at(i).second + "\n";
    return out + "\n";
}

void checkGrammar(const Request& r)
{
    FUZZ_CHECK(isToken(r.method), "method " + fuzz::visible(r.method));
    bool visibleAscii = !r.target.empty() && r.target.find('#') == std::string::npos;
    for (size_t i = 0; i < r.target.size(); ++i)
        visibleAscii = visibleAscii && r.target[i] > ' ' && r.target[i] < 0x7F;
    FUZZ_CHECK(visibleAscii, "target " + fuzz::visible(r.target));
    for (size_t i = 0; i < r.headers.size(); ++i) {
        const std::string& name = r.headers.at(i).first;
        const std::string& value = r.headers.at(i).second;
        FUZZ_CHECK(isToken(name) && !hasCtl(value),
            "field " + fuzz::visible(name) + ": " + fuzz::visible(value));
    }
}

void checkReparse(const Request& request)
{
    std::string text = serialize(request);
    Outcome again = feed(text, std::vector<size_t>(1, text.size()));
    FUZZ_CHECK(again.requests.size() == 1 && again.rest.empty()
            && describeRequest(again.requests[0]) == describeRequest(request),
        "re-parsed\n  " + fuzz::visible(text) + "\n  as\n" + again.describe()
            + "\n  expected DONE " + describeRequest(request));
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::Input in(data, size);
    std::vector<size_t> sizes = fuzz::readSplitSizes(in);
    std::string input = in.rest();

    Outcome whole = feed(input, std::vector<size_t>(1, input.size()));
    Outcome split = feed(input, fuzz::pieceEnds(sizes, input.size()));
    FUZZ_CHECK(whole.describe() == split.describe(),
        "fed whole:\n" + whole.describe() + "\n  fed in pieces:\n" + split.describe());
    for (size_t i = 0; i < whole.requests.size(); ++i) {
        checkGrammar(whole.requests[i]);
        checkReparse(whole.requests[i]);
    }
    return 0;
}
