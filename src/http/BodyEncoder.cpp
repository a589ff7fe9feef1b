#include "http/BodyEncoder.hpp"

#include "util/Strings.hpp"

BodyEncoder::BodyEncoder()
    : framing_(UNTIL_CLOSE), left_(0), written_(0)
{
}

void BodyEncoder::start(Framing framing, off_t length)
{
    framing_ = framing;
    left_ = framing == LENGTH ? length : 0;
    written_ = 0;
}

size_t BodyEncoder::write(std::string& out, const char* data, size_t len)
{
    size_t take = len;
    if (framing_ == LENGTH && static_cast<off_t>(take) > left_)
        take = static_cast<size_t>(left_);
    if (take == 0)
        return 0;       // an empty chunk would end a chunked body
    if (framing_ == CHUNKED) {
        out += toHex(take);
        out += "\r\n";
    }
    out.append(data, take);
    if (framing_ == CHUNKED)
        out += "\r\n";
    wrote(take);
    return take;
}

void BodyEncoder::wrote(size_t len)
{
    written_ += static_cast<off_t>(len);
    if (framing_ == LENGTH)
        left_ -= static_cast<off_t>(len);
}

void BodyEncoder::finish(std::string& out)
{
    if (framing_ == CHUNKED)
        out += "0\r\n\r\n";
}
