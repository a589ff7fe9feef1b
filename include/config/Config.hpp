#ifndef WEBSERV_CONFIG_CONFIG_HPP
#define WEBSERV_CONFIG_CONFIG_HPP

// The loaded configuration: immutable after loadConfig() returns. Every
// inheritable setting has already been copied down from main to server to
// location, so a request handler reads one LocationConfig and never walks
// up the tree. Paths are absolute (resolved against the start directory).

#include <sys/types.h>
#include <map>
#include <string>
#include <vector>

#include "config/Variables.hpp"

enum MethodBit {
    METHOD_GET = 1,
    METHOD_HEAD = 2,
    METHOD_POST = 4,
    METHOD_DELETE = 8,
    METHOD_OPTIONS = 16       // answered by every location, listed or not
};

// The bit of an implemented method name (case-sensitive), 0 for any other.
unsigned methodBit(const std::string& name);
// "GET, HEAD, POST, DELETE, OPTIONS" for an Allow header, in that fixed
// order.
std::string methodList(unsigned methods);

struct ListenAddress {
    int family;            // AF_INET or AF_INET6
    std::string host;      // numeric form: "0.0.0.0", "127.0.0.1", "::", "::1"
    unsigned short port;

    ListenAddress();
    bool isWildcard() const;
    std::string toString() const;   // "127.0.0.1:8080", "[::1]:8080"
    bool operator==(const ListenAddress& other) const;
    bool operator<(const ListenAddress& other) const;
};

struct CgiRule {
    std::string extension;    // ".py"
    std::string interpreter;  // absolute path; empty: execute the script itself
};

struct ReturnRule {
    int code;                 // 0: no return directive
    std::string text;         // URL for redirects, body text otherwise...
    VariableTemplate value;   // ...with its variables
    ReturnRule() : code(0) {}
};

// cgi_param NAME VALUE [if_not_empty]: a meta-variable every script of the
// block gets (or a standard one it overrides); with if_not_empty, only
// when VALUE expands to something.
struct CgiParam {
    std::string name;
    VariableTemplate value;
    bool ifNotEmpty;
    CgiParam() : ifNotEmpty(false) {}
};

// try_files FILE... URI|=CODE: the first FILE that exists (a trailing '/'
// asks for a directory) is served in the same location; when none does,
// an internal redirect to the fallback URI or the status.
struct TryFilesRule {
    std::vector<VariableTemplate> files;
    VariableTemplate fallback;        // when status is 0
    int status;                       // =CODE, else 0
    TryFilesRule() : status(0) {}
    bool empty() const { return files.empty() && status == 0 && fallback.text().empty(); }
};

// disable_symlinks: which symbolic links a path to a file may go through.
enum SymlinkMode {
    SYMLINKS_FOLLOW,          // off: any, unchecked
    SYMLINKS_REFUSE,          // on: none
    SYMLINKS_OWNER_MATCH      // if_not_owner: those owned by their target's owner
};

struct SymlinkPolicy {
    SymlinkMode mode;
    std::string from;         // from=: this leading part (absolute) and what
                              // is above it go unchecked; "" checks all
    SymlinkPolicy() : mode(SYMLINKS_FOLLOW) {}
};

// autoindex_format: what a directory listing is written in.
enum AutoindexFormat {
    AUTOINDEX_HTML,           // a page for people (the default)
    AUTOINDEX_JSON            // nginx's array of {name, type, mtime, size}
};

// The inheritable directives: a block starts with a copy of its parent's
// values and overrides what it sets itself.
struct BlockSettings {
    std::string root;
    std::vector<std::string> index;
    bool autoindex;
    bool autoindexExactSize;          // off: listings show sizes as nginx's 12K, 3M, 1G
    AutoindexFormat autoindexFormat;
    std::map<int, std::string> errorPages;
    off_t clientMaxBodySize;          // bytes; 0 = unlimited
    unsigned allowMethods;            // MethodBit set
    long keepaliveTimeoutMs;          // 0 disables keep-alive
    long clientHeaderTimeoutMs;
    long clientBodyTimeoutMs;
    long sendTimeoutMs;
    long cgiTimeoutMs;
    bool session;
    long sessionTimeoutMs;
    std::string accessLog;            // path, "" for stdout, "off"
    std::vector<CgiParam> cgiParams;  // a block with its own replaces the inherited ones
    SymlinkPolicy symlinks;

    BlockSettings();                  // the contract's defaults
};

struct LocationConfig : BlockSettings {
    std::string path;                 // "" for a server's implicit location
    bool exact;                       // location = PATH
    bool hasAlias;
    std::string alias;
    std::string uploadStore;          // "" when not an upload location
    std::vector<CgiRule> cgi;
    ReturnRule returnRule;
    TryFilesRule tryFiles;            // not inherited: a server's applies to
                                      // paths no location matches, as in nginx
    bool status;
    std::string file;                 // where it was defined, for messages
    int line;

    LocationConfig();
    // What $document_root and DOCUMENT_ROOT are: the alias or the root.
    const std::string& documentRoot() const { return hasAlias ? alias : root; }
    // What the location answers, for its Allow lists: allowMethods and
    // OPTIONS, which needs no allow_methods line (RFC 9110 §10.2.1: Allow
    // names every method the resource supports).
    unsigned allowList() const { return allowMethods | METHOD_OPTIONS; }
    // The CGI rule whose extension ends name, or 0.
    const CgiRule* cgiFor(const std::string& name) const;
};

struct ServerConfig {
    std::vector<ListenAddress> listens;
    std::vector<ListenAddress> defaultFor;  // listens marked default_server
    std::vector<std::string> names;          // lower case; "*.x.org" wildcards
    std::vector<LocationConfig> locations;   // in file order
    LocationConfig implicit;                 // server settings, for unmatched paths
    std::string file;
    int line;
};

struct Config {
    std::string file;                        // the main config file, as given
    std::vector<ServerConfig> servers;
    std::map<std::string, std::string> mimeTypes;   // extension (lower) -> type
    std::string defaultType;
    std::string errorLog;                    // "" for stderr
    long maxConnections;
    std::string pidFile;
    bool daemon;
    long sessionMax;
    long shutdownTimeoutMs;                  // SIGQUIT: how long requests in flight may run

    Config();
    // The Content-Type for a file name, from its extension.
    const std::string& mimeTypeFor(const std::string& fileName) const;
    // Every distinct listen address of every server.
    std::vector<ListenAddress> listenAddresses() const;
};

#endif
