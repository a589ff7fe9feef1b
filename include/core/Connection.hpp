#ifndef WEBSERV_CORE_CONNECTION_HPP
#define WEBSERV_CORE_CONNECTION_HPP

// One client connection: a state machine driven by poll() readiness and
// timers. It owns the socket, the buffered bytes in both directions and the
// request in progress, including a CGI script's pipes while one runs. It
// never blocks and never touches a descriptor unless the server reports it
// ready; every state change happens in enter().

#include <sys/types.h>
#include <memory>
#include <string>

#include "cgi/CgiExchange.hpp"
#include "config/Config.hpp"
#include "core/OutputQueue.hpp"
#include "core/PollSet.hpp"
#include "core/ServerContext.hpp"
#include "handlers/BodyHandler.hpp"
#include "handlers/RequestContext.hpp"
#include "http/BodyDecoder.hpp"
#include "http/Request.hpp"
#include "http/RequestParser.hpp"
#include "http/Response.hpp"
#include "util/Fd.hpp"

class Connection : public PollClient {
public:
    enum State {
        READING_HEAD,   // waiting for a request head (an idle keep-alive too)
        READING_BODY,   // reading a request body: into its handler or CGI,
                        // or dropped after the response when nobody needs it
        WAITING_CGI,    // the body is in; the CGI script has not answered yet
        WRITING,        // streaming a response body from a file or a CGI
                        // script (a body in memory is queued at once)
        FLUSHING,       // no more answers: sending what is queued, then closing
        LINGERING,      // after a closing error: write side shut, input
                        // read and dropped for a short while
        CLOSED          // finished; the server removes and deletes it
    };

    // The descriptors a connection may have in the poll set.
    enum Endpoint {
        CLIENT_SOCKET,
        CGI_STDIN,
        CGI_STDOUT,
        ENDPOINT_COUNT
    };

    // Takes ownership of fd, an accepted, non-blocking client socket.
    Connection(ServerContext& server, int fd, long now);
    ~Connection();

    State state() const { return state_; }
    // For the status page: reading a request, working on / writing a
    // response, or idle between requests.
    enum Activity { ACTIVITY_READING, ACTIVITY_WRITING, ACTIVITY_WAITING };
    Activity activity() const;
    // The descriptor behind an endpoint, -1 when there is none now.
    virtual int endpointFd(int endpoint) const;
    // The poll() events the current state waits for on an endpoint.
    virtual short interest(int endpoint) const;
    // Where the server polls the socket (core/PollSet says how): a connection
    // that has waited a second or more for input, idle between requests or
    // with a request head trickling in (slowloris, a very slow link), is
    // polled apart, so hundreds of them do not weigh on every poll().
    virtual Lane lane(long now, long quietMs) const;
    // Gives back buffer memory beyond a few KiB; for LANE_IDLE connections.
    virtual void releaseIdleBuffers();
    // Monotonic ms when onTimeout() is due; 0 for none.
    long deadline() const;

    void onReady(Endpoint endpoint, short revents, long now);
    void onTimeout(long now);

    // Changes whenever an endpoint's descriptor is replaced by a new one
    // (a CGI local redirect starts another script): readiness reported for
    // the old one in the same poll() pass must not reach the new one.
    virtual unsigned generation(int endpoint) const
    {
        return endpoint == CLIENT_SOCKET ? 0 : cgiGeneration_;
    }

private:
    // Pipelined answers queued before the reading pauses until they are out.
    static const size_t kMaxQueuedOutput = 64 * 1024;

    Connection(const Connection&);
    Connection& operator=(const Connection&);

    // Connection.cpp: states, input, requests
    void enter(State next);
    void readInput();
    void process();
    bool parseHead();
    void startRequest();
    bool readBody();
    void failRequest(int status);
    void routeDefaults();
    void useCurrentConfig();
    long timeout(long BlockSettings::*which) const;

    // ConnectionCgi.cpp: the CGI side of a request
    void startCgi(bool hasBody);
    void endCgiBody();
    void onCgiReady(Endpoint endpoint, short revents);
    void advanceCgi();
    void startCgiResponse();
    void pullCgiOutput();
    void followLocalRedirect(const std::string& location);

    // ConnectionOutput.cpp: responses
    void queueHead(bool mustClose);
    void sendResponse(bool mustClose);
    bool refillFromFile();
    void writeOutput();
    bool bodyPending() const;
    int lastWriteFlags() const;
    void finishResponse();
    void logAccess();

    ServerContext& server_;
    ConfigGeneration* generation_;  // the configuration this request runs on
    Fd socket_;
    State state_;
    long now_;
    long deadline_;             // of the state; a CGI has its own
    long headerTimeoutMs_;      // of the address's default server

    std::string in_;            // received, not yet consumed: in_[inPos_..]
    size_t inPos_;
    OutputQueue output_;        // to send

    RequestParser parser_;
    BodyDecoder decoder_;
    Request request_;
    RequestContext context_;
    Response response_;
    std::auto_ptr<BodyHandler> bodyHandler_;   // reads this request's body
    std::auto_ptr<CgiExchange> cgi_;           // the script answering it
    int internalRedirects_;     // CGI local redirects followed for it
    unsigned cgiGeneration_;    // counts the scripts started
    bool headDeadlineSet_;      // the 408 clock runs for this request
    bool handling_;             // a request head is complete and being answered
    bool routeStale_;           // context_.route is the last request's
    long waitingSinceMs_;       // READING_HEAD entered (or the accept)
    long headStartedMs_;        // first byte of the current head; 0: none yet
    bool discardBody_;          // the body is read after the response, and dropped
    bool keepAlive_;            // another request may follow this response
    bool lingerOnClose_;
    off_t fileLeft_;            // bytes of response_.file still to queue
    bool cgiStreaming_;         // the body comes from cgi_
    bool cgiChunked_;           // ... in chunked coding
    off_t cgiLeft_;             // ... or this many bytes (-1: until it ends)
    off_t bodyBytes_;           // of the response being sent, for the log
};

#endif
