#ifndef WEBSERV_CONFIG_LOADER_HPP
#define WEBSERV_CONFIG_LOADER_HPP

// Turns a config file into a Config: parses it, checks every directive
// against the directive table (context, arguments, values), resolves
// inheritance and relative paths once, and checks that every root and
// upload_store exists. Throws ConfigError with the nginx-style message.

#include <string>
#include <vector>

#include "config/Config.hpp"

// Non-fatal findings ("cgi interpreter not found"), printed as [warn].
typedef std::vector<std::string> ConfigWarnings;

Config loadConfig(const std::string& path, ConfigWarnings* warnings);
// The same for text that claims to come from file (tests, fuzzing).
Config loadConfigText(const std::string& text, const std::string& file,
    ConfigWarnings* warnings);

#endif
