#ifndef WEBSERV_TESTS_FUZZ_FUZZSUPPORT_HPP
#define WEBSERV_TESTS_FUZZ_FUZZSUPPORT_HPP

// What the libFuzzer targets in tests/fuzz/ share: a reader for the control
// bytes at the front of an input, the split plan of the incremental
// parsers, FUZZ_CHECK, which turns a broken property into a crash that
// libFuzzer saves and reports, and fuzz::visible() for its messages.
//
// Split plan (request parser, chunked decoder, multipart parser): the
// first byte of the input gives k = byte % 16 piece sizes, the next k bytes
// are those sizes, and the payload is fed in pieces of those sizes, cycled,
// the last piece ending at the payload's end. k = 0 feeds the payload whole
// in one piece; sizes that are all 0 feed it byte by byte; a single 0 among
// others is an empty read (the parser is called again with nothing new).
// Seed files start with these control bytes: "\x00" + a request is that
// request fed whole.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

// By its path: the fuzz build has no -Itests.
#include "../support/TestText.hpp"

#define FUZZ_CHECK(cond, detail)                                                      \
    do {                                                                              \
        if (!(cond)) {                                                                \
            std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  %s\n", __FILE__,  \
                __LINE__, #cond, std::string(detail).c_str());                        \
            std::abort();                                                             \
        }                                                                             \
    } while (0)

namespace fuzz {

class Input {
public:
    Input(const uint8_t* data, size_t size) : data_(data), size_(size), pos_(0) {}

    // The next control byte, 0 once the input is used up.
    uint8_t byte()
    {
        return pos_ < size_ ? data_[pos_++] : 0;
    }

    // Up to n bytes as a string.
    std::string bytes(size_t n)
    {
        if (n > size_ - pos_)
            n = size_ - pos_;
        std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
        pos_ += n;
        return out;
    }

    std::string rest()
    {
        return bytes(size_ - pos_);
    }

private:
    const uint8_t* data_;
    size_t size_;
    size_t pos_;
};

// Reads the split plan described above; call before taking the payload.
inline std::vector<size_t> readSplitSizes(Input& in)
{
    size_t k = in.byte() % 16;
    std::vector<size_t> sizes;
    for (size_t i = 0; i < k; ++i)
        sizes.push_back(in.byte());
    return sizes;
}

// The offsets where the pieces of a payload of len bytes end; the last is
// len. Several equal offsets in a row are empty reads.
inline std::vector<size_t> pieceEnds(const std::vector<size_t>& sizes, size_t len)
{
    std::vector<size_t> ends;
    size_t total = 0;
    for (size_t i = 0; i < sizes.size(); ++i)
        total += sizes[i];
    if (sizes.empty() || len == 0) {
        ends.push_back(len);
        return ends;
    }
    size_t at = 0;
    for (size_t i = 0; at < len; ++i) {
        size_t size = total == 0 ? 1 : sizes[i % sizes.size()];
        at = at + size < len ? at + size : len;
        ends.push_back(at);
    }
    return ends;
}

// Control and non-ASCII bytes and backslashes as \xHH, so a failing
// property prints a readable line (tests/support/TestText.hpp).
using ::visible;

}

#endif
