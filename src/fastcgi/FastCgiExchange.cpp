#include "fastcgi/FastCgiExchange.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

#include "cgi/CgiEnvironment.hpp"
#include "util/Log.hpp"
#include "util/Time.hpp"

namespace {

const size_t kReadChunk = 64 * 1024;

// The responder's address as a sockaddr; false when it cannot be one.
bool socketAddress(const UpstreamAddress& responder, sockaddr_storage* out, socklen_t* length)
{
    std::memset(out, 0, sizeof *out);
    if (!responder.unixPath.empty()) {
        sockaddr_un* un = reinterpret_cast<sockaddr_un*>(out);
        un->sun_family = AF_UNIX;
        if (responder.unixPath.size() >= sizeof un->sun_path)
            return false;
        std::memcpy(un->sun_path, responder.unixPath.c_str(), responder.unixPath.size() + 1);
        *length = sizeof *un;
        return true;
    }
    if (responder.inet.family == AF_INET6) {
        sockaddr_in6* in6 = reinterpret_cast<sockaddr_in6*>(out);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(responder.inet.port);
        *length = sizeof *in6;
        return inet_pton(AF_INET6, responder.inet.host.c_str(), &in6->sin6_addr) == 1;
    }
    sockaddr_in* in = reinterpret_cast<sockaddr_in*>(out);
    in->sin_family = AF_INET;
    in->sin_port = htons(responder.inet.port);
    *length = sizeof *in;
    return inet_pton(AF_INET, responder.inet.host.c_str(), &in->sin_addr) == 1;
}

// The CGI environment as FastCGI parameters.
FcgiParams paramsOf(const std::vector<std::string>& environment)
{
    FcgiParams params;
    for (size_t i = 0; i < environment.size(); ++i) {
        std::string::size_type eq = environment[i].find('=');
        params.push_back(std::make_pair(environment[i].substr(0, eq),
            eq == std::string::npos ? std::string() : environment[i].substr(eq + 1)));
    }
    return params;
}

}

FastCgiExchange::FastCgiExchange(const RequestContext& ctx, long now)
    : ctx_(ctx),
      connecting_(false),
      phase_(RUNNING),
      deadline_(now + ctx.route.location->cgiTimeoutMs),
      failure_(0),
      spooling_(false),
      stdinEnded_(false)
{
}

int FastCgiExchange::start(BodyFraming framing, off_t contentLength)
{
    const UpstreamAddress& responder = ctx_.route.cgi->responder;
    sockaddr_storage address;
    socklen_t length = 0;
    int family = responder.unixPath.empty() ? responder.inet.family : AF_UNIX;
    if (!socketAddress(responder, &address, &length)) {
        logUpstreamError("has an invalid address");
        return 502;
    }
    socket_.reset(socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!socket_.valid()) {
        int error = errno;
        logRequestError(ctx_, "socket() failed " + errnoText(error) + " while connecting to upstream");
        return 502;
    }
    connecting_ = true;
    if (connect(socket_.get(), reinterpret_cast<sockaddr*>(&address), length) == 0) {
        connecting_ = false;
    } else if (errno != EINPROGRESS && errno != EAGAIN) {
        int error = errno;
        logUpstreamError("connect() failed " + errnoText(error));
        socket_.reset();
        return 502;
    }
    spooling_ = framing == BODY_CHUNKED;
    if (spooling_)
        return 0;
    bool hasBody = framing == BODY_LENGTH || ctx_.request->headers.count("Content-Length") > 0;
    queueRequest(hasBody ? contentLength : -1);
    if (framing == BODY_NONE)
        finishStdin();
    return 0;
}

void FastCgiExchange::queueRequest(off_t contentLength)
{
    appendFcgiBeginRequest(toResponder_, kRequestId, false);
    appendFcgiParams(toResponder_, kRequestId, paramsOf(cgiEnvironment(ctx_, contentLength)));
}

void FastCgiExchange::queueStdin(const char* data, size_t len)
{
    if (len > 0)
        appendFcgiStream(toResponder_, FCGI_STDIN, kRequestId, data, len);
}

