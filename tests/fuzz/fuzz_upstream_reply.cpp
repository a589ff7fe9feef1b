// libFuzzer target: a proxied server's whole answer, head then body
// (src/http/UpstreamReply.cpp), as the proxy reads it off the socket.
//
// Input: the split plan of FuzzSupport.hpp, one byte of flags (bit 0: the
// request was a HEAD; bit 1: it asked for an Upgrade; bit 2: the upstream
// closes after the bytes), then the bytes an upstream sent.
//
// Properties:
// - the same outcome (state, body, head, error, reusability) however the
//   bytes are split;
// - the client's head has no hop-by-hop or framing field, no Server, no
//   Date (a 101's Upgrade excepted), and a status of 101 or 200-599;
// - a complete Content-Length body is exactly that long; a HEAD, 204 or
//   304 answer has no body (a 101's tunnel bytes are no body); BROKEN
//   always says why;
// - a reusable connection is a complete answer, never a tunnel.

#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "http/UpstreamReply.hpp"
#include "util/Strings.hpp"

namespace {

struct Outcome {
    UpstreamReply::State state;
    std::string body;
    UpstreamHead head;
    std::string error;
    bool reusable;
    bool tunnel;
};

Outcome readIn(const std::string& data, const std::vector<size_t>& ends, bool headRequest,
    bool upgrade, bool closes)
{
    UpstreamReply reply;
    reply.start(headRequest, upgrade);
    Outcome out;
    out.state = reply.state();
    size_t start = 0;
    for (size_t i = 0; i < ends.size(); ++i) {
        out.state = reply.feed(data.data() + start, ends[i] - start, out.body);
        start = ends[i];
    }
    if (closes)
        out.state = reply.onClose();
    out.head = reply.head();
    out.error = reply.error();
    out.reusable = reply.reusable();
    out.tunnel = reply.tunnel();
    return out;
}

bool sameHead(const UpstreamHead& a, const UpstreamHead& b)
{
    if (a.status != b.status || a.reason != b.reason || a.hasContentLength != b.hasContentLength
        || a.contentLength != b.contentLength || a.fields.size() != b.fields.size())
        return false;
    for (size_t i = 0; i < a.fields.size(); ++i)
        if (a.fields.at(i).first != b.fields.at(i).first || a.fields.at(i).second != b.fields.at(i).second)
            return false;
    return true;
}

void checkHead(const Outcome& out)
{
    const UpstreamHead& head = out.head;
    FUZZ_CHECK(head.status == 101 || (head.status >= 200 && head.status <= 599), "final status");
    static const char* const hidden[] = { "Connection", "Keep-Alive", "Transfer-Encoding",
        "Content-Length", "TE", "Trailer", "Proxy-Connection", "Server", "Date" };
    for (size_t i = 0; i < head.fields.size(); ++i) {
        const std::string& name = head.fields.at(i).first;
        for (size_t h = 0; h < sizeof hidden / sizeof hidden[0]; ++h)
            FUZZ_CHECK(!iequals(name, hidden[h]), "a field that stays behind: " + name);
        FUZZ_CHECK(!iequals(name, "Upgrade") || head.status == 101, "Upgrade outside a 101");
    }
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::Input in(data, size);
    std::vector<size_t> sizes = fuzz::readSplitSizes(in);
    unsigned char flags = in.byte();
    bool headRequest = (flags & 1) != 0;
    bool upgrade = (flags & 2) != 0;
    bool closes = (flags & 4) != 0;
    std::string payload = in.rest();

    Outcome whole = readIn(payload, std::vector<size_t>(1, payload.size()), headRequest, upgrade, closes);
    Outcome split = readIn(payload, fuzz::pieceEnds(sizes, payload.size()), headRequest, upgrade, closes);
    FUZZ_CHECK(whole.state == split.state && whole.body == split.body && whole.error == split.error
            && whole.reusable == split.reusable && sameHead(whole.head, split.head),
        "the split changed the outcome");
    FUZZ_CHECK(whole.state != UpstreamReply::BROKEN || !whole.error.empty(), "broken without a reason");
    if (whole.state == UpstreamReply::READING_HEAD || whole.state == UpstreamReply::BROKEN)
        return 0;
    checkHead(whole);
    int status = whole.head.status;
    if ((headRequest && status != 101) || status == 204 || status == 304)
        FUZZ_CHECK(whole.body.empty() && whole.state == UpstreamReply::COMPLETE, "a bodiless answer");
    if (whole.state == UpstreamReply::COMPLETE && whole.head.hasContentLength && !headRequest)
        FUZZ_CHECK(static_cast<off_t>(whole.body.size()) == whole.head.contentLength,
            "a complete body of another length");
    FUZZ_CHECK(!whole.reusable || (whole.state == UpstreamReply::COMPLETE && !whole.tunnel),
        "reusable while not complete");
    FUZZ_CHECK(!whole.tunnel || upgrade, "a tunnel nobody asked for");
    return 0;
}
