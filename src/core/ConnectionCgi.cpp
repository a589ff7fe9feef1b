// The CGI side of a connection: starting the script for a request, moving
// the body to it, turning its head into the response head and streaming its
// output, framed, as the client takes it.

#include "core/Connection.hpp"

#include <cstdio>

#include "handlers/Dispatcher.hpp"
#include "handlers/ErrorPages.hpp"
#include "http/Uri.hpp"
#include "util/Strings.hpp"

namespace {

// Local redirects one request may follow (a script redirecting to itself
// would loop).
const int kMaxInternalRedirects = 5;

}

void Connection::startCgi(bool hasBody)
{
    cgi_.reset(new CgiExchange(context_, now_));
    ++cgiGeneration_;
    int status = cgi_->start(request_.framing, request_.contentLength);
    if (status != 0) {
        cgi_.reset();
        respondError(context_, status, response_);
        discardBody_ = hasBody && request_.expectation != EXPECT_CONTINUE;
        sendResponse(hasBody && !discardBody_);
        return;
    }
    if (!hasBody) {
        enter(WAITING_CGI);
        advanceCgi();
        return;
    }
    if (request_.expectation == EXPECT_CONTINUE)
        output_.appendable() += "HTTP/1.1 100 Continue\r\n\r\n";
    enter(READING_BODY);
}

void Connection::endCgiBody()
{
    int status = cgi_->onBodyEnd();
    if (status != 0) {
        failRequest(status);
        return;
    }
    enter(WAITING_CGI);
    advanceCgi();
}

void Connection::onCgiReady(Endpoint endpoint, short revents)
{
    if (endpoint == CGI_STDIN) {
        cgi_->onStdinReady(revents);
        if (state_ == READING_BODY)
            process();      // the pipe took some: more of the body may follow
    } else {
        cgi_->onStdoutReady(revents);
    }
    advanceCgi();
    // A response completed here lets requests pipelined behind it go on.
    if (state_ == READING_HEAD || state_ == READING_BODY)
        process();
}

// Acts on what the script's side has come to: a head to answer with,
// output to pass on, or a failure.
void Connection::advanceCgi()
{
    if (!cgi_.get())
        return;
    CgiExchange::Phase phase = cgi_->phase();
    if (phase == CgiExchange::FAILED) {
        int status = cgi_->failureStatus();
        if (state_ == WRITING) {
            enter(CLOSED);          // the head is out: closing is all that is left
        } else if (state_ == READING_BODY) {
            failRequest(status);
        } else {
            cgi_.reset();
            respondError(context_, status, response_);
            sendResponse(false);
        }
        return;
    }
    if (phase == CgiExchange::RUNNING)
        return;
    if (state_ == WAITING_CGI) {
        startCgiResponse();
    } else if (state_ == WRITING && cgiStreaming_) {
        pullCgiOutput();
        if (output_.empty() && !bodyPending())
            finishResponse();
    }
}

void Connection::startCgiResponse()
{
    const CgiHead& head = cgi_->head();
    if (head.localRedirect) {
        std::string location = head.location;   // head dies with cgi_
        followLocalRedirect(location);
        return;
    }
    response_.reset(head.status);
    response_.head.reason = head.reason;     // a script's own phrase, as nginx passes it
    for (size_t i = 0; i < head.fields.size(); ++i)
        response_.head.headers.add(head.fields.at(i).first, head.fields.at(i).second);
    applySessionFields(response_.head.headers, *server_.sessions, context_.session, now_);
    bool hasBody = statusAllowsBody(head.status);
    bool http10 = request_.versionMinor == 0;
    cgiChunked_ = hasBody && !head.hasContentLength && !http10;
    cgiLeft_ = head.hasContentLength ? head.contentLength : -1;
    if (hasBody && head.hasContentLength)
        response_.head.headers.set("Content-Length", toString(static_cast<long>(head.contentLength)));
    else if (cgiChunked_)
        response_.head.headers.set("Transfer-Encoding", "chunked");
    // Without a length an HTTP/1.0 response ends when the connection does.
    queueHead(hasBody && !head.hasContentLength && http10);
    cgiStreaming_ = hasBody && request_.method != "HEAD";
    if (!cgiStreaming_)
        cgi_.reset();
    enter(WRITING);
    if (cgiStreaming_)
        pullCgiOutput();
}

// Moves the script's output into the send buffer, framed, while the buffer
// has room; ends the body when the script has.
void Connection::pullCgiOutput()
{
    std::string& output = cgi_->output();
    std::string& out = output_.appendable();
    while (!output.empty() && out.size() < CgiExchange::kBufferLimit && cgiLeft_ != 0) {
        size_t take = output.size();
        if (cgiLeft_ > 0 && static_cast<off_t>(take) > cgiLeft_)
            take = static_cast<size_t>(cgiLeft_);
        if (cgiChunked_)
            out += toHex(take) + "\r\n";
        out.append(output, 0, take);
        if (cgiChunked_)
            out += "\r\n";
        output.erase(0, take);
        bodyBytes_ += static_cast<off_t>(take);
        if (cgiLeft_ > 0)
            cgiLeft_ -= static_cast<off_t>(take);
    }
    bool scriptDone = cgi_->phase() == CgiExchange::ENDED && output.empty();
    if (!scriptDone && cgiLeft_ != 0)
        return;
    if (cgiChunked_)
        out += "0\r\n\r\n";
    if (cgiLeft_ > 0)
        keepAlive_ = false;         // the script sent less than it announced
    cgiStreaming_ = false;
    cgi_.reset();
}

// A script answering with only "Location: /path" asks the server to serve
// /path instead, as a GET (RFC 3875 §6.2.2).
void Connection::followLocalRedirect(const std::string& location)
{
    cgi_.reset();
    std::string::size_type question = location.find('?');
    std::string path;
    if (++internalRedirects_ > kMaxInternalRedirects
        || !normalizePath(location.substr(0, question), &path)) {
        respondError(context_, 500, response_);
        sendResponse(false);
        return;
    }
    request_.method = "GET";
    request_.framing = BODY_NONE;
    request_.headers.remove("Content-Length");
    request_.headers.remove("Content-Type");
    request_.headers.remove("Transfer-Encoding");
    RouteDecision route = context_.router->reroute(context_.route, "GET", path);
    route.hasQuery = question != std::string::npos;
    route.query = route.hasQuery ? location.substr(question + 1) : std::string();
    context_.route = route;
    if (route.action == ROUTE_CGI) {
        startCgi(false);
        return;
    }
    respond(context_, response_);
    sendResponse(false);
}
