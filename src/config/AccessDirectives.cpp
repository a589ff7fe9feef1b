// The access directives, with nginx's names, arguments and messages:
// allow/deny (ngx_http_access_module), auth_basic and its user file,
// satisfy, limit_except, limit_conn and limit_req.

#include "DirectiveArgs.hpp"
#include "DirectiveTable.hpp"

#include <cstring>

#include <sys/stat.h>

#include "config/ConfigError.hpp"
#include "config/Values.hpp"
#include "util/Files.hpp"
#include "util/Strings.hpp"

namespace {

void addRule(BuildState& state, const Directive& d, bool allow)
{
    // A block's own rules replace what it inherited, as in nginx.
    if (!state.seen.count("allow") && !state.seen.count("deny"))
        state.access->rules.clear();
    AccessRule rule;
    rule.allow = allow;
    AddressRangeParse parsed = parseAddressRange(d.args[0], &rule.range);
    if (parsed == RANGE_INVALID)
        invalid(d, "parameter", d.args[0]);
    if (parsed == RANGE_HOST_BITS_SET)
        state.warnings->push_back("low address bits of " + d.args[0] + " are meaningless in "
            + d.file + ":" + toString(static_cast<long>(d.line)));
    state.access->rules.push_back(rule);
}

const off_t kMaxUserFileBytes = 16L * 1024 * 1024;

// Reads the user file once per load; every block naming it shares it.
void loadUserFile(BuildState& state, const Directive& d, const std::string& path)
{
    if (state.config->userFiles.count(path))
        return;
    // A user file is read whole, at load: a device or a FIFO named by
    // mistake would never end, and a huge file is not a list of users.
    struct stat info;
    if (stat(path.c_str(), &info) == 0) {
        if (!S_ISREG(info.st_mode))
            fail(d, "user file \"" + path + "\" is not a regular file");
        if (info.st_size > kMaxUserFileBytes)
            fail(d, "user file \"" + path + "\" is larger than 16 MiB");
    }
    std::string content;
    int error = 0;
    if (!readWholeFile(path, &content, &error))
        fail(d, "open() \"" + path + "\" failed (" + std::strerror(error) + ")");
    UserFile users;
    UserFileError bad;
    std::vector<UserFileError> warnings;
    if (!parseUserFile(content, &users, &bad, &warnings))
        fail(d, bad.reason + " in user file " + path + ":" + toString(static_cast<long>(bad.line)));
    for (size_t i = 0; i < warnings.size(); ++i)
        state.warnings->push_back(warnings[i].reason + " in user file " + path + ":"
            + toString(static_cast<long>(warnings[i].line)));
    if (users.entries.empty())
        state.warnings->push_back("user file " + path + " has no users: \"auth_basic\" refuses "
            "every request in " + d.file + ":" + toString(static_cast<long>(d.line)));
    state.config->userFiles[path] = users;
}

// "10r/s" or "10r/m" (nginx: a whole number of requests per second or
// minute) as thousandths of a request per second.
bool parseRate(const std::string& text, long* milliRate)
{
    long per = 0;
    if (endsWith(text, "r/s"))
        per = 1;
    else if (endsWith(text, "r/m"))
        per = 60;
    long count;
    if (per == 0 || !parsePositive(text.substr(0, text.size() - 3), 1000000L, &count))
        return false;
    *milliRate = count * 1000 / per;
    return *milliRate > 0;
}

bool parseCount(const std::string& text, long* out)
{
    if (text == "0") {
        *out = 0;
        return true;
    }
    return parsePositive(text, 1000000L, out);
}

void checkPolicy(const AccessPolicy& policy)
{
    if (policy.auth && policy.userFile.empty())
        throw ConfigError("\"auth_basic\" needs \"auth_basic_user_file\" (without one every "
            "request would get through)", policy.authFile, policy.authLine);
}

void checkPolicies(const LocationConfig& location)
{
    checkPolicy(location.access);
    if (location.hasLimitExcept)
        checkPolicy(location.exceptAccess);
}

}

void setAllow(BuildState& state, const Directive& d)
{
    addRule(state, d, true);
}

void setDeny(BuildState& state, const Directive& d)
{
    addRule(state, d, false);
}

