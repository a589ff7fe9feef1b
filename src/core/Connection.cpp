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
const size_t kFileChunk = 64 * 1024;
const long kLingerMs = 2000;
// Buffers above this size are freed when a connection goes idle, so idle
// keep-alive connections cost little memory.
const size_t kIdleBufferCapacity = 4096;

bool statusHasBody(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

void releaseIfLarge(std::string& buffer)
{
    if (buffer.capacity() > kIdleBufferCapacity)
        std::string().swap(buffer);
    else
        buffer.clear();
}

}

Connection::Connection(ServerContext& server, int fd, long now)
    : server_(server),
      socket_(fd),
      state_(READING_HEAD),
      now_(now),
      inPos_(0),
      outPos_(0),
      headDeadlineSet_(true),
      discardBody_(false),
      keepAlive_(false),
      lingerOnClose_(false),
      fileLeft_(0),
      headBytes_(0),
      bytesSent_(0)
{
    context_.config = server_.config;
    context_.router = server_.router;
    context_.fileCache = server_.fileCache;
    context_.request = &request_;
    context_.local = localAddressOf(fd);
    context_.remoteAddress = peerAddressOf(fd, &context_.remotePort);
    routeDefaults();
    headerTimeoutMs_ = context_.route.location->clientHeaderTimeoutMs;
    // A fresh connection gets client_header_timeout for its first request,
    // counted from the accept; silence until then closes it without a word.
    deadline_ = now + headerTimeoutMs_;
}

short Connection::interest() const
{
    switch (state_) {
    case READING_BODY:
        // A 100 Continue may be waiting to go out while the body arrives.
        return POLLIN | (outPos_ < out_.size() ? POLLOUT : 0);
    case READING_HEAD:
    case LINGERING:
        return POLLIN;
    case WRITING:
        return POLLOUT;
    case CLOSED:
        break;
    }
    return 0;
}

// The one place where the state changes, with what each state needs on
// entry: its deadline and, for LINGERING and CLOSED, the socket's end.
void Connection::enter(State next)
{
    state_ = next;
    switch (next) {
    case READING_HEAD:
        // Idle until the next request: the finished request's location
        // decides how long; the next one starts from the defaults again.
        deadline_ = now_ + timeout(&BlockSettings::keepaliveTimeoutMs);
        headDeadlineSet_ = false;
        routeDefaults();
        break;
    case READING_BODY:
        deadline_ = now_ + timeout(&BlockSettings::clientBodyTimeoutMs);
        break;
    case WRITING:
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
        deadline_ = 0;
        break;
    }
}

long Connection::timeout(long BlockSettings::*which) const
{
    return context_.route.location->*which;
}

void Connection::onReady(short revents, long now)
{
    now_ = now;
    short wanted = interest();
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
    if (state_ == READING_HEAD && parser_.started())
        failRequest(408);
    else if (state_ == READING_BODY && !discardBody_)
        failRequest(408);
    else
        enter(CLOSED);
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
    process();
}

// Works through buffered input until a state needs more bytes or is
// waiting to write.
void Connection::process()
{
    for (;;) {
        State before = state_;
        if (state_ == READING_HEAD)
            parseHead();
        else if (state_ == READING_BODY)
            readBody();
        if (state_ == before)
            break;
    }
    // Consumed bytes go now, so the buffer never grows past what is pending.
    in_.erase(0, inPos_);
    inPos_ = 0;
    if (in_.empty() && state_ == READING_HEAD)
        releaseIfLarge(in_);
}

void Connection::parseHead()
{
    size_t consumed = 0;
    RequestParser::Result result
        = parser_.parse(in_.data() + inPos_, in_.size() - inPos_, &consumed, request_);
    inPos_ += consumed;
    if (result == RequestParser::FAILED) {
        failRequest(parser_.errorStatus());
    } else if (result == RequestParser::DONE) {
        startRequest();
    } else if (parser_.started() && !headDeadlineSet_) {
        // The first bytes of a request on a kept-alive connection start
        // its client_header_timeout.
        deadline_ = now_ + headerTimeoutMs_;
        headDeadlineSet_ = true;
    }
}

