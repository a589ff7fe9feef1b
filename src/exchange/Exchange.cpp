// The request side of an exchange: routing, session, policy, body.

#include "exchange/Exchange.hpp"

#include "handlers/Dispatcher.hpp"
#include "handlers/ErrorPages.hpp"
#include "router/InternalRedirects.hpp"

Exchange::Exchange(ServerContext& server, const ClientAddress& client)
    : server_(server),
      generation_(0),
      client_(*server.access, client.remoteAddress),
      phase_(IDLE),
      ending_(NEXT_CLOSE),
      upstreamGeneration_(0),
      internalRedirects_(0),
      bodyStart_(0),
      now_(0),
      log_(*server.accessLog)
{
    context_.fileCache = server_.fileCache;
    context_.statCache = server_.statCache;
    context_.sessions = server_.sessions;
    context_.statusSource = server_.statusSource;
    context_.request = &request_;
    context_.local = client.local;
    context_.remoteAddress = client.remoteAddress;
    context_.peerAddress = client.remoteAddress;
    context_.remotePort = client.remotePort;
    routeDefaults();
}

Exchange::~Exchange()
{
    // What still refers to the configuration goes first.
    upstream_.reset();
    bodyHandler_.reset();
    if (generation_)
        --generation_->users;
}

// Moves to the configuration new requests use (after a reload).
void Exchange::useCurrentConfig()
{
    if (generation_ == server_.current)
        return;
    if (generation_)
        --generation_->users;
    generation_ = server_.current;
    ++generation_->users;
    context_.config = &generation_->config;
    context_.router = &generation_->router;
}

// The default server's implicit location: the rules for a connection
// before a complete head names its server.
void Exchange::routeDefaults()
{
    useCurrentConfig();
    context_.route = RouteDecision();
    context_.session = SessionState();
    context_.route.server = &context_.router->selectServer(context_.local, "");
    context_.route.location = &context_.route.server->implicit;
}

long Exchange::timeout(long BlockSettings::*which) const
{
    return context_.route.location->*which;
}

void Exchange::reset()
{
    request_.clear();
    phase_ = IDLE;
}

void Exchange::routeRequest()
{
    ++server_.stats->requests;
    useCurrentConfig();
    RouteInput input;
    input.local = context_.local;
    input.host = request_.host;
    input.hostIsNormal = true;
    input.method = request_.method;
    input.target = request_.target;
    context_.router->route(input, context_.route);
    takeForwardedClient(context_);
    context_.remoteUser.clear();
    context_.session = SessionState();
}

// try_files and index files (internal redirects), then the session.
ResolvedFile Exchange::resolveRequest(long now)
{
    internalRedirects_ = 0;
    ResolvedFile file = resolveRoute(context_, &internalRedirects_);
    const LocationConfig& location = *context_.route.location;
    if (location.session) {
        context_.session = findSession(*server_.sessions, request_.headers, now,
            location.sessionTimeoutMs);
        context_.session.secure = context_.scheme == "https";
        // OPTIONS uses no session: probes (a CORS preflight carries no
        // cookie) must not start one each.
        context_.session.mayCreate = context_.route.action != ROUTE_OPTIONS;
    }
    return file;
}

Exchange::Next Exchange::begin(long now, OutputQueue& out)
{
    now_ = now;
    phase_ = ANSWERING;
    routeRequest();
    if (request_.expectation == EXPECT_UNSUPPORTED) {
        respondError(context_, 417, response_);
        return answer(request_.framing != BODY_NONE ? CLOSE_AFTER : KEEP_OPEN, out);
    }
    return passLimits(now, out);
}

// The request, past its limits: access, then the answer.
Exchange::Next Exchange::answerRequest(long now, OutputQueue& out)
{
    phase_ = ANSWERING;
    ResolvedFile file;
    AccessVerdict access = passAccess(&file, now);
    if (access.status != 0)
        return refuseAccess(access, out);
    const LocationConfig& location = *context_.route.location;
    bool hasBody = request_.framing != BODY_NONE;
    // The body limit applies once `return`, the access rules and
    // allow_methods have let the request through, before any byte of the
    // body is read.
    int limitStatus = decoder_.start(request_.framing, request_.contentLength,
        location.clientMaxBodySize);
    // A proxied location passes every method on (the application decides).
    RouteAction action = context_.route.action;
    bool methodPassed = action == ROUTE_PROXY
        || (action != ROUTE_RETURN && (methodBit(request_.method) & location.allowList()));
    if (limitStatus != 0 && methodPassed)
        return fail(limitStatus, now, out);
    if (action == ROUTE_CGI || action == ROUTE_PROXY)
        return startUpstream(hasBody, now, out);
    int status = 0;
    bodyHandler_.reset(createBodyHandler(context_, &status));
    if (bodyHandler_.get()) {
        if (hasBody && request_.expectation == EXPECT_CONTINUE)
            out.appendable() += "HTTP/1.1 100 Continue\r\n\r\n";
        phase_ = READING_BODY;
        return NEXT_READ_BODY;
    }
    if (status == 0)
        respond(context_, file, response_);
    return answerWithoutBody(status, hasBody, out);
}

