#include "http/BodyDecoder.hpp"

#include "http/Grammar.hpp"
#include "util/Strings.hpp"

namespace {

const off_t kMaxOffset = static_cast<off_t>(~0UL >> 1);
const int kMaxSizeDigits = 16;

}

BodyDecoder::BodyDecoder()
{
    start(BODY_NONE, 0, 0);
}

int BodyDecoder::start(BodyFraming framing, off_t contentLength, off_t limit)
{
    remaining_ = 0;
    chunkSize_ = 0;
    sizeDigits_ = 0;
    trailerBytes_ = 0;
    received_ = 0;
    limit_ = limit;
    error_ = 0;
    if (framing == BODY_CHUNKED) {
        state_ = SIZE_START;
        return 0;
    }
    state_ = (framing == BODY_LENGTH && contentLength > 0) ? LENGTH_DATA : COMPLETE;
    remaining_ = framing == BODY_LENGTH ? contentLength : 0;
    if (limit > 0 && remaining_ > limit)
        reject(413);
    return error_;
}

BodyDecoder::Result BodyDecoder::fail(int status)
{
    state_ = BROKEN;
    error_ = status;
    return FAILED;
}

BodyDecoder::Result BodyDecoder::next(const char* data, size_t len, size_t* consumed,
    const char** piece, size_t* pieceLen)
{
    *consumed = 0;
    size_t pos = 0;
    for (;;) {
        if (state_ == COMPLETE) {
            *consumed = pos;
            return DONE;
        }
        if (state_ == BROKEN) {
            *consumed = pos;
            return FAILED;
        }
        if (state_ == LENGTH_DATA || state_ == CHUNK_DATA) {
            if (pos == len) {
                *consumed = pos;
                return NEED_MORE;
            }
            size_t take = len - pos;
            if (static_cast<off_t>(take) > remaining_)
                take = static_cast<size_t>(remaining_);
            *piece = data + pos;
            *pieceLen = take;
            remaining_ -= take;
            received_ += take;
            *consumed = pos + take;
            if (remaining_ == 0)
                state_ = state_ == LENGTH_DATA ? COMPLETE : DATA_CR;
            return DATA;
        }
        if (pos == len) {
            *consumed = pos;
            return NEED_MORE;
        }
        if (!stepFraming(data[pos++])) {
            *consumed = pos;
            return FAILED;
        }
    }
}

bool BodyDecoder::reject(int status)
{
    fail(status);
    return false;
}

// One byte of chunk framing. False (with the state BROKEN) on an error.
bool BodyDecoder::stepFraming(char c)
{
    switch (state_) {
    case SIZE_START:
    case SIZE: {
        int digit = hexDigitValue(c);
        if (digit >= 0) {
            if (++sizeDigits_ > kMaxSizeDigits || chunkSize_ > (kMaxOffset - digit) / 16)
                return reject(400);
            chunkSize_ = chunkSize_ * 16 + digit;
            state_ = SIZE;
            return true;
        }
        if (state_ == SIZE_START)
            return reject(400);
        if (c == ' ' || c == '\t')
            state_ = SIZE_SPACE;
        else if (c == ';')
            state_ = EXTENSION;
        else if (c == '\r')
            state_ = SIZE_LF;
        else if (c == '\n')
            return endSizeLine();
        else
            return reject(400);
        return true;
    }
    case SIZE_SPACE:
        if (c == ';')
            state_ = EXTENSION;
        else if (c != ' ' && c != '\t')
            return reject(400);
        return true;
    case EXTENSION:
        if (c == '\r')
            state_ = SIZE_LF;
        else if (c == '\n')
            return endSizeLine();
        else if (isCtl(static_cast<unsigned char>(c)))
            return reject(400);
        return true;
    case SIZE_LF:
        if (c != '\n')
            return reject(400);
        return endSizeLine();
    case DATA_CR:
        if (c == '\r') {
            state_ = DATA_LF;
            return true;
        }
        if (c != '\n')
            return reject(400);
        state_ = SIZE_START;
        return true;
    case DATA_LF:
        if (c != '\n')
            return reject(400);
        state_ = SIZE_START;
        return true;
    case TRAILER_START:
    case TRAILER:
        if (++trailerBytes_ > kMaxTrailerBytes)
            return reject(400);
        if (c == '\r') {
            state_ = state_ == TRAILER_START ? FINAL_LF : TRAILER_LF;
        } else if (c == '\n') {
            state_ = state_ == TRAILER_START ? COMPLETE : TRAILER_START;
        } else if (isCtl(static_cast<unsigned char>(c))
            || (state_ == TRAILER_START && (c == ' ' || c == '\t'))) {
            return reject(400);
        } else {
            state_ = TRAILER;
        }
        return true;
    case TRAILER_LF:
    case FINAL_LF:
        if (c != '\n')
            return reject(400);
        state_ = state_ == FINAL_LF ? COMPLETE : TRAILER_START;
        return true;
    default:
        return reject(400);
    }
}

bool BodyDecoder::endSizeLine()
{
    if (limit_ > 0 && chunkSize_ > limit_ - received_)
        return reject(413);
    remaining_ = chunkSize_;
    state_ = chunkSize_ == 0 ? TRAILER_START : CHUNK_DATA;
    chunkSize_ = 0;
    sizeDigits_ = 0;
    return true;
}
