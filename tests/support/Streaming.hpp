#ifndef WEBSERV_TESTS_SUPPORT_STREAMING_HPP
#define WEBSERV_TESTS_SUPPORT_STREAMING_HPP

// For the tests that stream megabytes: SHA-256 (FIPS 180-4) to compare
// what arrived with what was meant without keeping either; PieceReader, a
// deliberately slow client that reads a response in small pieces and
// decodes a chunked body as it comes; readChunkedMeasuring(), which does
// both while sampling the server's memory.

#include <sys/socket.h>
#include <sys/types.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

class Sha256 {
public:
    Sha256() { reset(); }
    void reset()
    {
        static const uint32_t init[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
        std::memcpy(h_, init, sizeof h_);
        length_ = 0;
        used_ = 0;
    }
    void update(const char* data, size_t len)
    {
        const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
        length_ += len;
        while (len > 0) {
            size_t take = std::min(len, sizeof block_ - used_);
            std::memcpy(block_ + used_, p, take);
            used_ += take;
            p += take;
            len -= take;
            if (used_ == sizeof block_) {
                compress(block_);
                used_ = 0;
            }
        }
    }
    void update(const std::string& data) { update(data.data(), data.size()); }
    std::string hex()
    {
        uint64_t bits = length_ * 8;
        unsigned char pad = 0x80;
        update(reinterpret_cast<const char*>(&pad), 1);
        unsigned char zero = 0;
        while (used_ != 56)
            update(reinterpret_cast<const char*>(&zero), 1);
        unsigned char tail[8];
        for (int i = 0; i < 8; ++i)
            tail[i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
        update(reinterpret_cast<const char*>(tail), 8);
        char out[65];
        for (int i = 0; i < 8; ++i)
            std::snprintf(out + 8 * i, 9, "%08x", h_[i]);
        return std::string(out, 64);
    }

private:
    static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
    void compress(const unsigned char* b)
    {
        static const uint32_t k[64] = { 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
            0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
            0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6,
            0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
            0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
            0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585,
            0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
            0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa,
            0xa4506ceb, 0xbef9a3f7, 0xc67178f2 };
        uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = (uint32_t(b[4 * i]) << 24) | (uint32_t(b[4 * i + 1]) << 16)
                | (uint32_t(b[4 * i + 2]) << 8) | uint32_t(b[4 * i + 3]);
        for (int i = 16; i < 64; ++i) {
            uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h_[0], bb = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6],
                 h = h_[7];
        for (int i = 0; i < 64; ++i) {
            uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = bb;
            bb = a;
            a = t1 + t2;
        }
        h_[0] += a;
        h_[1] += bb;
        h_[2] += c;
        h_[3] += d;
        h_[4] += e;
        h_[5] += f;
        h_[6] += g;
        h_[7] += h;
    }

    uint32_t h_[8];
    uint64_t length_;
    unsigned char block_[64];
    size_t used_;
};

inline std::string sha256(const std::string& data)
{
    Sha256 sha;
    sha.update(data);
    return sha.hex();
}

// Reads a response from a socket in pieces of at most `piece` bytes and
// decodes a chunked body as it comes, handing the data on: megabytes are
// never held, and the reader is as slow as its pieces are small.
class PieceReader {
public:
    PieceReader(int fd, size_t piece)
        : fd_(fd), piece_(piece)
    {
    }

    // The head, through its empty line.
    bool readHead(std::string* head)
    {
        size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) {
                *head = buffer_;
                return false;
            }
        *head = buffer_.substr(0, end + 4);
        buffer_.erase(0, end + 4);
        return true;
    }

    // The chunked body, to onData piece by piece; true when its last chunk
    // came, false (with *error) when the connection ended or went silent
    // for the client's receive timeout first.
    bool readChunkedBody(const std::function<void(const char*, size_t)>& onData, std::string* error)
    {
        for (;;) {
            size_t lf;
            while ((lf = buffer_.find("\r\n")) == std::string::npos)
                if (!fill())
                    return fail(error, "no chunk size line");
            size_t size = std::strtoul(buffer_.c_str(), nullptr, 16);
            buffer_.erase(0, lf + 2);
            if (size == 0) {
                // No trailer fields: the empty line ends the body.
                while (buffer_.size() < 2)
                    if (!fill())
                        return fail(error, "no empty line after the last chunk");
                return buffer_.compare(0, 2, "\r\n") == 0 || fail(error, "unexpected trailer");
            }
            while (size > 0) {
                if (buffer_.empty() && !fill())
                    return fail(error, "chunk data missing");
                size_t take = std::min(size, buffer_.size());
                onData(buffer_.data(), take);
                buffer_.erase(0, take);
                size -= take;
            }
            while (buffer_.size() < 2)
                if (!fill())
                    return fail(error, "no CRLF after a chunk");
            if (buffer_.compare(0, 2, "\r\n") != 0)
                return fail(error, "bad chunk framing");
            buffer_.erase(0, 2);
        }
    }

private:
    bool fill()
    {
        std::vector<char> piece(piece_);
        ssize_t n = recv(fd_, piece.data(), piece.size(), 0);
        if (n <= 0)
            return false;
        buffer_.append(piece.data(), static_cast<size_t>(n));
        return true;
    }
    static bool fail(std::string* error, const char* what)
    {
        *error = what;
        return false;
    }

    int fd_;
    size_t piece_;
    std::string buffer_;
};

// A chunked body read with a PieceReader, and the server's memory while it
// came: its SHA-256, its size, and the highest rss() sampled once per MiB.
struct MeasuredBody {
    bool complete = false;
    std::string error;          // why it is not complete
    size_t received = 0;
    std::string sha256;
    long maxRssKiB = 0;
};

inline MeasuredBody readChunkedMeasuring(PieceReader& reader, const std::function<long()>& rss)
{
    MeasuredBody body;
    Sha256 sha;
    size_t nextSample = 0;
    body.maxRssKiB = rss();
    body.complete = reader.readChunkedBody([&](const char* data, size_t len) {
        sha.update(data, len);
        body.received += len;
        if (body.received >= nextSample) {
            body.maxRssKiB = std::max(body.maxRssKiB, rss());
            nextSample += 1024 * 1024;
        }
    }, &body.error);
    body.sha256 = sha.hex();
    return body;
}

#endif
