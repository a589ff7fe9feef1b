#ifndef WEBSERV_UTIL_STRINGS_HPP
#define WEBSERV_UTIL_STRINGS_HPP

// Small string helpers shared by every layer. ASCII only on purpose: HTTP
// tokens, header names and config keywords are ASCII, and locale-dependent
// <cctype> behaviour has no place in a protocol parser.

#include <sys/types.h>
#include <string>
#include <vector>

char asciiLower(char c);
std::string toLower(const std::string& s);
bool iequals(const std::string& a, const std::string& b);
bool startsWith(const std::string& s, const std::string& prefix);
bool endsWith(const std::string& s, const std::string& suffix);
bool isDigit(char c);
// 0..15 for a hexadecimal digit (either case), -1 for any other character.
int hexDigitValue(char c);

// Splits on any run of the given separator characters; empty pieces dropped.
std::vector<std::string> splitAny(const std::string& s, const char* separators);
// Removes leading and trailing spaces and horizontal tabs (HTTP "OWS").
std::string trimOws(const std::string& s);

std::string toString(long n);
std::string toString(unsigned long n);
// Lower-case hexadecimal, no prefix: 255 -> "ff".
std::string toHex(unsigned long n);

// Parses a non-empty string of decimal digits into *out. Fails (returns
// false) on any other character or when the value exceeds max.
bool parseDecimal(const std::string& s, off_t max, off_t* out);

// Empties buffer, and frees its memory too when it holds more than
// keepCapacity bytes (so idle connections cost little).
void clearBuffer(std::string& buffer, size_t keepCapacity);
// The heap a string holds beyond its own object (0 for a short string kept
// inside it), for memory accounting.
size_t heapBytes(const std::string& s);
// Appends len bytes. An empty buffer grows to len bytes (a small request
// costs its size); a non-empty one to what it then holds rounded up to
// 4 KiB rather than by doubling: a connection's 32 KiB head is not kept in
// 64 KiB. (Growth costs a copy per 4 KiB, which bounded heads make cheap.)
void appendExactly(std::string& buffer, const char* data, size_t len);

#endif
