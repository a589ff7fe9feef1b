// The multipart/form-data parser (src/http/Multipart.cpp): every table case
// is fed whole, one byte at a time and split in two at every split point,
// the way a connection feeds it, and must give the same event transcript
// each way; plus multipartBoundary() and parseContentDisposition().

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/Multipart.hpp"
#include "support/EverySplit.hpp"
#include "support/TestText.hpp"

namespace {

// Backslashes and quotes as sent: C:\dir\a.txt reads as in the request.
std::string visibleAsSent(const std::string& bytes)
{
    return visible(bytes, kKeepBackslashAndQuote);
}

// Short data is shown as is; long data by size and FNV-1a hash so that a
// failing 1 MiB case prints one line.
std::string describeData(const std::string& data)
{
    if (data.size() <= 256)
        return visibleAsSent(data);
    unsigned long hash = 2166136261UL;
    for (size_t i = 0; i < data.size(); ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash = (hash * 16777619UL) & 0xFFFFFFFFUL;
    }
    return "<" + std::to_string(data.size()) + " bytes fnv1a=" + std::to_string(hash) + ">";
}

std::string describePart(const MultipartPart& part)
{
    std::string s = "BEGIN name=" + visibleAsSent(part.name);
    if (part.hasFilename)
        s += " filename=" + visibleAsSent(part.filename);
    else
        EXPECT_EQ("", part.filename);
    if (!part.contentType.empty())
        s += " type=" + visibleAsSent(part.contentType);
    return s;
}

// What the parser made of a body, as a caller sees it:
//   events: "BEGIN name=f filename=a.txt type=text/plain|DATA hello|END|DONE"
//     with all DATA pieces of a part joined into one DATA, and ending in
//     DONE, FAILED or NEED_MORE (all bytes given, no verdict yet).
//   done: parser.done() after the last call.
//   maxBodyTail: the most bytes the caller had to keep (unconsumed) when
//     the parser asked for more while inside a part's data.
struct Transcript {
    std::string events;
    bool done;
    size_t maxBodyTail;
};

// Feeds body in pieces ending at the given offsets (the last is
// body.size()) the way a connection does: append the new bytes to its
// buffer, call next() on the whole buffer, take a DATA piece before erasing
// the *consumed bytes, go on until NEED_MORE (then append more) or
// DONE/FAILED (then stop).
Transcript feedCuts(const std::string& boundary, const std::string& body,
    const std::vector<size_t>& ends)
{
    MultipartParser parser(boundary);
    Transcript out;
    out.maxBodyTail = 0;
    std::vector<std::string> events;
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
            if (consumed > buffer.size()) {
                ADD_FAILURE() << "consumed " << consumed << " of " << buffer.size();
                return out;
            }
            if (result == MultipartParser::PART_DATA) {
                // Zero-copy: the piece is the tail of the consumed bytes.
                EXPECT_GT(pieceLen, 0u);
                EXPECT_TRUE(piece >= buffer.data() && piece + pieceLen == buffer.data() + consumed);
                data.append(piece, pieceLen);
            } else if (result != MultipartParser::NEED_MORE && data.size() > 0) {
                events.push_back("DATA " + describeData(data));
                data.clear();
            }
            if (result == MultipartParser::PART_BEGIN) {
                events.push_back(describePart(parser.part()));
                inBody = true;
            } else if (result == MultipartParser::PART_END) {
                events.push_back("END");
                inBody = false;
            }
            if ((result == MultipartParser::PART_BEGIN || result == MultipartParser::PART_DATA
                    || result == MultipartParser::PART_END) && consumed == 0) {
                ADD_FAILURE() << "an event that consumed nothing";
                return out;
            }
            buffer.erase(0, consumed);
            if (result == MultipartParser::NEED_MORE || result == MultipartParser::DONE)
                break;
        }
        if (result == MultipartParser::NEED_MORE && inBody && buffer.size() > out.maxBodyTail)
            out.maxBodyTail = buffer.size();
        if (result == MultipartParser::DONE || result == MultipartParser::FAILED)
            break;
    }
    if (!data.empty())
        events.push_back("DATA " + describeData(data));
    events.push_back(result == MultipartParser::DONE ? "DONE"
        : result == MultipartParser::FAILED ? "FAILED" : "NEED_MORE");
    for (size_t i = 0; i < events.size(); ++i)
        out.events += (i ? "|" : "") + events[i];
    out.done = parser.done();
    return out;
}

struct Case {
    std::string name;
    std::string boundary;
    std::string body;
    std::string expected;   // Transcript::events
};

bool endsInDone(const Transcript& t)
{
    return t.events.size() >= 4 && t.events.compare(t.events.size() - 4, 4, "DONE") == 0;
}

