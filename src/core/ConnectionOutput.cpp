#include "core/Connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "util/Strings.hpp"

namespace {

// A file body is copied through the output buffer in pieces of this size.
// Measured here (loopback, 16 MiB files): 2080 MiB/s, against 1790 with
// 256 KiB pieces and 1180 with sendfile(), whose page-sized fragments make
// the receiver's copy dearer.
const size_t kFileChunk = 64 * 1024;

// HTTP.md: these answers always end the connection, whoever found them.
bool statusCloses(int status)
{
    return status == 400 || status == 408 || status == 413 || status == 414 || status == 431
        || status == 501 || status == 505;
}

}

// Queues response_'s head, its framing fields already set, deciding
// whether the connection stays open after it.
void Connection::queueHead(bool mustClose)
{
    ResponseHead& head = response_.head;
    if (statusCloses(head.status)) {
        mustClose = true;
        lingerOnClose_ = true;
    }
    keepAlive_ = !mustClose && request_.keepAlive && !response_.closeConnection
        && !server_.stopping && timeout(&BlockSettings::keepaliveTimeoutMs) > 0;
    head.headers.add("Connection", keepAlive_ ? "keep-alive" : "close");
    std::string cookie = sessionCookie(*server_.sessions, context_.session, now_);
    if (!cookie.empty())
        head.headers.add("Set-Cookie", cookie);
    head.serialize(output_.appendable());
    bodyBytes_ = 0;
    fileLeft_ = 0;
}

// A response whose body is in memory or in a file. One from memory is
// complete once queued: on a connection that stays open the next pipelined
// request is answered at once, its response joining the same buffer, and
// one write() sends them all.
void Connection::sendResponse(bool mustClose)
{
    ResponseHead& head = response_.head;
    bool headOnly = request_.method == "HEAD" || !statusAllowsBody(head.status);
    // Handlers never set the framing fields: adding is enough.
    if (statusAllowsBody(head.status))
        head.headers.add("Content-Length", toString(static_cast<long>(response_.bodyLength())));
    queueHead(mustClose);
    if (!headOnly && response_.hasFile()) {
        fileLeft_ = response_.fileLength;
        bodyBytes_ = response_.fileLength;
    } else if (!headOnly) {
        if (response_.sharedBody.valid())
            output_.appendShared(response_.sharedBody);
        else
            output_.appendable() += response_.body;
        bodyBytes_ = static_cast<off_t>(response_.memoryBody().size());
    }
    if (fileLeft_ == 0)
        finishResponse();
    else
        enter(WRITING);
}

// Tops up the output with the next piece of the file body. Regular files
// are read directly; the socket write still waits for POLLOUT.
bool Connection::refillFromFile()
{
    if (fileLeft_ == 0 || output_.pending() >= kFileChunk)
        return true;
    std::string& out = output_.appendable();
    size_t want = fileLeft_ < static_cast<off_t>(kFileChunk) ? static_cast<size_t>(fileLeft_) : kFileChunk;
    size_t old = out.size();
    out.resize(old + want);
    ssize_t n = pread(response_.file.get(), &out[old], want, response_.fileOffset);
    if (n <= 0) {
        out.resize(old);
        return false;   // the file shrank or failed under us: the length is a lie now
    }
    out.resize(old + static_cast<size_t>(n));
    response_.fileOffset += n;
    fileLeft_ -= n;
    return true;
}

void Connection::writeOutput()
{
    if (state_ == WRITING && !refillFromFile()) {
        enter(CLOSED);
        return;
    }
    if (state_ == WRITING && cgiStreaming_)
        pullCgiOutput();
    ssize_t n = output_.sendTo(socket_.get(), lastWriteFlags());
    if (n <= 0) {
        enter(CLOSED);
        return;
    }
    if (state_ == WRITING)
        deadline_ = now_ + timeout(&BlockSettings::sendTimeoutMs);
    if (!output_.empty())
        return;
    // Its memory stays for the next piece or response; releaseIdleBuffers()
    // gives it back.
    output_.clear();
    if (bodyPending())
        return;
    if (state_ == WRITING)
        finishResponse();
    else if (state_ == FLUSHING)
        enter(lingerOnClose_ ? LINGERING : CLOSED);
    // Requests pipelined behind the response (or held back while the
    // output was full) go on now.
    if (state_ == READING_HEAD || state_ == READING_BODY)
        process();
}

// The last bytes before the socket's end are held back (Linux: MSG_MORE)
// so that close() or shutdown() sends them in one segment with the FIN, as
// nginx's TCP_CORK does: a packet less for every closed connection.
// (SIGPIPE is ignored process-wide: no MSG_NOSIGNAL needed.)
int Connection::lastWriteFlags() const
{
#ifdef MSG_MORE
    if (state_ == FLUSHING)
        return MSG_MORE;
#endif
    return 0;
}

// More of the body is still to come from a file or a CGI script.
bool Connection::bodyPending() const
{
    return fileLeft_ > 0 || (cgiStreaming_ && cgi_.get());
}

// The response is complete (its last byte queued): logged, and the
// connection moves on to the next request, or to closing once the output
// is out.
void Connection::finishResponse()
{
    logAccess();
    // Anything but reading a static file may have changed files (an
    // upload, a DELETE, a script): later requests of this turn stat again.
    bool readOnly = (request_.method == "GET" || request_.method == "HEAD")
        && context_.route.action == ROUTE_STATIC;
    if (!readOnly)
        server_.statCache->forget();
    response_.reset(0);
    cgi_.reset();
    cgiStreaming_ = false;
    internalRedirects_ = 0;
    if (!keepAlive_) {
        enter(FLUSHING);
        return;
    }
    parser_.reset();
    request_.clear();
    enter(discardBody_ ? READING_BODY : READING_HEAD);
}

void Connection::logAccess()
{
    const std::string& destination = context_.route.location->accessLog;
    if (destination == "off")
        return;
    AccessRecord record;
    record.remoteAddress = context_.remoteAddress;
    record.requestLine = request_.method.empty() ? std::string() : request_.requestLine();
    record.status = response_.head.status;
    record.bodyBytes = bodyBytes_;
    const std::string* referer = request_.headers.find("Referer");
    const std::string* agent = request_.headers.find("User-Agent");
    record.referer = referer ? *referer : std::string();
    record.userAgent = agent ? *agent : std::string();
    server_.accessLog->write(destination, record);
}
