#ifndef WEBSERV_CONFIG_VARIABLES_HPP
#define WEBSERV_CONFIG_VARIABLES_HPP

// Directive values with variables, as nginx writes them: "$uri",
// "${args}x", "$http_user_agent". A value is compiled once, when the
// configuration loads (an unknown name is a configuration error there, not
// a surprise per request), and expanded for each request from whatever
// knows that request's values. Every directive that takes variables
// (try_files, cgi_param, return) goes through here.

#include <string>
#include <vector>

enum Variable {
    VAR_URI,              // the normalised path (after internal redirects)
    VAR_REQUEST_URI,      // the request-target as received
    VAR_ARGS,             // the query string, without '?'
    VAR_IS_ARGS,          // "?" when there are arguments, else ""
    VAR_HOST,             // the normalised Host, else the server's name
    VAR_REMOTE_ADDR,
    VAR_SERVER_PORT,
    VAR_SCHEME,
    VAR_DOCUMENT_ROOT,    // the location's root or alias
    VAR_PROXY_HOST,       // proxy_pass's HOST:PORT ("localhost" for a socket)
    VAR_PROXY_ADD_X_FORWARDED_FOR,  // X-Forwarded-For with $remote_addr appended
    VAR_HTTP_FIELD        // $http_NAME: a request field
};

// What a request's variables are worth. field is the request field's name
// for VAR_HTTP_FIELD ("user-agent" for $http_user_agent), else "".
class VariableValues {
public:
    virtual ~VariableValues() {}
    virtual void append(Variable variable, const std::string& field, std::string& out) const = 0;
};

class VariableTemplate {
public:
    VariableTemplate();

    // Compiles text. False, with *error saying what ("unknown \"foo\"
    // variable"), for a name outside the list above or a bare '$'.
    bool compile(const std::string& text, std::string* error);

    bool hasVariables() const { return hasVariables_; }
    const std::string& text() const { return text_; }
    std::string expand(const VariableValues& values) const;

private:
    struct Part {
        bool literal;
        Variable variable;
        std::string text;     // the literal, or the field of VAR_HTTP_FIELD
    };

    std::string text_;
    std::vector<Part> parts_;
    bool hasVariables_;
};

#endif
