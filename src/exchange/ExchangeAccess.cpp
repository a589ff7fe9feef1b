// The access phases of an exchange: limits before anything else, the
// address rules and passwords of each location the request reaches.

#include "exchange/Exchange.hpp"

#include "handlers/ErrorPages.hpp"

namespace {

// `return` answers before any access phase, as nginx's rewrite phase;
// a bad target has nothing to protect.
bool skipsAccess(const RouteDecision& route)
{
    return route.action == ROUTE_RETURN || route.action == ROUTE_ERROR;
}

}

Exchange::Next Exchange::passLimits(long now, OutputQueue& out)
{
    if (skipsAccess(context_.route))
        return answerRequest(now, out);
    AccessVerdict limits = checkLimits(context_, client_, now);
    if (limits.status != 0)
        return refuseAccess(limits, out);
    if (limits.delayMs > 0) {
        phase_ = DELAYED;
        client_.delayUntil(now + limits.delayMs);
        return NEXT_WAIT;
    }
    return answerRequest(now, out);
}

// The location first matched, then (after try_files and index files) the
// one that answers, if another: *file is what the route serves.
AccessVerdict Exchange::passAccess(ResolvedFile* file, long now)
{
    const LocationConfig* first = context_.route.location;
    if (!skipsAccess(context_.route)) {
        AccessVerdict verdict = checkAccess(context_, client_.address(), generation_->verified);
        if (verdict.status != 0)
            return verdict;
    }
    ResolvedFile resolved = resolveRequest(now);
    file->swap(resolved);
    if (context_.route.location != first && !skipsAccess(context_.route))
        return checkAccess(context_, client_.address(), generation_->verified);
    return AccessVerdict();
}

// The refusal, with its challenge; the body, if any, is read and dropped
// (nginx keeps the connection) unless limit_conn wants it closed.
Exchange::Next Exchange::refuseAccess(const AccessVerdict& verdict, OutputQueue& out)
{
    bool hasBody = request_.framing != BODY_NONE;
    decoder_.start(request_.framing, request_.contentLength,
        context_.route.location->clientMaxBodySize);
    respondError(context_, verdict.status, response_);
    if (response_.head.status == 401 && !verdict.challenge.empty())
        response_.head.headers.set("WWW-Authenticate", verdict.challenge);
    if (verdict.close)
        return answer(hasBody ? LINGER_AFTER : CLOSE_AFTER, out);
    return answerWithoutBody(0, hasBody, out);
}