void FastCgiExchange::finishStdin()
{
    if (stdinEnded_)
        return;
    appendFcgiStream(toResponder_, FCGI_STDIN, kRequestId, "", 0);
    stdinEnded_ = true;
}

bool FastCgiExchange::acceptsBody() const
{
    return spooling_ || !socket_.valid() || toResponder_.size() < kBufferLimit;
}

int FastCgiExchange::onBodyData(const char* data, size_t len)
{
    if (spooling_) {
        const char* call = 0;
        if (spool_.append(data, len, &call))
            return 0;
        int error = errno;
        logRequestError(ctx_, failedCall(call, BodySpool::temporaryPattern(), error));
        return 500;
    }
    if (socket_.valid() && !stdinEnded_)
        queueStdin(data, len);
    return 0;
}

int FastCgiExchange::onBodyEnd()
{
    if (spooling_) {
        spooling_ = false;
        spool_.rewind();
        queueRequest(spool_.size());
        // The spool is written out as the socket takes it (onWritable).
        std::string piece;
        if (spool_.readInto(piece))
            queueStdin(piece.data(), piece.size());
        else
            finishStdin();
        return 0;
    }
    finishStdin();
    return 0;
}

int FastCgiExchange::fd(Channel) const
{
    return phase_ == FAILED ? -1 : socket_.get();
}

short FastCgiExchange::interest(Channel channel) const
{
    if (!socket_.valid() || phase_ == FAILED)
        return 0;
    if (channel == TO_UPSTREAM)
        return connecting_ || !toResponder_.empty() ? POLLOUT : 0;
    if (connecting_ || phase_ == ENDED)
        return 0;
    bool room = phase_ == RUNNING ? headBuffer_.size() <= kMaxHeadBytes
                                  : output_.size() < kBufferLimit;
    return room ? POLLIN : 0;
}

void FastCgiExchange::onReady(Channel channel, short revents)
{
    if (!socket_.valid() || phase_ == FAILED)
        return;
    if (channel == TO_UPSTREAM)
        onWritable(revents);
    else
        onReadable();
}

void FastCgiExchange::onWritable(short revents)
{
    if (connecting_) {
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(socket_.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
            error = errno;
        if (error == 0 && (revents & (POLLERR | POLLHUP)))
            error = ECONNREFUSED;
        if (error != 0) {
            logUpstreamError("connect() failed " + errnoText(error));
            fail(502);
            return;
        }
        connecting_ = false;
    }
    if (toResponder_.empty())
        return;
    ssize_t n = send(socket_.get(), toResponder_.data(), toResponder_.size(), MSG_NOSIGNAL);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        int error = errno;
        // The responder may have answered without reading all of STDIN.
        std::string().swap(toResponder_);
        if (phase_ == RUNNING && headBuffer_.empty()) {
            logUpstreamError("send() failed " + errnoText(error));
            fail(502);
        }
        return;
    }
    toResponder_.erase(0, static_cast<size_t>(n));
    // A spooled body goes out a piece at a time, as the socket drains.
    if (toResponder_.empty() && !stdinEnded_ && !spooling_ && spool_.size() > 0) {
        std::string piece;
        if (spool_.readInto(piece))
            queueStdin(piece.data(), piece.size());
        else
            finishStdin();
    }
}

void FastCgiExchange::onReadable()
{
    char buffer[kReadChunk];
    ssize_t n = recv(socket_.get(), buffer, sizeof buffer, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        onClosed();
        return;
    }
    size_t pos = 0;
    while (pos < static_cast<size_t>(n) && phase_ != FAILED && phase_ != ENDED) {
        size_t used = 0;
        FcgiRecord record;
        FcgiRecordParser::Result result = parser_.next(buffer + pos, static_cast<size_t>(n) - pos,
            &used, &record);
        pos += used;
        if (result == FcgiRecordParser::MALFORMED) {
            logUpstreamError("sent unsupported FastCGI protocol version");
            fail(502);
            return;
        }
        if (result == FcgiRecordParser::RECORD)
            onRecord(record);
    }
}

