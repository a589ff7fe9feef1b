// The access phases of a request (see AccessControl.hpp).

#include "exchange/AccessControl.hpp"

#include <algorithm>
#include <sys/socket.h>

#include "http/BasicAuth.hpp"
#include "util/Strings.hpp"

namespace {

// limit_req keys: a table of at most this many client addresses (with
// their rule) holds about 2 MiB, as nginx's 1 MiB zone holds 16 000 states.
const size_t kMaxRateKeys = 16384;
const size_t kMaxVerified = 1024;

enum RuleMatch {
    RULES_SILENT,           // no rule matched (or there are none)
    RULES_ALLOW,
    RULES_DENY
};

RuleMatch matchRules(const std::vector<AccessRule>& rules, const IpAddress& client)
{
    for (size_t i = 0; i < rules.size(); ++i)
        if (rangeContains(rules[i].range, client))
            return rules[i].allow ? RULES_ALLOW : RULES_DENY;
    return RULES_SILENT;
}

std::string addressKey(const IpAddress& address)
{
    static const unsigned char kMapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
    const unsigned char* bytes = address.bytes;
    size_t length = address.family == AF_INET6 ? 16 : 4;
    if (length == 16 && std::equal(kMapped, kMapped + 12, bytes)) {
        bytes += 12;
        length = 4;
    }
    return std::string(reinterpret_cast<const char*>(bytes), length);
}

std::string quoted(const std::string& text)
{
    std::string out = "\"";
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"' || text[i] == '\\')
            out += '\\';
        out += text[i];
    }
    return out + "\"";
}

// Whether the request's Basic credentials match the user file; the
// error-log line when they name a user but do not match.
bool passwordMatches(RequestContext& ctx, const AccessPolicy& policy,
    VerifiedCredentials& verified)
{
    const std::string* authorization = ctx.request->headers.find("Authorization");
    std::string user;
    std::string password;
    if (!authorization || !basicAuthCredentials(*authorization, &user, &password))
        return false;
    std::string key = policy.userFile + '\n' + *authorization;
    if (verified.contains(key)) {
        ctx.remoteUser = user;
        return true;
    }
    std::map<std::string, UserFile>::const_iterator file = ctx.config->userFiles.find(policy.userFile);
    const PasswordEntry* entry = file == ctx.config->userFiles.end() ? 0 : file->second.find(user);
    if (!entry) {
        // As long as a known user's check takes: no telling who exists.
        if (file != ctx.config->userFiles.end() && !file->second.entries.empty())
            verifyPassword(file->second.entries[0], password);
        logRequestError(ctx, "user \"" + user + "\" was not found in \"" + policy.userFile + "\"");
        return false;
    }
    if (!verifyPassword(*entry, password)) {
        logRequestError(ctx, "user \"" + user + "\": password mismatch");
        return false;
    }
    verified.add(key);
    ctx.remoteUser = user;
    return true;
}

AccessVerdict refuse(int status)
{
    AccessVerdict verdict;
    verdict.status = status;
    return verdict;
}

AccessVerdict challenge(const AccessPolicy& policy)
{
    AccessVerdict verdict = refuse(401);
    verdict.challenge = basicChallenge(policy.realm);
    return verdict;
}

AccessVerdict checkRequestRate(const RequestContext& ctx, ClientLimits& client, long now)
{
    const LocationConfig& location = *ctx.route.location;
    const RequestLimit& limit = location.limitReq;
    long delayMs = 0;
    RequestRateTable::Verdict rate = client.tables().requestRates.take(
        limit.id + '\n' + client.key(), limit.milliRate, limit.burst, now, &delayMs);
    if (rate == RequestRateTable::RATE_REJECT) {
        logRequestError(ctx, "limiting requests by \"limit_req\" in " + limit.id);
        return refuse(location.limitReqStatus);
    }
    AccessVerdict verdict;
    if (rate == RequestRateTable::RATE_DELAY && limit.delay != kNoDelay) {
        // delay=D: the first D requests of the burst go at once.
        long exempt = limit.delay * 1000L * 1000L / limit.milliRate;
        verdict.delayMs = delayMs > exempt ? delayMs - exempt : 0;
    }
    return verdict;
}

AccessVerdict checkConnections(const RequestContext& ctx, ClientLimits& client)
{
    long limit = ctx.route.location->limitConn;
    ConnectionSlots& slots = client.tables().connectionSlots;
    ConnectionSlots::Verdict slot = client.holdsSlot() ? slots.check(client.key(), limit)
        : slots.take(client.key(), limit);
    if (slot == ConnectionSlots::SLOT_TAKEN) {
        client.takeSlot();
        return AccessVerdict();
    }
    if (slot == ConnectionSlots::SLOT_REFUSED_FIRST)
        logRequestError(ctx, "limiting connections to " + toString(limit)
            + " by client address (further refusals of this burst are not logged)");
    AccessVerdict verdict = refuse(503);
    verdict.close = true;
    return verdict;
}

}

AccessTables::AccessTables() : requestRates(kMaxRateKeys)
{
}

size_t AccessTables::memoryBytes() const
{
    return requestRates.memoryBytes() + connectionSlots.memoryBytes();
}

void VerifiedCredentials::add(const std::string& key)
{
    if (keys_.size() >= kMaxVerified)
        keys_.clear();      // rare, and verifying again is only slow
    keys_.insert(key);
}

ClientLimits::ClientLimits(AccessTables& tables, const std::string& remoteAddress)
    : tables_(tables), holdsSlot_(false), delayedUntil_(0)
{
    parseIpAddress(remoteAddress, &address_);
    key_ = addressKey(address_);
}

ClientLimits::~ClientLimits()
{
    if (holdsSlot_)
        tables_.connectionSlots.give(key_);
}

AccessVerdict checkLimits(const RequestContext& ctx, ClientLimits& client, long now)
{
    const LocationConfig& location = *ctx.route.location;
    AccessVerdict rate;
    if (location.limitReq.milliRate > 0)
        rate = checkRequestRate(ctx, client, now);
    if (rate.status != 0 || location.limitConn == 0)
        return rate;
    AccessVerdict connections = checkConnections(ctx, client);
    return connections.status != 0 ? connections : rate;
}

AccessVerdict checkAccess(RequestContext& ctx, const IpAddress& client,
    VerifiedCredentials& verified)
{
    const LocationConfig& location = *ctx.route.location;
    const AccessPolicy& policy = location.accessFor(ctx.request->method);
    RuleMatch rules = matchRules(policy.rules, client);
    if (location.satisfy == SATISFY_ANY) {
        if (rules == RULES_ALLOW)
            return AccessVerdict();
        if (policy.auth)    // a refused password answers 401, not the rules' 403
            return passwordMatches(ctx, policy, verified) ? AccessVerdict() : challenge(policy);
        return rules == RULES_DENY ? refuse(403) : AccessVerdict();
    }
    if (rules == RULES_DENY) {
        logRequestError(ctx, "access forbidden by rule");
        return refuse(403);
    }
    if (policy.auth && !passwordMatches(ctx, policy, verified))
        return challenge(policy);
    return AccessVerdict();
}

std::string basicChallenge(const std::string& realm)
{
    return "Basic realm=" + quoted(realm) + ", charset=\"UTF-8\"";
}