// Held back inside a part: at most a delimiter ("\r\n--" + boundary), its
// padding and a CR.
size_t maxHeldBack(const Case& tc)
{
    return MultipartParser::maxHeldBack(tc.boundary.size());
}

// The checks every transcript must pass however the body was split.
void checkTranscript(const Case& tc, const Transcript& t, const std::string& how)
{
    EXPECT_EQ(tc.expected, t.events) << how;
    EXPECT_EQ(endsInDone(t), t.done) << how;
    EXPECT_LE(t.maxBodyTail, maxHeldBack(tc)) << how;
}

bool transcriptHolds(const Case& tc, const Transcript& t)
{
    return t.events == tc.expected && t.done == endsInDone(t) && t.maxBodyTail <= maxHeldBack(tc);
}

void checkSplits(const Case& tc, const std::vector<size_t>& splitPoints)
{
    SCOPED_TRACE(tc.name);
    ::checkEverySplit(tc.body.size(), splitPoints,
        [&](const std::vector<size_t>& ends) { return feedCuts(tc.boundary, tc.body, ends); },
        [&](const Transcript& whole) { checkTranscript(tc, whole, "fed whole"); },
        [&](const Transcript&, const Transcript& other, const std::string& how) {
            if (transcriptHolds(tc, other))
                return true;
            checkTranscript(tc, other, how);
            return false;
        });
}

void checkEverySplit(const std::vector<Case>& cases)
{
    for (size_t c = 0; c < cases.size(); ++c)
        checkSplits(cases[c], everySplitPoint(cases[c].body.size()));
}

const std::string kB = "AaB03x";

// One part's boundary line and headers, ready for its data.
std::string partHead(const std::string& disposition, const std::string& type = "")
{
    return "--" + kB + "\r\nContent-Disposition: " + disposition + "\r\n"
        + (type.empty() ? "" : "Content-Type: " + type + "\r\n") + "\r\n";
}

const std::string kEnd = "\r\n--" + kB + "--\r\n";

std::string filePart(const std::string& data)
{
    return partHead("form-data; name=\"f\"; filename=\"a.txt\"", "text/plain") + data + kEnd;
}

const std::string kFileBegin = "BEGIN name=f filename=a.txt type=text/plain";

std::string fileTranscript(const std::string& data)
{
    return kFileBegin + "|DATA " + visibleAsSent(data) + "|END|DONE";
}

// NULs, CR, LF, lone CRs and delimiter fragments inside file data.
const std::string kBinary(
    "\0\x01\r\n\0\r\r\n-\n\xFF\xFE\r\n-\r\n--\r\n--A\r\n--AaB03\0\x7F\r", 36);

}

