// libFuzzer target: the chunked body decoder (src/http/BodyDecoder.cpp).
//
// Input: the split plan of FuzzSupport.hpp, one byte for the body limit
// (0: unlimited, else byte * 16), then the chunked body. It is fed the way
// a connection does: append, call next() until it stops returning DATA,
// erase *consumed, keep the tail.
//
// Properties:
// - the result (DONE, NEED_MORE or the error status), the decoded bytes
//   and the bytes left after the body are the same fed whole as fed in the
//   fuzzer's pieces;
// - every DATA piece is non-empty and is the tail of the consumed bytes;
// - received() is the number of decoded bytes, and never over the limit.

#include <sys/types.h>
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "http/BodyDecoder.hpp"

namespace {

struct Decoded {
    std::string end;    // "DONE", "NEED_MORE" or "FAILED 400"
    std::string body;
    std::string rest;

    std::string describe() const
    {
        return end + " body=" + fuzz::visible(body) + " rest=" + fuzz::visible(rest);
    }
};

Decoded decode(off_t limit, const std::string& input, const std::vector<size_t>& ends)
{
    Decoded out;
    out.end = "NEED_MORE";
    BodyDecoder decoder;
    FUZZ_CHECK(decoder.start(BODY_CHUNKED, 0, limit) == 0, "start() failed");
    std::string buffer;
    size_t fed = 0;
    for (size_t i = 0; i < ends.size(); ++i) {
        buffer.append(input, fed, ends[i] - fed);
        fed = ends[i];
        BodyDecoder::Result result;
        do {
            size_t consumed = 12345;
            const char* piece = 0;
            size_t pieceLen = 0;
            result = decoder.next(buffer.data(), buffer.size(), &consumed, &piece, &pieceLen);
            FUZZ_CHECK(consumed <= buffer.size(), "consumed " + std::to_string(consumed)
                + " of " + std::to_string(buffer.size()));
            if (result == BodyDecoder::DATA) {
                FUZZ_CHECK(pieceLen > 0 && piece >= buffer.data()
                        && piece + pieceLen == buffer.data() + consumed,
                    "a DATA piece that is not the tail of the consumed bytes");
                out.body.append(piece, pieceLen);
            }
            buffer.erase(0, consumed);
        } while (result == BodyDecoder::DATA);
        FUZZ_CHECK(decoder.received() == static_cast<off_t>(out.body.size()),
            "received() " + std::to_string(static_cast<long long>(decoder.received()))
                + " after " + std::to_string(out.body.size()) + " bytes");
        FUZZ_CHECK(limit == 0 || decoder.received() <= limit, "over the limit");
        if (result == BodyDecoder::FAILED) {
            out.end = "FAILED " + std::to_string(decoder.errorStatus());
            return out;
        }
        if (result == BodyDecoder::DONE) {
            FUZZ_CHECK(decoder.done(), "DONE but not done()");
            out.end = "DONE";
            break;
        }
    }
    out.rest = buffer + input.substr(fed);
    return out;
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::Input in(data, size);
    std::vector<size_t> sizes = fuzz::readSplitSizes(in);
    off_t limit = static_cast<off_t>(in.byte()) * 16;
    std::string input = in.rest();

    Decoded whole = decode(limit, input, std::vector<size_t>(1, input.size()));
    Decoded split = decode(limit, input, fuzz::pieceEnds(sizes, input.size()));
    FUZZ_CHECK(whole.describe() == split.describe(),
        "fed whole:  " + whole.describe() + "\n  in pieces: " + split.describe());
    return 0;
}
