#ifndef WEBSERV_CONFIG_CONFIGERROR_HPP
#define WEBSERV_CONFIG_CONFIGERROR_HPP

// Thrown while loading a configuration, never once the server runs. The
// message is complete and nginx-shaped, ending in "in FILE:LINE" where a
// line is known; main prints it as "webserv: [emerg] MESSAGE".

#include <stdexcept>
#include <string>

class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(const std::string& message);
    ConfigError(const std::string& message, const std::string& file, int line);
};

#endif
