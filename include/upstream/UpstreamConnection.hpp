#ifndef WEBSERV_UPSTREAM_UPSTREAMCONNECTION_HPP
#define WEBSERV_UPSTREAM_UPSTREAMCONNECTION_HPP

// One request's connection to an upstream server (a FastCGI responder, a
// proxied HTTP server): taken from the pool (upstream/UpstreamPool.hpp) or
// connected afresh without blocking, the bytes waiting for it (FastCGI
// records, an HTTP request), and its end (given back to the pool, or
// closed). The protocol is the caller's; this is the socket's life.
//
// A kept connection may have been closed by the upstream while it sat in
// the pool; that shows as a failure before any answer. Until the answer
// begins, everything sent on a kept connection is remembered (up to
// kReplayLimit), so that retry() can send it all again, once, on a fresh
// connection: for any request when not a byte of it had left (a kept unix
// socket whose server is gone refuses the first send), for an idempotent
// one also when the failure came later, before any answer (a POST that may
// already have run is never sent twice, as nginx's rule goes).

#include <sys/types.h>
#include <string>

#include "config/Config.hpp"
#include "upstream/UpstreamPool.hpp"
#include "util/Fd.hpp"

class UpstreamConnection {
public:
    static const size_t kReplayLimit = 256 * 1024;

    // address and pool outlive the connection.
    UpstreamConnection(UpstreamPool& pool, const UpstreamAddress& address);
    ~UpstreamConnection();

    // A kept connection, or a fresh one being connected. false with *error
    // (an errno) when no socket can be made or the connect fails at once.
    bool open(int* error);
    int fd() const { return socket_.get(); }
    bool connecting() const { return connecting_; }
    bool kept() const { return kept_; }
    // At readiness while connecting: false with *error when it failed;
    // connecting() stays true until the socket is writable.
    bool finishConnect(int* error);

    // Bytes to send; they leave as the socket takes them (flush()).
    void queue(const std::string& bytes);
    size_t pending() const { return out_.size(); }
    // Sends what the socket takes now. false with *error when it fails.
    bool flush(int* error);
    // After a failed send, once a retry is out of the question: the rest
    // is dropped (the upstream may answer without reading it all), and
    // the connection is never kept.
    void abandonOutput();
    // recv(); the first byte received ends any retry.
    ssize_t receive(char* buffer, size_t len);

    // After a failure before any answer on a kept connection: a fresh
    // connection with everything queued again. false when that cannot be
    // (a fresh connection already, the answer begun or waiting to be read,
    // too much sent, or bytes sent and the request not idempotent); then
    // *error is 0 unless the fresh connection itself failed.
    bool retry(bool idempotent, int* error);
    // The request ended. reusable: its answer came complete and nothing of
    // it is left unsent, so the connection goes back to the pool.
    void finish(bool reusable);

private:
    UpstreamConnection(const UpstreamConnection&);
    UpstreamConnection& operator=(const UpstreamConnection&);

    bool connectFresh(int* error);
    void stopWaiting();

    UpstreamPool& pool_;
    const UpstreamAddress& address_;
    Fd socket_;
    bool connecting_;
    bool kept_;                 // taken from the pool
    bool waiting_;              // a fresh connection, counted by the pool
    bool answered_;             // a byte has come back
    bool replayable_;
    bool reusable_;             // no send has failed on it
    bool sentAny_;              // a byte of the request has left
    std::string out_;
    std::string replay_;        // everything queued on a kept connection
};

#endif
