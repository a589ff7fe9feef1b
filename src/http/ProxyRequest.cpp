#include "http/ProxyRequest.hpp"

#include "util/Escape.hpp"
#include "util/Strings.hpp"

namespace {

// The lower-cased tokens of a Connection field.
std::vector<std::string> connectionTokens(const std::string& value)
{
    std::vector<std::string> tokens = splitAny(value, ", \t");
    for (size_t i = 0; i < tokens.size(); ++i)
        tokens[i] = toLower(tokens[i]);
    return tokens;
}

bool named(const std::vector<std::string>& tokens, const std::string& name)
{
    std::string lower = toLower(name);
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i] == lower)
            return true;
    return false;
}

// Fields that never cross the proxy as they came, in either direction.
bool alwaysHopByHop(const std::string& name)
{
    static const char* const fields[] = { "Connection", "Keep-Alive", "TE", "Trailer",
        "Transfer-Encoding", "Content-Length", "Upgrade", "Proxy-Connection",
        "Proxy-Authenticate", "Proxy-Authorization" };
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

void applySetHeaders(HeaderMap& fields, const ProxyForwarding& forwarding)
{
    for (size_t i = 0; i < forwarding.setHeaders.size(); ++i) {
        const std::string& name = forwarding.setHeaders[i].first;
        const std::string& value = forwarding.setHeaders[i].second;
        fields.remove(name);
        if (!value.empty())
            fields.add(name, value);
    }
}

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

    HeaderMap out;
    out.add("Host", host ? *host : forwarding.fallbackHost);
    for (size_t i = 0; i < in.size(); ++i) {
        const std::string& name = in.at(i).first;
        if (alwaysHopByHop(name) || named(tokens, name) || setByProxy(name))
            continue;
        out.add(name, in.at(i).second);
    }
    out.add("X-Forwarded-For", forwardedFor);
    out.add("X-Real-IP", forwarding.clientAddress);
    out.add("X-Forwarded-Proto", forwarding.scheme);
    if (host)
        out.add("X-Forwarded-Host", *host);
    if (forwarding.tunnel && in.find("Upgrade")) {
        out.add("Upgrade", in.combined("Upgrade"));
        out.add("Connection", "upgrade");
    }
    if (request.framing == BODY_CHUNKED)
        out.add("Transfer-Encoding", "chunked");
    else if (request.framing == BODY_LENGTH || in.find("Content-Length"))
        out.add("Content-Length", toString(static_cast<long>(request.framing == BODY_LENGTH
            ? request.contentLength : 0)));
    applySetHeaders(out, forwarding);

    std::string head = request.method + " " + forwarding.target + " HTTP/1.1\r\n";
    for (size_t i = 0; i < out.size(); ++i)
        head += out.at(i).first + ": " + out.at(i).second + "\r\n";
    return head + "\r\n";
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

bool isHopByHopField(const std::string& name, const std::string& connection)
{
    return alwaysHopByHop(name) || named(connectionTokens(connection), name);
}
