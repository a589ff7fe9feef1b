#include "http/BasicAuth.hpp"

#include "util/Strings.hpp"

namespace {

// "Basic " in any case, spaces, then base64 of "user:password" (nginx's
// reading): the decoded text, or false.
bool decodeBasic(const std::string& value, std::string* decoded)
{
    const std::string scheme = "Basic ";
    if (value.size() < scheme.size() || !iequals(value.substr(0, scheme.size()), scheme))
        return false;
    size_t start = value.find_first_not_of(' ', scheme.size());
    return start != std::string::npos && decodeBase64(value.substr(start), decoded);
}

}

bool basicAuthUser(const std::string& value, std::string* user)
{
    std::string decoded;
    if (!decodeBasic(value, &decoded))
        return false;
    size_t colon = decoded.find(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    *user = decoded.substr(0, colon);
    return true;
}

bool basicAuthCredentials(const std::string& value, std::string* user, std::string* password)
{
    std::string decoded;
    if (!decodeBasic(value, &decoded) || decoded.find('\0') != std::string::npos)
        return false;
    size_t colon = decoded.find(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    *user = decoded.substr(0, colon);
    *password = decoded.substr(colon + 1);
    return true;
}