// Answers (with status, or with response_ as the handler made it when 0)
// a request whose body nobody needs. The answer goes out at once and the
// body is read and dropped afterwards, as nginx discards it, so the
// connection stays usable. Over the limit, or never sent (the client waits
// for 100 Continue), it ends the connection instead.
Exchange::Next Exchange::answerWithoutBody(int status, bool hasBody, OutputQueue& out)
{
    if (status != 0)
        respondError(context_, status, response_);
    if (!hasBody)
        return answer(KEEP_OPEN, out);
    bool discard = decoder_.errorStatus() == 0 && request_.expectation != EXPECT_CONTINUE;
    return answer(discard ? DISCARD_THEN_KEEP_OPEN : CLOSE_AFTER, out);
}

Exchange::Next Exchange::fail(int status, long now, OutputQueue& out)
{
    now_ = now;
    if (phase_ == IDLE)
        routeDefaults();
    bodyHandler_.reset();
    upstream_.reset();
    respondError(context_, status, response_);
    return answer(LINGER_AFTER, out);
}

bool Exchange::acceptsBody() const
{
    if (phase_ == TUNNELLING)
        return upstream_.get() && upstream_->acceptsBody();
    return phase_ != READING_BODY || !upstream_.get() || upstream_->acceptsBody();
}

Exchange::Next Exchange::readBody(const char* data, size_t len, size_t* consumed, long now,
    OutputQueue& out)
{
    now_ = now;
    *consumed = 0;
    if (upstream_.get() && upstream_->phase() == Upstream::FAILED)
        return fail(upstream_->failureStatus(), now, out);
    if (answeredBeforeBody())
        return answerFromUpstream(out);
    for (;;) {
        size_t used = 0;
        const char* piece = 0;
        size_t pieceLen = 0;
        BodyDecoder::Result result = decoder_.next(data + *consumed, len - *consumed, &used,
            &piece, &pieceLen);
        *consumed += used;
        if (result == BodyDecoder::DATA) {
            int status = upstream_.get() ? upstream_->onBodyData(piece, pieceLen)
                : bodyHandler_.get() ? bodyHandler_->onBodyData(piece, pieceLen) : 0;
            if (status != 0)
                return fail(status, now, out);
            if (!acceptsBody())
                return NEXT_READ_BODY;  // the upstream's stdin is full: the rest waits
            continue;
        }
        if (result == BodyDecoder::NEED_MORE)
            return phase_ == DISCARDING_BODY ? NEXT_DISCARD_BODY : NEXT_READ_BODY;
        if (result == BodyDecoder::DONE)
            return endBody(now, out);
        if (phase_ == DISCARDING_BODY) {
            // A discarded body was malformed: the answer already queued
            // still goes out, then the connection ends.
            phase_ = DONE;
            return NEXT_LINGER;
        }
        return fail(decoder_.errorStatus(), now, out);
    }
}

Exchange::Next Exchange::endBody(long now, OutputQueue& out)
{
    if (phase_ == DISCARDING_BODY) {
        phase_ = DONE;
        return NEXT_KEEP_ALIVE;
    }
    if (upstream_.get()) {
        int status = upstream_->onBodyEnd();
        if (status != 0)
            return fail(status, now, out);
        phase_ = WAITING_UPSTREAM;
        return pump(now, out);
    }
    bodyHandler_->onBodyEnd(response_);
    bodyHandler_.reset();
    return answer(KEEP_OPEN, out);
}

Exchange::Next Exchange::pump(long now, OutputQueue& out)
{
    now_ = now;
    if (phase_ == DELAYED)
        return now >= client_.delayedUntil() ? answerRequest(now, out) : NEXT_WAIT;
    if (phase_ == WAITING_UPSTREAM)
        return answerFromUpstream(out);
    if (phase_ == STREAMING || phase_ == TUNNELLING)
        return stream(out);
    if (phase_ == READING_BODY && upstream_.get() && upstream_->phase() == Upstream::FAILED)
        return fail(upstream_->failureStatus(), now, out);
    if (answeredBeforeBody())
        return answerFromUpstream(out);
    return phase_ == DISCARDING_BODY ? NEXT_DISCARD_BODY : NEXT_READ_BODY;
}

void Exchange::abandon()
{
    upstream_.reset();
    bodyHandler_.reset();
    response_.reset(0);
}

void Exchange::onClosed(unsigned long sent)
{
    // A body cut short (the client left, a graceful stop ran out of time)
    // is logged too, with the bytes that did leave, as nginx logs it.
    if (phase_ == STREAMING || phase_ == TUNNELLING) {
        expectLogLine(~0UL);
        phase_ = DONE;
    }
    upstream_.reset();      // a script still running is killed and reaped
    bodyHandler_.reset();   // an upload in progress removes its files
    response_.reset(0);
    log_.onClosed(sent);
}
