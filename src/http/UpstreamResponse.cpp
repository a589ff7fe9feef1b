#include "http/UpstreamResponse.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "http/Grammar.hpp"
#include "util/Strings.hpp"

namespace {

// Where the head ends in text[0, len) (just after its empty line),
// searching from `from`; 0 when it does not end yet.
size_t headEnd(const char* text, size_t len, size_t from)
{
    for (const char* lf = static_cast<const char*>(std::memchr(text + from, '\n', len - from)); lf;
         lf = static_cast<const char*>(std::memchr(lf + 1, '\n', text + len - lf - 1))) {
        size_t at = static_cast<size_t>(lf - text);
        if (at + 1 < len && text[at + 1] == '\n')
            return at + 2;
        if (at + 2 < len && text[at + 1] == '\r' && text[at + 2] == '\n')
            return at + 3;
    }
    return 0;
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

// A field line as the request parser takes it: a token, ':', a value
// without control bytes, its surrounding whitespace dropped.
bool addFieldLine(const char* line, size_t len, HeaderMap& headers)
{
    const char* colon = static_cast<const char*>(std::memchr(line, ':', len));
    if (!colon)
        return false;
    size_t nameLen = static_cast<size_t>(colon - line);
    const char* value = colon + 1;
    const char* end = line + len;
    if (!isToken(line, nameLen) || containsCtl(value, static_cast<size_t>(end - value)))
        return false;
    while (value < end && isOws(*value))
        ++value;
    while (end > value && isOws(end[-1]))
        --end;
    headers.add(std::string(line, nameLen), std::string(value, end));
    return true;
}

}

UpstreamResponse::UpstreamResponse()
    : versionMinor(1), status(0), framing(RESPONSE_NO_BODY), contentLength(0), keepAlive(false)
{
}

UpstreamResponseParser::UpstreamResponseParser() : failed_(false)
{
}

void UpstreamResponseParser::reset()
{
    head_.clear();
    error_.clear();
    failed_ = false;
}

UpstreamResponseParser::Result UpstreamResponseParser::fail(const std::string& reason)
{
    failed_ = true;
    error_ = reason;
    std::string().swap(head_);
    return FAILED;
}

// A head that comes whole in one read (the usual case) is parsed where it
// lies; pieces are collected first.
UpstreamResponseParser::Result UpstreamResponseParser::parse(const char* data, size_t len,
    size_t* consumed, UpstreamResponse* response)
{
    *consumed = 0;
    if (failed_)
        return FAILED;
    size_t before = head_.size();
    size_t take = len < kMaxHeadBytes + 3 - before ? len : kMaxHeadBytes + 3 - before;
    if (before == 0) {
        size_t end = headEnd(data, take, 0);
        if (end != 0) {
            *consumed = end;
            return parseHead(data, end, response);
        }
    }
    head_.append(data, take);
    size_t end = headEnd(head_.data(), head_.size(), before > 3 ? before - 3 : 0);
    if (end == 0) {
        *consumed = take;
        return head_.size() > kMaxHeadBytes ? fail("sent too big header") : NEED_MORE;
    }
    *consumed = end - before;
    Result result = parseHead(head_.data(), end, response);
    head_.clear();
    return result;
}

// text[0, len) is a whole head: its lines end in LF (CR LF or LF), the
// last one empty.
UpstreamResponseParser::Result UpstreamResponseParser::parseHead(const char* text, size_t len,
    UpstreamResponse* response)
{
    size_t lines = static_cast<size_t>(std::count(text, text + len, '\n'));
    const char* end = text + len;
    const char* line = text;
    for (size_t i = 0; i + 1 < lines; ++i) {
        const char* lf = static_cast<const char*>(std::memchr(line, '\n', static_cast<size_t>(end - line)));
        size_t lineLen = static_cast<size_t>(lf - line);
        if (lineLen > 0 && line[lineLen - 1] == '\r')
            --lineLen;
        if (i == 0 && !parseStatusLine(std::string(line, lineLen), response))
            return fail("sent no valid HTTP/1.0 header");
        if (i == 0 && lines - 2 > kMaxHeaderFields)
            return fail("sent too many header lines");
        if (i > 0 && (lineLen == 0 || line[0] == ' ' || line[0] == '\t'
                || !addFieldLine(line, lineLen, response->headers)))
            return fail("sent invalid header line");
        line = lf + 1;
    }
    return DONE;
}

// "HTTP/1.x 200 OK", the reason phrase optional (its space too).
bool UpstreamResponseParser::parseStatusLine(const std::string& line, UpstreamResponse* response)
{
    if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || !isDigit(line[7])
        || line[8] != ' ' || !isDigit(line[9]) || !isDigit(line[10]) || !isDigit(line[11]))
        return false;
    if (line.size() > 12 && line[12] != ' ')
        return false;
    std::string reason = line.size() > 13 ? line.substr(13) : std::string();
    if (containsCtl(reason))
        return false;
    int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 100 || status > 599)
        return false;
    response->versionMinor = line[7] - '0';
    response->status = status;
    response->reason = reason;
    return true;
}

// RFC 9112 §6.3, with nginx's refusals: Content-Length and
// Transfer-Encoding together, a duplicated or invalid Content-Length, a
// Transfer-Encoding other than chunked.
bool interpretResponse(UpstreamResponse* response, bool headRequest, std::string* error)
{
    const HeaderMap& headers = response->headers;
    size_t lengths = headers.count("Content-Length");
    size_t codings = headers.count("Transfer-Encoding");
    if (lengths > 0 && codings > 0) {
        *error = "sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time";
        return false;
    }
    if (codings > 1 || (codings == 1 && !iequals(*headers.find("Transfer-Encoding"), "chunked"))) {
        *error = "sent unknown \"Transfer-Encoding\"";
        return false;
    }
    if (lengths > 1) {
        *error = "sent duplicate header line: \"Content-Length\"";
        return false;
    }
    off_t length = 0;
    const off_t maxLength = static_cast<off_t>(~0UL >> 1);
    if (lengths == 1 && !parseDecimal(*headers.find("Content-Length"), maxLength, &length)) {
        *error = "sent invalid \"Content-Length\" header";
        return false;
    }
    int status = response->status;
    if (headRequest || status < 200 || status == 204 || status == 304)
        response->framing = RESPONSE_NO_BODY;
    else if (codings == 1)
        response->framing = RESPONSE_CHUNKED;
    else if (lengths == 1)
        response->framing = RESPONSE_LENGTH;
    else
        response->framing = RESPONSE_UNTIL_CLOSE;
    response->contentLength = response->framing == RESPONSE_LENGTH ? length : 0;
    bool close = false;
    bool keepAlive = false;
    std::vector<std::string> tokens = splitAny(headers.combined("Connection"), ", \t");
    for (size_t i = 0; i < tokens.size(); ++i) {
        close = close || iequals(tokens[i], "close");
        keepAlive = keepAlive || iequals(tokens[i], "keep-alive");
    }
    response->keepAlive = !close && (response->versionMinor >= 1 || keepAlive)
        && response->framing != RESPONSE_UNTIL_CLOSE;
    return true;
}
