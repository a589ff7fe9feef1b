// MD5 (RFC 1321 §A.5), SHA-1 (FIPS 180 examples) and base64 (RFC 4648 §10).

#include <gtest/gtest.h>

#include <string>

#include "util/Digest.hpp"

namespace {

std::string hex(const std::string& bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

TEST(DigestTest, Md5)
{
    EXPECT_EQ("d41d8cd98f00b204e9800998ecf8427e", hex(md5("")));
    EXPECT_EQ("900150983cd24fb0d6963f7d28e17f72", hex(md5("abc")));
    EXPECT_EQ("c3fcd3d76192e4007dfb496cca67e13b", hex(md5("abcdefghijklmnopqrstuvwxyz")));
    EXPECT_EQ("57edf4a22be3c955ac49da2e2107b67a", hex(md5("1234567890123456789012345678901234567890"
        "1234567890123456789012345678901234567890")));
}

TEST(DigestTest, Sha1)
{
    EXPECT_EQ("da39a3ee5e6b4b0d3255bfef95601890afd80709", hex(sha1("")));
    EXPECT_EQ("a9993e364706816aba3e25717850c26c9cd0d89d", hex(sha1("abc")));
    EXPECT_EQ("84983e441c3bd26ebaae4aa1f95129e5e54670f1",
        hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")));
    EXPECT_EQ("34aa973cd4c4daa4f61eeb2bdbad27316534016f", hex(sha1(std::string(1000000, 'a'))));
}

TEST(DigestTest, Base64)
{
    const char* cases[][2] = { { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
        { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
    for (const auto& c : cases) {
        EXPECT_EQ(c[1], encodeBase64(c[0]));
        std::string back;
        ASSERT_TRUE(decodeBase64(c[1], &back)) << c[1];
        EXPECT_EQ(c[0], back);
    }
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    std::string back;
    ASSERT_TRUE(decodeBase64(encodeBase64(all), &back));
    EXPECT_EQ(all, back);
}

}
