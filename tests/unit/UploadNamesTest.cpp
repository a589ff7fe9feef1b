// Upload file names (src/handlers/UploadNames.cpp): what a client sends is
// cut down to a safe last path component, and taken names are numbered.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "handlers/UploadNames.hpp"
#include "support/TestText.hpp"

namespace {

// Well-formed UTF-8 (RFC 3629): no stray continuation bytes, no truncated
// or overlong sequences, nothing above U+10FFFF, no surrogates.
bool isValidUtf8(const std::string& s)
{
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n;
        unsigned long cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size())
            return false;
        for (size_t k = 1; k <= n; ++k) {
            unsigned char d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF
            || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

std::string repeat(const std::string& s, size_t n)
{
    std::string out;
    for (size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

const std::string kJapanese = "\xE6\x97\xA5";         // U+65E5, 3 bytes
const std::string kEmoji = "\xF0\x9F\x98\x80";        // U+1F600, 4 bytes

struct NameCase {
    std::string raw;
    std::string expected;
};

}

TEST(UploadNamesTestSanitizeFilename, Table)
{
    const std::vector<NameCase> cases = {
        { "report.pdf", "report.pdf" },
        { "my holiday photo (2).jpg", "my holiday photo (2).jpg" },
        { "a", "a" },
        { "archive.tar.gz", "archive.tar.gz" },
        { "name.", "name." },
        { "a..b", "a..b" },
        { "../../etc/passwd", "passwd" },
        { "/etc/passwd", "passwd" },
        { "dir/sub/file.txt", "file.txt" },
        { "C:\\Users\\x\\report.pdf", "report.pdf" },
        { "..\\..\\boot.ini", "boot.ini" },
        { "a/b\\c", "c" },
        { ".bashrc", "bashrc" },
        { "...hidden", "hidden" },
        { "dir/.htaccess", "htaccess" },
        { "..", "" },
        { ".", "" },
        { "", "" },
        { "/", "" },
        { "\\", "" },
        { "dir/", "" },
        { "../", "" },
        { "./.././/..\\.", "" },
        { "....", "" },
        { std::string("a\0b.txt", 7), "ab.txt" },
        { std::string("\0", 1), "" },
        { "a\x01\x02\x1F" "b\tc\r\nd.txt", "abcd.txt" },
        { "a\x7F" "b.txt", "ab.txt" },
        { "\x1B[31mred.txt", "[31mred.txt" },
        { "  report.pdf  ", "report.pdf" },
        { " \t a.txt\t ", "a.txt" },
        { "   ", "" },
        { "dir/  a.txt", "a.txt" },
        { "na\xC3\xAFve r\xC3\xA9sum\xC3\xA9.txt", "na\xC3\xAFve r\xC3\xA9sum\xC3\xA9.txt" },
        { "\xE6\x97\xA5\xE6\x9C\xAC.txt", "\xE6\x97\xA5\xE6\x9C\xAC.txt" },
        { kEmoji + ".png", kEmoji + ".png" },
    };
    for (size_t i = 0; i < cases.size(); ++i)
        EXPECT_EQ(cases[i].expected, sanitizeFilename(cases[i].raw)) << visible(cases[i].raw);
}

TEST(UploadNamesTestSanitizeFilename, LongNamesAreCutKeepingTheExtension)
{
    const std::vector<NameCase> cases = {
        { std::string(200, 'a'), std::string(200, 'a') },
        { std::string(196, 'a') + ".txt", std::string(196, 'a') + ".txt" },
        { std::string(201, 'a'), std::string(200, 'a') },
        { std::string(300, 'a'), std::string(200, 'a') },
        { std::string(197, 'a') + ".txt", std::string(196, 'a') + ".txt" },
        { std::string(500, 'a') + ".tar.gz", std::string(197, 'a') + ".gz" },
        // An extension of 16 bytes (dot included) is kept, a longer one is
        // not an extension.
        { std::string(250, 'a') + "." + std::string(15, 'e'),
          std::string(184, 'a') + "." + std::string(15, 'e') },
        { std::string(250, 'a') + "." + std::string(16, 'e'), std::string(200, 'a') },
        // Path and leading dots go first, then the length counts.
        { "../" + std::string(3, '.') + std::string(200, 'a'), std::string(200, 'a') },
        // UTF-8: 70 x 3 bytes; 196 bytes for the stem leaves 65 characters.
        { repeat(kJapanese, 70) + ".pdf", repeat(kJapanese, 65) + ".pdf" },
        // 4-byte characters ending exactly at the cut.
        { repeat(kEmoji, 60) + ".txt", repeat(kEmoji, 49) + ".txt" },
        // The cut falls in the middle of a 4-byte character: it goes whole.
        { "a" + repeat(kEmoji, 60) + ".txt", "a" + repeat(kEmoji, 48) + ".txt" },
        { "ab" + repeat(kEmoji, 60), "ab" + repeat(kEmoji, 49) },
        { "abc" + repeat("\xC3\xA9", 150), "abc" + repeat("\xC3\xA9", 98) },
    };
    for (size_t i = 0; i < cases.size(); ++i) {
        std::string result = sanitizeFilename(cases[i].raw);
        EXPECT_EQ(cases[i].expected, result) << "input of " << cases[i].raw.size() << " bytes: "
                                    << visible(cases[i].raw.substr(0, 40)) << "...";
        EXPECT_LE(result.size(), 200u);
        EXPECT_TRUE(isValidUtf8(result)) << visible(result);
    }
}

TEST(UploadNamesTestSanitizeFilename, RandomBytesAlwaysGiveASafeName)
{
    // Weighted towards the bytes that matter: separators, dots, spaces,
    // controls, NUL, DEL, UTF-8 lead and continuation bytes.
    const std::string interesting = std::string("/\\.. \t\0\x01\x1F\x7F\x80\xBF\xC3\xE6\xF0\xFF", 16);
    unsigned long state = 2024;
    size_t nonEmpty = 0;
    for (int n = 0; n < 4000; ++n) {
        state = (state * 1103515245UL + 12345UL) & 0x7FFFFFFFUL;
        size_t length = (state >> 8) % 420;
        std::string raw;
        for (size_t i = 0; i < length; ++i) {
            state = (state * 1103515245UL + 12345UL) & 0x7FFFFFFFUL;
            unsigned long r = state >> 16;
            if (r % 3 == 0)
                raw += interesting[(r / 3) % interesting.size()];
            else if (r % 3 == 1)
                raw += static_cast<char>('a' + (r / 3) % 26);
            else
                raw += static_cast<char>((r / 3) & 0xFF);
        }
        std::string name = sanitizeFilename(raw);
        if (!name.empty())
            ++nonEmpty;
        SCOPED_TRACE(visible(raw));
        EXPECT_LE(name.size(), 200u);
        EXPECT_EQ(std::string::npos, name.find('/')) << visible(name);
        EXPECT_EQ(std::string::npos, name.find('\\')) << visible(name);
        EXPECT_TRUE(name.empty() || name[0] != '.') << visible(name);
        for (size_t i = 0; i < name.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(name[i]);
            EXPECT_TRUE(c >= 0x20 && c != 0x7F) << "byte " << i << " of " << visible(name);
        }
        EXPECT_NE(".", name);
        EXPECT_NE("..", name);
    }
    // The generator makes mostly usable names, so the checks above bite.
    EXPECT_GT(nonEmpty, 3000u);
}

TEST(UploadNamesTestSanitizeFilename, NoLeadingSpaceLeftAfterLeadingDots)
{
    // Dots and spaces are stripped together from the start.
    EXPECT_EQ("x.txt", sanitizeFilename(". x.txt"));
    EXPECT_EQ("x.txt", sanitizeFilename("..  x.txt"));
    EXPECT_EQ("", sanitizeFilename(". ."));
}

TEST(UploadNamesTestSanitizeFilename, CutNeverLeavesOnlyTheExtension)
{
    // A stem of continuation bytes only (not UTF-8, but a client may send
    // any bytes) is cut to nothing: no hidden ".txt" is left, but "".
    std::string name = sanitizeFilename(std::string(250, '\x80') + ".txt");
    EXPECT_LE(name.size(), 200u);
    EXPECT_TRUE(name.empty() || name[0] != '.') << visible(name);
    EXPECT_NE(".txt", name);
}

TEST(UploadNamesTestSanitizeFilename, DropsBidirectionalOverrides)
{
    // U+202E would show "evil\u202Etxt.exe" as "evilexe.txt".
    EXPECT_EQ("eviltxt.exe", sanitizeFilename("evil\xE2\x80\xAE" "txt.exe"));
    EXPECT_EQ("ab", sanitizeFilename("a\xE2\x81\xA6" "b"));
    EXPECT_EQ("a\xE2\x80\x94" "b", sanitizeFilename("a\xE2\x80\x94" "b"));   // an em dash stays
}

TEST(UploadNamesTestNumberedName, Table)
{
    EXPECT_EQ("a-1.txt", numberedName("a.txt", 1));
    EXPECT_EQ("a.tar-2.gz", numberedName("a.tar.gz", 2));
    EXPECT_EQ("README-3", numberedName("README", 3));
    EXPECT_EQ("report-10.pdf", numberedName("report.pdf", 10));
    EXPECT_EQ("photo-123456.jpeg", numberedName("photo.jpeg", 123456));
    EXPECT_EQ("name-1.", numberedName("name.", 1));
    EXPECT_EQ("x-1", numberedName("x", 1));
    EXPECT_EQ("\xE6\x97\xA5-2.txt", numberedName("\xE6\x97\xA5.txt", 2));
}
