// libFuzzer target: the Cookie header parser and the form encoding of
// SESSION_DATA (src/http/Cookie.cpp).
//
// Input: header fields, one per line. "Name: value" lines keep their name
// (so Cookie fields mix with others, in any case); a line without a colon
// is the value of a Cookie field.
//
// Properties:
// - every cookie parsed has a name that is non-empty, has no '=' or ';'
//   and no leading or trailing space or tab; no value has a ';';
// - formDecodeComponent(formEncodeComponent(x)) == x for the whole input
//   and for every cookie name and value; the encoding uses only
//   unreserved characters and %XX;
// - formEncode() of the cookies, split at '&' and '=' and decoded, gives
//   the same map back (the way SESSION_DATA is read);
// - formDecodeComponent() of any input does not crash.

#include <map>
#include <string>

#include "FuzzSupport.hpp"
#include "http/Cookie.hpp"
#include "http/HeaderMap.hpp"

namespace {

typedef std::map<std::string, std::string> Cookies;

HeaderMap fieldsOf(const std::string& text)
{
    HeaderMap headers;
    std::string::size_type pos = 0;
    while (pos <= text.size()) {
        std::string::size_type lf = text.find('\n', pos);
        if (lf == std::string::npos)
            lf = text.size();
        std::string line = text.substr(pos, lf - pos);
        std::string::size_type colon = line.find(':');
        if (colon == std::string::npos)
            headers.add("Cookie", line);
        else
            headers.add(line.substr(0, colon), line.substr(colon + 1));
        pos = lf + 1;
    }
    return headers;
}

bool isUnreserved(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
}

bool isUpperHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

void checkRoundTrip(const std::string& x)
{
    std::string encoded = formEncodeComponent(x);
    for (size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] == '%') {
            FUZZ_CHECK(i + 2 < encoded.size() && isUpperHex(encoded[i + 1])
                    && isUpperHex(encoded[i + 2]),
                "bad escape in " + fuzz::visible(encoded));
            i += 2;
        } else {
            FUZZ_CHECK(isUnreserved(encoded[i]), "unescaped byte in " + fuzz::visible(encoded));
        }
    }
    std::string decoded = formDecodeComponent(encoded);
    FUZZ_CHECK(decoded == x, fuzz::visible(x) + " -> " + fuzz::visible(encoded) + " -> "
        + fuzz::visible(decoded));
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

// Reads formEncode() output back the way SessionBinding reads SESSION_DATA.
Cookies formDecode(const std::string& text)
{
    Cookies values;
    std::string::size_type pos = 0;
    while (pos < text.size()) {
        std::string::size_type amp = text.find('&', pos);
        if (amp == std::string::npos)
            amp = text.size();
        std::string pair = text.substr(pos, amp - pos);
        std::string::size_type eq = pair.find('=');
        FUZZ_CHECK(eq != std::string::npos, "no '=' in " + fuzz::visible(pair));
        values[formDecodeComponent(pair.substr(0, eq))] = formDecodeComponent(pair.substr(eq + 1));
        pos = amp + 1;
    }
    return values;
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    Cookies cookies = parseCookies(fieldsOf(text));
    for (Cookies::const_iterator it = cookies.begin(); it != cookies.end(); ++it) {
        const std::string& name = it->first;
        FUZZ_CHECK(!name.empty() && name.find_first_of("=;") == std::string::npos
                && !isOws(name[0]) && !isOws(name[name.size() - 1]),
            "bad cookie name " + fuzz::visible(name));
        FUZZ_CHECK(it->second.find(';') == std::string::npos,
            "bad cookie value " + fuzz::visible(it->second));
        checkRoundTrip(name);
        checkRoundTrip(it->second);
    }
    checkRoundTrip(text);
    formDecodeComponent(text);

    std::string form = formEncode(cookies);
    Cookies back = formDecode(form);
    FUZZ_CHECK(back == cookies, "formEncode() round trip lost data: " + fuzz::visible(form));
    return 0;
}
