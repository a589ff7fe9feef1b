#ifndef WEBSERV_CONFIG_CONFIG_HPP
#define WEBSERV_CONFIG_CONFIG_HPP

// The loaded configuration: immutable after loadConfig() returns. Every
// inheritable setting has already been copied down from main to server to
// location, so a request handler reads one LocationConfig and never walks
// up the tree. Paths are absolute (resolved against the start directory).

#include <sys/socket.h>
#include <sys/types.h>
#include <map>
#include <string>
#include <vector>

#include "config/Variables.hpp"
#include "util/AddressRange.hpp"
#include "util/Htpasswd.hpp"

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

// Where an upstream listens: a FastCGI responder's `unix:/run/php/php8.2-fpm.sock`
// or HOST:PORT, a proxied server's `http://HOST:PORT` or `http://unix:/path:`.
struct UpstreamAddress {
    std::string text;         // as written, for the logs: "unix:/run/php.sock"
    std::string unixPath;     // a unix socket's path; empty for TCP
    ListenAddress inet;       // TCP: the numeric address and port
    sockaddr_storage socket;  // either, ready for connect(): made once, at load
    socklen_t socketLength;

    UpstreamAddress();
};

// A `cgi` or a `fastcgi` line: how files ending in extension are answered.
struct CgiRule {
    std::string extension;    // ".py"
    std::string interpreter;  // cgi: absolute path; empty: execute the script itself
    bool fastcgi;             // fastcgi: answered by the responder at address
    UpstreamAddress responder;

    CgiRule() : fastcgi(false) {}
};

// proxy_pass URL: the location's requests go to an HTTP server.
struct ProxyPass {
    bool enabled;
    UpstreamAddress upstream; // text: "127.0.0.1:9000" or "unix:/path" (the pool's key)
    std::string host;         // Host when the client sent none: "127.0.0.1:9000"
                              // (nginx's $proxy_host; "localhost" for a socket)
    bool hasUri;              // a /PATH after the address...
    std::string uri;          // ...which replaces the location's prefix

    ProxyPass() : enabled(false), hasUri(false) {}
};

// proxy_set_header NAME VALUE: an empty VALUE removes the field.
struct ProxyHeader {
    std::string name;
    VariableTemplate value;
};

// The inheritable proxy_* settings.
struct ProxySettings {
    std::vector<ProxyHeader> setHeaders;  // a block with its own replaces the inherited ones
    long connectTimeoutMs;
    long readTimeoutMs;               // between two reads from the upstream
    long sendTimeoutMs;               // between two writes to it

    ProxySettings();
};

// set_real_ip_from / real_ip_header (nginx's realip module): a request
// from one of these peers (a TLS terminator, a load balancer in front) is
// taken as coming from the address its header names, and as https when its
// X-Forwarded-Proto says so. Anyone else's X-Forwarded-* are only passed on.
struct TrustedProxies {
    std::vector<AddressRange> ranges; // a block with its own replaces the inherited ones
    std::string header;               // "X-Real-IP" (nginx's default) or "X-Forwarded-For"

    TrustedProxies() : header("X-Real-IP") {}
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

// allow / deny: a client address in range is let through or refused.
struct AccessRule {
    bool allow;
    AddressRange range;
};

// Who may reach a location (or, inside limit_except, use its other
// methods): address rules, then Basic authentication.
struct AccessPolicy {
    std::vector<AccessRule> rules;    // in order, first match; a block with
                                      // its own replaces the inherited ones
    bool auth;                        // auth_basic REALM (not off)
    std::string realm;
    std::string userFile;             // absolute path, a key of Config::userFiles
    std::string authFile;             // where auth_basic was set, for messages
    int authLine;

    AccessPolicy() : auth(false), authLine(0) {}
};

// limit_req rate=Rr/s|Rr/m [burst=B] [delay=D|nodelay]: nginx's leaky
// bucket per client address, one per directive line (a block that inherits
// it shares the bucket, as a zone in nginx).
struct RequestLimit {
    long milliRate;                   // requests per second x 1000; 0: none
    long burst;
    long delay;                       // requests of the burst not delayed;
                                      // kNoDelay for nodelay
    std::string id;                   // "FILE:LINE" of the directive
    RequestLimit() : milliRate(0), burst(0), delay(0) {}
};

const long kNoDelay = -1;

// satisfy all|any
enum SatisfyMode {
    SATISFY_ALL,                      // the address rules and the password
    SATISFY_ANY                       // either
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
    AccessPolicy access;
    SatisfyMode satisfy;
    long limitConn;                   // connections per client address; 0: none
    RequestLimit limitReq;
    int limitReqStatus;
    ProxySettings proxy;
    TrustedProxies trusted;

    BlockSettings();                  // the contract's defaults
};

struct LocationConfig : BlockSettings {
    std::string path;                 // "" for a server's implicit location
    bool exact;                       // location = PATH
    bool hasAlias;
    std::string alias;
    std::string uploadStore;          // "" when not an upload location
    std::vector<CgiRule> cgi;
    ProxyPass proxyPass;
    ReturnRule returnRule;
    TryFilesRule tryFiles;            // not inherited: a server's applies to
                                      // paths no location matches, as in nginx
    bool status;
    bool hasLimitExcept;              // limit_except METHOD... { }: the methods
    unsigned limitExceptMethods;      // listed (MethodBit) keep `access`, every
    AccessPolicy exceptAccess;        // other one gets the block's policy
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
    // The access policy for a method (limit_except's for an unlisted one).
    const AccessPolicy& accessFor(const std::string& method) const;
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
    std::map<std::string, UserFile> userFiles;   // auth_basic_user_file: path -> its
                                                 // users, read at load (and reload)

    Config();
    // The Content-Type for a file name, from its extension.
    const std::string& mimeTypeFor(const std::string& fileName) const;
    // Every distinct listen address of every server.
    std::vector<ListenAddress> listenAddresses() const;
};

#endif