TEST(MultipartTestTable, WellFormedBodies)
{
    checkEverySplit({
        { "one file part", kB, filePart("hello"), fileTranscript("hello") },
        { "files and plain fields in one body", kB,
          partHead("form-data; name=\"title\"") + "My files"
              + "\r\n" + partHead("form-data; name=\"files\"; filename=\"a.txt\"", "text/plain")
              + "AAA\r\nBBB"
              + "\r\n" + partHead("form-data; name=\"files\"; filename=\"b.png\"", "image/png")
              + "\x89" "PNG"
              + "\r\n" + partHead("form-data; name=\"n\"") + "42" + kEnd,
          "BEGIN name=title|DATA My files|END"
          "|BEGIN name=files filename=a.txt type=text/plain|DATA AAA\\x0D\\x0ABBB|END"
          "|BEGIN name=files filename=b.png type=image/png|DATA \\x89PNG|END"
          "|BEGIN name=n|DATA 42|END|DONE" },
        { "empty field value: no DATA", kB, partHead("form-data; name=\"e\"") + kEnd,
          "BEGIN name=e|END|DONE" },
        { "quoted filename with spaces", kB,
          partHead("form-data; name=\"f\"; filename=\"my holiday photo.jpg\"") + "x" + kEnd,
          "BEGIN name=f filename=my holiday photo.jpg|DATA x|END|DONE" },
        { "quoted filename with \\\" escapes", kB,
          partHead("form-data; name=\"f\"; filename=\"say \\\"hi\\\".txt\"") + "x" + kEnd,
          "BEGIN name=f filename=say \"hi\".txt|DATA x|END|DONE" },
        { "backslash path kept as sent", kB,
          partHead("form-data; name=\"f\"; filename=\"C:\\dir\\a.txt\"") + "x" + kEnd,
          "BEGIN name=f filename=C:\\dir\\a.txt|DATA x|END|DONE" },
        { "filename=\"\": a file part with an empty name", kB,
          partHead("form-data; name=\"f\"; filename=\"\"", "application/octet-stream") + kEnd,
          "BEGIN name=f filename= type=application/octet-stream|END|DONE" },
        { "filename* alone (RFC 5987)", kB,
          partHead("form-data; name=\"f\"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt")
              + "x" + kEnd,
          "BEGIN name=f filename=na\\xC3\\xAFve r\\xC3\\xA9sum\\xC3\\xA9.txt|DATA x|END|DONE" },
        { "unquoted token values", kB,
          partHead("form-data; name=field1; filename=a.txt") + "x" + kEnd,
          "BEGIN name=field1 filename=a.txt|DATA x|END|DONE" },
        { "semicolons inside quoted values", kB,
          partHead("form-data; name=\"a;b\"; filename=\"c; d.txt\"") + "x" + kEnd,
          "BEGIN name=a;b filename=c; d.txt|DATA x|END|DONE" },
        { "header names and parameter names in any case; other headers ignored", kB,
          "--" + kB + "\r\ncontent-disposition: FORM-DATA; NAME=\"x\"; FileName=\"y.bin\"\r\n"
              "CONTENT-TYPE:  application/x-thing \r\nContent-Transfer-Encoding: binary\r\n"
              "X-Other: 1\r\n\r\nv" + kEnd,
          "BEGIN name=x filename=y.bin type=application/x-thing|DATA v|END|DONE" },
        { "preamble and epilogue ignored", kB,
          "This is a preamble. --" + kB + " here is not a delimiter.\r\n"
              + filePart("hello") + "Epilogue\r\n--" + kB + "\r\nContent-Disposition: bogus\r\n\r\n",
          fileTranscript("hello") },
        { "preamble with delimiter fragments", kB,
          "\r\n--AaB03\r\n--AaB\r\n" + filePart("hello"), fileTranscript("hello") },
        { "body opening with CRLF before the first delimiter", kB, "\r\n" + filePart("hello"),
          fileTranscript("hello") },
        { "body opening directly with --boundary", kB,
          "--" + kB + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + kB + "--",
          "BEGIN name=a|DATA v|END|DONE" },
        { "close delimiter with nothing after it", kB,
          partHead("form-data; name=\"a\"") + "v\r\n--" + kB + "--",
          "BEGIN name=a|DATA v|END|DONE" },
        { "transport padding after delimiters", kB,
          "--" + kB + " \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" + kB
              + "  \r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--" + kB + "-- \t\r\n",
          "BEGIN name=a|DATA 1|END|BEGIN name=b|DATA 2|END|DONE" },
        { "64 bytes of padding", kB,
          "--" + kB + std::string(64, ' ') + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
              + kEnd,
          "BEGIN name=a|DATA 1|END|DONE" },
        { "LF-only line ends after the boundary and in part headers", kB,
          "--" + kB + "\nContent-Disposition: form-data; name=\"a\"\nContent-Type: text/plain\n\n"
              "line1\nline2\r\n--" + kB + "\nContent-Disposition: form-data; name=\"b\"\n\nv\r\n--" + kB
              + "--\n",
          "BEGIN name=a type=text/plain|DATA line1\\x0Aline2|END|BEGIN name=b|DATA v|END|DONE" },
        { "CRLF + a shorter boundary prefix is data", kB, filePart("x\r\n--AaB03\r\ny"),
          fileTranscript("x\r\n--AaB03\r\ny") },
        { "CRLF + partial boundary right before the real delimiter", kB, filePart("x\r\n--AaB0"),
          fileTranscript("x\r\n--AaB0") },
        { "--boundary without CRLF before it is data", kB,
          filePart("a--" + kB + "\r\nb\n--" + kB + "\r\nc\r--" + kB + "--\r\n"),
          fileTranscript("a--" + kB + "\r\nb\n--" + kB + "\r\nc\r--" + kB + "--\r\n") },
        { "boundary in another case is data", kB, filePart("\r\n--aab03x\r\n"),
          fileTranscript("\r\n--aab03x\r\n") },
        { "CRLF at the very end of the data", kB, filePart("line\r\n"), fileTranscript("line\r\n") },
        { "CRCRLF at the end of the data", kB, filePart("line\r\r\n\r"),
          fileTranscript("line\r\r\n\r") },
        { "data that is only CRLFs", kB, filePart("\r\n\r\n"), fileTranscript("\r\n\r\n") },
        { "binary data with NULs, CRs and LFs", kB, filePart(kBinary), fileTranscript(kBinary) },
        { "one-byte boundary", "x",
          "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--\r\n-x\r\n-\r\n--x--",
          "BEGIN name=a|DATA --\\x0D\\x0A-x\\x0D\\x0A-|END|DONE" },
        { "boundary with every allowed special character", "'()+_,-./:=? z",
          "--'()+_,-./:=? z\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
              "v\r\n--'()+_,-./:=? \r\n--'()+_,-./:=? z--",
          "BEGIN name=a|DATA v\\x0D\\x0A--'()+_,-./:=? |END|DONE" },
        { "browser-style boundary", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
          "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
              "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
              "Content-Type: text/plain\r\n\r\n"
              "hi\r\n------WebKitFormBoundary7MA4YWxkTrZu0g\r\n"
              "\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n",
          "BEGIN name=file filename=a.txt type=text/plain"
          "|DATA hi\\x0D\\x0A------WebKitFormBoundary7MA4YWxkTrZu0g\\x0D\\x0A|END|DONE" },
    });
}

