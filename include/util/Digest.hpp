#ifndef WEBSERV_UTIL_DIGEST_HPP
#define WEBSERV_UTIL_DIGEST_HPP

// The digests and the encoding htpasswd files use: MD5 (RFC 1321, for
// Apache's $apr1$), SHA-1 (FIPS 180-4, for {SHA} and {SSHA}) and base64
// (RFC 4648 §4). Pure.

#include <string>

// The 16 / 20 raw bytes of the digest of data.
std::string md5(const std::string& data);
std::string sha1(const std::string& data);

// base64 with '=' padding.
std::string encodeBase64(const std::string& data);

// base64 as nginx's ngx_decode_base64 takes it: up to the first '=', no
// padding needed; false for any other byte outside the alphabet or a
// length that cannot be (one character past a group).
bool decodeBase64(const std::string& text, std::string* out);

#endif
