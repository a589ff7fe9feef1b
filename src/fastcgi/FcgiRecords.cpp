#include "fastcgi/FcgiRecords.hpp"

namespace {

const unsigned char kVersion = 1;
const unsigned kRoleResponder = 1;
const unsigned char kKeepConnection = 1;

void appendHeader(std::string& out, int type, unsigned requestId, size_t len, size_t padding)
{
    unsigned char header[kFcgiHeaderBytes] = {
        kVersion, static_cast<unsigned char>(type),
        static_cast<unsigned char>(requestId >> 8), static_cast<unsigned char>(requestId),
        static_cast<unsigned char>(len >> 8), static_cast<unsigned char>(len),
        static_cast<unsigned char>(padding), 0
    };
    out.append(reinterpret_cast<const char*>(header), sizeof header);
}

void appendLength(std::string& out, size_t len)
{
    if (len < 128) {
        out += static_cast<char>(len);
        return;
    }
    out += static_cast<char>(0x80 | ((len >> 24) & 0x7f));
    out += static_cast<char>(len >> 16);
    out += static_cast<char>(len >> 8);
    out += static_cast<char>(len);
}

bool readLength(const std::string& content, size_t* pos, size_t* len)
{
    if (*pos >= content.size())
        return false;
    unsigned char first = static_cast<unsigned char>(content[*pos]);
    if (first < 128) {
        *len = first;
        ++*pos;
        return true;
    }
    if (content.size() - *pos < 4)
        return false;
    *len = (static_cast<size_t>(first & 0x7f) << 24)
        | (static_cast<size_t>(static_cast<unsigned char>(content[*pos + 1])) << 16)
        | (static_cast<size_t>(static_cast<unsigned char>(content[*pos + 2])) << 8)
        | static_cast<size_t>(static_cast<unsigned char>(content[*pos + 3]));
    *pos += 4;
    return true;
}

size_t byteAt(const unsigned char* bytes, size_t high, size_t low)
{
    return (static_cast<size_t>(bytes[high]) << 8) | bytes[low];
}

}

void appendFcgiRecord(std::string& out, int type, unsigned requestId,
    const char* data, size_t len)
{
    size_t padding = (8 - len % 8) % 8;
    appendHeader(out, type, requestId, len, padding);
    out.append(data, len);
    out.append(padding, '\0');
}

void appendFcgiBeginRequest(std::string& out, unsigned requestId, bool keepConnection)
{
    const char body[8] = { 0, static_cast<char>(kRoleResponder),
        static_cast<char>(keepConnection ? kKeepConnection : 0), 0, 0, 0, 0, 0 };
    appendFcgiRecord(out, FCGI_BEGIN_REQUEST, requestId, body, sizeof body);
}

void appendFcgiStream(std::string& out, FcgiType type, unsigned requestId,
    const char* data, size_t len)
{
    if (len == 0) {
        appendFcgiRecord(out, type, requestId, data, 0);
        return;
    }
    // Whole multiples of 8 per full record: no padding between pieces.
    const size_t piece = kFcgiMaxContent - kFcgiMaxContent % 8;
    for (size_t pos = 0; pos < len; pos += piece)
        appendFcgiRecord(out, type, requestId, data + pos, len - pos < piece ? len - pos : piece);
}

void appendFcgiParams(std::string& out, unsigned requestId, const FcgiParams& params)
{
    std::string pairs;
    for (size_t i = 0; i < params.size(); ++i)
        appendFcgiNameValue(pairs, params[i].first, params[i].second);
    appendFcgiStream(out, FCGI_PARAMS, requestId, pairs.data(), pairs.size());
    if (!pairs.empty())
        appendFcgiStream(out, FCGI_PARAMS, requestId, "", 0);
}

void appendFcgiAbortRequest(std::string& out, unsigned requestId)
{
    appendFcgiRecord(out, FCGI_ABORT_REQUEST, requestId, "", 0);
}

void appendFcgiNameValue(std::string& out, const std::string& name, const std::string& value)
{
    appendLength(out, name.size());
    appendLength(out, value.size());
    out += name;
    out += value;
}

bool decodeFcgiNameValues(const std::string& content, FcgiParams* out)
{
    out->clear();
    size_t pos = 0;
    while (pos < content.size()) {
        size_t nameLen;
        size_t valueLen;
        if (!readLength(content, &pos, &nameLen) || !readLength(content, &pos, &valueLen))
            return false;
        if (nameLen > content.size() - pos || valueLen > content.size() - pos - nameLen)
            return false;
        out->push_back(std::make_pair(content.substr(pos, nameLen),
            content.substr(pos + nameLen, valueLen)));
        pos += nameLen + valueLen;
    }
    return true;
}

bool parseFcgiEndRequest(const std::string& content, FcgiEndRequest* out)
{
    if (content.size() != 8)
        return false;
    const unsigned char* b = reinterpret_cast<const unsigned char*>(content.data());
    out->appStatus = (static_cast<unsigned long>(b[0]) << 24) | (static_cast<unsigned long>(b[1]) << 16)
        | (static_cast<unsigned long>(b[2]) << 8) | b[3];
    out->protocolStatus = b[4];
    return true;
}

FcgiRecordParser::FcgiRecordParser()
    : part_(HEADER), headerBytes_(0), contentLeft_(0), paddingLeft_(0)
{
}

bool FcgiRecordParser::atBoundary() const
{
    return part_ == HEADER && headerBytes_ == 0;
}

FcgiRecordParser::Result FcgiRecordParser::next(const char* data, size_t len, size_t* used,
    FcgiRecord* record)
{
    size_t pos = 0;
    while (part_ != BROKEN) {
        if (part_ == HEADER) {
            while (headerBytes_ < kFcgiHeaderBytes && pos < len)
                header_[headerBytes_++] = static_cast<unsigned char>(data[pos++]);
            if (headerBytes_ < kFcgiHeaderBytes)
                break;
            if (header_[0] != kVersion) {
                part_ = BROKEN;
                break;
            }
            current_.type = header_[1];
            current_.requestId = static_cast<unsigned>(byteAt(header_, 2, 3));
            current_.content.clear();
            contentLeft_ = byteAt(header_, 4, 5);
            paddingLeft_ = header_[6];
            headerBytes_ = 0;
            part_ = CONTENT;
        }
        if (part_ == CONTENT) {
            size_t take = len - pos < contentLeft_ ? len - pos : contentLeft_;
            current_.content.append(data + pos, take);
            pos += take;
            contentLeft_ -= take;
            if (contentLeft_ > 0)
                break;
            part_ = PADDING;
        }
        size_t skip = len - pos < paddingLeft_ ? len - pos : paddingLeft_;
        pos += skip;
        paddingLeft_ -= skip;
        if (paddingLeft_ > 0)
            break;
        part_ = HEADER;
        record->type = current_.type;
        record->requestId = current_.requestId;
        record->content.swap(current_.content);
        *used = pos;
        return RECORD;
    }
    *used = pos;
    return part_ == BROKEN ? MALFORMED : NEED_MORE;
}
