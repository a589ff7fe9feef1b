#include "DirectiveArgs.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

#include "config/ConfigError.hpp"
#include "config/Values.hpp"
#include "util/Files.hpp"

void fail(const Directive& d, const std::string& message)
{
    throw ConfigError(message, d.file, d.line);
}

void invalid(const Directive& d, const std::string& what, const std::string& value)
{
    fail(d, "invalid " + what + " \"" + value + "\" in \"" + d.name + "\"");
}

bool onOffArg(const Directive& d)
{
    bool value;
    if (!parseOnOff(d.args[0], &value))
        fail(d, "invalid value \"" + d.args[0] + "\" in \"" + d.name
            + "\" directive, it must be \"on\" or \"off\"");
    return value;
}

long timeArg(const Directive& d)
{
    long ms;
    if (!parseTime(d.args[0], &ms))
        invalid(d, "time", d.args[0]);
    return ms;
}

long countArg(const Directive& d)
{
    long n;
    if (!parsePositive(d.args[0], 1000000000L, &n))
        invalid(d, "number", d.args[0]);
    return n;
}

std::string directoryArg(const Directive& d)
{
    if (!isDirectory(d.args[0]))
        fail(d, "\"" + d.name + "\" directory \"" + d.args[0] + "\" does not exist"
            + (pathExists(d.args[0]) ? " (not a directory)" : ""));
    return absolutePath(d.args[0]);
}

std::string logPathArg(const std::string& arg, const char* standardName)
{
    if (arg == standardName || arg == "off")
        return arg == "off" ? arg : std::string();
    return absolutePath(arg);
}

VariableTemplate templateArg(const Directive& d, const std::string& text)
{
    VariableTemplate value;
    std::string error;
    if (!value.compile(text, &error))
        fail(d, error);
    return value;
}

// The address as connect() takes it; false when it cannot be one.
bool makeSocketAddress(UpstreamAddress* upstream)
{
    sockaddr_storage* out = &upstream->socket;
    std::memset(out, 0, sizeof *out);
    if (!upstream->unixPath.empty()) {
        sockaddr_un* un = reinterpret_cast<sockaddr_un*>(out);
        un->sun_family = AF_UNIX;
        if (upstream->unixPath.size() >= sizeof un->sun_path)
            return false;
        std::memcpy(un->sun_path, upstream->unixPath.c_str(), upstream->unixPath.size() + 1);
        upstream->socketLength = sizeof *un;
        return true;
    }
    const ListenAddress& inet = upstream->inet;
    if (inet.family == AF_INET6) {
        sockaddr_in6* in6 = reinterpret_cast<sockaddr_in6*>(out);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(inet.port);
        upstream->socketLength = sizeof *in6;
        return inet_pton(AF_INET6, inet.host.c_str(), &in6->sin6_addr) == 1;
    }
    sockaddr_in* in = reinterpret_cast<sockaddr_in*>(out);
    in->sin_family = AF_INET;
    in->sin_port = htons(inet.port);
    upstream->socketLength = sizeof *in;
    return inet_pton(AF_INET, inet.host.c_str(), &in->sin_addr) == 1;
}
