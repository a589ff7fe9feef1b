#include "config/ConfigError.hpp"

#include "util/Strings.hpp"

ConfigError::ConfigError(const std::string& message)
    : std::runtime_error(message)
{
}

ConfigError::ConfigError(const std::string& message, const std::string& file, int line)
    : std::runtime_error(message + " in " + file + ":" + toString(static_cast<long>(line)))
{
}
