#include "http/RequestParser.hpp"

#include <cstring>

#include "http/Grammar.hpp"
#include "http/Uri.hpp"
#include "util/Strings.hpp"

namespace {

// HTTP-version = "HTTP/" DIGIT "." DIGIT. 0 if well-formed and 1.x, else
// 505 for another major version, or 400.
int checkVersion(const std::string& version, Request& request)
{
    if (version.size() != 8 || version.compare(0, 5, "HTTP/") != 0 || !isDigit(version[5])
        || version[6] != '.' || !isDigit(version[7]))
        return 400;
    if (version[5] != '1')
        return 505;
    request.versionMinor = version[7] == '0' ? 0 : 1;
    request.versionText = version;
    return 0;
}

}

RequestParser::RequestParser()
{
    reset();
}

void RequestParser::reset()
{
    state_ = REQUEST_LINE;
    scanned_ = 0;
    headerBytes_ = 0;
    fieldCount_ = 0;
    started_ = false;
    error_ = 0;
}

RequestParser::Result RequestParser::fail(int status)
{
    error_ = status;
    return FAILED;
}

RequestParser::Result RequestParser::parse(const char* data, size_t len, size_t* consumed,
    Request& request)
{
    *consumed = 0;
    if (error_ != 0)
        return FAILED;
    size_t pos = 0;
    for (;;) {
        const char* start = data + pos;
        size_t available = len - pos;
        if (state_ == REQUEST_LINE && available > 0 && *start != '\r' && *start != '\n')
            started_ = true;
        const void* lf = std::memchr(start + scanned_, '\n', available - scanned_);
        if (!lf) {
            scanned_ = available;
            *consumed = pos;
            return checkPending(start, available, request);
        }
        size_t lineLen = static_cast<const char*>(lf) - start;
        pos += lineLen + 1;
        scanned_ = 0;
        Result result = completeLine(start, lineLen, request);
        if (result != NEED_MORE) {
            *consumed = pos;
            return result;
        }
    }
}

// Limits are checked before the grammar, here and in checkPending(), so
// that an over-long line gets the same answer whether it arrives whole or
// piece by piece.
// The access log still shows what came, as nginx's $request does: the
// bytes up to the first CR or LF, at most a request line's limit.
RequestParser::Result RequestParser::failRequestLine(int status, const char* line, size_t len,
    Request& request)
{
    const void* cr = std::memchr(line, '\r', len);
    if (cr)
        len = static_cast<const char*>(cr) - line;
    request.unparsedLine.assign(line, len < kMaxRequestLine ? len : kMaxRequestLine);
    return fail(status);
}

RequestParser::Result RequestParser::completeLine(const char* line, size_t lineLen,
    Request& request)
{
    size_t contentLen = (lineLen > 0 && line[lineLen - 1] == '\r') ? lineLen - 1 : lineLen;
    bool bareCr = std::memchr(line, '\r', contentLen) != 0;
    if (state_ == REQUEST_LINE) {
        if (contentLen == 0)
            return NEED_MORE;           // an empty line before the request
        if (contentLen > kMaxRequestLine)
            return failRequestLine(overlongLineStatus(line), line, contentLen, request);
        int status = bareCr ? 400 : parseRequestLine(line, contentLen, request);
        if (status != 0)
            return failRequestLine(status, line, contentLen, request);
        state_ = HEADER_LINES;
        return NEED_MORE;
    }
    if (contentLen == 0) {
        int status = interpretHead(request);
        return status == 0 ? DONE : fail(status);
    }
    headerBytes_ += lineLen + 1;
    if (headerBytes_ > kMaxHeaderBytes)
        return fail(431);
    int status = bareCr ? 400 : parseHeaderLine(line, contentLen, request);
    return status == 0 ? NEED_MORE : fail(status);
}

// An incomplete line of `pending` bytes: refused as soon as it cannot fit
// any more, whatever its end will be.
RequestParser::Result RequestParser::checkPending(const char* line, size_t pending,
    Request& request)
{
    size_t content = (pending > 0 && line[pending - 1] == '\r') ? pending - 1 : pending;
    if (state_ == REQUEST_LINE && content > kMaxRequestLine)
        return failRequestLine(overlongLineStatus(line), line, content, request);
    // The line will take at least one more byte (its LF). A lone CR may be
    // the start of the empty line ending the head, which does not count.
    if (state_ == HEADER_LINES && content > 0 && headerBytes_ + pending + 1 > kMaxHeaderBytes)
        return fail(431);
    return NEED_MORE;
}

// A request line over the limit is a long URI (414) only when its method
// ended within it. A method that long, or a line with no space at all, is
// no request line (400). Both callers have the first kMaxRequestLine + 1
// bytes of the line, so the answer does not depend on how it arrived.
int RequestParser::overlongLineStatus(const char* line)
{
    return std::memchr(line, ' ', kMaxRequestLine + 1) ? 414 : 400;
}

int RequestParser::parseRequestLine(const char* line, size_t len, Request& request)
{
    const char* end = line + len;
    const char* firstSpace = static_cast<const char*>(std::memchr(line, ' ', len));
    const char* lastSpace = firstSpace;
    for (const char* p = end; p > line; --p)
        if (p[-1] == ' ') {
            lastSpace = p - 1;
            break;
        }
    if (!firstSpace || lastSpace == firstSpace)
        return 400;
    if (!isToken(line, firstSpace - line))
        return 400;
    const char* target = firstSpace + 1;
    if (target == lastSpace)
        return 400;
    // RFC 9112 §3.2 with RFC 3986: a target is visible ASCII (anything else
    // travels percent-encoded) and never carries a fragment.
    for (const char* p = target; p < lastSpace; ++p) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (c <= ' ' || c >= 0x7F || c == '#')
            return 400;
    }
    int status = checkVersion(std::string(lastSpace + 1, end), request);
    if (status != 0)
        return status;
    request.method.assign(line, firstSpace);
    request.target.assign(target, lastSpace);
    // The asterisk-form is for OPTIONS alone (RFC 9112 §3.2.4).
    if (request.target == "*" && request.method != "OPTIONS")
        return 400;
    return 0;
}

