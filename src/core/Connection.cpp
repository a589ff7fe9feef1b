#include "core/Connection.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/Listener.hpp"
#include "handlers/Dispatcher.hpp"
#include "handlers/ErrorPages.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

const size_t kReadChunk = 64 * 1024;
const long kLingerMs = 2000;

}

Connection::Connection(ServerContext& server, int fd, long now)
    : server_(server),
      generation_(0),
      socket_(fd),
      state_(READING_HEAD),
      now_(now),
      inPos_(0),
      internalRedirects_(0),
      cgiGeneration_(0),
      headDeadlineSet_(true),
      handling_(false),
      routeStale_(false),
      waitingSinceMs_(now),
      headStartedMs_(0),
      discardBody_(false),
      keepAlive_(false),
      lingerOnClose_(false),
      fileLeft_(0),
      cgiStreaming_(false),
      cgiChunked_(false),
      cgiLeft_(0),
      bodyBytes_(0)
{
    context_.fileCache = server_.fileCache;
    context_.statCache = server_.statCache;
    context_.sessions = server_.sessions;
    context_.statusSource = server_.statusSource;
    context_.request = &request_;
    context_.local = localAddressOf(fd);
    context_.remoteAddress = peerAddressOf(fd, &context_.remotePort);
    routeDefaults();
    headerTimeoutMs_ = context_.route.location->clientHeaderTimeoutMs;
    // A fresh connection gets client_header_timeout for its first request,
    // counted from the accept; silence until then closes it without a word.
    deadline_ = now + headerTimeoutMs_;
}

Connection::~Connection()
{
    // What still refers to the configuration goes first.
    cgi_.reset();
    bodyHandler_.reset();
    if (generation_)
        --generation_->users;
}

// Moves to the configuration new requests use (after a reload).
void Connection::useCurrentConfig()
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

// The one place where the state changes, with what each state needs on
// entry: its deadline and, for LINGERING and CLOSED, the socket's end.
void Connection::enter(State next)
{
    state_ = next;
    switch (next) {
    case READING_HEAD:
        // Idle until the next request: the finished request's location
        // decides how long. The next one routes itself; an error before
        // that uses the defaults (routeDefaults, only then: it costs).
        deadline_ = now_ + timeout(&BlockSettings::keepaliveTimeoutMs);
        headDeadlineSet_ = false;
        waitingSinceMs_ = now_;
        headStartedMs_ = 0;
        handling_ = false;
        routeStale_ = true;
        break;
    case READING_BODY:
        deadline_ = now_ + timeout(&BlockSettings::clientBodyTimeoutMs);
        break;
    case WAITING_CGI:
        deadline_ = 0;      // the script's own cgi_timeout runs
        break;
    case WRITING:
        deadline_ = now_ + timeout(&BlockSettings::sendTimeoutMs);
        break;
    case FLUSHING:
        if (output_.empty()) {
            enter(lingerOnClose_ ? LINGERING : CLOSED);
            return;
        }
        deadline_ = now_ + timeout(&BlockSettings::sendTimeoutMs);
        break;
    case LINGERING:
        shutdown(socket_.get(), SHUT_WR);
        deadline_ = now_ + kLingerMs;
        break;
    case CLOSED:
        socket_.reset();
        response_.reset(0);
        bodyHandler_.reset();
        cgi_.reset();       // a script still running is killed and reaped
        deadline_ = 0;
        break;
    }
}

long Connection::timeout(long BlockSettings::*which) const
{
    return context_.route.location->*which;
}

void Connection::onReady(Endpoint endpoint, short revents, long now)
{
    now_ = now;
    if (endpoint != CLIENT_SOCKET) {
        if (endpointFd(endpoint) >= 0)
            onCgiReady(endpoint, revents);
        return;
    }
    short wanted = interest(CLIENT_SOCKET);
    bool handled = false;
    if ((wanted & POLLOUT) && (revents & (POLLOUT | POLLHUP | POLLERR))) {
        writeOutput();
        handled = true;
    }
    if ((wanted & POLLIN) && state_ != CLOSED && (revents & (POLLIN | POLLHUP | POLLERR))) {
        readInput();
        handled = true;
    }
    if (!handled && (revents & (POLLERR | POLLHUP | POLLNVAL)))
        enter(CLOSED);
}

void Connection::onTimeout(long now)
{
    now_ = now;
    if (cgi_.get() && cgi_->deadline() != 0 && cgi_->deadline() <= now) {
        cgi_->onTimeout(now);
        advanceCgi();
        if (state_ == READING_HEAD)
            process();      // requests pipelined behind the script
    } else if (state_ == READING_HEAD && parser_.started()) {
        failRequest(408);
    } else if (state_ == READING_BODY && !discardBody_) {
        failRequest(408);
    } else {
        enter(CLOSED);
    }
}

// One read per readiness report: a read error or EOF ends the connection
// (a half-closed client has nothing left to send us that we wait for).
void Connection::readInput()
{
    char buffer[kReadChunk];
    ssize_t n = read(socket_.get(), buffer, sizeof buffer);
    if (n <= 0) {
        enter(CLOSED);
        return;
    }
    if (state_ == LINGERING)
        return;
    in_.append(buffer, static_cast<size_t>(n));
    if (state_ != WAITING_CGI)
        process();
}

// Works through buffered input until a state needs more bytes or is
// waiting to write.
void Connection::process()
{
    for (;;) {
        bool progressed = false;
        if (state_ == READING_HEAD && output_.pending() >= kMaxQueuedOutput)
            break;          // enough answers wait; the rest when they are out
        if (state_ == READING_HEAD)
            progressed = parseHead();
        else if (state_ == READING_BODY)
            progressed = readBody();
        if (!progressed)
            break;
    }
    // Consumed bytes go now, so the buffer never grows past what is pending.
    in_.erase(0, inPos_);
    inPos_ = 0;
}

