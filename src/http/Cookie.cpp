#include "http/Cookie.hpp"

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
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~';
        if (plain) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

std::string formDecodeComponent(const std::string& text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        int high = i + 2 < text.size() ? hexDigitValue(text[i + 1]) : -1;
        int low = i + 2 < text.size() ? hexDigitValue(text[i + 2]) : -1;
        if (text[i] == '%' && high >= 0 && low >= 0) {
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
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
