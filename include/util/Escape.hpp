#ifndef WEBSERV_UTIL_ESCAPE_HPP
#define WEBSERV_UTIL_ESCAPE_HPP

// Every way the server escapes bytes for somewhere else (URLs, cookies,
// HTML, JSON, the access log) and undoes percent-encoding: one place, so
// that the sets of bytes each escapes are written down once, side by side.
// Byte-exact and stable on purpose: clients, logs and tests compare the
// output as bytes. Pure, ASCII only, no locale.

#include <string>

enum HexCase { UPPER_HEX, LOWER_HEX };

// Appends the two hexadecimal digits of byte: 0x0A -> "0A" or "0a".
void appendHexByte(std::string& out, unsigned char byte, HexCase hexCase);
// s with every byte that mustEscape picks written as prefix and its two hex
// digits ("%" for URLs, "\\x" for logs); the other bytes are copied.
std::string hexEscape(const std::string& s, bool (*mustEscape)(unsigned char),
    const char* prefix, HexCase hexCase);

// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
bool isUnreserved(unsigned char c);
// %HH (upper case) for everything but unreserved: a form or cookie component.
std::string percentEncode(const std::string& s);
// The same, keeping '/' too: a path that still reads as one.
std::string percentEncodePath(const std::string& s);

// True with *byte set when s[i] starts a "%HH" escape (either case).
bool percentEscapeAt(const std::string& s, size_t i, unsigned char* byte);
// Decodes every "%HH"; a '%' that starts no escape is kept as it is, and
// '+' becomes a space when plusIsSpace (form encoding). Never fails.
std::string percentDecodeLenient(const std::string& s, bool plusIsSpace);

// "a&b" -> "a&amp;b": safe inside HTML text and double-quoted attributes.
std::string htmlEscape(const std::string& s);
// A JSON string literal, quotes included: '"' and '\\' backslashed, control
// bytes as \u00hh; other bytes (UTF-8 included) as they are.
std::string jsonQuote(const std::string& s);
// nginx's ngx_escape_json, quotes not included: '"' and '\\' backslashed,
// \n \r \t \b \f as such, other control bytes as \u00HH (upper case);
// other bytes as they are. What nginx's JSON listings are written with.
std::string jsonEscapeAsNginx(const std::string& s);
// Like nginx's access log: '"', '\\', control and non-ASCII bytes as \xHH,
// so that a value cannot forge a log line or a field of one.
std::string logEscape(const std::string& s);

#endif
