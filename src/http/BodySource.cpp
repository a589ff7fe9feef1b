#include "http/BodySource.hpp"

#include <unistd.h>

const size_t BodySource::kOutputHighWater;
const size_t FileBody::kFileChunk;

MemoryBody::MemoryBody()
    : response_(0)
{
}

void MemoryBody::open(const Response& response)
{
    response_ = &response;
}

BodySource::Status pullFromBuffer(std::string& buffer, BodyEncoder& encoder, OutputQueue& out,
    bool ended)
{
    while (!buffer.empty() && out.pending() < BodySource::kOutputHighWater && !encoder.complete()) {
        size_t taken = encoder.write(out.appendable(), buffer.data(), buffer.size());
        buffer.erase(0, taken);
    }
    if (encoder.complete() || (ended && buffer.empty()))
        return BodySource::BODY_ENDED;
    return buffer.empty() ? BodySource::BODY_WAITING : BodySource::BODY_MORE;
}

BodySource::Status MemoryBody::pull(BodyEncoder& encoder, OutputQueue& out)
{
    if (response_->sharedBody.valid())
        out.appendShared(response_->sharedBody);
    else
        out.appendable() += response_->body;
    encoder.wrote(response_->memoryBody().size());
    return BODY_ENDED;
}

FileBody::FileBody()
    : response_(0), left_(0)
{
}

void FileBody::open(Response& response)
{
    response_ = &response;
    left_ = response.fileLength;
}

BodySource::Status FileBody::pull(BodyEncoder& encoder, OutputQueue& out)
{
    if (left_ == 0)
        return BODY_ENDED;
    if (out.pending() >= kOutputHighWater)
        return BODY_MORE;
    std::string& bytes = out.appendable();
    size_t want = left_ < static_cast<off_t>(kFileChunk) ? static_cast<size_t>(left_) : kFileChunk;
    size_t old = bytes.size();
    bytes.resize(old + want);
    ssize_t n = pread(response_->file.get(), &bytes[old], want, response_->fileOffset);
    if (n <= 0) {
        bytes.resize(old);
        return BODY_BROKEN;
    }
    bytes.resize(old + static_cast<size_t>(n));
    response_->fileOffset += n;
    left_ -= n;
    encoder.wrote(static_cast<size_t>(n));
    return left_ == 0 ? BODY_ENDED : BODY_MORE;
}