TEST(MultipartTestTable, MalformedBodies)
{
    std::string cd = "Content-Disposition: form-data; name=\"f\"\r\n";
    // Header block (from after the boundary line through the empty line)
    // of exactly the limit, and one byte more.
    std::string padAtLimit(MultipartParser::kMaxPartHeaderBytes - cd.size() - 7 - 2 - 2, 'p');
    checkEverySplit({
        { "part without Content-Disposition", kB,
          "--" + kB + "\r\nContent-Type: text/plain\r\n\r\nx" + kEnd, "FAILED" },
        { "part without any header", kB, "--" + kB + "\r\n\r\nx" + kEnd, "FAILED" },
        { "Content-Disposition not form-data", kB,
          partHead("attachment; name=\"f\"; filename=\"a.txt\"") + "x" + kEnd, "FAILED" },
        { "form-data without a name", kB, partHead("form-data") + "x" + kEnd, "FAILED" },
        { "unterminated quote in Content-Disposition", kB,
          partHead("form-data; name=\"f") + "x" + kEnd, "FAILED" },
        { "header line without a colon", kB,
          "--" + kB + "\r\n" + cd + "Bogus\r\n\r\nx" + kEnd, "FAILED" },
        { "header line with an empty name", kB,
          "--" + kB + "\r\n" + cd + ": v\r\n\r\nx" + kEnd, "FAILED" },
        { "part headers of exactly 8 KiB", kB,
          "--" + kB + "\r\n" + cd + "X-Pad: " + padAtLimit + "\r\n\r\nx" + kEnd,
          "BEGIN name=f|DATA x|END|DONE" },
        { "part headers one byte over 8 KiB", kB,
          "--" + kB + "\r\n" + cd + "X-Pad: " + padAtLimit + "p\r\n\r\nx" + kEnd, "FAILED" },
        { "9000 bytes of part headers, no line end yet", kB,
          "--" + kB + "\r\nX-Pad: " + std::string(9000, 'p'), "FAILED" },
        { "a delimiter line with 65 bytes of padding inside a part", kB,
          filePart("x\r\n--" + kB + std::string(65, ' ') + "\r\n" + cd + "\r\ny"),
          kFileBegin + "|DATA x|FAILED" },
    });
}

// RFC 2046 §5.1.1: a delimiter is "--" boundary followed by "--" (the
// close delimiter) or by optional padding and a line end. Followed by any
// other byte, the same bytes are data -- in a file (stored byte for byte)
// or in the preamble (dropped) -- and the search goes on after them.
TEST(MultipartTestTable, NearDelimitersAreData)
{
    std::string cd = "Content-Disposition: form-data; name=\"f\"\r\n";
    const std::string d = "\r\n--" + kB;
    std::vector<Case> cases = {
        { "--boundary + X", kB, filePart("x" + d + "X\r\ny"), fileTranscript("x" + d + "X\r\ny") },
        { "--boundary + X opening the data", kB, filePart(d + "X"), fileTranscript(d + "X") },
        { "--boundary + -X", kB, filePart("x" + d + "-X"), fileTranscript("x" + d + "-X") },
        { "--boundary + - + CRLF", kB, filePart(d + "-\r\ny"), fileTranscript(d + "-\r\ny") },
        { "--boundary + space + X", kB, filePart(d + " X"), fileTranscript(d + " X") },
        { "--boundary + tab + X", kB, filePart(d + "\tX"), fileTranscript(d + "\tX") },
        { "--boundary + padding + --", kB, filePart("x" + d + " --"), fileTranscript("x" + d + " --") },
        { "--boundary + CR + X", kB, filePart(d + "\rX"), fileTranscript(d + "\rX") },
        { "--boundary + padding + CR + X", kB, filePart(d + " \t\rX"), fileTranscript(d + " \t\rX") },
        { "--boundary + CR CR LF", kB, filePart(d + "\r\r\n"), fileTranscript(d + "\r\r\n") },
        { "--boundary + 64 bytes of padding + X", kB, filePart(d + std::string(64, ' ') + "X"),
          fileTranscript(d + std::string(64, ' ') + "X") },
        { "a longer boundary that starts with ours", kB,
          filePart("--" + kB + "YZ\r\nin" + d + "YZ\r\nner" + d + "YZ--\r\n"),
          fileTranscript("--" + kB + "YZ\r\nin" + d + "YZ\r\nner" + d + "YZ--\r\n") },
        { "near delimiter right before the real one", kB, filePart(d + "X"), fileTranscript(d + "X") },
        { "near delimiters back to back", kB, filePart(d + "X" + d + "!" + d + "-" + d + " x"),
          fileTranscript(d + "X" + d + "!" + d + "-" + d + " x") },
        { "a near delimiter with headers behind it stays in the part", kB,
          partHead("form-data; name=\"f\"") + "x" + d + "!\r\n" + cd + "\r\ny" + kEnd,
          "BEGIN name=f|DATA x" + visibleAsSent(d + "!\r\n" + cd + "\r\ny") + "|END|DONE" },
        { "--boundary + space + tab + CRLF is a delimiter (padding)", kB,
          partHead("form-data; name=\"f\"") + "x" + d + " \t\r\n" + cd + "\r\ny" + kEnd,
          "BEGIN name=f|DATA x|END|BEGIN name=f|DATA y|END|DONE" },
        { "--boundary + padding + bare LF is a delimiter", kB,
          partHead("form-data; name=\"f\"") + "x" + d + " \n" + cd + "\r\ny" + kEnd,
          "BEGIN name=f|DATA x|END|BEGIN name=f|DATA y|END|DONE" },
        { "opening --boundary + X is preamble", kB, "--" + kB + "X\r\n" + filePart("x"),
          fileTranscript("x") },
        { "opening --boundary + junk is preamble", kB, "--" + kB + " junk\r\n" + filePart("x"),
          fileTranscript("x") },
        { "opening --boundary + CR + X is preamble", kB, "--" + kB + "\rX\r\n" + filePart("x"),
          fileTranscript("x") },
        { "opening --boundary + - + CRLF is preamble", kB, "--" + kB + "-\r\n" + filePart("x"),
          fileTranscript("x") },
        { "near delimiter in the preamble", kB, "pre" + d + "X" + d + "-\r\n" + filePart("x"),
          fileTranscript("x") },
        { "only near delimiters: no final boundary", kB, "--" + kB + "X" + d + "!" + d + " y",
          "NEED_MORE" },
    };
    checkEverySplit(cases);
}

