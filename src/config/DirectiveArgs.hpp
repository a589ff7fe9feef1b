#ifndef WEBSERV_CONFIG_DIRECTIVEARGS_HPP
#define WEBSERV_CONFIG_DIRECTIVEARGS_HPP

// Internal to src/config: a directive's arguments read as values, each
// failing with the nginx-style message and the directive's file:line
// (a ConfigError).

#include <string>

#include "config/Config.hpp"
#include "config/Syntax.hpp"
#include "config/Variables.hpp"

void fail(const Directive& d, const std::string& message);
// "invalid WHAT \"VALUE\" in \"NAME\""
void invalid(const Directive& d, const std::string& what, const std::string& value);

// The first argument as on/off, a TIME, a count (1 to 10^9), or an
// existing directory (made absolute).
bool onOffArg(const Directive& d);
long timeArg(const Directive& d);
long countArg(const Directive& d);
std::string directoryArg(const Directive& d);
// A log destination: "" for the standard stream (standardName), "off", or
// an absolute path.
std::string logPathArg(const std::string& arg, const char* standardName);
// A value with variables; an unknown one is an error at its line.
VariableTemplate templateArg(const Directive& d, const std::string& text);
// Fills upstream->socket from unixPath or inet; false when they make no
// address connect() takes.
bool makeSocketAddress(UpstreamAddress* upstream);

#endif
