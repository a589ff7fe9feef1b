#include "http/Cookie.hpp"

#include "util/Escape.hpp"
#include "util/Strings.hpp"

namespace {

void parseCookieField(const std::string& field, std::map<std::string, std::string>& cookies)
{
    std::string::size_type pos = 0;
    while (pos <= field.size()) {
        std::string::size_type end = field.find(';', pos);
        if (end == std::string::npos)
            end = field.size();
        std::string pair = field.substr(pos, end - pos);
        pos = end + 1;
        std::string::size_type eq = pair.find('=');
        if (eq == std::string::npos)
            continue;
        std::string name = trimOws(pair.substr(0, eq));
        std::string value = trimOws(pair.substr(eq + 1));
        if (value.size() >= 2 && value[0] == '"' && value[value.size() - 1] == '"')
            value = value.substr(1, value.size() - 2);
        if (!name.empty() && cookies.find(name) == cookies.end())
            cookies[name] = value;
    }
}

}

std::map<std::string, std::string> parseCookies(const HeaderMap& headers)
{
    std::map<std::string, std::string> cookies;
    for (size_t i = 0; i < headers.size(); ++i)
        if (iequals(headers.at(i).first, "Cookie"))
            parseCookieField(headers.at(i).second, cookies);
    return cookies;
}

std::string formEncodeComponent(const std::string& text)
{
    return percentEncode(text);
}

std::string formDecodeComponent(const std::string& text)
{
    return percentDecodeLenient(text, true);
}

std::string formEncode(const std::map<std::string, std::string>& values)
{
    std::string out;
    for (std::map<std::string, std::string>::const_iterator it = values.begin(); it != values.end(); ++it) {
        if (!out.empty())
            out += '&';
        out += formEncodeComponent(it->first) + "=" + formEncodeComponent(it->second);
    }
    return out;
}
