#include "DirectiveArgs.hpp"

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
