#ifndef WEBSERV_TESTS_SUPPORT_TESTTEXT_HPP
#define WEBSERV_TESTS_SUPPORT_TESTTEXT_HPP

// Bytes turned into text for test messages and test requests. Header-only
// (inline), so that the libFuzzer targets of tests/fuzz/, which link no
// tests/support object, can use it too.
//
// visible(bytes): control bytes (< 0x20), DEL and non-ASCII bytes as \xHH
// (upper-case hex), every other byte as is, so that a failing case prints on
// one readable line. Which printable bytes are escaped as well is the
// caller's choice (VisibleEscapes): a table whose expected values are built
// with visible() must keep the choice it was written with.
//
// percentEncode(text): every byte but the RFC 3986 unreserved characters
// (ALPHA DIGIT - . _ ~) as %HH (upper-case hex): a file name or a query
// value as a client puts it into a request target.

#include <cctype>
#include <string>

// The printable bytes visible() escapes besides the control and non-ASCII
// ones.
enum VisibleEscapes {
    // "\" as \x5C: every backslash in the output starts an escape.
    kEscapeBackslash,
    // "\" and '"' as \x5C and \x22: safe between the quotes of a
    // description such as body="...".
    kEscapeBackslashAndQuote,
    // Backslashes and quotes as sent: C:\dir\a.txt reads as it was sent.
    kKeepBackslashAndQuote,
};

inline bool visibleEscapes(unsigned char c, VisibleEscapes escapes)
{
    if (c < 0x20 || c >= 0x7F)
        return true;
    switch (escapes) {
    case kEscapeBackslash: return c == '\\';
    case kEscapeBackslashAndQuote: return c == '\\' || c == '"';
    case kKeepBackslashAndQuote: return false;
    }
    return false;
}

inline std::string visible(const std::string& bytes, VisibleEscapes escapes = kEscapeBackslash)
{
    static const char hex[] = "0123456789ABCDEF";
    // Most inputs need no escape: the 32 KiB heads of the request parser's
    // table are described at every split point.
    size_t plain = 0;
    while (plain < bytes.size() && !visibleEscapes(static_cast<unsigned char>(bytes[plain]), escapes))
        ++plain;
    if (plain == bytes.size())
        return bytes;
    std::string out = bytes.substr(0, plain);
    for (size_t i = plain; i < bytes.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (visibleEscapes(c, escapes)) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

inline std::string percentEncode(const std::string& text)
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

#endif
