#include "cgi/CgiEnvironment.hpp"

#include <cstdlib>
#include <map>
#include <sys/socket.h>

#include "http/Cookie.hpp"
#include "router/RequestVariables.hpp"
#include "session/SessionStore.hpp"
#include "util/Strings.hpp"
#include "util/Version.hpp"

namespace {

// Fields of the same name joined as RFC 9110 §5.3 says; cookies with "; "
// (RFC 6265 §5.4), as a script expects them in HTTP_COOKIE.
std::map<std::string, std::string> headerVariables(const HeaderMap& headers)
{
    std::map<std::string, std::string> variables;
    for (size_t i = 0; i < headers.size(); ++i) {
        const std::string& name = headers.at(i).first;
        if (iequals(name, "Content-Length") || iequals(name, "Content-Type"))
            continue;
        std::string variable = cgiHeaderVariable(name);
        if (variable.empty())
            continue;
        std::map<std::string, std::string>::iterator it = variables.find(variable);
        if (it == variables.end())
            variables[variable] = headers.at(i).second;
        else
            it->second += (variable == "HTTP_COOKIE" ? "; " : ", ") + headers.at(i).second;
    }
    return variables;
}

// cgi_param lines come last: they may override any standard variable.
void addCgiParams(const std::vector<CgiParam>& params, const RequestVariables& variables,
    std::map<std::string, std::string>& env)
{
    for (size_t i = 0; i < params.size(); ++i) {
        std::string value = params[i].value.expand(variables);
        if (!value.empty() || !params[i].ifNotEmpty)
            env[params[i].name] = value;
    }
}

}

std::string cgiHeaderVariable(const std::string& headerName)
{
    std::string variable = "HTTP_";
    for (size_t i = 0; i < headerName.size(); ++i) {
        char c = headerName[i];
        if (c == '-')
            variable += '_';
        else if ((c >= 'a' && c <= 'z'))
            variable += static_cast<char>(c - 'a' + 'A');
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            variable += c;
        else
            return std::string();
    }
    return headerName.empty() ? std::string() : variable;
}

std::vector<std::string> cgiEnvironment(const RequestContext& ctx, off_t contentLength)
{
    const RouteDecision& route = ctx.route;
    const Request& request = *ctx.request;
    std::map<std::string, std::string> env = headerVariables(request.headers);
    const char* path = std::getenv("PATH");
    env["PATH"] = path ? path : "/usr/local/bin:/usr/bin:/bin";
    env["GATEWAY_INTERFACE"] = "CGI/1.1";
    env["SERVER_SOFTWARE"] = WEBSERV_SOFTWARE;
    env["SERVER_PROTOCOL"] = request.versionText.empty() ? "HTTP/1.1" : request.versionText;
    RequestVariables variables(ctx);
    variables.append(VAR_HOST, std::string(), env["SERVER_NAME"]);
    env["SERVER_PORT"] = toString(static_cast<unsigned long>(ctx.local.port));
    env["REQUEST_METHOD"] = request.method;
    env["REQUEST_URI"] = request.target;
    env["QUERY_STRING"] = route.query;
    env["SCRIPT_NAME"] = route.scriptName;
    env["SCRIPT_FILENAME"] = route.fsPath;
    env["PATH_INFO"] = route.pathInfo;
    if (!route.pathInfo.empty())
        env["PATH_TRANSLATED"] = route.location->documentRoot() + route.pathInfo;
    env["DOCUMENT_ROOT"] = route.location->documentRoot();
    env["REMOTE_ADDR"] = ctx.remoteAddress;
    // RFC 3875 §4.1.1, §4.1.11: only a user the server itself checked.
    if (!ctx.remoteUser.empty()) {
        env["AUTH_TYPE"] = "Basic";
        env["REMOTE_USER"] = ctx.remoteUser;
    }
    env["REMOTE_PORT"] = toString(static_cast<unsigned long>(ctx.remotePort));
    env["REDIRECT_STATUS"] = "200";
    const Session* session = ctx.sessions && !ctx.session.id.empty()
        ? ctx.sessions->peek(ctx.session.id) : 0;
    if (session) {
        env["SESSION_ID"] = session->id;
        env["SESSION_DATA"] = formEncode(session->data);
    }
    if (contentLength >= 0)
        env["CONTENT_LENGTH"] = toString(static_cast<long>(contentLength));
    const std::string* type = request.headers.find("Content-Type");
    if (type)
        env["CONTENT_TYPE"] = *type;
    addCgiParams(route.location->cgiParams, variables, env);
    std::vector<std::string> result;
    for (std::map<std::string, std::string>::iterator it = env.begin(); it != env.end(); ++it)
        result.push_back(it->first + "=" + it->second);
    return result;
}
