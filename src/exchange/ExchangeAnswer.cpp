// The response side of an exchange: the head's framing and connection
// fields, the body from its source, and the end of the answer.

#include "exchange/Exchange.hpp"

#include "http/BasicAuth.hpp"
#include "util/Strings.hpp"

namespace {

// These answers always end the connection, whoever found them.
bool statusCloses(int status)
{
    return status == 400 || status == 408 || status == 413 || status == 414 || status == 431
        || status == 501 || status == 505;
}

}

// Answers with response_ as a handler made it: its body is in memory or
// in a file, its length known.
Exchange::Next Exchange::answer(Closing closing, OutputQueue& out)
{
    ResponseHead& head = response_.head;
    bool headOnly = request_.method == "HEAD" || !statusAllowsBody(head.status);
    // Handlers never set the framing fields: adding is enough.
    if (statusAllowsBody(head.status))
        head.headers.add("Content-Length", toString(static_cast<long>(response_.bodyLength())));
    queueHead(closing, out);
    body_.fromResponse(response_, headOnly);
    phase_ = STREAMING;
    return stream(out);
}

// Queues response_'s head, its framing fields already set, and decides
// how the connection goes on after the answer.
void Exchange::queueHead(Closing closing, OutputQueue& out)
{
    ResponseHead& head = response_.head;
    if (statusCloses(head.status) && closing != LINGER_AFTER)
        closing = LINGER_AFTER;
    bool keepAlive = (closing == KEEP_OPEN || closing == DISCARD_THEN_KEEP_OPEN)
        && request_.keepAlive && !response_.closeConnection && !server_.stopping
        && timeout(&BlockSettings::keepaliveTimeoutMs) > 0;
    if (keepAlive)
        ending_ = closing == DISCARD_THEN_KEEP_OPEN ? NEXT_DISCARD_BODY : NEXT_KEEP_ALIVE;
    else
        // A body still coming is read and dropped a while before the close:
        // closing on unread bytes would reset the connection, answer and all.
        ending_ = closing == LINGER_AFTER || closing == DISCARD_THEN_KEEP_OPEN ? NEXT_LINGER
            : NEXT_CLOSE;
    // A 101's connection goes on in the new protocol, then closes.
    const char* connection = head.status == 101 ? "upgrade" : keepAlive ? "keep-alive" : "close";
    head.headers.add("Connection", connection);
    std::string cookie = settleSession(*server_.sessions, context_.session, head.status, now_);
    if (!cookie.empty())
        head.headers.add("Set-Cookie", cookie);
    head.serialize(out.appendable());
    bodyStart_ = out.queuedTotal();
}

// Pulls the body from its source while the output has room.
Exchange::Next Exchange::stream(OutputQueue& out)
{
    AnswerBody::Result result = body_.pull(out);
    if (result == AnswerBody::MORE)
        return phase_ == TUNNELLING ? NEXT_TUNNEL : NEXT_STREAM;
    if (result == AnswerBody::BROKEN) {
        // The head is out: closing is all that is left.
        expectLogLine(out.queuedTotal());
        upstream_.reset();
        response_.reset(0);
        phase_ = DONE;
        return NEXT_ABORT;
    }
    if (result == AnswerBody::CUT_SHORT
        && (ending_ == NEXT_KEEP_ALIVE || ending_ == NEXT_DISCARD_BODY))
        ending_ = NEXT_CLOSE;
    return complete(out);
}

// The answer's last byte is queued. A body still coming from the client
// is read and dropped next, or the connection is ready for the next
// request (the pipelined ones are answered at once, joining the same
// output), or it closes once the output is out.
Exchange::Next Exchange::complete(OutputQueue& out)
{
    expectLogLine(out.queuedTotal());
    // Anything but reading a static file may have changed files (an
    // upload, a DELETE, a script): later requests of this turn stat again.
    bool readOnly = (request_.method == "GET" || request_.method == "HEAD")
        && context_.route.action == ROUTE_STATIC;
    if (!readOnly)
        server_.statCache->forget();
    response_.reset(0);
    upstream_.reset();
    body_.clear();
    internalRedirects_ = 0;
    phase_ = ending_ == NEXT_DISCARD_BODY ? DISCARDING_BODY : DONE;
    return ending_;
}

// The access-log line of the answer whose body ends at bodyEnd of the
// output stream, written once its bytes have left (AnswerLog).
void Exchange::expectLogLine(unsigned long bodyEnd)
{
    const std::string& destination = context_.route.location->accessLog;
    if (destination == "off")
        return;
    AccessRecord record;
    record.remoteAddress = context_.remoteAddress;
    // A refused request line is logged as it came (nginx's $request).
    if (!request_.unparsedLine.empty())
        record.requestLine = request_.unparsedLine;
    else if (!request_.method.empty())
        record.requestLine = request_.requestLine();
    const std::string* authorization = request_.headers.find("Authorization");
    if (authorization)
        basicAuthUser(*authorization, &record.remoteUser);
    record.status = response_.head.status;
    record.bodyBytes = 0;
    const std::string* referer = request_.headers.find("Referer");
    const std::string* agent = request_.headers.find("User-Agent");
    record.referer = referer ? *referer : std::string();
    record.userAgent = agent ? *agent : std::string();
    log_.expect(destination, record, bodyStart_, bodyEnd);
}
