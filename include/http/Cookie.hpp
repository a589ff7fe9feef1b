#ifndef WEBSERV_HTTP_COOKIE_HPP
#define WEBSERV_HTTP_COOKIE_HPP

// Cookie request headers (RFC 6265 §5.4), read as leniently as browsers
// write them. Pure; garbage never fails, it is skipped.

#include <map>
#include <string>

#include "http/HeaderMap.hpp"

// name -> value of every `Cookie` field ("a=1; b=\"2\"; c="), several fields
// merged. Pairs without '=' or with an empty name are skipped; a quoted
// value loses its quotes; the first occurrence of a name wins.
std::map<std::string, std::string> parseCookies(const HeaderMap& headers);

// application/x-www-form-urlencoded: "a=1&b=x%20y" <-> {a:1, b:"x y"}.
std::string formEncode(const std::map<std::string, std::string>& values);
std::string formDecodeComponent(const std::string& text);
std::string formEncodeComponent(const std::string& text);

#endif
