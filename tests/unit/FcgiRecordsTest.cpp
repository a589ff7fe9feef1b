// FastCGI records: the bytes webserv sends, checked against the
// specification's layout, and the parser over every split point.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fastcgi/FcgiRecords.hpp"

namespace {

std::string bytes(std::initializer_list<int> values)
{
    std::string out;
    for (int v : values)
        out += static_cast<char>(v);
    return out;
}

// Every record of data fed in pieces of `piece` bytes (0: whole).
std::vector<FcgiRecord> parseAll(const std::string& data, size_t piece, bool* malformed = nullptr)
{
    FcgiRecordParser parser;
    std::vector<FcgiRecord> records;
    size_t pos = 0;
    if (malformed)
        *malformed = false;
    while (pos < data.size()) {
        size_t len = piece == 0 ? data.size() - pos : std::min(piece, data.size() - pos);
        size_t offset = 0;
        while (true) {
            size_t used = 0;
            FcgiRecord record;
            FcgiRecordParser::Result result = parser.next(data.data() + pos + offset,
                len - offset, &used, &record);
            offset += used;
            if (result == FcgiRecordParser::MALFORMED) {
                if (malformed)
                    *malformed = true;
                return records;
            }
            if (result == FcgiRecordParser::NEED_MORE)
                break;
            records.push_back(record);
        }
        pos += len;
    }
    return records;
}

TEST(FcgiRecordsTest, BeginRequestIsTheSpecificationsLayout)
{
    std::string out;
    appendFcgiBeginRequest(out, 1, true);
    EXPECT_EQ(bytes({ 1, 1, 0, 1, 0, 8, 0, 0,  0, 1, 1, 0, 0, 0, 0, 0 }), out);
    out.clear();
    appendFcgiBeginRequest(out, 0x1234, false);
    EXPECT_EQ(bytes({ 1, 1, 0x12, 0x34, 0, 8, 0, 0,  0, 1, 0, 0, 0, 0, 0, 0 }), out);
}

TEST(FcgiRecordsTest, ContentIsPaddedToEightBytes)
{
    std::string out;
    appendFcgiRecord(out, FCGI_STDIN, 1, "hello", 5);
    EXPECT_EQ(bytes({ 1, 5, 0, 1, 0, 5, 3, 0 }) + "hello" + std::string(3, '\0'), out);
    out.clear();
    appendFcgiStream(out, FCGI_STDIN, 1, "", 0);     // the end of the stream
    EXPECT_EQ(bytes({ 1, 5, 0, 1, 0, 0, 0, 0 }), out);
    out.clear();
    appendFcgiAbortRequest(out, 7);
    EXPECT_EQ(bytes({ 1, 2, 0, 7, 0, 0, 0, 0 }), out);
}

TEST(FcgiRecordsTest, LongStreamsAreCutIntoFullRecords)
{
    std::string data(200000, 'x');
    std::string out;
    appendFcgiStream(out, FCGI_STDIN, 3, data.data(), data.size());
    std::vector<FcgiRecord> records = parseAll(out, 0);
    ASSERT_EQ(4u, records.size());
    EXPECT_EQ(65528u, records[0].content.size());     // 65535 rounded down to 8
    EXPECT_EQ(65528u, records[1].content.size());
    EXPECT_EQ(65528u, records[2].content.size());
    EXPECT_EQ(200000u - 3 * 65528, records[3].content.size());
    std::string joined;
    for (const FcgiRecord& r : records) {
        EXPECT_EQ(FCGI_STDIN, r.type);
        EXPECT_EQ(3u, r.requestId);
        joined += r.content;
    }
    EXPECT_EQ(data, joined);
}

TEST(FcgiRecordsTest, NameValuePairsUseOneOrFourByteLengths)
{
    std::string out;
    appendFcgiNameValue(out, "A", "bc");
    EXPECT_EQ(bytes({ 1, 2 }) + "Abc", out);
    out.clear();
    std::string longValue(200, 'v');
    appendFcgiNameValue(out, "N", longValue);
    EXPECT_EQ(bytes({ 1, 0x80, 0, 0, 200 }) + "N" + longValue, out);
    out.clear();
    appendFcgiNameValue(out, std::string(127, 'n'), "");
    EXPECT_EQ(bytes({ 127, 0 }) + std::string(127, 'n'), out);

    FcgiParams params = { { "SCRIPT_FILENAME", "/srv/www/index.php" }, { "EMPTY", "" },
        { std::string(300, 'k'), std::string(70000, 'v') } };
    std::string stream;
    appendFcgiParams(stream, 1, params);
    std::vector<FcgiRecord> records = parseAll(stream, 0);
    ASSERT_GE(records.size(), 2u);
    EXPECT_EQ("", records.back().content);             // the end of PARAMS
    std::string content;
    for (const FcgiRecord& r : records) {
        EXPECT_EQ(FCGI_PARAMS, r.type);
        content += r.content;
    }
    FcgiParams back;
    ASSERT_TRUE(decodeFcgiNameValues(content, &back));
    EXPECT_EQ(params, back);
}

TEST(FcgiRecordsTest, NoParamsIsJustTheEmptyRecord)
{
    std::string out;
    appendFcgiParams(out, 1, FcgiParams());
    EXPECT_EQ(bytes({ 1, 4, 0, 1, 0, 0, 0, 0 }), out);
}

TEST(FcgiRecordsTest, TruncatedNameValuePairsAreRefused)
{
    FcgiParams out;
    EXPECT_FALSE(decodeFcgiNameValues(bytes({ 5, 1 }) + "abc", &out));
    EXPECT_FALSE(decodeFcgiNameValues(bytes({ 0x80, 0, 0 }), &out));
    EXPECT_FALSE(decodeFcgiNameValues(bytes({ 1 }), &out));
    EXPECT_FALSE(decodeFcgiNameValues(bytes({ 0xff, 0xff, 0xff, 0xff, 0 }) + "x", &out));
    EXPECT_TRUE(decodeFcgiNameValues("", &out));
    EXPECT_TRUE(out.empty());
}

TEST(FcgiRecordsTest, EndRequestCarriesTheAppAndProtocolStatus)
{
    FcgiEndRequest end;
    ASSERT_TRUE(parseFcgiEndRequest(bytes({ 0, 0, 1, 2, FCGI_OVERLOADED, 0, 0, 0 }), &end));
    EXPECT_EQ(258ul, end.appStatus);
    EXPECT_EQ(FCGI_OVERLOADED, end.protocolStatus);
    ASSERT_TRUE(parseFcgiEndRequest(bytes({ 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 }), &end));
    EXPECT_EQ(0xfffffffful, end.appStatus);
    EXPECT_FALSE(parseFcgiEndRequest(bytes({ 0, 0, 0, 0, 0, 0, 0 }), &end));
    EXPECT_FALSE(parseFcgiEndRequest(std::string(9, '\0'), &end));
}

// What php-fpm sends for one request: STDOUT pieces, STDERR, the empty
// STDOUT, END_REQUEST, each padded its own way (padding is the sender's
// choice: any length up to 255 is legal).
std::string responderOutput()
{
    std::string out = bytes({ 1, FCGI_STDOUT, 0, 1, 0, 23, 1, 0 })
        + "Content-type: text/html" + bytes({ 0 });
    out += bytes({ 1, FCGI_STDERR, 0, 1, 0, 5, 255, 0 }) + "oops\n" + std::string(255, 'p');
    out += bytes({ 1, FCGI_STDOUT, 0, 1, 0, 6, 0, 0 }) + "\r\n\r\nhi";
    out += bytes({ 1, FCGI_STDOUT, 0, 1, 0, 0, 0, 0 });
    out += bytes({ 1, FCGI_GET_VALUES_RESULT, 0, 0, 0, 0, 0, 0 });
    out += bytes({ 1, FCGI_END_REQUEST, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
    return out;
}

TEST(FcgiRecordsTest, EverySplitGivesTheSameRecords)
{
    std::string out = responderOutput();
    std::vector<FcgiRecord> whole = parseAll(out, 0);
    ASSERT_EQ(6u, whole.size());
    EXPECT_EQ(FCGI_STDOUT, whole[0].type);
    EXPECT_EQ("Content-type: text/html", whole[0].content);
    EXPECT_EQ(FCGI_STDERR, whole[1].type);
    EXPECT_EQ("oops\n", whole[1].content);
    EXPECT_EQ("\r\n\r\nhi", whole[2].content);
    EXPECT_EQ("", whole[3].content);
    EXPECT_EQ(0u, whole[4].requestId);
    EXPECT_EQ(FCGI_END_REQUEST, whole[5].type);
    for (size_t piece = 1; piece <= 17; ++piece) {
        std::vector<FcgiRecord> split = parseAll(out, piece);
        ASSERT_EQ(whole.size(), split.size()) << "pieces of " << piece;
        for (size_t i = 0; i < whole.size(); ++i) {
            EXPECT_EQ(whole[i].type, split[i].type) << piece;
            EXPECT_EQ(whole[i].requestId, split[i].requestId) << piece;
            EXPECT_EQ(whole[i].content, split[i].content) << piece;
        }
    }
}

TEST(FcgiRecordsTest, AnotherVersionIsMalformedAndStaysSo)
{
    bool malformed = false;
    std::vector<FcgiRecord> records = parseAll(bytes({ 1, FCGI_STDOUT, 0, 1, 0, 1, 0, 0 }) + "x"
        + bytes({ 2, FCGI_STDOUT, 0, 1, 0, 0, 0, 0 }), 0, &malformed);
    EXPECT_TRUE(malformed);
    ASSERT_EQ(1u, records.size());
    FcgiRecordParser parser;
    size_t used = 0;
    FcgiRecord record;
    std::string http = "HTTP/1.1 200 OK\r\n";     // not a FastCGI responder at all
    EXPECT_EQ(FcgiRecordParser::MALFORMED, parser.next(http.data(), http.size(), &used, &record));
    EXPECT_EQ(FcgiRecordParser::MALFORMED, parser.next(http.data(), http.size(), &used, &record));
}

TEST(FcgiRecordsTest, BoundariesAreKnown)
{
    FcgiRecordParser parser;
    EXPECT_TRUE(parser.atBoundary());
    std::string half = bytes({ 1, FCGI_STDOUT, 0, 1 });
    size_t used = 0;
    FcgiRecord record;
    EXPECT_EQ(FcgiRecordParser::NEED_MORE, parser.next(half.data(), half.size(), &used, &record));
    EXPECT_EQ(4u, used);
    EXPECT_FALSE(parser.atBoundary());
    std::string rest = bytes({ 0, 0, 0, 0 }) + bytes({ 1, FCGI_STDOUT });
    EXPECT_EQ(FcgiRecordParser::RECORD, parser.next(rest.data(), rest.size(), &used, &record));
    EXPECT_EQ(4u, used);                // the next record's bytes are left
    EXPECT_TRUE(parser.atBoundary());
    EXPECT_EQ("", record.content);
}

}