TEST(MultipartTestTable, MissingFinalBoundaryNeverCompletes)
{
    std::string cd = "Content-Disposition: form-data; name=\"f\"\r\n";
    checkEverySplit({
        { "empty body", kB, "", "NEED_MORE" },
        { "preamble only", kB, "just some text\r\n--AaB03", "NEED_MORE" },
        { "ends after the first boundary line", kB, "--" + kB + "\r\n", "NEED_MORE" },
        { "ends inside part headers", kB, "--" + kB + "\r\n" + cd, "NEED_MORE" },
        { "ends inside the data", kB, "--" + kB + "\r\n" + cd + "\r\nhello",
          "BEGIN name=f|DATA hello|NEED_MORE" },
        { "ends in a partial delimiter", kB, "--" + kB + "\r\n" + cd + "\r\nhello\r\n--AaB",
          "BEGIN name=f|DATA hello|NEED_MORE" },
        // Not yet known to be delimiters: the bytes after them tell.
        { "ends after a delimiter", kB, "--" + kB + "\r\n" + cd + "\r\nhello\r\n--" + kB,
          "BEGIN name=f|DATA hello|NEED_MORE" },
        { "ends after a delimiter and one dash", kB,
          "--" + kB + "\r\n" + cd + "\r\nhello\r\n--" + kB + "-",
          "BEGIN name=f|DATA hello|NEED_MORE" },
        { "ends after a delimiter and CRLF", kB,
          "--" + kB + "\r\n" + cd + "\r\nhello\r\n--" + kB + "\r\n",
          "BEGIN name=f|DATA hello|END|NEED_MORE" },
        { "ends after a delimiter, padding and CR", kB,
          "--" + kB + "\r\n" + cd + "\r\nhello\r\n--" + kB + "  \r",
          "BEGIN name=f|DATA hello|NEED_MORE" },
        { "ends after a delimiter and 64 bytes of padding", kB,
          "--" + kB + "\r\n" + cd + "\r\nhello\r\n--" + kB + std::string(64, ' '),
          "BEGIN name=f|DATA hello|NEED_MORE" },
    });
}

TEST(MultipartTestTable, PaddingOverItsLimitFailsHoweverSplit)
{
    // The padding limit holds however the body is split: checked at the
    // first byte that breaks it.
    std::vector<size_t> points;
    for (size_t at = 1; at < 120; ++at)
        points.push_back(at);
    checkSplits({ "100 bytes of padding", kB,
                  "--" + kB + std::string(100, ' ')
                      + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1" + kEnd,
                  "FAILED" },
        points);
}

