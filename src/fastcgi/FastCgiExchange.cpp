#include "fastcgi/FastCgiExchange.hpp"

#include <cerrno>
#include <poll.h>
#include <vector>

#include "cgi/CgiEnvironment.hpp"
#include "util/Log.hpp"
#include "util/Time.hpp"

namespace {

const size_t kReadChunk = 64 * 1024;

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

FastCgiExchange::FastCgiExchange(const RequestContext& ctx, UpstreamPool& pool, long now)
    : ctx_(ctx),
      connection_(pool, ctx.route.cgi->responder),
      phase_(RUNNING),
      deadline_(now + ctx.route.location->cgiTimeoutMs),
      failure_(0),
      spooling_(false),
      stdinEnded_(false)
{
}

// A chunked body is spooled before anything goes to the responder: no
// worker waits on a connection while a client takes its time to upload.
int FastCgiExchange::start(BodyFraming framing, off_t contentLength)
{
    spooling_ = framing == BODY_CHUNKED;
    if (spooling_) {
        deadline_ = 0;
        return 0;
    }
    if (!connect())
        return 502;
    bool hasBody = framing == BODY_LENGTH || ctx_.request->headers.count("Content-Length") > 0;
    queueRequest(hasBody ? contentLength : -1);
    if (framing == BODY_NONE)
        finishStdin();
    return 0;
}

// cgi_timeout counts from here: a chunked body collected first is the
// client's time, not the responder's.
bool FastCgiExchange::connect()
{
    int error = 0;
    if (connection_.open(&error))
        return true;
    logConnectFailure(error);
    return false;
}

void FastCgiExchange::queueRequest(off_t contentLength)
{
    deadline_ = monotonicMs() + ctx_.route.location->cgiTimeoutMs;
    std::string records;
    appendFcgiBeginRequest(records, kRequestId, true);
    appendFcgiParams(records, kRequestId, paramsOf(cgiEnvironment(ctx_, contentLength)));
    connection_.queue(records);
}

void FastCgiExchange::queueStdin(const char* data, size_t len)
{
    if (len == 0)
        return;
    std::string records;
    appendFcgiStream(records, FCGI_STDIN, kRequestId, data, len);
    connection_.queue(records);
}

void FastCgiExchange::finishStdin()
{
    if (stdinEnded_)
        return;
    std::string record;
    appendFcgiStream(record, FCGI_STDIN, kRequestId, "", 0);
    connection_.queue(record);
    stdinEnded_ = true;
}

// A spooled body goes out a piece at a time, as the socket drains.
void FastCgiExchange::queueSpoolPiece()
{
    std::string piece;
    if (spool_.readInto(piece))
        queueStdin(piece.data(), piece.size());
    else
        finishStdin();
}

bool FastCgiExchange::acceptsBody() const
{
    return spooling_ || connection_.fd() < 0 || connection_.pending() < kBufferLimit;
}

int FastCgiExchange::onBodyData(const char* data, size_t len)
{
    if (spooling_)
        return spool_.append(ctx_, data, len);
    if (connection_.fd() >= 0 && !stdinEnded_)
        queueStdin(data, len);
    return 0;
}

int FastCgiExchange::onBodyEnd()
{
    if (spooling_) {
        spooling_ = false;
        spool_.rewind();
        if (!connect()) {
            fail(502);
            return 502;
        }
        queueRequest(spool_.size());
        queueSpoolPiece();
        return 0;
    }
    finishStdin();
    return 0;
}

int FastCgiExchange::fd(Channel) const
{
    return phase_ == FAILED ? -1 : connection_.fd();
}

short FastCgiExchange::interest(Channel channel) const
{
    if (connection_.fd() < 0 || phase_ == FAILED)
        return 0;
    if (channel == TO_UPSTREAM)
        return connection_.connecting() || connection_.pending() > 0 ? POLLOUT : 0;
    if (connection_.connecting() || phase_ == ENDED)
        return 0;
    bool room = phase_ == RUNNING ? output_.headBytes() <= CgiOutput::kMaxHeadBytes
                                  : output_.bodyBytes() < kBufferLimit;
    return room ? POLLIN : 0;
}

void FastCgiExchange::onReady(Channel channel, short revents)
{
    if (connection_.fd() < 0 || phase_ == FAILED || phase_ == ENDED)
        return;
    (void)revents;
    if (channel == TO_UPSTREAM)
        onWritable();
    else
        onReadable();
}

void FastCgiExchange::onWritable()
{
    int error = 0;
    if (connection_.connecting() && !connection_.finishConnect(&error)) {
        logConnectFailure(error);
        fail(502);
        return;
    }
    if (connection_.connecting())
        return;
    if (!connection_.flush(&error)) {
        onSendFailed(error);
        return;
    }
    if (connection_.pending() == 0 && !stdinEnded_ && !spooling_ && spool_.size() > 0)
        queueSpoolPiece();
}

void FastCgiExchange::onReadable()
{
    char buffer[kReadChunk];
    ssize_t n = connection_.receive(buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        onReceiveEnded(n < 0 ? errno : 0);
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
    // Kept only when END_REQUEST was the last byte: anything after it
    // would be read by the next request as its own.
    if (phase_ == ENDED)
        connection_.finish(stdinEnded_ && pos == static_cast<size_t>(n));
}

// A kept connection that fails before any answer was likely closed while
// it sat in the pool: the request goes again on a fresh one. true when it
// did (or when that failed and the request is over).
bool FastCgiExchange::retried()
{
    int error = 0;
    if (connection_.retry(ctx_.request->idempotent(), &error))
        return true;
    if (error == 0)
        return false;
    logConnectFailure(error);
    fail(502);
    return true;
}

// The responder stopped reading: the rest of the request is dropped, and
// its answer (which may be on its way) is still read.
void FastCgiExchange::onSendFailed(int error)
{
    (void)error;
    if (retried())
        return;
    connection_.abandonOutput();
    stdinEnded_ = true;
}

// The connection ended (error 0: closed) before END_REQUEST: never a
// complete answer.
void FastCgiExchange::onReceiveEnded(int error)
{
    if (retried())
        return;
    logUpstreamError(error == 0 ? std::string("prematurely closed connection")
        : "recv() failed " + errnoText(error));
    fail(502);
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
        output_.addBody(data.data(), data.size());
        return;
    }
    CgiOutput::Result result = output_.addHeadBytes(data.data(), data.size());
    if (result == CgiOutput::HEAD_PARSED) {
        phase_ = HEAD_READY;
    } else if (result != CgiOutput::NEED_MORE) {
        logUpstreamError(result == CgiOutput::TOO_BIG ? "sent too big header" : "sent invalid header");
        fail(502);
    }
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
    return output_.pull(encoder, out, phase_ == ENDED);
}

// nginx's words for an upstream's failure, with the responder named.
void FastCgiExchange::logUpstreamError(const std::string& what) const
{
    logUpstreamError(what, phase_ == RUNNING ? "while reading response header from upstream"
        : "while reading upstream");
}

void FastCgiExchange::logUpstreamError(const std::string& what, const char* when) const
{
    logRequestError(ctx_, "fastcgi \"" + ctx_.route.cgi->responder.text + "\" " + what + " "
        + when + ", script: \"" + ctx_.route.fsPath + "\"");
}

void FastCgiExchange::logConnectFailure(int error) const
{
    logUpstreamError("connect() failed " + errnoText(error), "while connecting to upstream");
}

void FastCgiExchange::fail(int status)
{
    phase_ = FAILED;
    failure_ = status;
    deadline_ = 0;
    connection_.finish(false);
}

void FastCgiExchange::onTimeout(long)
{
    if (phase_ == FAILED || phase_ == ENDED)
        return;
    logUpstreamError("timed out " + errnoText(ETIMEDOUT));
    fail(504);
}