int RequestParser::parseHeaderLine(const char* line, size_t len, Request& request)
{
    if (line[0] == ' ' || line[0] == '\t')
        return 400;   // obs-fold
    const char* colon = static_cast<const char*>(std::memchr(line, ':', len));
    if (!colon || !isToken(line, colon - line))
        return 400;
    const char* value = colon + 1;
    const char* end = line + len;
    if (containsCtl(value, end - value))
        return 400;
    while (value < end && (*value == ' ' || *value == '\t'))
        ++value;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
        --end;
    if (++fieldCount_ > kMaxHeaderFields)
        return 431;
    request.headers.add(std::string(line, colon), std::string(value, end));
    return 0;
}

namespace {

int checkHost(Request& request)
{
    size_t hosts = request.headers.count("Host");
    if (hosts > 1 || (hosts == 0 && request.versionMinor >= 1))
        return 400;
    // An empty Host is refused too, as nginx does: an http URI always has
    // an authority.
    if (hosts == 1
        && (!normalizeHost(*request.headers.find("Host"), &request.host) || request.host.empty()))
        return 400;
    return 0;
}

enum Coding {
    CODING_INVALID,   // empty, a name that is not a token, or chunked;params
    CODING_OTHER,     // gzip, identity, any other token (parameters allowed)
    CODING_CHUNKED    // exactly "chunked", in any case
};

// One element of a Transfer-Encoding list. chunked defines no parameters,
// so "chunked;x=1" cannot be decoded with any confidence.
Coding codingOf(const std::string& element)
{
    std::string coding = trimOws(element);
    std::string::size_type semicolon = coding.find(';');
    std::string name = trimOws(coding.substr(0, semicolon));
    if (!isToken(name.data(), name.size()))
        return CODING_INVALID;
    if (!iequals(name, "chunked"))
        return CODING_OTHER;
    return semicolon == std::string::npos ? CODING_CHUNKED : CODING_INVALID;
}

// Every Transfer-Encoding field of the request as one list (RFC 9112 §6.1,
// §6.3). 400 when the body length cannot be determined: an empty value or
// list element, a last coding that is not chunked, chunked named twice.
// 501 for chunked after another coding (we decode no other coding). Each
// field is split on its own: HeaderMap::combined() would hide an empty
// first field.
int checkTransferCodings(const HeaderMap& headers)
{
    size_t codings = 0;
    size_t chunked = 0;
    Coding last = CODING_INVALID;
    for (size_t i = 0; i < headers.size(); ++i) {
        if (!iequals(headers.at(i).first, "Transfer-Encoding"))
            continue;
        const std::string& value = headers.at(i).second;
        std::string::size_type from = 0;
        for (;;) {
            std::string::size_type comma = value.find(',', from);
            last = codingOf(value.substr(from, comma == std::string::npos ? comma : comma - from));
            if (last == CODING_INVALID)
                return 400;
            ++codings;
            chunked += last == CODING_CHUNKED ? 1 : 0;
            if (comma == std::string::npos)
                break;
            from = comma + 1;
        }
    }
    if (last != CODING_CHUNKED || chunked > 1)
        return 400;
    return codings > 1 ? 501 : 0;
}

// Transfer-Encoding and Content-Length: TE in HTTP/1.0 -> 400; a TE list
// that cannot frame the body -> 400; TE with CL -> 400 (a smuggling
// attempt, whatever the codings); chunked after other codings -> 501; CL
// not a single run of digits -> 400. Every one of them closes.
int checkFraming(Request& request)
{
    const HeaderMap& headers = request.headers;
    if (headers.count("Transfer-Encoding") > 0) {
        if (request.versionMinor == 0)
            return 400;
        int status = checkTransferCodings(headers);
        if (status == 400 || headers.count("Content-Length") > 0)
            return 400;
        if (status != 0)
            return status;
        request.framing = BODY_CHUNKED;
        return 0;
    }
    size_t lengths = headers.count("Content-Length");
    if (lengths == 0)
        return 0;
    off_t length;
    const off_t maxLength = static_cast<off_t>(~0UL >> 1);
    if (lengths > 1 || !parseDecimal(*headers.find("Content-Length"), maxLength, &length))
        return 400;
    request.contentLength = length;
    request.framing = length > 0 ? BODY_LENGTH : BODY_NONE;
    return 0;
}

void readConnectionOptions(Request& request)
{
    bool close = false;
    bool keepAlive = false;
    std::vector<std::string> tokens = splitAny(request.headers.combined("Connection"), ", \t");
    for (size_t i = 0; i < tokens.size(); ++i) {
        close = close || iequals(tokens[i], "close");
        keepAlive = keepAlive || iequals(tokens[i], "keep-alive");
    }
    request.keepAlive = !close && (request.versionMinor >= 1 || keepAlive);
}

void readExpectation(Request& request)
{
    const std::string* expect = request.headers.find("Expect");
    if (!expect || request.versionMinor == 0)
        return;
    bool continues = request.headers.count("Expect") == 1 && iequals(*expect, "100-continue");
    request.expectation = continues ? EXPECT_CONTINUE : EXPECT_UNSUPPORTED;
}

}

int interpretHead(Request& request)
{
    int status = checkHost(request);
    if (status == 0)
        status = checkFraming(request);
    if (status != 0)
        return status;
    readConnectionOptions(request);
    readExpectation(request);
    return 0;
}
