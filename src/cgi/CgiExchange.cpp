#include "cgi/CgiExchange.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "cgi/CgiEnvironment.hpp"
#include "router/FileResolver.hpp"
#include "util/Files.hpp"
#include "util/Log.hpp"
#include "util/Time.hpp"

namespace {

const size_t kReadChunk = 64 * 1024;

std::string directoryOf(const std::string& path)
{
    std::string::size_type slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

}

CgiExchange::CgiExchange(const RequestContext& ctx, long now)
    : ctx_(ctx),
      phase_(RUNNING),
      deadline_(now + ctx.route.location->cgiTimeoutMs),
      terminating_(false),
      failure_(0),
      spooling_(false),
      bodyEnded_(false)
{
}

int CgiExchange::start(BodyFraming framing, off_t contentLength)
{
    const std::string& script = ctx_.route.fsPath;
    const std::string& interpreter = ctx_.route.cgi->interpreter;
    ResolvedFile file = resolveRegularFile(*ctx_.route.location, script, ctx_.statCache);
    if (file.kind != FILE_REGULAR) {
        logRequestError(ctx_, file.reason);
        return refusalStatus(file.kind);
    }
    if (interpreter.empty() && access(script.c_str(), X_OK) != 0) {
        int error = errno;
        logRequestError(ctx_, failedCall("access()", script, error));
        return 403;
    }
    if (!interpreter.empty() && !isExecutableFile(interpreter)) {
        logRequestError(ctx_, "cgi interpreter \"" + interpreter + "\" for \"" + script
            + "\" is missing or not executable");
        return 502;
    }
    spooling_ = framing == BODY_CHUNKED;
    if (spooling_)
        return 0;
    bodyEnded_ = framing == BODY_NONE;
    // "Content-Length: 0" is a body too, an empty one (RFC 3875 §4.1.2).
    bool hasBody = framing == BODY_LENGTH || ctx_.request->headers.count("Content-Length") > 0;
    return spawn(hasBody ? contentLength : -1);
}

int CgiExchange::spawn(off_t contentLength)
{
    std::vector<std::string> argv;
    if (!ctx_.route.cgi->interpreter.empty())
        argv.push_back(ctx_.route.cgi->interpreter);
    argv.push_back(ctx_.route.fsPath);
    std::string error;
    if (!process_.spawn(argv, cgiEnvironment(ctx_, contentLength), directoryOf(ctx_.route.fsPath),
            &error)) {
        logRequestError(ctx_, error);
        return 500;
    }
    deadline_ = monotonicMs() + ctx_.route.location->cgiTimeoutMs;
    if (bodyEnded_ && stdinBuffer_.empty() && !refillFromSpool())
        process_.closeStdin();
    return 0;
}

bool CgiExchange::acceptsBody() const
{
    return spooling_ || stdinFd() < 0 || stdinBuffer_.size() < kBufferLimit;
}

int CgiExchange::onBodyData(const char* data, size_t len)
{
    if (spooling_)
        return spool_.append(ctx_, data, len);
    if (stdinFd() >= 0)
        stdinBuffer_.append(data, len);
    return 0;
}

int CgiExchange::onBodyEnd()
{
    bodyEnded_ = true;
    spool_.rewind();
    if (spooling_) {
        spooling_ = false;
        int status = spawn(spool_.size());
        if (status != 0)
            return status;
    }
    if (stdinBuffer_.empty() && !refillFromSpool())
        process_.closeStdin();
    return 0;
}

// Moves the next piece of a spooled body into the stdin buffer.
bool CgiExchange::refillFromSpool()
{
    return spool_.readInto(stdinBuffer_);
}

int CgiExchange::stdinFd() const
{
    return phase_ == FAILED ? -1 : process_.stdinFd();
}

int CgiExchange::fd(Channel channel) const
{
    return channel == TO_UPSTREAM ? stdinFd() : stdoutFd();
}

short CgiExchange::interest(Channel channel) const
{
    if (channel == TO_UPSTREAM)
        return stdinFd() >= 0 && !stdinBuffer_.empty() ? POLLOUT : 0;
    if (stdoutFd() < 0)
        return 0;
    bool room = phase_ == RUNNING ? output_.headBytes() <= CgiOutput::kMaxHeadBytes
                                  : output_.bodyBytes() < kBufferLimit;
    return room ? POLLIN : 0;
}

void CgiExchange::onReady(Channel channel, short revents)
{
    if (channel == TO_UPSTREAM)
        onStdinReady(revents);
    else
        onStdoutReady();
}

void CgiExchange::onStdinReady(short revents)
{
    ssize_t n = -1;
    if (revents & POLLOUT)
        n = write(process_.stdinFd(), stdinBuffer_.data(), stdinBuffer_.size());
    if (n < 0) {
        // The script closed its stdin (or died): the rest of the body is
        // dropped, its answer may still come.
        process_.closeStdin();
        std::string().swap(stdinBuffer_);
        spool_.discard();
        return;
    }
    stdinBuffer_.erase(0, static_cast<size_t>(n));
    if (stdinBuffer_.empty() && !refillFromSpool() && bodyEnded_)
        process_.closeStdin();
}

int CgiExchange::stdoutFd() const
{
    return phase_ == FAILED ? -1 : process_.stdoutFd();
}

void CgiExchange::onStdoutReady()
{
    char buffer[kReadChunk];
    ssize_t n = read(process_.stdoutFd(), buffer, sizeof buffer);
    if (n <= 0) {
        process_.closeStdout();
        if (terminating_) {
            fail(504);      // cut short by cgi_timeout: never a complete answer
        } else if (phase_ == RUNNING) {
            logUpstreamError("prematurely closed connection");
            fail(502);
        } else {
            phase_ = ENDED;
            deadline_ = 0;
        }
        return;
    }
    if (phase_ != RUNNING) {
        output_.addBody(buffer, static_cast<size_t>(n));
        return;
    }
    CgiOutput::Result result = output_.addHeadBytes(buffer, static_cast<size_t>(n));
    if (result == CgiOutput::HEAD_PARSED) {
        phase_ = HEAD_READY;
    } else if (result != CgiOutput::NEED_MORE) {
        logUpstreamError(result == CgiOutput::TOO_BIG ? "sent too big header" : "sent invalid header");
        fail(502);
    }
}

BodySource::Status CgiExchange::pull(BodyEncoder& encoder, OutputQueue& out)
{
    if (phase_ == FAILED)
        return BODY_BROKEN;
    return output_.pull(encoder, out, phase_ == ENDED);
}

// nginx's words for an upstream's failure, with the script for "upstream".
void CgiExchange::logUpstreamError(const std::string& what) const
{
    logRequestError(ctx_, "cgi \"" + ctx_.route.fsPath + "\" " + what + (phase_ == RUNNING
        ? " while reading response header from upstream" : " while reading upstream"));
}

void CgiExchange::fail(int status)
{
    phase_ = FAILED;
    failure_ = status;
    deadline_ = 0;
    process_.closeStdin();
    process_.closeStdout();
}

// cgi_timeout: SIGTERM first, SIGKILL when the grace is over.
void CgiExchange::onTimeout(long now)
{
    if (phase_ == FAILED || phase_ == ENDED)
        return;
    if (!terminating_) {
        logUpstreamError("timed out " + errnoText(ETIMEDOUT));
        process_.signal(SIGTERM);
        terminating_ = true;
        deadline_ = now + kTerminateGraceMs;
        return;
    }
    process_.signal(SIGKILL);
    fail(504);
}
