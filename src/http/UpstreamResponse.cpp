#include "http/UpstreamResponse.hpp"

#include <vector>

#include "http/Grammar.hpp"
#include "util/Strings.hpp"

namespace {

// Where the head ends in text (just after its empty line), searching from
// `from`; 0 when it does not end yet.
size_t headEnd(const std::string& text, size_t from)
{
    for (size_t lf = text.find('\n', from); lf != std::string::npos; lf = text.find('\n', lf + 1)) {
        if (lf + 1 < text.size() && text[lf + 1] == '\n')
            return lf + 2;
        if (lf + 2 < text.size() && text[lf + 1] == '\r' && text[lf + 2] == '\n')
            return lf + 3;
    }
    return 0;
}

// A field line as the request parser takes it: a token, ':', a value
// without control bytes, its surrounding whitespace dropped.
bool parseFieldLine(const std::string& line, std::string* name, std::string* value)
{
    std::string::size_type colon = line.find(':');
    if (colon == std::string::npos || !isToken(line.data(), colon)
        || containsCtl(line.data() + colon + 1, line.size() - colon - 1))
        return false;
    *name = line.substr(0, colon);
    *value = trimOws(line.substr(colon + 1));
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

UpstreamResponseParser::Result UpstreamResponseParser::parse(const char* data, size_t len,
    size_t* consumed, UpstreamResponse* response)
{
    *consumed = 0;
    if (failed_)
        return FAILED;
    size_t before = head_.size();
    size_t take = len < kMaxHeadBytes + 3 - before ? len : kMaxHeadBytes + 3 - before;
    head_.append(data, take);
    size_t end = headEnd(head_, before > 3 ? before - 3 : 0);
    if (end == 0) {
        *consumed = take;
        return head_.size() > kMaxHeadBytes ? fail("sent too big header") : NEED_MORE;
    }
    *consumed = end - before;
    head_.resize(end);
    Result result = parseHead(response);
    head_.clear();
    return result;
}

UpstreamResponseParser::Result UpstreamResponseParser::parseHead(UpstreamResponse* response)
{
    std::vector<std::string> lines;
    std::string::size_type from = 0;
    for (std::string::size_type lf = head_.find('\n'); lf != std::string::npos; lf = head_.find('\n', from)) {
        std::string line = head_.substr(from, lf - from);
        if (!line.empty() && line[line.size() - 1] == '\r')
            line.erase(line.size() - 1);
        lines.push_back(line);
        from = lf + 1;
    }
    // The last line is the empty one that ended the head.
    if (lines.empty() || !parseStatusLine(lines[0], response))
        return fail("sent no valid HTTP/1.0 header");
    if (lines.size() - 2 > kMaxHeaderFields)
        return fail("sent too many header lines");
    for (size_t i = 1; i + 1 < lines.size(); ++i) {
        std::string name;
        std::string value;
        if (lines[i].empty() || lines[i][0] == ' ' || lines[i][0] == '\t'
            || !parseFieldLine(lines[i], &name, &value))
            return fail("sent invalid header line");
        response->headers.add(name, value);
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
