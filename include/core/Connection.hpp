#ifndef WEBSERV_CORE_CONNECTION_HPP
#define WEBSERV_CORE_CONNECTION_HPP

// One client connection: a state machine driven by poll() readiness and
// timers. It owns the socket, the buffered bytes in both directions and the
// request in progress. It never blocks and never touches the socket unless
// the server reports it ready; every transition happens in enter().

#include <sys/types.h>
#include <memory>
#include <string>

#include "config/Config.hpp"
#include "core/ServerContext.hpp"
#include "handlers/BodyHandler.hpp"
#include "handlers/RequestContext.hpp"
#include "http/BodyDecoder.hpp"
#include "http/Request.hpp"
#include "http/RequestParser.hpp"
#include "http/Response.hpp"
#include "util/Fd.hpp"

class Connection {
public:
    enum State {
        READING_HEAD,   // waiting for a request head (an idle keep-alive too)
        READING_BODY,   // reading a request body: into its handler, or dropped
                        // after the response when nobody needs it
        WRITING,        // sending a response
        LINGERING,      // after a closing error: write side shut, input
                        // read and dropped for a short while
        CLOSED          // finished; the server removes and deletes it
    };

    // Takes ownership of fd, an accepted, non-blocking client socket.
    Connection(ServerContext& server, int fd, long now);

    int fd() const { return socket_.get(); }
    State state() const { return state_; }
    // The poll() events this state waits for.
    short interest() const;
    // Monotonic ms when onTimeout() is due; 0 for none.
    long deadline() const { return deadline_; }

    void onReady(short revents, long now);
    void onTimeout(long now);

private:
    Connection(const Connection&);
    Connection& operator=(const Connection&);

    void enter(State next);
    void readInput();
    void writeOutput();
    void process();
    void parseHead();
    void startRequest();
    void readBody();
    void failRequest(int status);
    void sendResponse(bool mustClose);
    bool refillFromFile();
    void finishResponse();
    void logAccess();
    void routeDefaults();
    long timeout(long BlockSettings::*which) const;

    ServerContext& server_;
    Fd socket_;
    State state_;
    long now_;
    long deadline_;
    long headerTimeoutMs_;      // of the address's default server

    std::string in_;            // received, not yet consumed: in_[inPos_..]
    size_t inPos_;
    std::string out_;           // to send: out_[outPos_..]
    size_t outPos_;

    RequestParser parser_;
    BodyDecoder decoder_;
    Request request_;
    RequestContext context_;
    Response response_;
    std::auto_ptr<BodyHandler> bodyHandler_;   // reads this request's body
    bool headDeadlineSet_;      // the 408 clock runs for this request
    bool discardBody_;          // the body is read after the response, and dropped
    bool keepAlive_;            // another request may follow this response
    bool lingerOnClose_;
    off_t fileLeft_;            // bytes of response_.file still to queue
    size_t headBytes_;          // of the response being sent, for the log
    off_t bytesSent_;
};

#endif
