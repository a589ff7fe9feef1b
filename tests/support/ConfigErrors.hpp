#ifndef WEBSERV_TESTS_SUPPORT_CONFIGERRORS_HPP
#define WEBSERV_TESTS_SUPPORT_CONFIGERRORS_HPP

// What loading a configuration text says: the ConfigError's message (the
// nginx-style line with file:line), or a marker when it loads, for the
// config loader's unit tests.

#include <stdexcept>
#include <string>

#include "config/ConfigError.hpp"
#include "config/Loader.hpp"

inline std::string configErrorOf(const std::string& text, const std::string& file)
{
    try {
        loadConfigText(text, file, nullptr);
    } catch (const ConfigError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("<not a ConfigError: ") + e.what() + ">";
    }
    return "<loaded without error>";
}

#endif
