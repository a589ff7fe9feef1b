#include "http/UpstreamReply.hpp"

#include "http/ProxyRequest.hpp"
#include "util/Strings.hpp"

UpstreamReply::UpstreamReply()
    : headRequest_(false), upgradeAsked_(false), remaining_(0), stray_(false), state_(READING_HEAD)
{
}

void UpstreamReply::start(bool headRequest, bool upgradeAsked)
{
    headRequest_ = headRequest;
    upgradeAsked_ = upgradeAsked;
    parser_.reset();
    response_ = UpstreamResponse();
    head_ = UpstreamHead();
    remaining_ = 0;
    stray_ = false;
    state_ = READING_HEAD;
    error_.clear();
}

UpstreamReply::State UpstreamReply::feed(const char* data, size_t len, std::string& body)
{
    size_t pos = 0;
    while (pos < len) {
        size_t used = 0;
        if (state_ == READING_HEAD)
            takeHead(data + pos, len - pos, &used);
        else if (state_ == READING_BODY)
            takeBody(data + pos, len - pos, &used, body);
        else {
            // What follows a complete answer is no part of it: the
            // connection cannot be trusted with another request.
            stray_ = stray_ || state_ == COMPLETE;
            return state_;
        }
        pos += used;
    }
    return state_;
}

UpstreamReply::State UpstreamReply::takeHead(const char* data, size_t len, size_t* used)
{
    UpstreamResponseParser::Result result = parser_.parse(data, len, used, &response_);
    if (result == UpstreamResponseParser::NEED_MORE)
        return state_;
    if (result == UpstreamResponseParser::FAILED)
        return fail(parser_.error());
    std::string error;
    if (!interpretResponse(&response_, headRequest_, &error))
        return fail(error);
    int status = response_.status;
    // 100 Continue, 102, 103: interim answers the proxy does not pass on;
    // the final one follows on the same connection.
    if (status >= 100 && status < 200 && status != 101) {
        parser_.reset();
        response_ = UpstreamResponse();
        return state_;
    }
    if (status == 101 && !upgradeAsked_)
        return fail("sent unexpected \"101 Switching Protocols\" to a request without Upgrade");
    makeClientHead();
    state_ = READING_BODY;
    if (status == 101) {
        response_.framing = RESPONSE_UNTIL_CLOSE;
        return state_;
    }
    if (response_.framing == RESPONSE_NO_BODY)
        return complete();
    if (response_.framing == RESPONSE_CHUNKED)
        chunks_.start(BODY_CHUNKED, 0, 0);
    remaining_ = response_.contentLength;
    if (response_.framing == RESPONSE_LENGTH && remaining_ == 0)
        return complete();
    return state_;
}

// The client's head: the status line as the upstream wrote it, the fields
// that are not the two servers' business.
void UpstreamReply::makeClientHead()
{
    head_.status = response_.status;
    head_.reason = response_.reason;
    std::vector<std::string> connection = connectionTokens(response_.headers.combined("Connection"));
    for (size_t i = 0; i < response_.headers.size(); ++i) {
        const std::string& name = response_.headers.at(i).first;
        if (isHopByHopField(name, connection) || iequals(name, "Server") || iequals(name, "Date"))
            continue;
        head_.fields.add(name, response_.headers.at(i).second);
    }
    if (response_.status == 101)
        head_.fields.add("Upgrade", response_.headers.combined("Upgrade"));
    // The answer to a HEAD says the length GET would have had.
    const std::string* length = response_.headers.find("Content-Length");
    head_.hasContentLength = response_.framing == RESPONSE_LENGTH
        || (headRequest_ && length && response_.headers.count("Transfer-Encoding") == 0);
    head_.contentLength = response_.contentLength;
    if (headRequest_ && length)
        parseDecimal(*length, static_cast<off_t>(~0UL >> 1), &head_.contentLength);
}

UpstreamReply::State UpstreamReply::takeBody(const char* data, size_t len, size_t* used,
    std::string& body)
{
    if (response_.framing == RESPONSE_UNTIL_CLOSE) {
        body.append(data, len);
        *used = len;
        return state_;
    }
    if (response_.framing == RESPONSE_LENGTH) {
        size_t take = static_cast<off_t>(len) < remaining_ ? len : static_cast<size_t>(remaining_);
        body.append(data, take);
        remaining_ -= static_cast<off_t>(take);
        *used = take;
        return remaining_ == 0 ? complete() : state_;
    }
    const char* piece = 0;
    size_t pieceLen = 0;
    BodyDecoder::Result result = chunks_.next(data, len, used, &piece, &pieceLen);
    if (result == BodyDecoder::DATA)
        body.append(piece, pieceLen);
    else if (result == BodyDecoder::DONE)
        return complete();
    else if (result == BodyDecoder::FAILED)
        return fail("sent invalid chunked response");
    return state_;
}

UpstreamReply::State UpstreamReply::onClose()
{
    if (state_ == READING_BODY && response_.framing == RESPONSE_UNTIL_CLOSE)
        return complete();
    if (state_ == READING_HEAD || state_ == READING_BODY)
        return fail("prematurely closed connection");
    return state_;
}

bool UpstreamReply::reusable() const
{
    return state_ == COMPLETE && !stray_ && response_.keepAlive && head_.status != 101;
}

UpstreamReply::State UpstreamReply::complete()
{
    state_ = COMPLETE;
    return state_;
}

UpstreamReply::State UpstreamReply::fail(const std::string& reason)
{
    error_ = reason;
    state_ = BROKEN;
    return state_;
}
