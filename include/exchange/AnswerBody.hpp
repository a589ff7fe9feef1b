#ifndef WEBSERV_EXCHANGE_ANSWERBODY_HPP
#define WEBSERV_EXCHANGE_ANSWERBODY_HPP

// The body of the answer being sent: which source it comes from (memory,
// a file, an upstream) and how it is framed on the wire.

#include <sys/types.h>

#include "http/BodyEncoder.hpp"
#include "http/BodySource.hpp"
#include "http/Response.hpp"
#include "http/Upstream.hpp"
#include "util/OutputQueue.hpp"

class AnswerBody {
public:
    enum Result {
        MORE,           // pull again when the output has room or the source has news
        DONE,           // every byte is queued, framing included
        CUT_SHORT,      // ended before its announced length: close after it
        BROKEN          // cannot be completed: close now
    };

    AnswerBody();
    // A handler's response, Content-Length framed; headOnly: no body at all.
    void fromResponse(Response& response, bool headOnly);
    // An upstream's output (0: none, for a head-only answer).
    void fromUpstream(Upstream* upstream, BodyEncoder::Framing framing, off_t length);
    Result pull(OutputQueue& out);
    bool comesFrom(const Upstream* upstream) const { return source_ != 0 && source_ == upstream; }
    void clear() { source_ = 0; }

private:
    BodySource* source_;
    MemoryBody memory_;
    FileBody file_;
    BodyEncoder encoder_;
};

#endif