TEST(MultipartTestTable, OneMebibytePartOfRandomBytes)
{
    const std::string boundary = "----WebKitFormBoundaryQ1w2E3r4T5y6U7i8";
    std::string data;
    data.reserve(1 << 20);
    unsigned long state = 12345;
    for (size_t i = 0; i < (1u << 20); ++i) {
        state = (state * 1103515245UL + 12345UL) & 0x7FFFFFFFUL;
        data += static_cast<char>((state >> 16) & 0xFF);
    }
    // Sprinkle delimiter fragments so the hold-back logic is exercised.
    for (size_t at = 1000; at + 64 < data.size(); at += 65536)
        data.replace(at, 30, "\r\n--" + boundary.substr(0, 26));
    ASSERT_EQ(std::string::npos, data.find("\r\n--" + boundary));
    std::string head = "--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"blob\"; filename=\"r.bin\"\r\n"
          "Content-Type: application/octet-stream\r\n\r\n";
    std::string body = head + data + "\r\n--" + boundary + "--\r\n";
    Case tc = { "1 MiB of random bytes", boundary, body,
                "BEGIN name=blob filename=r.bin type=application/octet-stream|DATA "
                    + describeData(data) + "|END|DONE" };
    std::vector<size_t> points;
    for (size_t at = 1; at < body.size(); at += body.size() / 250)
        points.push_back(at);
    for (size_t at = head.size() - 6; at < head.size() + 6; ++at)
        points.push_back(at);
    for (size_t at = body.size() - 60; at < body.size(); ++at)
        points.push_back(at);
    checkSplits(tc, points);
}

namespace {

// Calls next() on data once; DATA pieces appended to *out.
MultipartParser::Result nextOnce(MultipartParser& parser, const std::string& data,
    size_t* consumed, std::string* out = 0)
{
    const char* piece = 0;
    size_t pieceLen = 0;
    MultipartParser::Result result = parser.next(data.data(), data.size(), consumed, &piece, &pieceLen);
    if (result == MultipartParser::PART_DATA && out)
        out->append(piece, pieceLen);
    return result;
}

// A parser that has just returned PART_BEGIN for a part named "f".
void openPart(MultipartParser& parser)
{
    std::string head = partHead("form-data; name=\"f\"");
    size_t consumed = 0;
    ASSERT_EQ(MultipartParser::PART_BEGIN, nextOnce(parser, head, &consumed));
    ASSERT_EQ(head.size(), consumed);
    ASSERT_EQ("f", parser.part().name);
}

}

TEST(MultipartTest, DataWithoutCRIsNeverHeldBack)
{
    MultipartParser parser(kB);
    openPart(parser);
    std::string received;
    for (int round = 0; round < 50; ++round) {
        std::string chunk(1000, static_cast<char>('a' + round % 26));
        chunk[500] = '\n';
        chunk[501] = '-';
        size_t consumed = 0;
        ASSERT_EQ(MultipartParser::PART_DATA, nextOnce(parser, chunk, &consumed, &received));
        EXPECT_EQ(chunk.size(), consumed);
        ASSERT_EQ(MultipartParser::NEED_MORE, nextOnce(parser, std::string(), &consumed));
        EXPECT_EQ(0u, consumed);
    }
    EXPECT_EQ(50000u, received.size());
    EXPECT_FALSE(parser.done());
}

