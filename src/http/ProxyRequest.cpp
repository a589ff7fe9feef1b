#include "http/ProxyRequest.hpp"

#include "util/Escape.hpp"
#include "util/Strings.hpp"

namespace {

bool named(const std::vector<std::string>& tokens, const std::string& name)
{
    for (size_t i = 0; i < tokens.size(); ++i)
        if (iequals(tokens[i], name))
            return true;
    return false;
}

// Fields that never cross the proxy as they came, in either direction.
// (Each starts with C, K, P, T or U: most fields are told apart by that.)
bool alwaysHopByHop(const std::string& name)
{
    static const char* const fields[] = { "Connection", "Keep-Alive", "TE", "Trailer",
        "Transfer-Encoding", "Content-Length", "Upgrade", "Proxy-Connection",
        "Proxy-Authenticate", "Proxy-Authorization" };
    char first = name.empty() ? 0 : static_cast<char>(name[0] | 0x20);
    if (first != 'c' && first != 'k' && first != 'p' && first != 't' && first != 'u')
        return false;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i)
        if (iequals(name, fields[i]))
            return true;
    return false;
}

// Set by the proxy itself: what the client sent is not passed on as is.
bool setByProxy(const std::string& name)
{
    return iequals(name, "Host") || iequals(name, "X-Forwarded-For") || iequals(name, "X-Real-IP")
        || iequals(name, "X-Forwarded-Proto") || iequals(name, "X-Forwarded-Host")
        || iequals(name, "Expect");
}

// The head is written as it is made: a field proxy_set_header sets is left
// out where it would have been, and written with the set value at the end.
class HeadWriter {
public:
    explicit HeadWriter(const ProxyForwarding& forwarding) : forwarding_(forwarding)
    {
        head_.reserve(512);
    }
    void line(const std::string& text) { head_ += text; head_ += "\r\n"; }
    void field(const std::string& name, const std::string& value)
    {
        for (size_t i = 0; i < forwarding_.setHeaders.size(); ++i)
            if (iequals(forwarding_.setHeaders[i].first, name))
                return;
        append(name, value);
    }
    std::string finish()
    {
        for (size_t i = 0; i < forwarding_.setHeaders.size(); ++i)
            if (!forwarding_.setHeaders[i].second.empty())
                append(forwarding_.setHeaders[i].first, forwarding_.setHeaders[i].second);
        head_ += "\r\n";
        return head_;
    }

private:
    void append(const std::string& name, const std::string& value)
    {
        head_ += name;
        head_ += ": ";
        head_ += value;
        head_ += "\r\n";
    }

    const ProxyForwarding& forwarding_;
    std::string head_;
};

}

bool asksUpgrade(const Request& request)
{
    return request.versionMinor >= 1 && request.headers.find("Upgrade")
        && named(connectionTokens(request.headers.combined("Connection")), "upgrade");
}

std::string proxyRequestHead(const Request& request, const ProxyForwarding& forwarding)
{
    const HeaderMap& in = request.headers;
    std::vector<std::string> tokens = connectionTokens(in.combined("Connection"));
    const std::string* host = forwarding.host.empty() ? in.find("Host") : &forwarding.host;
    std::string forwardedFor = in.combined("X-Forwarded-For");
    forwardedFor += (forwardedFor.empty() ? "" : ", ") + forwarding.clientAddress;

    HeadWriter out(forwarding);
    out.line(request.method + " " + forwarding.target + " HTTP/1.1");
    out.field("Host", host ? *host : forwarding.fallbackHost);
    for (size_t i = 0; i < in.size(); ++i) {
        const std::string& name = in.at(i).first;
        if (alwaysHopByHop(name) || named(tokens, name) || setByProxy(name))
            continue;
        out.field(name, in.at(i).second);
    }
    out.field("X-Forwarded-For", forwardedFor);
    out.field("X-Real-IP", forwarding.clientAddress);
    out.field("X-Forwarded-Proto", forwarding.scheme);
    if (host)
        out.field("X-Forwarded-Host", *host);
    if (forwarding.tunnel && in.find("Upgrade")) {
        out.field("Upgrade", in.combined("Upgrade"));
        out.field("Connection", "upgrade");
    }
    if (request.framing == BODY_CHUNKED)
        out.field("Transfer-Encoding", "chunked");
    else if (request.framing == BODY_LENGTH || in.find("Content-Length"))
        out.field("Content-Length", toString(static_cast<long>(request.framing == BODY_LENGTH
            ? request.contentLength : 0)));
    return out.finish();
}

std::string proxyTarget(const std::string& received, const std::string& path,
    const std::string& query, const std::string& locationPrefix, bool hasUri, const std::string& uri)
{
    if (!hasUri)
        return received;
    std::string rest = startsWith(path, locationPrefix) ? path.substr(locationPrefix.size()) : path;
    std::string target = uri + percentEncodePath(rest);
    return query.empty() ? target : target + "?" + query;
}

std::vector<std::string> connectionTokens(const std::string& connection)
{
    return connection.empty() ? std::vector<std::string>() : splitAny(connection, ", \t");
}

bool isHopByHopField(const std::string& name, const std::vector<std::string>& connection)
{
    return alwaysHopByHop(name) || named(connection, name);
}