// True when a request head was completed (and answered or started) or
// refused; false when more bytes are needed.
bool Connection::parseHead()
{
    size_t consumed = 0;
    RequestParser::Result result
        = parser_.parse(in_.data() + inPos_, in_.size() - inPos_, &consumed, request_);
    inPos_ += consumed;
    if (result == RequestParser::FAILED) {
        failRequest(parser_.errorStatus());
        return true;
    }
    if (result == RequestParser::DONE) {
        startRequest();
        return true;
    }
    if (parser_.started() && !headDeadlineSet_) {
        // The first bytes of a request on a kept-alive connection start
        // its client_header_timeout.
        deadline_ = now_ + headerTimeoutMs_;
        headDeadlineSet_ = true;
    }
    if (parser_.started() && headStartedMs_ == 0)
        headStartedMs_ = now_;
    return false;
}

void Connection::startRequest()
{
    ++server_.stats->requests;
    handling_ = true;
    routeStale_ = false;
    useCurrentConfig();
    RouteInput input;
    input.local = context_.local;
    const std::string* host = request_.headers.find("Host");
    input.host = host ? *host : std::string();
    input.method = request_.method;
    input.target = request_.target;
    context_.router->route(input, context_.route);
    const LocationConfig& location = *context_.route.location;
    context_.session = SessionState();
    if (location.session)
        context_.session = attachSession(*server_.sessions, request_.headers, now_,
            location.sessionTimeoutMs);
    bool hasBody = request_.framing != BODY_NONE;
    if (request_.expectation == EXPECT_UNSUPPORTED) {
        respondError(context_, 417, response_);
        sendResponse(hasBody);
        return;
    }
    // The body limit applies once `return` and allow_methods have let the
    // request through (HTTP.md), before any byte of the body is read.
    int limitStatus = decoder_.start(request_.framing, request_.contentLength,
        location.clientMaxBodySize);
    bool methodPassed = context_.route.action != ROUTE_RETURN
        && (methodBit(request_.method) & location.allowMethods);
    if (limitStatus != 0 && methodPassed) {
        failRequest(limitStatus);
        return;
    }
    if (context_.route.action == ROUTE_CGI) {
        startCgi(hasBody);
        return;
    }
    int status = 0;
    bodyHandler_.reset(createBodyHandler(context_, &status));
    if (bodyHandler_.get()) {
        if (hasBody && request_.expectation == EXPECT_CONTINUE)
            output_.appendable() += "HTTP/1.1 100 Continue\r\n\r\n";
        enter(READING_BODY);
        return;
    }
    if (status != 0)
        respondError(context_, status, response_);
    else
        respond(context_, response_);
    // Nobody needs the body: the answer goes out at once and the body is
    // read and dropped afterwards, as nginx discards it, so the connection
    // stays usable. Over the limit, or never sent (the client waits for
    // 100 Continue), it ends the connection instead.
    discardBody_ = hasBody && limitStatus == 0 && request_.expectation != EXPECT_CONTINUE;
    sendResponse(hasBody && !discardBody_);
}

// True when the body ended (well or not); false when more bytes are
// needed or the script's stdin must drain first.
bool Connection::readBody()
{
    for (;;) {
        size_t consumed = 0;
        const char* piece = 0;
        size_t pieceLen = 0;
        BodyDecoder::Result result = decoder_.next(in_.data() + inPos_, in_.size() - inPos_,
            &consumed, &piece, &pieceLen);
        inPos_ += consumed;
        if (result == BodyDecoder::DATA) {
            int status = cgi_.get() ? cgi_->onBodyData(piece, pieceLen)
                : bodyHandler_.get() ? bodyHandler_->onBodyData(piece, pieceLen) : 0;
            if (status != 0) {
                failRequest(status);
                return true;
            }
            if (cgi_.get() && !cgi_->acceptsBody())
                return false;   // the script's stdin is full: the rest waits in in_
            continue;
        }
        if (result == BodyDecoder::NEED_MORE) {
            deadline_ = now_ + timeout(&BlockSettings::clientBodyTimeoutMs);
            return false;
        }
        if (result == BodyDecoder::DONE && cgi_.get()) {
            endCgiBody();
        } else if (result == BodyDecoder::DONE && bodyHandler_.get()) {
            bodyHandler_->onBodyEnd(response_);
            bodyHandler_.reset();
            sendResponse(false);
        } else if (result == BodyDecoder::DONE) {
            discardBody_ = false;
            enter(READING_HEAD);
        } else if (bodyHandler_.get() || cgi_.get()) {
            failRequest(decoder_.errorStatus());
        } else {
            // A discarded body was malformed: the answer already queued
            // still goes out, then the connection ends.
            lingerOnClose_ = true;
            enter(FLUSHING);
        }
        return true;
    }
}

// Errors the parser or a timer found, answered by the rules of the route
// (the default server's until a head is complete) and closing after.
void Connection::failRequest(int status)
{
    if (routeStale_)
        routeDefaults();
    bodyHandler_.reset();
    cgi_.reset();
    respondError(context_, status, response_);
    lingerOnClose_ = true;
    sendResponse(true);
}

void Connection::routeDefaults()
{
    routeStale_ = false;
    useCurrentConfig();
    context_.route = RouteDecision();
    context_.session = SessionState();
    context_.route.server = &context_.router->selectServer(context_.local, "");
    context_.route.location = &context_.route.server->implicit;
}

