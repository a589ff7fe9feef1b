#include "http/Multipart.hpp"

#include <cstring>
#include <vector>

#include "util/Escape.hpp"
#include "util/Strings.hpp"

namespace {

bool isBoundaryChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c != '\0' && std::strchr("'()+_,-./:=? ", c) != 0);   // strchr finds the NUL too
}

// The first position where all of needle occurs in data, or else the start
// of the longest tail of data that is a prefix of needle (which the next
// bytes may complete), or len.
size_t findOrPartial(const char* data, size_t len, const std::string& needle, bool* complete)
{
    const char* p = data;
    const char* end = data + len;
    while ((p = static_cast<const char*>(std::memchr(p, needle[0], end - p))) != 0) {
        size_t available = static_cast<size_t>(end - p);
        size_t compare = available < needle.size() ? available : needle.size();
        if (std::memcmp(p, needle.data(), compare) == 0) {
            *complete = compare == needle.size();
            return static_cast<size_t>(p - data);
        }
        ++p;
    }
    *complete = false;
    return len;
}

// Splits `a; b="c;d"; e=f` at the semicolons that are not inside quotes.
std::vector<std::string> splitParameters(const std::string& value)
{
    std::vector<std::string> pieces;
    std::string current;
    bool quoted = false;
    for (size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (quoted && c == '\\' && i + 1 < value.size()) {
            current += c;
            current += value[++i];
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        if (c == ';' && !quoted) {
            pieces.push_back(trimOws(current));
            current.clear();
        } else {
            current += c;
        }
    }
    pieces.push_back(trimOws(current));
    return pieces;
}

// A parameter value: a token, or a quoted-string whose \" and \\ are
// unescaped (any other backslash is kept: old browsers send C:\dir\file).
bool parameterValue(const std::string& raw, std::string* value)
{
    if (raw.empty() || raw[0] != '"') {
        *value = raw;
        return !raw.empty() && raw.find('"') == std::string::npos;
    }
    value->clear();
    for (size_t i = 1; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '"')
            return i == raw.size() - 1;
        if (c == '\\' && i + 1 < raw.size() && (raw[i + 1] == '"' || raw[i + 1] == '\\'))
            c = raw[++i];
        *value += c;
    }
    return false;
}

// filename*=UTF-8''na%C3%AFve.txt (RFC 5987): the percent-decoded name.
std::string extendedValue(const std::string& raw)
{
    std::string::size_type quote = raw.find("''");
    std::string encoded = quote == std::string::npos ? raw : raw.substr(quote + 2);
    return percentDecodeLenient(encoded, false);
}

}

MultipartParser::MultipartParser(const std::string& boundary)
    : delimiter_("\r\n--" + boundary), state_(PREAMBLE), atBodyStart_(true)
{
}

MultipartParser::Result MultipartParser::fail()
{
    state_ = BROKEN;
    return FAILED;
}

// Steps through the states until one has an event to report or needs more
// bytes than it was given.
MultipartParser::Result MultipartParser::next(const char* data, size_t len, size_t* consumed,
    const char** piece, size_t* pieceLen)
{
    size_t pos = 0;
    for (;;) {
        size_t used = 0;
        Result result = step(data + pos, len - pos, &used, piece, pieceLen);
        pos += used;
        if (result != NEED_MORE || used == 0) {
            *consumed = pos;
            return result;
        }
    }
}

MultipartParser::Result MultipartParser::step(const char* data, size_t len, size_t* used,
    const char** piece, size_t* pieceLen)
{
    switch (state_) {
    case PREAMBLE:
        return readPreamble(data, len, used);
    case PART_HEADERS:
        return readHeaders(data, len, used);
    case PART_BODY:
        return readBody(data, len, used, piece, pieceLen);
    case EPILOGUE:
        *used = len;
        return DONE;
    case BROKEN:
        break;
    }
    return FAILED;
}

// What follows a "--boundary" decides whether it was a delimiter at all
// (RFC 2046 §5.1.1): "--" makes it the close delimiter; optional padding
// (spaces, tabs) then CRLF, or a bare LF, ends a delimiter line; any other
// byte makes the bytes ordinary data (a file may hold "--BOUNDARYX").
MultipartParser::Tail MultipartParser::classifyTail(const char* data, size_t len, size_t* tailLen)
{
    if (len > 0 && data[0] == '-') {
        if (len == 1)
            return TAIL_UNKNOWN;
        *tailLen = 2;
        return data[1] == '-' ? TAIL_CLOSE : TAIL_NOT_DELIMITER;
    }
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t'))
        ++i;
    if (i > kMaxPadding)
        return TAIL_TOO_LONG;
    if (i == len)
        return TAIL_UNKNOWN;
    if (data[i] == '\n') {
        *tailLen = i + 1;
        return TAIL_LINE;
    }
    if (data[i] != '\r')
        return TAIL_NOT_DELIMITER;
    if (i + 1 == len)
        return TAIL_UNKNOWN;
    *tailLen = i + 2;
    return data[i + 1] == '\n' ? TAIL_LINE : TAIL_NOT_DELIMITER;
}

// data starts with a whole delimiter of delimLen bytes. When what follows
// makes it one, *used covers it and its tail and the state moves on.
MultipartParser::Tail MultipartParser::enterDelimiter(const char* data, size_t len,
    size_t delimLen, size_t* used)
{
    size_t tailLen = 0;
    Tail tail = classifyTail(data + delimLen, len - delimLen, &tailLen);
    if (tail == TAIL_LINE || tail == TAIL_CLOSE) {
        *used = delimLen + tailLen;
        state_ = tail == TAIL_LINE ? PART_HEADERS : EPILOGUE;
    }
    return tail;
}

