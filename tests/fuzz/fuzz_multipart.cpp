// libFuzzer target: the multipart/form-data parser (src/http/Multipart.cpp)
// and multipartBoundary().
//
// Input: the split plan of FuzzSupport.hpp, one byte n, a boundary of
// 1 + n % 70 bytes, then the body. The boundary bytes also go through
// multipartBoundary() as a Content-Type parameter; for the parser each byte
// that is not a boundary character is mapped onto one, so that the parser
// sees the boundaries the server would give it. The body is fed the way a
// connection does: append, call next() until NEED_MORE, DONE or FAILED,
// erase *consumed, keep the tail.
//
// Properties:
// - the events (parts, their joined data, the end) are the same fed whole
//   as fed in the fuzzer's pieces;
// - every event but NEED_MORE consumes bytes; a PART_DATA piece is the tail
//   of the consumed bytes; inside a part at most a delimiter, its padding
//   and a CR are ever held back (MultipartParser::maxHeldBack);
// - done() exactly when the last event is DONE;
// - multipartBoundary() returns "" or a valid boundary.

#include <cstring>
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "http/Multipart.hpp"

namespace {

const char kBoundaryChars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ";

bool isBoundaryChar(char c)
{
    return c != '\0' && std::strchr(kBoundaryChars, c) != 0;
}

std::string parserBoundary(const std::string& raw)
{
    std::string b = raw;
    for (size_t i = 0; i < b.size(); ++i)
        if (!isBoundaryChar(b[i]))
            b[i] = kBoundaryChars[static_cast<unsigned char>(b[i]) % (sizeof kBoundaryChars - 1)];
    if (b[b.size() - 1] == ' ')
        b[b.size() - 1] = '-';
    return b;
}

void checkBoundaryFunction(const std::string& raw)
{
    std::string b = multipartBoundary("multipart/form-data; boundary=" + raw);
    if (b.empty())
        return;
    bool valid = b.size() <= MultipartParser::kMaxBoundaryLength && b[b.size() - 1] != ' ';
    for (size_t i = 0; i < b.size(); ++i)
        valid = valid && isBoundaryChar(b[i]);
    FUZZ_CHECK(valid, "invalid boundary " + fuzz::visible(b) + " from " + fuzz::visible(raw));
}

std::string describePart(const MultipartPart& part)
{
    std::string s = "BEGIN name=" + fuzz::visible(part.name);
    if (part.hasFilename)
        s += " filename=" + fuzz::visible(part.filename);
    FUZZ_CHECK(part.hasFilename || part.filename.empty(), "a filename without hasFilename");
    return s + " type=" + fuzz::visible(part.contentType);
}

std::string feed(const std::string& boundary, const std::string& body,
    const std::vector<size_t>& ends)
{
    MultipartParser parser(boundary);
    std::string events;
    std::string data;
    bool inBody = false;
    MultipartParser::Result result = MultipartParser::NEED_MORE;
    std::string buffer;
    size_t fed = 0;
    for (size_t i = 0; i < ends.size(); ++i) {
        buffer.append(body, fed, ends[i] - fed);
        fed = ends[i];
        for (;;) {
            size_t consumed = 12345;
            const char* piece = 0;
            size_t pieceLen = 0;
            result = parser.next(buffer.data(), buffer.size(), &consumed, &piece, &pieceLen);
            if (result == MultipartParser::FAILED)
                break;
            FUZZ_CHECK(consumed <= buffer.size(), "consumed " + std::to_string(consumed)
                + " of " + std::to_string(buffer.size()));
            if (result == MultipartParser::PART_DATA) {
                FUZZ_CHECK(pieceLen > 0 && piece >= buffer.data()
                        && piece + pieceLen == buffer.data() + consumed,
                    "a PART_DATA piece that is not the tail of the consumed bytes");
                data.append(piece, pieceLen);
            } else if (result != MultipartParser::NEED_MORE && !data.empty()) {
                events += "DATA " + fuzz::visible(data) + "|";
                data.clear();
            }
            if (result == MultipartParser::PART_BEGIN) {
                events += describePart(parser.part()) + "|";
                inBody = true;
            } else if (result == MultipartParser::PART_END) {
                events += "END|";
                inBody = false;
            }
            FUZZ_CHECK(result == MultipartParser::NEED_MORE || result == MultipartParser::DONE
                    || consumed > 0,
                "event " + std::to_string(result) + " consumed nothing");
            buffer.erase(0, consumed);
            if (result == MultipartParser::NEED_MORE || result == MultipartParser::DONE)
                break;
        }
        if (result == MultipartParser::NEED_MORE && inBody)
            FUZZ_CHECK(buffer.size() <= MultipartParser::maxHeldBack(boundary.size()),
                "held back " + std::to_string(buffer.size()) + " bytes inside a part");
        if (result == MultipartParser::DONE || result == MultipartParser::FAILED)
            break;
    }
    if (!data.empty())
        events += "DATA " + fuzz::visible(data) + "|";
    events += result == MultipartParser::DONE ? "DONE"
        : result == MultipartParser::FAILED ? "FAILED" : "NEED_MORE";
    FUZZ_CHECK(parser.done() == (result == MultipartParser::DONE),
        "done() disagrees with the last event: " + events);
    return events;
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::Input in(data, size);
    std::vector<size_t> sizes = fuzz::readSplitSizes(in);
    std::string raw = in.bytes(1 + in.byte() % MultipartParser::kMaxBoundaryLength);
    std::string body = in.rest();
    if (raw.empty())
        return 0;
    checkBoundaryFunction(raw);
    std::string boundary = parserBoundary(raw);

    std::string whole = feed(boundary, body, std::vector<size_t>(1, body.size()));
    std::string split = feed(boundary, body, fuzz::pieceEnds(sizes, body.size()));
    FUZZ_CHECK(whole == split, "boundary " + fuzz::visible(boundary) + "\n  fed whole:  "
        + whole + "\n  in pieces: " + split);
    return 0;
}
