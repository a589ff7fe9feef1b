#ifndef WEBSERV_CONFIG_DIRECTIVETABLE_HPP
#define WEBSERV_CONFIG_DIRECTIVETABLE_HPP

// Internal to src/config: the table of every directive the language knows,
// and the state the loader carries while it applies them.

#include <set>
#include <string>
#include <vector>

#include "config/Config.hpp"
#include "config/Loader.hpp"
#include "config/Syntax.hpp"

enum ConfigContext {
    CTX_MAIN = 1,
    CTX_SERVER = 2,
    CTX_LOCATION = 4,
    CTX_TYPES = 8,
    CTX_LIMIT_EXCEPT = 16
};

// Where the loader is: the block being filled and what it has set so far.
struct BuildState {
    Config* config;
    ConfigWarnings* warnings;
    ConfigContext context;
    BlockSettings* settings;        // main's, the server's or the location's
    ServerConfig* server;           // 0 in main
    LocationConfig* location;       // 0 outside a location
    AccessPolicy* access;           // the settings' policy, or limit_except's
    std::set<std::string> seen;     // directives this block set itself
};

typedef void (*DirectiveSetter)(BuildState& state, const Directive& directive);

struct DirectiveSpec {
    const char* name;
    unsigned contexts;              // ConfigContext bits
    unsigned minArgs;
    unsigned maxArgs;               // kUnlimited for "one or more"
    bool block;                     // name ... { }
    bool repeatable;                // may appear several times in one block
    DirectiveSetter set;
};

const unsigned kUnlimited = ~0u;

// disable_symlinks from=$document_root, until the loader replaces it with
// each location's root.
const char* const kDocumentRootVariable = "$document_root";

// The spec for name, or 0 for an unknown directive.
const DirectiveSpec* findDirective(const std::string& name);

// The access directives (AccessDirectives.cpp).
void setAllow(BuildState& state, const Directive& d);
void setDeny(BuildState& state, const Directive& d);
void setAuthBasic(BuildState& state, const Directive& d);
void setAuthBasicUserFile(BuildState& state, const Directive& d);
void setSatisfy(BuildState& state, const Directive& d);
void setLimitExcept(BuildState& state, const Directive& d);
void setLimitConn(BuildState& state, const Directive& d);
void setLimitReq(BuildState& state, const Directive& d);
void setLimitReqStatus(BuildState& state, const Directive& d);
// The script directives (ScriptDirectives.cpp).
void setCgi(BuildState& state, const Directive& d);
void setFastcgi(BuildState& state, const Directive& d);
void setTryFiles(BuildState& state, const Directive& d);
void setCgiParam(BuildState& state, const Directive& d);
// The proxy's directives (ProxyDirectives.cpp).
void setProxyPass(BuildState& state, const Directive& d);
void setProxySetHeader(BuildState& state, const Directive& d);
void setProxyConnectTimeout(BuildState& state, const Directive& d);
void setProxyReadTimeout(BuildState& state, const Directive& d);
void setProxySendTimeout(BuildState& state, const Directive& d);
void setRealIpFrom(BuildState& state, const Directive& d);
void setRealIpHeader(BuildState& state, const Directive& d);

// Once everything is read: an auth_basic without a user file would let
// every request through (nginx does), so it is an error at its line.
void checkAccessPolicies(const Config& config);

// Checks the whole tree in file order (unknown names, contexts, argument
// counts, block vs simple) before anything is applied.
void checkDirectives(const std::vector<Directive>& directives, ConfigContext context);

// Applies a block's directives: simple ones first, in order, then nested
// blocks, so that children inherit the block's complete settings.
void applyBlock(BuildState& state, const std::vector<Directive>& directives);

#endif
