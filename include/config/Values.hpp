#ifndef WEBSERV_CONFIG_VALUES_HPP
#define WEBSERV_CONFIG_VALUES_HPP

// Parsers for the value types of directive arguments. Pure; each returns
// false on invalid input and leaves *out untouched.

#include <sys/types.h>
#include <string>

#include "config/Config.hpp"

// SIZE: N, Nk, Nm, Ng (case-insensitive unit), in bytes.
bool parseSize(const std::string& text, off_t* out);
// TIME: N (seconds), Nms, Ns, Nm, Nh, in milliseconds.
bool parseTime(const std::string& text, long* out);
// "on" / "off".
bool parseOnOff(const std::string& text, bool* out);
// A positive decimal integer no larger than max.
bool parsePositive(const std::string& text, long max, long* out);

// The argument of `listen`: [ADDR:]PORT or ADDR alone (port 80), with ADDR
// an IPv4 literal, "*", "localhost" or "[IPv6]".
enum ListenParse { LISTEN_OK, LISTEN_BAD_PORT, LISTEN_BAD_ADDRESS };
ListenParse parseListen(const std::string& text, ListenAddress* out, std::string* badPart);

#endif
