// MD5, SHA-1 and base64, written from their specifications.

#include "util/Digest.hpp"

namespace {

typedef unsigned int Word;      // 32 bits on every platform webserv builds on

Word rotateLeft(Word x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

// Both digests pad the same way: 0x80, zeros, the bit length in 8 bytes
// (little-endian for MD5, big-endian for SHA-1).
std::string padded(const std::string& data, bool bigEndian)
{
    std::string out = data;
    unsigned long bits = static_cast<unsigned long>(data.size()) * 8;   // C++98: no long long
    out += static_cast<char>(0x80);
    while (out.size() % 64 != 56)
        out += '\0';
    for (int i = 0; i < 8; ++i) {
        int shift = bigEndian ? (7 - i) * 8 : i * 8;
        bool fits = shift < static_cast<int>(sizeof bits * 8);
        out += static_cast<char>(fits ? (bits >> shift) & 0xFF : 0);
    }
    return out;
}

Word byteAt(const std::string& s, size_t i)
{
    return static_cast<unsigned char>(s[i]);
}

void md5Block(const std::string& m, size_t at, Word h[4])
{
    static const unsigned kShift[64] = {
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21 };
    static const Word kSine[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391 };
    Word x[16];
    for (int i = 0; i < 16; ++i)
        x[i] = byteAt(m, at + i * 4) | byteAt(m, at + i * 4 + 1) << 8
            | byteAt(m, at + i * 4 + 2) << 16 | byteAt(m, at + i * 4 + 3) << 24;
    Word a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
        Word f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        Word next = d;
        d = c;
        c = b;
        b = b + rotateLeft(a + f + kSine[i] + x[g], kShift[i]);
        a = next;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

void sha1Block(const std::string& m, size_t at, Word h[5])
{
    Word w[80];
    for (int i = 0; i < 16; ++i)
        w[i] = byteAt(m, at + i * 4) << 24 | byteAt(m, at + i * 4 + 1) << 16
            | byteAt(m, at + i * 4 + 2) << 8 | byteAt(m, at + i * 4 + 3);
    for (int i = 16; i < 80; ++i)
        w[i] = rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    Word a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
        Word f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6;
        }
        Word next = rotateLeft(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rotateLeft(b, 30);
        b = a;
        a = next;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

int base64Digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

}

std::string md5(const std::string& data)
{
    Word h[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
    std::string m = padded(data, false);
    for (size_t at = 0; at < m.size(); at += 64)
        md5Block(m, at, h);
    std::string out;
    for (int i = 0; i < 16; ++i)
        out += static_cast<char>((h[i / 4] >> ((i % 4) * 8)) & 0xFF);
    return out;
}

std::string sha1(const std::string& data)
{
    Word h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
    std::string m = padded(data, true);
    for (size_t at = 0; at < m.size(); at += 64)
        sha1Block(m, at, h);
    std::string out;
    for (int i = 0; i < 20; ++i)
        out += static_cast<char>((h[i / 4] >> ((3 - i % 4) * 8)) & 0xFF);
    return out;
}

std::string encodeBase64(const std::string& data)
{
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < data.size(); i += 3) {
        Word group = byteAt(data, i) << 16;
        if (i + 1 < data.size())
            group |= byteAt(data, i + 1) << 8;
        if (i + 2 < data.size())
            group |= byteAt(data, i + 2);
        out += kAlphabet[(group >> 18) & 63];
        out += kAlphabet[(group >> 12) & 63];
        out += i + 1 < data.size() ? kAlphabet[(group >> 6) & 63] : '=';
        out += i + 2 < data.size() ? kAlphabet[group & 63] : '=';
    }
    return out;
}

bool decodeBase64(const std::string& text, std::string* out)
{
    size_t length = text.find('=');
    if (length == std::string::npos)
        length = text.size();
    if (length % 4 == 1)
        return false;
    out->clear();
    unsigned long bits = 0;
    int held = 0;
    for (size_t i = 0; i < length; ++i) {
        int digit = base64Digit(static_cast<unsigned char>(text[i]));
        if (digit < 0)
            return false;
        bits = (bits << 6 | static_cast<unsigned long>(digit)) & 0xFFFFFF;
        held += 6;
        if (held >= 8) {
            held -= 8;
            *out += static_cast<char>((bits >> held) & 0xFF);
        }
    }
    return true;
}