// Anything before the first delimiter is dropped. That delimiter may open
// the body without the CRLF in front of it.
MultipartParser::Result MultipartParser::readPreamble(const char* data, size_t len, size_t* used)
{
    if (atBodyStart_) {
        std::string opening = delimiter_.substr(2);
        size_t compare = len < opening.size() ? len : opening.size();
        if (std::memcmp(data, opening.data(), compare) == 0) {
            Tail tail = compare < opening.size() ? TAIL_UNKNOWN
                : enterDelimiter(data, len, opening.size(), used);
            if (tail == TAIL_TOO_LONG)
                return fail();
            if (tail != TAIL_NOT_DELIMITER)
                return NEED_MORE;
        }
        atBodyStart_ = false;
    }
    bool complete;
    size_t at = findOrPartial(data, len, delimiter_, &complete);
    Tail tail = complete ? enterDelimiter(data + at, len - at, delimiter_.size(), used)
        : TAIL_UNKNOWN;
    if (tail == TAIL_TOO_LONG)
        return fail();
    if (tail == TAIL_LINE || tail == TAIL_CLOSE)
        *used += at;
    else   // drop the preamble up to a possible delimiter, or past its CR
        *used = at + (tail == TAIL_NOT_DELIMITER ? 1 : 0);
    return NEED_MORE;
}

// The header block is parsed only once it is complete (it is at most 8 KiB,
// so presenting it again with more bytes costs little).
MultipartParser::Result MultipartParser::readHeaders(const char* data, size_t len, size_t* used)
{
    part_ = MultipartPart();
    size_t pos = 0;
    for (;;) {
        const void* lf = std::memchr(data + pos, '\n', len - pos);
        if (!lf)
            return len > kMaxPartHeaderBytes ? fail() : NEED_MORE;
        size_t lineLen = static_cast<const char*>(lf) - (data + pos);
        std::string line(data + pos, lineLen);
        pos += lineLen + 1;
        if (pos > kMaxPartHeaderBytes)
            return fail();
        if (!line.empty() && line[line.size() - 1] == '\r')
            line.erase(line.size() - 1);
        if (line.empty())
            break;
        if (!parseHeaderLine(line))
            return fail();
    }
    if (part_.name.empty() && !part_.hasFilename)
        return fail();
    *used = pos;
    state_ = PART_BODY;
    return PART_BEGIN;
}

bool MultipartParser::parseHeaderLine(const std::string& line)
{
    std::string::size_type colon = line.find(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    std::string name = line.substr(0, colon);
    std::string value = trimOws(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition"))
        return parseContentDisposition(value, &part_);
    if (iequals(name, "Content-Type"))
        part_.contentType = value;
    return true;
}

MultipartParser::Result MultipartParser::readBody(const char* data, size_t len, size_t* used,
    const char** piece, size_t* pieceLen)
{
    bool complete;
    size_t at = findOrPartial(data, len, delimiter_, &complete);
    if (at == 0 && complete) {
        Tail tail = enterDelimiter(data, len, delimiter_.size(), used);
        if (tail == TAIL_TOO_LONG)
            return fail();
        if (tail == TAIL_LINE || tail == TAIL_CLOSE)
            return PART_END;
        if (tail == TAIL_UNKNOWN)
            return NEED_MORE;    // wait for the bytes that tell
        // No delimiter after all: its CR is data, the search goes on after it.
        at = 1 + findOrPartial(data + 1, len - 1, delimiter_, &complete);
    }
    if (at == 0)
        return NEED_MORE;    // a possible delimiter: wait for the bytes that tell
    *piece = data;
    *pieceLen = at;
    *used = at;
    return PART_DATA;
}

std::string multipartBoundary(const std::string& contentType)
{
    std::vector<std::string> pieces = splitParameters(contentType);
    if (!iequals(pieces[0], "multipart/form-data"))
        return std::string();
    for (size_t i = 1; i < pieces.size(); ++i) {
        std::string::size_type eq = pieces[i].find('=');
        if (eq == std::string::npos || !iequals(trimOws(pieces[i].substr(0, eq)), "boundary"))
            continue;
        std::string boundary;
        if (!parameterValue(trimOws(pieces[i].substr(eq + 1)), &boundary))
            return std::string();
        bool valid = !boundary.empty() && boundary.size() <= MultipartParser::kMaxBoundaryLength
            && boundary[boundary.size() - 1] != ' ';
        for (size_t c = 0; valid && c < boundary.size(); ++c)
            valid = isBoundaryChar(boundary[c]);
        return valid ? boundary : std::string();
    }
    return std::string();
}

bool parseContentDisposition(const std::string& value, MultipartPart* part)
{
    std::vector<std::string> pieces = splitParameters(value);
    if (!iequals(pieces[0], "form-data"))
        return false;
    for (size_t i = 1; i < pieces.size(); ++i) {
        if (pieces[i].empty())
            continue;
        std::string::size_type eq = pieces[i].find('=');
        if (eq == std::string::npos)
            return false;
        std::string key = toLower(trimOws(pieces[i].substr(0, eq)));
        std::string raw = trimOws(pieces[i].substr(eq + 1));
        std::string parsed;
        if (key == "filename*") {
            part->hasFilename = true;
            if (part->filename.empty())
                part->filename = extendedValue(raw);
            continue;
        }
        if (!parameterValue(raw, &parsed))
            return false;
        if (key == "name") {
            part->name = parsed;
        } else if (key == "filename") {
            part->hasFilename = true;
            part->filename = parsed;
        }
    }
    return true;
}
