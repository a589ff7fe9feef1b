#ifndef WEBSERV_HTTP_GRAMMAR_HPP
#define WEBSERV_HTTP_GRAMMAR_HPP

// The character classes of RFC 9110 §5.6 that decide what the server
// accepts: one definition each, so that the request parser, the chunked
// decoder and the CGI head reader cannot drift apart on what a token or a
// control byte is. Pure, ASCII only.

#include <cstddef>
#include <string>

// tchar: ALPHA / DIGIT / one of !#$%&'*+-.^_`|~ (what methods and field
// names are made of).
bool isTchar(unsigned char c);
// token = 1*tchar: len > 0 and every byte a tchar.
bool isToken(const char* s, size_t len);

// CTL as tests/contract/HTTP.md ("Parsing") counts it: 0x00-0x1F and
// 0x7F, except HTAB (which field values may hold).
bool isCtl(unsigned char c);
// Whether any of the len bytes is a CTL; a bare CR or LF there would let
// the bytes split a message.
bool containsCtl(const char* s, size_t len);
bool containsCtl(const std::string& s);

#endif
