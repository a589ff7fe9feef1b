// The directive table and one setter per directive. A setter receives a
// directive whose context and argument count were already checked; it
// validates the values and stores them in the block being built.

#include "DirectiveArgs.hpp"
#include "DirectiveTable.hpp"

#include <algorithm>

#include "config/Values.hpp"
#include "util/Files.hpp"
#include "util/Strings.hpp"

namespace {

const unsigned kInheritable = CTX_MAIN | CTX_SERVER | CTX_LOCATION;

template <long BlockSettings::*Field>
void setTime(BuildState& state, const Directive& d)
{
    state.settings->*Field = timeArg(d);
}

template <bool BlockSettings::*Field>
void setFlag(BuildState& state, const Directive& d)
{
    state.settings->*Field = onOffArg(d);
}

void setRoot(BuildState& state, const Directive& d)
{
    if (state.seen.count("alias"))
        fail(d, "\"root\" directive is duplicate, \"alias\" directive was specified earlier");
    state.settings->root = directoryArg(d);
}

void setAlias(BuildState& state, const Directive& d)
{
    if (state.seen.count("root"))
        fail(d, "\"alias\" directive is duplicate, \"root\" directive was specified earlier");
    if (!pathExists(d.args[0]))
        fail(d, "\"alias\" path \"" + d.args[0] + "\" does not exist");
    state.location->hasAlias = true;
    state.location->alias = absolutePath(d.args[0]);
    if (!d.args[0].empty() && d.args[0][d.args[0].size() - 1] == '/')
        state.location->alias += '/';
}

void setIndex(BuildState& state, const Directive& d)
{
    if (!state.seen.count(d.name))
        state.settings->index.clear();
    for (size_t i = 0; i < d.args.size(); ++i) {
        if (d.args[i].empty() || d.args[i].find('/') != std::string::npos)
            invalid(d, "index file", d.args[i]);
        state.settings->index.push_back(d.args[i]);
    }
}

void setErrorPage(BuildState& state, const Directive& d)
{
    if (!state.seen.count(d.name))
        state.settings->errorPages.clear();
    const std::string& uri = d.args.back();
    if (uri.empty() || (uri[0] != '/' && !startsWith(uri, "http://") && !startsWith(uri, "https://")))
        invalid(d, "error page URI", uri);
    for (size_t i = 0; i + 1 < d.args.size(); ++i) {
        long code;
        if (!parsePositive(d.args[i], 599, &code) || code < 300)
            fail(d, "value \"" + d.args[i] + "\" must be between 300 and 599");
        state.settings->errorPages[static_cast<int>(code)] = uri;
    }
}

void setClientMaxBodySize(BuildState& state, const Directive& d)
{
    if (!parseSize(d.args[0], &state.settings->clientMaxBodySize))
        invalid(d, "size", d.args[0]);
}

void setAllowMethods(BuildState& state, const Directive& d)
{
    unsigned methods = 0;
    for (size_t i = 0; i < d.args.size(); ++i) {
        unsigned bit = methodBit(d.args[i]);
        if (bit == 0)
            invalid(d, "method", d.args[i]);
        methods |= bit;
    }
    if (methods & METHOD_GET)
        methods |= METHOD_HEAD;
    state.settings->allowMethods = methods;
}

void setAccessLog(BuildState& state, const Directive& d)
{
    if (d.args.size() == 2 && d.args[1] != "combined")
        invalid(d, "log format", d.args[1]);
    state.settings->accessLog = logPathArg(d.args[0], "/dev/stdout");
}

// autoindex_format html|json, either case as in nginx, whose other two
// formats (xml, jsonp) webserv does not write.
void setAutoindexFormat(BuildState& state, const Directive& d)
{
    const std::string& value = d.args[0];
    if (iequals(value, "html"))
        state.settings->autoindexFormat = AUTOINDEX_HTML;
    else if (iequals(value, "json"))
        state.settings->autoindexFormat = AUTOINDEX_JSON;
    else if (iequals(value, "xml") || iequals(value, "jsonp"))
        fail(d, "unsupported value \"" + value + "\" in \"" + d.name
            + "\" directive, it must be \"html\" or \"json\"");
    else
        fail(d, "invalid value \"" + value + "\"");   // nginx's words
}

// disable_symlinks off|on|if_not_owner [from=PATH], in nginx's words.
void setDisableSymlinks(BuildState& state, const Directive& d)
{
    SymlinkPolicy policy;
    const std::string& mode = d.args[0];
    if (mode == "on")
        policy.mode = SYMLINKS_REFUSE;
    else if (mode == "if_not_owner")
        policy.mode = SYMLINKS_OWNER_MATCH;
    else if (mode != "off")
        fail(d, "invalid value \"" + mode + "\" in \"" + d.name
            + "\" directive, it must be \"off\", \"on\" or \"if_not_owner\"");
    if (d.args.size() == 2) {
        const std::string& from = d.args[1];
        if (!startsWith(from, "from="))
            invalid(d, "parameter", from);
        if (policy.mode == SYMLINKS_FOLLOW)
            fail(d, "\"from=\" cannot be used with \"off\" parameter");
        policy.from = from.substr(5);
        if (!policy.from.empty() && policy.from != kDocumentRootVariable)
            policy.from = absolutePath(policy.from);
    }
    state.settings->symlinks = policy;
}

void setErrorLog(BuildState& state, const Directive& d)
{
    state.config->errorLog = logPathArg(d.args[0], "stderr");
    if (state.config->errorLog == "off")
        invalid(d, "value", d.args[0]);
}

void setDefaultType(BuildState& state, const Directive& d)
{
    state.config->defaultType = d.args[0];
}

void setMaxConnections(BuildState& state, const Directive& d)
{
    state.config->maxConnections = countArg(d);
}

void setSessionMax(BuildState& state, const Directive& d)
{
    state.config->sessionMax = countArg(d);
}

void setShutdownTimeout(BuildState& state, const Directive& d)
{
    state.config->shutdownTimeoutMs = timeArg(d);
}

void setPid(BuildState& state, const Directive& d)
{
    state.config->pidFile = absolutePath(d.args[0]);
}

void setDaemon(BuildState& state, const Directive& d)
{
    state.config->daemon = onOffArg(d);
}

void setStatus(BuildState& state, const Directive& d)
{
    state.location->status = onOffArg(d);
}

void setUploadStore(BuildState& state, const Directive& d)
{
    state.location->uploadStore = directoryArg(d);
}

void setReturn(BuildState& state, const Directive& d)
{
    ReturnRule& rule = state.location->returnRule;
    long code;
    if (d.args.size() == 1 && (startsWith(d.args[0], "http://") || startsWith(d.args[0], "https://"))) {
        rule.code = 302;
        rule.text = d.args[0];
        rule.value = templateArg(d, rule.text);
        return;
    }
    if (!parsePositive(d.args[0], 999, &code))
        fail(d, "invalid return code \"" + d.args[0] + "\"");
    rule.code = static_cast<int>(code);
    rule.text = d.args.size() > 1 ? d.args[1] : std::string();
    rule.value = templateArg(d, rule.text);
    bool redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    if (redirect && rule.text.empty())
        fail(d, "\"return\" with code " + d.args[0] + " needs a URL");
}

void setServerName(BuildState& state, const Directive& d)
{
    for (size_t i = 0; i < d.args.size(); ++i) {
        std::string name = toLower(d.args[i]);
        std::string::size_type star = name.find('*');
        bool leadingWildcard = startsWith(name, "*.") && name.size() > 2;
        if (!name.empty() && name[0] == '~')
            fail(d, "regular expression server names are not supported: \"" + d.args[i] + "\"");
        if (star != std::string::npos && (!leadingWildcard || name.find('*', 1) != std::string::npos))
            fail(d, "invalid server name or wildcard \"" + d.args[i] + "\"");
        state.server->names.push_back(name);
    }
}

bool listensOn(const std::vector<ListenAddress>& list, const ListenAddress& address)
{
    return std::find(list.begin(), list.end(), address) != list.end();
}

void setListen(BuildState& state, const Directive& d)
{
    ListenAddress address;
    std::string bad;
    ListenParse result = parseListen(d.args[0], &address, &bad);
    if (result == LISTEN_BAD_PORT)
        invalid(d, "port", bad);
    if (result == LISTEN_BAD_ADDRESS)
        invalid(d, "address", bad);
    if (listensOn(state.server->listens, address))
        fail(d, "a duplicate listen " + address.toString());
    if (d.args.size() == 2) {
        if (d.args[1] != "default_server")
            invalid(d, "parameter", d.args[1]);
        const std::vector<ServerConfig>& earlier = state.config->servers;
        for (size_t i = 0; i < earlier.size(); ++i)
            if (listensOn(earlier[i].defaultFor, address))
                fail(d, "a duplicate default server for " + address.toString());
        state.server->defaultFor.push_back(address);
    }
    state.server->listens.push_back(address);
}

void setLocation(BuildState& state, const Directive& d)
{
    LocationConfig location;
    static_cast<BlockSettings&>(location) = *state.settings;
    if (d.args.size() == 2 && d.args[0] != "=")
        invalid(d, "location modifier", d.args[0]);
    location.exact = d.args.size() == 2;
    location.path = d.args.back();
    location.file = d.file;
    location.line = d.line;
    const std::vector<LocationConfig>& siblings = state.server->locations;
    for (size_t i = 0; i < siblings.size(); ++i)
        if (siblings[i].path == location.path && siblings[i].exact == location.exact)
            fail(d, "duplicate location \"" + location.path + "\"");
    BuildState inner = state;
    inner.context = CTX_LOCATION;
    inner.settings = &location;
    inner.location = &location;
    inner.access = &location.access;
    inner.seen.clear();
    applyBlock(inner, d.children);
    state.server->locations.push_back(location);
}

void setServer(BuildState& state, const Directive& d)
{
    ServerConfig server;
    server.file = d.file;
    server.line = d.line;
    static_cast<BlockSettings&>(server.implicit) = *state.settings;
    BuildState inner = state;
    inner.context = CTX_SERVER;
    inner.settings = &server.implicit;
    inner.server = &server;
    inner.location = 0;
    inner.access = &server.implicit.access;
    inner.seen.clear();
    applyBlock(inner, d.children);
    if (server.listens.empty())
        server.listens.push_back(ListenAddress());
    if (server.names.empty())
        server.names.push_back("");
    state.config->servers.push_back(server);
}

void setTypes(BuildState& state, const Directive& d)
{
    for (size_t i = 0; i < d.children.size(); ++i) {
        const Directive& type = d.children[i];
        for (size_t e = 0; e < type.args.size(); ++e)
            state.config->mimeTypes[toLower(type.args[e])] = type.name;
    }
}

const DirectiveSpec kDirectives[] = {
    { "server", CTX_MAIN, 0, 0, true, true, setServer },
    { "types", CTX_MAIN, 0, 0, true, true, setTypes },
    { "default_type", CTX_MAIN, 1, 1, false, false, setDefaultType },
    { "error_log", CTX_MAIN, 1, 1, false, false, setErrorLog },
    { "max_connections", CTX_MAIN, 1, 1, false, false, setMaxConnections },
    { "pid", CTX_MAIN, 1, 1, false, false, setPid },
    { "daemon", CTX_MAIN, 1, 1, false, false, setDaemon },
    { "session_max", CTX_MAIN, 1, 1, false, false, setSessionMax },
    { "shutdown_timeout", CTX_MAIN, 1, 1, false, false, setShutdownTimeout },
    { "listen", CTX_SERVER, 1, 2, false, true, setListen },
    { "server_name", CTX_SERVER, 1, kUnlimited, false, true, setServerName },
    { "location", CTX_SERVER, 1, 2, true, true, setLocation },
    { "return", CTX_LOCATION, 1, 2, false, false, setReturn },
    { "alias", CTX_LOCATION, 1, 1, false, false, setAlias },
    { "upload_store", CTX_LOCATION, 1, 1, false, false, setUploadStore },
    { "cgi", CTX_LOCATION, 1, 2, false, true, setCgi },
    { "fastcgi", CTX_LOCATION, 2, 2, false, true, setFastcgi },
    { "status", CTX_LOCATION, 1, 1, false, false, setStatus },
    { "try_files", CTX_SERVER | CTX_LOCATION, 2, kUnlimited, false, false, setTryFiles },
    { "cgi_param", kInheritable, 2, 3, false, true, setCgiParam },
    { "fastcgi_param", kInheritable, 2, 3, false, true, setCgiParam },
    { "proxy_pass", CTX_LOCATION, 1, 1, false, false, setProxyPass },
    { "proxy_set_header", kInheritable, 2, 2, false, true, setProxySetHeader },
    { "proxy_connect_timeout", kInheritable, 1, 1, false, false, setProxyConnectTimeout },
    { "proxy_read_timeout", kInheritable, 1, 1, false, false, setProxyReadTimeout },
    { "proxy_send_timeout", kInheritable, 1, 1, false, false, setProxySendTimeout },
    { "set_real_ip_from", kInheritable, 1, 1, false, true, setRealIpFrom },
    { "real_ip_header", kInheritable, 1, 1, false, false, setRealIpHeader },
    { "root", kInheritable, 1, 1, false, false, setRoot },
    { "index", kInheritable, 1, kUnlimited, false, true, setIndex },
    { "autoindex", kInheritable, 1, 1, false, false, setFlag<&BlockSettings::autoindex> },
    { "autoindex_exact_size", kInheritable, 1, 1, false, false,
        setFlag<&BlockSettings::autoindexExactSize> },
    { "autoindex_format", kInheritable, 1, 1, false, false, setAutoindexFormat },
    { "error_page", kInheritable, 2, kUnlimited, false, true, setErrorPage },
    { "client_max_body_size", kInheritable, 1, 1, false, false, setClientMaxBodySize },
    { "allow_methods", kInheritable, 1, kUnlimited, false, false, setAllowMethods },
    { "keepalive_timeout", kInheritable, 1, 1, false, false,
        setTime<&BlockSettings::keepaliveTimeoutMs> },
    { "client_header_timeout", kInheritable, 1, 1, false, false,
        setTime<&BlockSettings::clientHeaderTimeoutMs> },
    { "client_body_timeout", kInheritable, 1, 1, false, false,
        setTime<&BlockSettings::clientBodyTimeoutMs> },
    { "send_timeout", kInheritable, 1, 1, false, false, setTime<&BlockSettings::sendTimeoutMs> },
    { "cgi_timeout", kInheritable, 1, 1, false, false, setTime<&BlockSettings::cgiTimeoutMs> },
    { "session", kInheritable, 1, 1, false, false, setFlag<&BlockSettings::session> },
    { "session_timeout", kInheritable, 1, 1, false, false,
        setTime<&BlockSettings::sessionTimeoutMs> },
    { "access_log", kInheritable, 1, 2, false, false, setAccessLog },
    { "disable_symlinks", kInheritable, 1, 2, false, false, setDisableSymlinks },
    { "allow", kInheritable | CTX_LIMIT_EXCEPT, 1, 1, false, true, setAllow },
    { "deny", kInheritable | CTX_LIMIT_EXCEPT, 1, 1, false, true, setDeny },
    { "auth_basic", kInheritable | CTX_LIMIT_EXCEPT, 1, 1, false, false, setAuthBasic },
    { "auth_basic_user_file", kInheritable | CTX_LIMIT_EXCEPT, 1, 1, false, false,
        setAuthBasicUserFile },
    { "satisfy", kInheritable, 1, 1, false, false, setSatisfy },
    { "limit_except", CTX_LOCATION, 1, kUnlimited, true, false, setLimitExcept },
    { "limit_conn", kInheritable, 1, 1, false, false, setLimitConn },
    { "limit_req", kInheritable, 1, 3, false, false, setLimitReq },
    { "limit_req_status", kInheritable, 1, 1, false, false, setLimitReqStatus },
};

}

const DirectiveSpec* findDirective(const std::string& name)
{
    for (size_t i = 0; i < sizeof kDirectives / sizeof kDirectives[0]; ++i)
        if (name == kDirectives[i].name)
            return &kDirectives[i];
    return 0;
}
