// libFuzzer target: the head of a proxied server's response
// (src/http/UpstreamResponse.cpp).
//
// Input: the split plan of FuzzSupport.hpp, one byte whose low bit says the
// request was a HEAD, then the bytes an upstream sent.
//
// Properties:
// - the same outcome (result, bytes the head took, status, fields, error)
//   however the bytes are split;
// - a head that parses has a status of 100-599, a reason and field values
//   without control bytes, field names that are tokens, values with no
//   surrounding whitespace, and took no more bytes than were given;
// - written out again (status line, fields, empty line) it parses to the
//   same head, taking exactly those bytes;
// - interpretResponse() agrees with the fields: RESPONSE_LENGTH has one
//   Content-Length and no Transfer-Encoding, RESPONSE_CHUNKED one
//   "Transfer-Encoding: chunked" and no Content-Length, and a HEAD, 1xx,
//   204 or 304 answer has no body; until-close is never keep-alive.

#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "http/Grammar.hpp"
#include "http/UpstreamResponse.hpp"
#include "util/Strings.hpp"

namespace {

struct Outcome {
    UpstreamResponseParser::Result result;
    size_t consumed;
    UpstreamResponse response;
    std::string error;
};

Outcome parseIn(const std::string& data, const std::vector<size_t>& ends)
{
    UpstreamResponseParser parser;
    Outcome out;
    out.result = UpstreamResponseParser::NEED_MORE;
    out.consumed = 0;
    size_t start = 0;
    for (size_t i = 0; i < ends.size() && out.result == UpstreamResponseParser::NEED_MORE; ++i) {
        size_t used = 0;
        out.result = parser.parse(data.data() + start, ends[i] - start, &used, &out.response);
        FUZZ_CHECK(used <= ends[i] - start, "took more than it was given");
        out.consumed += used;
        start = ends[i];
    }
    out.error = parser.error();
    return out;
}

bool sameFields(const HeaderMap& a, const HeaderMap& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a.at(i).first != b.at(i).first || a.at(i).second != b.at(i).second)
            return false;
    return true;
}

void checkHead(const UpstreamResponse& r)
{
    FUZZ_CHECK(r.status >= 100 && r.status <= 599, "status out of range");
    FUZZ_CHECK(!containsCtl(r.reason), "control byte in the reason");
    for (size_t i = 0; i < r.headers.size(); ++i) {
        const std::string& name = r.headers.at(i).first;
        const std::string& value = r.headers.at(i).second;
        FUZZ_CHECK(isToken(name.data(), name.size()), "field name " + fuzz::visible(name));
        FUZZ_CHECK(!containsCtl(value) && value == trimOws(value), "field value " + fuzz::visible(value));
    }
}

std::string writtenOut(const UpstreamResponse& r)
{
    std::string text = "HTTP/1." + std::string(1, static_cast<char>('0' + r.versionMinor)) + " "
        + std::string(1, static_cast<char>('0' + r.status / 100))
        + std::string(1, static_cast<char>('0' + r.status / 10 % 10))
        + std::string(1, static_cast<char>('0' + r.status % 10)) + " " + r.reason + "\r\n";
    for (size_t i = 0; i < r.headers.size(); ++i)
        text += r.headers.at(i).first + ": " + r.headers.at(i).second + "\r\n";
    return text + "\r\n";
}

void checkFraming(UpstreamResponse r, bool headRequest)
{
    std::string error;
    if (!interpretResponse(&r, headRequest, &error)) {
        FUZZ_CHECK(!error.empty(), "a refusal without a reason");
        return;
    }
    size_t lengths = r.headers.count("Content-Length");
    size_t codings = r.headers.count("Transfer-Encoding");
    bool bodiless = headRequest || r.status < 200 || r.status == 204 || r.status == 304;
    FUZZ_CHECK(bodiless == (r.framing == RESPONSE_NO_BODY), "no-body rule");
    if (r.framing == RESPONSE_LENGTH)
        FUZZ_CHECK(lengths == 1 && codings == 0 && r.contentLength >= 0, "length framing");
    if (r.framing == RESPONSE_CHUNKED)
        FUZZ_CHECK(codings == 1 && lengths == 0 && iequals(*r.headers.find("Transfer-Encoding"), "chunked"),
            "chunked framing");
    if (r.framing == RESPONSE_UNTIL_CLOSE)
        FUZZ_CHECK(!r.keepAlive && lengths == 0 && codings == 0, "until-close framing");
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::Input in(data, size);
    std::vector<size_t> sizes = fuzz::readSplitSizes(in);
    bool headRequest = (in.byte() & 1) != 0;
    std::string payload = in.rest();

    Outcome whole = parseIn(payload, std::vector<size_t>(1, payload.size()));
    Outcome split = parseIn(payload, fuzz::pieceEnds(sizes, payload.size()));
    FUZZ_CHECK(whole.result == split.result && whole.consumed == split.consumed
            && whole.error == split.error && whole.response.status == split.response.status
            && whole.response.reason == split.response.reason
            && sameFields(whole.response.headers, split.response.headers),
        "the split changed the outcome");
    if (whole.result != UpstreamResponseParser::DONE)
        return 0;
    FUZZ_CHECK(whole.consumed <= payload.size(), "consumed past the input");
    checkHead(whole.response);
    std::string again = writtenOut(whole.response);
    Outcome reread = parseIn(again, std::vector<size_t>(1, again.size()));
    FUZZ_CHECK(reread.result == UpstreamResponseParser::DONE && reread.consumed == again.size()
            && reread.response.status == whole.response.status
            && reread.response.reason == whole.response.reason
            && sameFields(reread.response.headers, whole.response.headers),
        "written out again it reads otherwise: " + fuzz::visible(again));
    checkFraming(whole.response, headRequest);
    return 0;
}
