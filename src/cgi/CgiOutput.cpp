#include "cgi/CgiOutput.hpp"

CgiOutput::CgiOutput()
{
}

CgiOutput::Result CgiOutput::addHeadBytes(const char* data, size_t len)
{
    headBuffer_.append(data, len);
    size_t end = findCgiHeadEnd(headBuffer_.data(), headBuffer_.size());
    if (end == 0)
        return headBuffer_.size() > kMaxHeadBytes ? TOO_BIG : NEED_MORE;
    if (!parseCgiHead(headBuffer_.substr(0, end), &head_))
        return INVALID;
    body_.assign(headBuffer_, end, std::string::npos);
    std::string().swap(headBuffer_);
    return HEAD_PARSED;
}

BodySource::Status CgiOutput::pull(BodyEncoder& encoder, OutputQueue& out, bool ended)
{
    return pullFromBuffer(body_, encoder, out, ended);
}