TEST(MultipartTest, HoldsBackOnlyWhatMayBeADelimiter)
{
    MultipartParser parser(kB);
    openPart(parser);
    std::string received;
    size_t consumed = 0;
    // The longest possible tail: the delimiter but its last byte.
    std::string buffer = "abc\r\n--AaB03";
    ASSERT_EQ(MultipartParser::PART_DATA, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(3u, consumed);
    buffer.erase(0, consumed);
    ASSERT_EQ(MultipartParser::NEED_MORE, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(0u, consumed);
    EXPECT_EQ(kB.size() + 3, buffer.size());
    // The next byte tells: not a delimiter, so all of it is data.
    buffer += "y";
    ASSERT_EQ(MultipartParser::PART_DATA, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(buffer.size(), consumed);
    EXPECT_EQ("abc\r\n--AaB03y", received);
    // A lone CR at the end is held back; CR + other byte is data.
    buffer = "\r";
    ASSERT_EQ(MultipartParser::NEED_MORE, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(0u, consumed);
    buffer += "Z\r\n--" + kB + "--";
    ASSERT_EQ(MultipartParser::PART_DATA, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(2u, consumed);
    buffer.erase(0, consumed);
    ASSERT_EQ(MultipartParser::PART_END, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(kB.size() + 6, consumed);
    buffer.erase(0, consumed);
    ASSERT_EQ(MultipartParser::DONE, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ("abc\r\n--AaB03y\rZ", received);
    EXPECT_TRUE(parser.done());
}

TEST(MultipartTest, HoldsBackADelimiterAndItsPaddingUntilTheLineEnds)
{
    MultipartParser parser(kB);
    openPart(parser);
    std::string received;
    size_t consumed = 0;
    // The longest undecided tail: delimiter, 64 bytes of padding, CR.
    std::string buffer = "\r\n--" + kB + std::string(64, ' ') + "\r";
    ASSERT_EQ(MultipartParser::NEED_MORE, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(0u, consumed);
    EXPECT_EQ(MultipartParser::maxHeldBack(kB.size()), buffer.size());
    // Not LF: the whole tail was data.
    buffer += "X";
    ASSERT_EQ(MultipartParser::PART_DATA, nextOnce(parser, buffer, &consumed, &received));
    EXPECT_EQ(buffer.size(), consumed);
    EXPECT_EQ(buffer, received);
    EXPECT_FALSE(parser.done());
}

TEST(MultipartTest, DataPiecesPointIntoTheCallersBytes)
{
    MultipartParser parser(kB);
    std::string body = filePart("hello") + "epilogue";
    const char* piece = 0;
    size_t pieceLen = 0;
    size_t consumed = 0;
    size_t offset = 0;
    ASSERT_EQ(MultipartParser::PART_BEGIN,
        parser.next(body.data(), body.size(), &consumed, &piece, &pieceLen));
    offset += consumed;
    ASSERT_EQ(MultipartParser::PART_DATA,
        parser.next(body.data() + offset, body.size() - offset, &consumed, &piece, &pieceLen));
    EXPECT_EQ(body.data() + offset, piece);
    EXPECT_EQ(5u, pieceLen);
    EXPECT_EQ(5u, consumed);
    EXPECT_EQ(body.find("hello"), offset);
    offset += consumed;
    ASSERT_EQ(MultipartParser::PART_END,
        parser.next(body.data() + offset, body.size() - offset, &consumed, &piece, &pieceLen));
    offset += consumed;
    ASSERT_EQ(MultipartParser::DONE,
        parser.next(body.data() + offset, body.size() - offset, &consumed, &piece, &pieceLen));
    // The epilogue is consumed and dropped.
    EXPECT_EQ(body.size(), offset + consumed);
    EXPECT_TRUE(parser.done());
    std::string more = "anything";
    EXPECT_EQ(MultipartParser::DONE, parser.next(more.data(), more.size(), &consumed, &piece, &pieceLen));
    EXPECT_EQ(more.size(), consumed);
}

TEST(MultipartTest, FailureIsSticky)
{
    MultipartParser parser(kB);
    std::string bad = "--" + kB + "\r\n\r\n";   // a part without headers
    size_t consumed = 0;
    EXPECT_EQ(MultipartParser::FAILED, nextOnce(parser, bad, &consumed));
    std::string good = filePart("x");
    consumed = 99;
    EXPECT_EQ(MultipartParser::FAILED, nextOnce(parser, good, &consumed));
    EXPECT_EQ(0u, consumed);
    EXPECT_FALSE(parser.done());
}

TEST(MultipartTest, PartDescriptionIsResetForEachPart)
{
    MultipartParser parser(kB);
    std::string body = partHead("form-data; name=\"a\"; filename=\"a.txt\"", "text/plain") + "1\r\n"
        + partHead("form-data; name=\"b\"");
    size_t consumed = 0;
    size_t offset = 0;
    std::string rest = body;
    ASSERT_EQ(MultipartParser::PART_BEGIN, nextOnce(parser, rest, &consumed));
    EXPECT_TRUE(parser.part().hasFilename);
    offset += consumed;
    rest = body.substr(offset);
    ASSERT_EQ(MultipartParser::PART_DATA, nextOnce(parser, rest, &consumed));
    offset += consumed;
    rest = body.substr(offset);
    ASSERT_EQ(MultipartParser::PART_END, nextOnce(parser, rest, &consumed));
    offset += consumed;
    rest = body.substr(offset);
    ASSERT_EQ(MultipartParser::PART_BEGIN, nextOnce(parser, rest, &consumed));
    EXPECT_EQ("b", parser.part().name);
    EXPECT_FALSE(parser.part().hasFilename);
    EXPECT_EQ("", parser.part().filename);
    EXPECT_EQ("", parser.part().contentType);
}

TEST(MultipartTestBoundary, Table)
{
    struct BoundaryCase {
        std::string contentType;
        std::string expected;
    };
    const std::string b70(70, 'b');
    const std::vector<BoundaryCase> cases = {
        { "multipart/form-data; boundary=abc", "abc" },
        { "multipart/form-data;boundary=abc", "abc" },
        { "multipart/form-data; boundary=\"a b:c\"", "a b:c" },
        { "multipart/form-data; boundary=\"abc\"", "abc" },
        { "Multipart/Form-Data; BOUNDARY=abc", "abc" },
        { "MULTIPART/FORM-DATA; Boundary=\"ABC\"", "ABC" },
        { "multipart/form-data; charset=utf-8; boundary=abc; x=y", "abc" },
        { "multipart/form-data; x=\"a;boundary=zzz\"; boundary=abc", "abc" },
        { "multipart/form-data ; boundary=abc", "abc" },
        { "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
          "----WebKitFormBoundary7MA4YWxkTrZu0gW" },
        { "multipart/form-data; boundary=\"'()+_,-./:=?\"", "'()+_,-./:=?" },
        { "multipart/form-data; boundary=" + b70, b70 },
        { "multipart/form-data; boundary=\"" + b70 + "\"", b70 },
        { "multipart/form-data; boundary=abc ", "abc" },  // trailing OWS of the field
        { "multipart/form-data", "" },
        { "multipart/form-data; charset=utf-8", "" },
        { "multipart/form-data; boundary=", "" },
        { "multipart/form-data; boundary=\"\"", "" },
        { "multipart/form-data; boundary=\"abc", "" },
        { "multipart/form-data; boundary=" + b70 + "b", "" },
        { "multipart/form-data; boundary=\"" + b70 + "b\"", "" },
        { "multipart/form-data; boundary=a@b", "" },
        { "multipart/form-data; boundary=\"a<b>\"", "" },
        { "multipart/form-data; boundary=\"a\\\"b\"", "" },
        { "multipart/form-data; boundary=\"abc \"", "" },
        { "multipart/mixed; boundary=abc", "" },
        { "text/plain; boundary=abc", "" },
        { "multipart/form-data-x; boundary=abc", "" },
        { "", "" },
    };
    for (size_t i = 0; i < cases.size(); ++i)
        EXPECT_EQ(cases[i].expected, multipartBoundary(cases[i].contentType))
            << "Content-Type: " << cases[i].contentType;
}

TEST(MultipartTestParseContentDisposition, Table)
{
    struct DispositionCase {
        std::string value;
        bool ok;
        std::string expected;   // "name=... filename=..." when ok
    };
    const std::vector<DispositionCase> cases = {
        { "form-data; name=\"a\"", true, "name=a" },
        { "form-data; name=\"a\"; filename=\"b.txt\"", true, "name=a filename=b.txt" },
        { "form-data; filename=\"b.txt\"; name=\"a\"", true, "name=a filename=b.txt" },
        { "form-data;name=a;filename=b.txt", true, "name=a filename=b.txt" },
        { "FORM-DATA; NAME=\"a\"; FileName=\"b\"", true, "name=a filename=b" },
        { "form-data ; name=\"a\" ; ", true, "name=a" },
        { "form-data; name=\"a;b\"; filename=\"c;d\"", true, "name=a;b filename=c;d" },
        { "form-data; name=\"a\\\"b\"; filename=\"x\\\\y\"", true, "name=a\"b filename=x\\y" },
        { "form-data; name=\"f\"; filename=\"C:\\dir\\a.txt\"", true,
          "name=f filename=C:\\dir\\a.txt" },
        { "form-data; name=\"f\"; filename=\"\"", true, "name=f filename=" },
        { "form-data; name=\"f\"; filename*=UTF-8''%E2%82%AC%20rates.txt", true,
          "name=f filename=\xE2\x82\xAC rates.txt" },
        { "form-data; name=\"f\"; other=\"x\"; size=3", true, "name=f" },
        { "form-data", true, "name=" },
        { "attachment; name=\"a\"", false, "" },
        { "inline", false, "" },
        { "form-data-x; name=\"a\"", false, "" },
        { "", false, "" },
        { "form-data; name", false, "" },
        { "form-data; name=\"a\"; filename", false, "" },
        { "form-data; name=\"abc", false, "" },
        { "form-data; name=\"a\"; filename=\"b", false, "" },
        { "form-data; name=\"a\"x", false, "" },
        { "form-data; name=", false, "" },
    };
    for (size_t i = 0; i < cases.size(); ++i) {
        const DispositionCase& tc = cases[i];
        MultipartPart part;
        bool ok = parseContentDisposition(tc.value, &part);
        EXPECT_EQ(tc.ok, ok) << tc.value;
        if (!ok || !tc.ok)
            continue;
        std::string got = "name=" + part.name;
        if (part.hasFilename)
            got += " filename=" + part.filename;
        EXPECT_EQ(tc.expected, got) << tc.value;
        EXPECT_EQ("", part.contentType) << tc.value;
    }
}

// Found by fuzz_multipart: the same strchr() trap in the boundary check.
TEST(MultipartTestRegression, NulIsNeverABoundaryCharacter)
{
    EXPECT_EQ("", multipartBoundary(std::string("multipart/form-data; boundary=\0", 31)));
    EXPECT_EQ("", multipartBoundary(std::string("multipart/form-data; boundary=a\0b", 33)));
}