void setAuthBasic(BuildState& state, const Directive& d)
{
    AccessPolicy& policy = *state.access;
    policy.auth = d.args[0] != "off";
    policy.realm = policy.auth ? d.args[0] : std::string();
    policy.authFile = d.file;
    policy.authLine = d.line;
}

void setAuthBasicUserFile(BuildState& state, const Directive& d)
{
    if (d.args[0].find('$') != std::string::npos)
        fail(d, "variables in \"auth_basic_user_file\" are not supported");
    std::string path = absolutePath(d.args[0]);
    loadUserFile(state, d, path);
    state.access->userFile = path;
}

void setSatisfy(BuildState& state, const Directive& d)
{
    if (d.args[0] == "all")
        state.settings->satisfy = SATISFY_ALL;
    else if (d.args[0] == "any")
        state.settings->satisfy = SATISFY_ANY;
    else
        fail(d, "invalid value \"" + d.args[0] + "\" in \"satisfy\" directive, it must be "
            "\"all\" or \"any\"");
}

// limit_except METHOD... { allow/deny/auth_basic... }: the block starts
// from the location's policy and applies to every method not listed.
void setLimitExcept(BuildState& state, const Directive& d)
{
    static const char* const kOtherMethods[] = { "PUT", "MKCOL", "COPY", "MOVE", "PROPFIND",
        "PROPPATCH", "LOCK", "UNLOCK", "PATCH" };
    LocationConfig& location = *state.location;
    unsigned methods = 0;
    for (size_t i = 0; i < d.args.size(); ++i) {
        bool known = methodBit(d.args[i]) != 0;
        for (size_t m = 0; !known && m < sizeof kOtherMethods / sizeof kOtherMethods[0]; ++m)
            known = d.args[i] == kOtherMethods[m];
        if (!known)
            fail(d, "invalid method \"" + d.args[i] + "\"");
        methods |= methodBit(d.args[i]);
    }
    if (methods & METHOD_GET)
        methods |= METHOD_HEAD;
    location.hasLimitExcept = true;
    location.limitExceptMethods = methods;
    location.exceptAccess = location.access;
    BuildState inner = state;
    inner.context = CTX_LIMIT_EXCEPT;
    inner.access = &location.exceptAccess;
    inner.seen.clear();
    applyBlock(inner, d.children);
}

void setLimitConn(BuildState& state, const Directive& d)
{
    state.settings->limitConn = countArg(d);
}

void setLimitReq(BuildState& state, const Directive& d)
{
    RequestLimit limit;
    limit.id = d.file + ":" + toString(static_cast<long>(d.line));
    for (size_t i = 0; i < d.args.size(); ++i) {
        const std::string& arg = d.args[i];
        if (startsWith(arg, "rate=")) {
            if (!parseRate(arg.substr(5), &limit.milliRate))
                fail(d, "invalid rate \"" + arg + "\"");
        } else if (startsWith(arg, "burst=")) {
            if (!parseCount(arg.substr(6), &limit.burst))
                fail(d, "invalid burst value \"" + arg + "\"");
        } else if (startsWith(arg, "delay=")) {
            if (!parseCount(arg.substr(6), &limit.delay))
                fail(d, "invalid delay value \"" + arg + "\"");
        } else if (arg == "nodelay") {
            limit.delay = kNoDelay;
        } else if (startsWith(arg, "zone=")) {
            fail(d, "\"zone=\" is not needed: webserv keeps one bucket per client address "
                "for each \"limit_req\" line");
        } else {
            invalid(d, "parameter", arg);
        }
    }
    if (limit.milliRate == 0)
        fail(d, "\"limit_req\" needs \"rate=\"");
    state.settings->limitReq = limit;
}

void setLimitReqStatus(BuildState& state, const Directive& d)
{
    long code;
    if (!parsePositive(d.args[0], 599, &code) || code < 400)
        fail(d, "value must be between 400 and 599");
    state.settings->limitReqStatus = static_cast<int>(code);
}

void checkAccessPolicies(const Config& config)
{
    for (size_t i = 0; i < config.servers.size(); ++i) {
        const ServerConfig& server = config.servers[i];
        checkPolicies(server.implicit);
        for (size_t l = 0; l < server.locations.size(); ++l)
            checkPolicies(server.locations[l]);
    }
}
