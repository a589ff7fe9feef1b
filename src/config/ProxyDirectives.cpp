// The reverse proxy's directives: proxy_pass, proxy_set_header, the
// proxy_*_timeout three, and the trust of a proxy in front
// (set_real_ip_from, real_ip_header).

#include "DirectiveArgs.hpp"
#include "DirectiveTable.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "config/Values.hpp"
#include "util/Files.hpp"
#include "util/Strings.hpp"

namespace {

const char kHttpPrefix[] = "http://";

// Letters, digits and '-' (what field names are in practice): a space, a
// colon or a control byte would break the request head sent upstream.
bool isFieldName(const std::string& name)
{
    for (size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_'))
            return false;
    }
    return !name.empty();
}

// A host name (not an address) the way nginx takes one: resolved once,
// at load, to its first address.
bool resolveHost(const std::string& host, unsigned short port, ListenAddress* out)
{
    addrinfo hints = addrinfo();
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = 0;
    if (getaddrinfo(host.c_str(), 0, &hints, &found) != 0 || !found)
        return false;
    char numeric[NI_MAXHOST];
    bool ok = getnameinfo(found->ai_addr, found->ai_addrlen, numeric, sizeof numeric, 0, 0,
        NI_NUMERICHOST) == 0;
    if (ok) {
        out->family = found->ai_family;
        out->host = numeric;
        out->port = port;
    }
    freeaddrinfo(found);
    return ok;
}

// "HOST[:PORT]" of an http:// URL: an address, [IPv6], localhost or a name.
void parseAuthority(const Directive& d, const std::string& authority, ListenAddress* out)
{
    std::string::size_type bracket = authority.rfind(']');
    std::string::size_type colon = authority.rfind(':');
    bool hasPort = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
    std::string hostPort = hasPort ? authority : authority + ":80";
    std::string bad;
    ListenParse parsed = parseListen(hostPort, out, &bad);
    if (parsed == LISTEN_BAD_PORT)
        fail(d, "invalid port in upstream \"" + authority + "\"");
    if (parsed == LISTEN_OK && !out->isWildcard())
        return;
    std::string host = hostPort.substr(0, hostPort.rfind(':'));
    long port = 0;
    if (host.empty() || host[0] == '[' || host == "*"
        || !parsePositive(hostPort.substr(host.size() + 1), 65535, &port))
        fail(d, "invalid host in upstream \"" + authority + "\"");
    if (!resolveHost(host, static_cast<unsigned short>(port), out))
        fail(d, "host not found in upstream \"" + authority + "\"");
}

// "unix:/path/to.sock[:/URI]" after http://.
void parseUnixUpstream(const Directive& d, const std::string& rest, ProxyPass* pass)
{
    std::string::size_type colon = rest.find(':', 5);
    std::string path = rest.substr(5, colon == std::string::npos ? std::string::npos : colon - 5);
    if (path.empty())
        fail(d, "no path in the unix socket upstream \"" + d.args[0] + "\"");
    pass->upstream.unixPath = absolutePath(path);
    if (pass->upstream.unixPath.size() >= sizeof(sockaddr_un().sun_path))
        fail(d, "proxy_pass socket path \"" + pass->upstream.unixPath + "\" is too long");
    pass->host = "localhost";
    if (colon != std::string::npos && colon + 1 < rest.size()) {
        pass->hasUri = true;
        pass->uri = rest.substr(colon + 1);
    }
}

}

// proxy_pass http://HOST:PORT[/URI] | http://unix:/path.sock:[/URI]
void setProxyPass(BuildState& state, const Directive& d)
{
    const std::string& url = d.args[0];
    if (startsWith(toLower(url), "https://"))
        fail(d, "https upstreams are not supported in \"" + url
            + "\": webserv has no TLS (proxy to the application over plain http)");
    if (toLower(url.substr(0, sizeof kHttpPrefix - 1)) != kHttpPrefix)
        fail(d, "invalid URL prefix in \"" + url + "\"");
    if (url.find('$') != std::string::npos)
        fail(d, "variables in \"proxy_pass\" are not supported");
    ProxyPass pass;
    pass.enabled = true;
    std::string rest = url.substr(sizeof kHttpPrefix - 1);
    if (rest.compare(0, 5, "unix:") == 0) {
        parseUnixUpstream(d, rest, &pass);
    } else {
        std::string::size_type slash = rest.find('/');
        std::string authority = rest.substr(0, slash);
        if (authority.empty() || authority.find_first_of("?#@") != std::string::npos)
            fail(d, "invalid host in upstream \"" + url + "\"");
        parseAuthority(d, authority, &pass.upstream.inet);
        pass.host = authority;
        pass.hasUri = slash != std::string::npos;
        if (pass.hasUri)
            pass.uri = rest.substr(slash);
    }
    if (pass.hasUri && pass.uri.find_first_of("?#") != std::string::npos)
        fail(d, "a query or fragment in \"proxy_pass\" is not supported: \"" + url + "\"");
    if (!makeSocketAddress(&pass.upstream))
        fail(d, "invalid host in upstream \"" + url + "\"");
    // Kept connections are pooled by this: every location proxying to one
    // server shares them, whatever its URI.
    pass.upstream.text = pass.upstream.unixPath.empty() ? pass.upstream.inet.toString()
        : "unix:" + pass.upstream.unixPath;
    state.location->proxyPass = pass;
}

// The first line in a block replaces what the block inherited, as nginx's
// proxy_set_header does.
void setProxySetHeader(BuildState& state, const Directive& d)
{
    std::vector<ProxyHeader>& headers = state.settings->proxy.setHeaders;
    if (!state.seen.count(d.name))
        headers.clear();
    ProxyHeader header;
    header.name = d.args[0];
    if (!isFieldName(header.name))
        invalid(d, "header name", header.name);
    header.value = templateArg(d, d.args[1]);
    headers.push_back(header);
}

void setProxyConnectTimeout(BuildState& state, const Directive& d)
{
    state.settings->proxy.connectTimeoutMs = timeArg(d);
}

void setProxyReadTimeout(BuildState& state, const Directive& d)
{
    state.settings->proxy.readTimeoutMs = timeArg(d);
}

void setProxySendTimeout(BuildState& state, const Directive& d)
{
    state.settings->proxy.sendTimeoutMs = timeArg(d);
}

void setRealIpFrom(BuildState& state, const Directive& d)
{
    std::vector<AddressRange>& ranges = state.settings->trusted.ranges;
    if (!state.seen.count(d.name))
        ranges.clear();
    AddressRange range;
    if (d.args[0] == "all" || parseAddressRange(d.args[0], &range) == RANGE_INVALID)
        invalid(d, "address", d.args[0]);
    ranges.push_back(range);
}

void setRealIpHeader(BuildState& state, const Directive& d)
{
    const std::string& name = d.args[0];
    if (iequals(name, "X-Real-IP"))
        state.settings->trusted.header = "X-Real-IP";
    else if (iequals(name, "X-Forwarded-For"))
        state.settings->trusted.header = "X-Forwarded-For";
    else
        fail(d, "invalid value \"" + name + "\" in \"real_ip_header\", it must be \"X-Real-IP\" "
            "or \"X-Forwarded-For\"");
}
