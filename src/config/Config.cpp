#include "config/Config.hpp"

#include <algorithm>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

#include "util/Strings.hpp"

namespace {

struct MethodName {
    MethodBit bit;
    const char* name;
};

const MethodName kMethods[] = {
    { METHOD_GET, "GET" },
    { METHOD_HEAD, "HEAD" },
    { METHOD_POST, "POST" },
    { METHOD_DELETE, "DELETE" },
    { METHOD_OPTIONS, "OPTIONS" },
};
const size_t kMethodCount = sizeof kMethods / sizeof kMethods[0];

}

unsigned methodBit(const std::string& name)
{
    for (size_t i = 0; i < kMethodCount; ++i)
        if (name == kMethods[i].name)
            return kMethods[i].bit;
    return 0;
}

std::string methodList(unsigned methods)
{
    std::string list;
    for (size_t i = 0; i < kMethodCount; ++i) {
        if (!(methods & kMethods[i].bit))
            continue;
        if (!list.empty())
            list += ", ";
        list += kMethods[i].name;
    }
    return list;
}

ListenAddress::ListenAddress()
    : family(AF_INET), host("0.0.0.0"), port(8080)
{
}

bool ListenAddress::isWildcard() const
{
    return host == "0.0.0.0" || host == "::";
}

std::string ListenAddress::toString() const
{
    std::string portText = ::toString(static_cast<unsigned long>(port));
    if (family == AF_INET6)
        return "[" + host + "]:" + portText;
    return host + ":" + portText;
}

bool ListenAddress::operator==(const ListenAddress& other) const
{
    return family == other.family && host == other.host && port == other.port;
}

bool ListenAddress::operator<(const ListenAddress& other) const
{
    if (port != other.port)
        return port < other.port;
    if (family != other.family)
        return family < other.family;
    return host < other.host;
}

BlockSettings::BlockSettings()
    : root("www"),
      index(1, "index.html"),
      autoindex(false),
      autoindexExactSize(true),
      autoindexFormat(AUTOINDEX_HTML),
      clientMaxBodySize(1024 * 1024),
      allowMethods(METHOD_GET | METHOD_HEAD),
      keepaliveTimeoutMs(75 * 1000),
      clientHeaderTimeoutMs(60 * 1000),
      clientBodyTimeoutMs(60 * 1000),
      sendTimeoutMs(60 * 1000),
      cgiTimeoutMs(30 * 1000),
      session(false),
      sessionTimeoutMs(30 * 60 * 1000),
      satisfy(SATISFY_ALL),
      limitConn(0),
      limitReqStatus(503)
{
}

ProxySettings::ProxySettings()
    : connectTimeoutMs(60 * 1000), readTimeoutMs(60 * 1000), sendTimeoutMs(60 * 1000)
{
}

LocationConfig::LocationConfig()
    : exact(false), hasAlias(false), status(false), hasLimitExcept(false),
      limitExceptMethods(0), line(0)
{
}

const AccessPolicy& LocationConfig::accessFor(const std::string& method) const
{
    // A method webserv does not implement is "not listed" too, as in nginx.
    if (hasLimitExcept && !(methodBit(method) & limitExceptMethods))
        return exceptAccess;
    return access;
}

UpstreamAddress::UpstreamAddress() : socketLength(0)
{
    std::memset(&socket, 0, sizeof socket);
}

const CgiRule* LocationConfig::cgiFor(const std::string& name) const
{
    for (size_t i = 0; i < cgi.size(); ++i)
        if (name.size() > cgi[i].extension.size() && endsWith(name, cgi[i].extension))
            return &cgi[i];
    return 0;
}

Config::Config()
    : defaultType("application/octet-stream"),
      maxConnections(1024),
      daemon(false),
      sessionMax(100000),
      shutdownTimeoutMs(10000)
{
}

const std::string& Config::mimeTypeFor(const std::string& fileName) const
{
    std::string::size_type dot = fileName.rfind('.');
    std::string::size_type slash = fileName.rfind('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return defaultType;
    std::map<std::string, std::string>::const_iterator it
        = mimeTypes.find(toLower(fileName.substr(dot + 1)));
    return it == mimeTypes.end() ? defaultType : it->second;
}

std::vector<ListenAddress> Config::listenAddresses() const
{
    std::vector<ListenAddress> all;
    for (size_t s = 0; s < servers.size(); ++s)
        for (size_t l = 0; l < servers[s].listens.size(); ++l)
            if (std::find(all.begin(), all.end(), servers[s].listens[l]) == all.end())
                all.push_back(servers[s].listens[l]);
    std::sort(all.begin(), all.end());
    return all;
}