void FastCgiExchange::onRecord(const FcgiRecord& record)
{
    // Management records (request id 0) say nothing about this request.
    if (record.requestId == 0)
        return;
    if (record.requestId != kRequestId) {
        logUpstreamError("sent unexpected FastCGI request id");
        fail(502);
        return;
    }
    if (record.type == FCGI_STDOUT)
        onStdout(record.content);
    else if (record.type == FCGI_STDERR)
        logStderr(record.content);
    else if (record.type == FCGI_END_REQUEST)
        onEndRequest(record.content);
}

void FastCgiExchange::onStdout(const std::string& data)
{
    if (phase_ != RUNNING) {
        output_ += data;
        return;
    }
    headBuffer_ += data;
    size_t end = findCgiHeadEnd(headBuffer_.data(), headBuffer_.size());
    if (end == 0) {
        if (headBuffer_.size() > kMaxHeadBytes) {
            logUpstreamError("sent too big header");
            fail(502);
        }
        return;
    }
    if (!parseCgiHead(headBuffer_.substr(0, end), &head_)) {
        logUpstreamError("sent invalid header");
        fail(502);
        return;
    }
    output_.assign(headBuffer_, end, std::string::npos);
    std::string().swap(headBuffer_);
    phase_ = HEAD_READY;
}

void FastCgiExchange::onEndRequest(const std::string& content)
{
    FcgiEndRequest end;
    if (!parseFcgiEndRequest(content, &end)) {
        logUpstreamError("sent invalid FastCGI end request record");
        fail(502);
        return;
    }
    if (end.protocolStatus != FCGI_REQUEST_COMPLETE || phase_ == RUNNING) {
        logUpstreamError(end.protocolStatus == FCGI_OVERLOADED ? "is overloaded"
            : end.protocolStatus != FCGI_REQUEST_COMPLETE ? "refused the request"
            : "ended the request without a complete header");
        fail(502);
        return;
    }
    phase_ = ENDED;
    deadline_ = 0;
    socket_.reset();
}

// The connection ended before END_REQUEST: never a complete answer.
void FastCgiExchange::onClosed()
{
    logUpstreamError("prematurely closed connection");
    fail(502);
}

// nginx: one line per STDERR record, its text quoted as it came.
void FastCgiExchange::logStderr(const std::string& text) const
{
    std::string line = text;
    while (!line.empty() && (line[line.size() - 1] == '\n' || line[line.size() - 1] == '\r'))
        line.erase(line.size() - 1);
    if (!line.empty())
        logRequestError(ctx_, "FastCGI sent in stderr: \"" + line + "\"" + (phase_ == RUNNING
            ? " while reading response header from upstream" : " while reading upstream"));
}

BodySource::Status FastCgiExchange::pull(BodyEncoder& encoder, OutputQueue& out)
{
    if (phase_ == FAILED)
        return BODY_BROKEN;
    while (!output_.empty() && out.pending() < kOutputHighWater && !encoder.complete()) {
        size_t taken = encoder.write(out.appendable(), output_.data(), output_.size());
        output_.erase(0, taken);
    }
    if (encoder.complete() || (phase_ == ENDED && output_.empty()))
        return BODY_ENDED;
    return output_.empty() ? BODY_WAITING : BODY_MORE;
}

// nginx's words for an upstream's failure, with the responder named.
void FastCgiExchange::logUpstreamError(const std::string& what) const
{
    std::string when = connecting_ ? " while connecting to upstream"
        : phase_ == RUNNING ? " while reading response header from upstream"
        : " while reading upstream";
    logRequestError(ctx_, "fastcgi \"" + ctx_.route.cgi->responder.text + "\" " + what + when
        + ", script: \"" + ctx_.route.fsPath + "\"");
}

void FastCgiExchange::fail(int status)
{
    phase_ = FAILED;
    failure_ = status;
    deadline_ = 0;
    socket_.reset();
}

void FastCgiExchange::onTimeout(long)
{
    if (phase_ == FAILED || phase_ == ENDED)
        return;
    logUpstreamError("timed out " + errnoText(ETIMEDOUT));
    fail(504);
}
