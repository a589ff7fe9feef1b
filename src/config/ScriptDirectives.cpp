// The directives of scripts and what finds them: cgi and fastcgi (one
// extension per location, whichever claims it), try_files, and cgi_param /
// fastcgi_param.

#include "DirectiveArgs.hpp"
#include "DirectiveTable.hpp"

#include <sys/un.h>

#include "config/Values.hpp"
#include "util/Files.hpp"
#include "util/Strings.hpp"

namespace {

// The extension of a `cgi` or `fastcgi` line: ".EXT", once per location
// whichever of the two claims it.
CgiRule scriptRule(BuildState& state, const Directive& d)
{
    CgiRule rule;
    rule.extension = d.args[0];
    if (rule.extension.size() < 2 || rule.extension[0] != '.'
        || rule.extension.find('/') != std::string::npos)
        fail(d, "invalid " + d.name + " extension \"" + rule.extension
            + "\", it must look like \".py\"");
    for (size_t i = 0; i < state.location->cgi.size(); ++i)
        if (state.location->cgi[i].extension == rule.extension)
            fail(d, "duplicate " + d.name + " extension \"" + rule.extension + "\"");
    return rule;
}

}

void setCgi(BuildState& state, const Directive& d)
{
    CgiRule rule = scriptRule(state, d);
    if (d.args.size() == 2) {
        const std::string& given = d.args[1];
        rule.interpreter = given.find('/') == std::string::npos ? findInPath(given) : absolutePath(given);
        if (rule.interpreter.empty())
            rule.interpreter = given;
        if (!isExecutableFile(rule.interpreter))
            state.warnings->push_back("cgi interpreter \"" + given + "\" is not an executable file in "
                + d.file + ":" + toString(static_cast<long>(d.line)));
    }
    state.location->cgi.push_back(rule);
}

// `fastcgi .EXT unix:/path;` or `fastcgi .EXT HOST:PORT;`. The responder
// need not be running yet: it is connected to per request.
void setFastcgi(BuildState& state, const Directive& d)
{
    CgiRule rule = scriptRule(state, d);
    rule.fastcgi = true;
    const std::string& address = d.args[1];
    rule.responder.text = address;
    if (address.compare(0, 5, "unix:") == 0) {
        if (address.size() == 5)
            fail(d, "invalid fastcgi address \"" + address + "\": no socket path after \"unix:\"");
        rule.responder.unixPath = absolutePath(address.substr(5));
        if (rule.responder.unixPath.size() >= sizeof(sockaddr_un().sun_path))
            fail(d, "fastcgi socket path \"" + rule.responder.unixPath + "\" is too long");
    } else {
        std::string bad;
        ListenParse parsed = address.find(':') == std::string::npos || address[address.size() - 1] == ']'
            ? LISTEN_BAD_PORT : parseListen(address, &rule.responder.inet, &bad);
        if (parsed == LISTEN_BAD_PORT)
            fail(d, "no port in fastcgi address \"" + address + "\"");
        if (parsed != LISTEN_OK || rule.responder.inet.isWildcard())
            fail(d, "invalid fastcgi address \"" + address + "\" (unix:/path or HOST:PORT)");
    }
    if (!makeSocketAddress(&rule.responder))
        fail(d, "invalid fastcgi address \"" + address + "\" (unix:/path or HOST:PORT)");
    state.location->cgi.push_back(rule);
}

void setTryFiles(BuildState& state, const Directive& d)
{
    TryFilesRule& rule = (state.location ? *state.location : state.server->implicit).tryFiles;
    for (size_t i = 0; i + 1 < d.args.size(); ++i)
        rule.files.push_back(templateArg(d, d.args[i]));
    const std::string& last = d.args.back();
    if (!last.empty() && last[0] == '=') {
        long code;
        if (!parsePositive(last.substr(1), 599, &code) || code < 100)
            fail(d, "invalid code \"" + last + "\" in \"try_files\"");
        rule.status = static_cast<int>(code);
    } else if (last.empty() || (last[0] != '/' && last[0] != '$')) {
        fail(d, "invalid URI \"" + last + "\" in \"try_files\", it must start with \"/\" or be \"=CODE\""
            + (!last.empty() && last[0] == '@' ? " (named locations are not supported)" : ""));
    } else {
        rule.fallback = templateArg(d, last);
    }
}

// cgi_param and fastcgi_param are one list: the first of either in a
// block replaces what the block inherited.
void setCgiParam(BuildState& state, const Directive& d)
{
    if (!state.seen.count("cgi_param") && !state.seen.count("fastcgi_param"))
        state.settings->cgiParams.clear();
    CgiParam param;
    param.name = d.args[0];
    if (param.name.empty())
        invalid(d, "parameter name", param.name);
    param.value = templateArg(d, d.args[1]);
    if (d.args.size() == 3 && d.args[2] != "if_not_empty")
        invalid(d, "parameter", d.args[2]);
    param.ifNotEmpty = d.args.size() == 3;
    state.settings->cgiParams.push_back(param);
}
