#include "config/Variables.hpp"

#include "util/Strings.hpp"

namespace {

struct NamedVariable {
    const char* name;
    Variable variable;
};

const NamedVariable kVariables[] = {
    { "uri", VAR_URI },
    { "request_uri", VAR_REQUEST_URI },
    { "args", VAR_ARGS },
    { "query_string", VAR_ARGS },
    { "is_args", VAR_IS_ARGS },
    { "host", VAR_HOST },
    { "remote_addr", VAR_REMOTE_ADDR },
    { "server_port", VAR_SERVER_PORT },
    { "scheme", VAR_SCHEME },
    { "document_root", VAR_DOCUMENT_ROOT },
    { "proxy_host", VAR_PROXY_HOST },
    { "proxy_add_x_forwarded_for", VAR_PROXY_ADD_X_FORWARDED_FOR },
};

const char kFieldPrefix[] = "http_";

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// $http_user_agent names the field "user-agent" (name in lower case).
std::string fieldOf(const std::string& name)
{
    std::string field = name.substr(sizeof kFieldPrefix - 1);
    for (size_t i = 0; i < field.size(); ++i)
        if (field[i] == '_')
            field[i] = '-';
    return field;
}

// Names are case-insensitive, as in nginx.
bool lookUp(const std::string& givenName, Variable* variable, std::string* field)
{
    std::string name = toLower(givenName);
    for (size_t i = 0; i < sizeof kVariables / sizeof kVariables[0]; ++i)
        if (name == kVariables[i].name) {
            *variable = kVariables[i].variable;
            field->clear();
            return true;
        }
    if (startsWith(name, kFieldPrefix) && name.size() > sizeof kFieldPrefix - 1) {
        *variable = VAR_HTTP_FIELD;
        *field = fieldOf(name);
        return true;
    }
    return false;
}

// The name after the '$' at text[dollar]: "$name" or "${name}". *end is
// where the text goes on. False for a '$' that starts no name.
bool nameAt(const std::string& text, size_t dollar, std::string* name, size_t* end)
{
    size_t start = dollar + 1;
    bool braced = start < text.size() && text[start] == '{';
    if (braced)
        ++start;
    size_t stop = start;
    while (stop < text.size() && isNameChar(text[stop]))
        ++stop;
    if (stop == start || (braced && (stop >= text.size() || text[stop] != '}')))
        return false;
    *name = text.substr(start, stop - start);
    *end = braced ? stop + 1 : stop;
    return true;
}

}

VariableTemplate::VariableTemplate()
    : hasVariables_(false)
{
}

bool VariableTemplate::compile(const std::string& text, std::string* error)
{
    text_ = text;
    parts_.clear();
    hasVariables_ = false;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t dollar = text.find('$', pos);
        Part part;
        if (dollar != pos) {
            part.literal = true;
            part.variable = VAR_URI;
            part.text = text.substr(pos, dollar == std::string::npos ? std::string::npos : dollar - pos);
            parts_.push_back(part);
            if (dollar == std::string::npos)
                break;
        }
        std::string name;
        if (!nameAt(text, dollar, &name, &pos)) {
            *error = "invalid variable name in \"" + text + "\"";
            return false;
        }
        part.literal = false;
        if (!lookUp(name, &part.variable, &part.text)) {
            *error = "unknown \"" + name + "\" variable";
            return false;
        }
        parts_.push_back(part);
        hasVariables_ = true;
    }
    return true;
}

std::string VariableTemplate::expand(const VariableValues& values) const
{
    if (!hasVariables_)
        return text_;
    std::string out;
    for (size_t i = 0; i < parts_.size(); ++i) {
        if (parts_[i].literal)
            out += parts_[i].text;
        else
            values.append(parts_[i].variable, parts_[i].text, out);
    }
    return out;
}
