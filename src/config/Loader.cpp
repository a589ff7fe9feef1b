#include "config/Loader.hpp"

#include <algorithm>
#include <set>

#include "DirectiveTable.hpp"
#include "config/ConfigError.hpp"
#include "util/Files.hpp"
#include "util/Strings.hpp"

namespace {

ConfigContext contextInside(const std::string& blockName)
{
    if (blockName == "server")
        return CTX_SERVER;
    if (blockName == "location")
        return CTX_LOCATION;
    if (blockName == "limit_except")
        return CTX_LIMIT_EXCEPT;
    return CTX_TYPES;
}

void checkTypeMapping(const Directive& d)
{
    if (d.hasBlock)
        throw ConfigError("unexpected \"{\"", d.file, d.line);
    if (d.args.empty())
        throw ConfigError("invalid number of arguments in \"" + d.name + "\" type", d.file, d.line);
}

void checkDirective(const Directive& d, ConfigContext context)
{
    if (context == CTX_TYPES) {
        checkTypeMapping(d);
        return;
    }
    const DirectiveSpec* spec = findDirective(d.name);
    if (!spec && context == CTX_MAIN && (d.name == "http" || d.name == "events"))
        throw ConfigError("unknown directive \"" + d.name + "\" (an nginx configuration? webserv "
            "has no \"http\" or \"events\" block: its \"server\" blocks go at the top level)",
            d.file, d.line);
    if (!spec)
        throw ConfigError("unknown directive \"" + d.name + "\"", d.file, d.line);
    if (!(spec->contexts & context))
        throw ConfigError("\"" + d.name + "\" directive is not allowed here", d.file, d.line);
    if (spec->block && !d.hasBlock)
        throw ConfigError("directive \"" + d.name + "\" has no opening \"{\"", d.file, d.line);
    if (!spec->block && d.hasBlock)
        throw ConfigError("directive \"" + d.name + "\" is not terminated by \";\"", d.file, d.line);
    if (d.args.size() < spec->minArgs || d.args.size() > spec->maxArgs)
        throw ConfigError("invalid number of arguments in \"" + d.name + "\" directive",
            d.file, d.line);
    if (spec->block)
        checkDirectives(d.children, contextInside(d.name));
}

// A server whose `location /` passes everything to proxy_pass reads no
// file: its root may be anything (an nginx-style proxy-only server).
bool proxiesEverything(const ServerConfig& server)
{
    for (size_t l = 0; l < server.locations.size(); ++l) {
        const LocationConfig& location = server.locations[l];
        if (location.path == "/" && !location.exact && location.proxyPass.enabled)
            return true;
    }
    return false;
}

void checkDefaultRoots(const Config& config)
{
    BlockSettings defaults;
    for (size_t i = 0; i < config.servers.size(); ++i) {
        const ServerConfig& server = config.servers[i];
        if (server.implicit.root == defaults.root && !isDirectory(defaults.root)
            && !proxiesEverything(server))
            throw ConfigError("the default root \"" + defaults.root
                + "\" does not exist; set \"root\"", server.file, server.line);
    }
}

// Two servers with one name on one address, as nginx warns: the first
// keeps the name there (the router takes the first of equal matches).
void warnConflictingNames(const Config& config, ConfigWarnings* warnings)
{
    std::vector<ListenAddress> addresses = config.listenAddresses();
    for (size_t a = 0; a < addresses.size(); ++a) {
        std::set<std::string> taken;
        for (size_t i = 0; i < config.servers.size(); ++i) {
            const ServerConfig& server = config.servers[i];
            if (std::find(server.listens.begin(), server.listens.end(), addresses[a])
                == server.listens.end())
                continue;
            for (size_t n = 0; n < server.names.size(); ++n)
                if (!taken.insert(server.names[n]).second)
                    warnings->push_back("conflicting server name \"" + server.names[n] + "\" on "
                        + addresses[a].toString() + ", ignored");
        }
    }
}

// Makes the paths the directive setters left relative absolute, once.
void resolveDefaultRoots(Config& config)
{
    BlockSettings defaults;
    std::string resolved = absolutePath(defaults.root);
    for (size_t i = 0; i < config.servers.size(); ++i) {
        ServerConfig& server = config.servers[i];
        if (server.implicit.root == defaults.root)
            server.implicit.root = resolved;
        for (size_t l = 0; l < server.locations.size(); ++l)
            if (server.locations[l].root == defaults.root)
                server.locations[l].root = resolved;
    }
}

// from=$document_root is the location's own root (or alias), known only
// once the whole block is read.
void resolveSymlinksFrom(LocationConfig& location)
{
    if (location.symlinks.from == kDocumentRootVariable)
        location.symlinks.from = location.hasAlias ? absolutePath(location.alias) : location.root;
}

void resolveSymlinksFrom(Config& config)
{
    for (size_t i = 0; i < config.servers.size(); ++i) {
        ServerConfig& server = config.servers[i];
        resolveSymlinksFrom(server.implicit);
        for (size_t l = 0; l < server.locations.size(); ++l)
            resolveSymlinksFrom(server.locations[l]);
    }
}

Config build(const std::vector<Directive>& tree, const std::string& file,
    ConfigWarnings* warnings)
{
    checkDirectives(tree, CTX_MAIN);
    Config config;
    config.file = file;
    ConfigWarnings ignored;
    BlockSettings mainSettings;
    BuildState state;
    state.config = &config;
    state.warnings = warnings ? warnings : &ignored;
    state.context = CTX_MAIN;
    state.settings = &mainSettings;
    state.server = 0;
    state.location = 0;
    state.access = &mainSettings.access;
    applyBlock(state, tree);
    if (config.servers.empty())
        throw ConfigError("no \"server\" block in " + file);
    checkDefaultRoots(config);
    checkAccessPolicies(config);
    warnConflictingNames(config, state.warnings);
    resolveDefaultRoots(config);
    resolveSymlinksFrom(config);
    return config;
}

}

void checkDirectives(const std::vector<Directive>& directives, ConfigContext context)
{
    for (size_t i = 0; i < directives.size(); ++i)
        checkDirective(directives[i], context);
}

void applyBlock(BuildState& state, const std::vector<Directive>& directives)
{
    for (int pass = 0; pass < 2; ++pass) {
        bool wantBlocks = pass == 1;
        for (size_t i = 0; i < directives.size(); ++i) {
            const Directive& d = directives[i];
            const DirectiveSpec* spec = findDirective(d.name);
            if (spec->block != wantBlocks)
                continue;
            if (!spec->repeatable && state.seen.count(d.name))
                throw ConfigError("\"" + d.name + "\" directive is duplicate", d.file, d.line);
            spec->set(state, d);
            state.seen.insert(d.name);
        }
    }
}

Config loadConfig(const std::string& path, ConfigWarnings* warnings)
{
    return build(parseConfigFile(path), path, warnings);
}

Config loadConfigText(const std::string& text, const std::string& file, ConfigWarnings* warnings)
{
    return build(parseConfigText(text, file), file, warnings);
}