void Connection::startRequest()
{
    ++server_.stats->requests;
    RouteInput input;
    input.local = context_.local;
    const std::string* host = request_.headers.find("Host");
    input.host = host ? *host : std::string();
    input.method = request_.method;
    input.target = request_.target;
    context_.route = server_.router->route(input);
    bool hasBody = request_.framing != BODY_NONE;
    if (request_.expectation == EXPECT_UNSUPPORTED) {
        respondError(context_, 417, response_);
        sendResponse(hasBody);
        return;
    }
    // The body limit applies once `return` and allow_methods have let the
    // request through (HTTP.md), before any byte of the body is read.
    const LocationConfig& location = *context_.route.location;
    int limitStatus = decoder_.start(request_.framing, request_.contentLength,
        location.clientMaxBodySize);
    bool methodPassed = context_.route.action != ROUTE_RETURN
        && (methodBit(request_.method) & location.allowMethods);
    if (limitStatus != 0 && methodPassed) {
        failRequest(limitStatus);
        return;
    }
    int status = 0;
    bodyHandler_.reset(createBodyHandler(context_, &status));
    if (bodyHandler_.get()) {
        if (hasBody && request_.expectation == EXPECT_CONTINUE)
            out_ += "HTTP/1.1 100 Continue\r\n\r\n";
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

void Connection::readBody()
{
    for (;;) {
        size_t consumed = 0;
        const char* piece = 0;
        size_t pieceLen = 0;
        BodyDecoder::Result result = decoder_.next(in_.data() + inPos_, in_.size() - inPos_,
            &consumed, &piece, &pieceLen);
        inPos_ += consumed;
        if (result == BodyDecoder::DATA) {
            int status = bodyHandler_.get() ? bodyHandler_->onBodyData(piece, pieceLen) : 0;
            if (status != 0) {
                failRequest(status);
                return;
            }
            continue;
        }
        if (result == BodyDecoder::NEED_MORE) {
            deadline_ = now_ + timeout(&BlockSettings::clientBodyTimeoutMs);
        } else if (result == BodyDecoder::DONE && bodyHandler_.get()) {
            bodyHandler_->onBodyEnd(response_);
            bodyHandler_.reset();
            sendResponse(false);
        } else if (result == BodyDecoder::DONE) {
            discardBody_ = false;
            enter(READING_HEAD);
        } else if (bodyHandler_.get()) {
            failRequest(decoder_.errorStatus());
        } else {
            enter(CLOSED);   // a discarded body was malformed: nobody waits for an answer
        }
        return;
    }
}

// Errors the parser or a timer found, answered by the rules of the route
// (the default server's until a head is complete) and closing after.
void Connection::failRequest(int status)
{
    bodyHandler_.reset();
    respondError(context_, status, response_);
    lingerOnClose_ = true;
    sendResponse(true);
}

void Connection::routeDefaults()
{
    context_.route = RouteDecision();
    context_.route.server = &server_.router->selectServer(context_.local, "");
    context_.route.location = &context_.route.server->implicit;
}

void Connection::sendResponse(bool mustClose)
{
    ResponseHead& head = response_.head;
    keepAlive_ = !mustClose && request_.keepAlive && !response_.closeConnection
        && !server_.stopping && timeout(&BlockSettings::keepaliveTimeoutMs) > 0;
    bool headOnly = request_.method == "HEAD" || !statusHasBody(head.status);
    HeaderMap& fields = head.headers;
    if (statusHasBody(head.status))
        fields.set("Content-Length", toString(static_cast<long>(response_.bodyLength())));
    fields.set("Connection", keepAlive_ ? "keep-alive" : "close");
    head.serialize(out_);
    headBytes_ = out_.size() - outPos_;
    bytesSent_ = 0;
    fileLeft_ = 0;
    if (!headOnly && response_.hasFile())
        fileLeft_ = response_.fileLength;
    else if (!headOnly)
        out_ += response_.body;
    enter(WRITING);
}

// Tops up the output with the next piece of the file body. Regular files
// are read directly; the socket write still waits for POLLOUT.
bool Connection::refillFromFile()
{
    if (fileLeft_ == 0 || out_.size() - outPos_ >= kFileChunk)
        return true;
    out_.erase(0, outPos_);
    outPos_ = 0;
    size_t want = fileLeft_ < static_cast<off_t>(kFileChunk) ? static_cast<size_t>(fileLeft_) : kFileChunk;
    size_t old = out_.size();
    out_.resize(old + want);
    ssize_t n = read(response_.file.get(), &out_[old], want);
    if (n <= 0) {
        out_.resize(old);
        return false;   // the file shrank or failed under us: the length is a lie now
    }
    out_.resize(old + static_cast<size_t>(n));
    fileLeft_ -= n;
    return true;
}

void Connection::writeOutput()
{
    if (state_ == WRITING && !refillFromFile()) {
        enter(CLOSED);
        return;
    }
    ssize_t n = write(socket_.get(), out_.data() + outPos_, out_.size() - outPos_);
    if (n <= 0) {
        enter(CLOSED);
        return;
    }
    outPos_ += static_cast<size_t>(n);
    if (state_ != WRITING)
        return;            // an interim 100 Continue, while the body arrives
    bytesSent_ += n;
    deadline_ = now_ + timeout(&BlockSettings::sendTimeoutMs);
    if (outPos_ < out_.size() || fileLeft_ > 0)
        return;
    outPos_ = 0;
    releaseIfLarge(out_);
    finishResponse();
}

void Connection::finishResponse()
{
    logAccess();
    response_.reset(0);
    if (!keepAlive_) {
        enter(lingerOnClose_ ? LINGERING : CLOSED);
        return;
    }
    parser_.reset();
    request_.clear();
    enter(discardBody_ ? READING_BODY : READING_HEAD);
    process();
}

void Connection::logAccess()
{
    AccessRecord record;
    record.remoteAddress = context_.remoteAddress;
    record.requestLine = request_.method.empty() ? std::string() : request_.requestLine();
    record.status = response_.head.status;
    record.bodyBytes = bytesSent_ > static_cast<off_t>(headBytes_) ? bytesSent_ - headBytes_ : 0;
    const std::string* referer = request_.headers.find("Referer");
    const std::string* agent = request_.headers.find("User-Agent");
    record.referer = referer ? *referer : std::string();
    record.userAgent = agent ? *agent : std::string();
    server_.accessLog->write(context_.route.location->accessLog, record);
}
