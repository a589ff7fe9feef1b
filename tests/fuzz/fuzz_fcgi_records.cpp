// libFuzzer target: the FastCGI record parser and encoders
// (src/fastcgi/FcgiRecords.cpp).
//
// Input: the split plan of FuzzSupport.hpp, then bytes as a responder
// might send them.
//
// Properties:
// - the records read are the same however the bytes are split, and the
//   parser stops for good at the first MALFORMED;
// - each record read, encoded again with appendFcgiRecord(), reads back as
//   itself; its content is at most 65535 bytes;
// - appendFcgiStream() of the whole payload reads back as records of one
//   type whose contents join to the payload, each at most 65535 bytes;
// - decodeFcgiNameValues() of any content does not crash, and what it
//   gives encodes (appendFcgiNameValue) and decodes back to itself;
// - parseFcgiEndRequest() accepts exactly the 8-byte contents.

#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "fastcgi/FcgiRecords.hpp"

namespace {

// Records of data fed in pieces ending at ends; *malformed when it stopped.
std::vector<FcgiRecord> readRecords(const std::string& data, const std::vector<size_t>& ends,
    bool* malformed)
{
    FcgiRecordParser parser;
    std::vector<FcgiRecord> records;
    *malformed = false;
    size_t start = 0;
    for (size_t i = 0; i < ends.size() && !*malformed; ++i) {
        size_t pos = start;
        while (true) {
            size_t used = 0;
            FcgiRecord record;
            FcgiRecordParser::Result result = parser.next(data.data() + pos, ends[i] - pos,
                &used, &record);
            FUZZ_CHECK(used <= ends[i] - pos, "used past the piece");
            pos += used;
            if (result == FcgiRecordParser::MALFORMED) {
                *malformed = true;
                FUZZ_CHECK(parser.next(data.data(), data.size(), &used, &record)
                        == FcgiRecordParser::MALFORMED, "MALFORMED did not stay");
                break;
            }
            if (result == FcgiRecordParser::NEED_MORE) {
                FUZZ_CHECK(pos == ends[i], "NEED_MORE with bytes left");
                break;
            }
            FUZZ_CHECK(record.content.size() <= kFcgiMaxContent, "content too long");
            records.push_back(record);
        }
        start = ends[i];
    }
    return records;
}

bool sameRecords(const std::vector<FcgiRecord>& a, const std::vector<FcgiRecord>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].type != b[i].type || a[i].requestId != b[i].requestId
            || a[i].content != b[i].content)
            return false;
    return true;
}

void checkRecord(const FcgiRecord& record)
{
    std::string again;
    appendFcgiRecord(again, record.type, record.requestId,
        record.content.data(), record.content.size());
    bool malformed = false;
    std::vector<FcgiRecord> back = readRecords(again, std::vector<size_t>(1, again.size()),
        &malformed);
    FUZZ_CHECK(!malformed && back.size() == 1 && sameRecords(back, std::vector<FcgiRecord>(1, record)),
        "a record encoded again reads back otherwise: " + fuzz::visible(record.content));
    FcgiParams pairs;
    if (decodeFcgiNameValues(record.content, &pairs)) {
        std::string encoded;
        for (size_t i = 0; i < pairs.size(); ++i)
            appendFcgiNameValue(encoded, pairs[i].first, pairs[i].second);
        FcgiParams again2;
        FUZZ_CHECK(decodeFcgiNameValues(encoded, &again2) && again2 == pairs,
            "name-value pairs do not round-trip");
    }
    FcgiEndRequest end;
    FUZZ_CHECK(parseFcgiEndRequest(record.content, &end) == (record.content.size() == 8),
        "END_REQUEST body of the wrong size");
}

void checkStream(const std::string& payload)
{
    std::string stream;
    appendFcgiStream(stream, FCGI_STDOUT, 1, payload.data(), payload.size());
    bool malformed = false;
    std::vector<FcgiRecord> records = readRecords(stream, std::vector<size_t>(1, stream.size()),
        &malformed);
    FUZZ_CHECK(!malformed && !records.empty(), "a stream does not read back");
    std::string joined;
    for (size_t i = 0; i < records.size(); ++i) {
        FUZZ_CHECK(records[i].type == FCGI_STDOUT && records[i].requestId == 1, "stream record");
        joined += records[i].content;
    }
    FUZZ_CHECK(joined == payload, "a stream's contents do not join to the payload");
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::Input in(data, size);
    std::vector<size_t> sizes = fuzz::readSplitSizes(in);
    std::string payload = in.rest();

    bool wholeMalformed = false;
    std::vector<FcgiRecord> whole = readRecords(payload, std::vector<size_t>(1, payload.size()),
        &wholeMalformed);
    bool splitMalformed = false;
    std::vector<FcgiRecord> split = readRecords(payload, fuzz::pieceEnds(sizes, payload.size()),
        &splitMalformed);
    FUZZ_CHECK(wholeMalformed == splitMalformed && sameRecords(whole, split),
        "the split changed the records read");
    for (size_t i = 0; i < whole.size(); ++i)
        checkRecord(whole[i]);
    checkStream(payload);
    return 0;
}
