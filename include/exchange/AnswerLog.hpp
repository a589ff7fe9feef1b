#ifndef WEBSERV_EXCHANGE_ANSWERLOG_HPP
#define WEBSERV_EXCHANGE_ANSWERLOG_HPP

// Access-log lines of a connection's answers that are queued but not sent
// yet. An answer is logged when its last byte has left the socket, or when
// the connection ends first, with the body bytes the socket really took
// (nginx's $body_bytes_sent: framing included, head not). Positions are
// those of the connection's output stream (OutputQueue::queuedTotal).

#include <list>
#include <string>

#include "exchange/AccessLog.hpp"

class AnswerLog {
public:
    explicit AnswerLog(AccessLog& log);

    // An answer whose body occupies [bodyStart, bodyEnd) of the stream.
    void expect(const std::string& destination, const AccessRecord& record,
        unsigned long bodyStart, unsigned long bodyEnd);
    // The stream has been sent up to sent: answers complete by then are logged.
    void onSent(unsigned long sent);
    // The connection ended at sent: every answer left is logged as it went.
    void onClosed(unsigned long sent);
    bool empty() const { return pending_.empty(); }

private:
    struct Pending {
        std::string destination;
        AccessRecord record;
        unsigned long bodyStart;
        unsigned long bodyEnd;
    };

    void write(const Pending& answer, unsigned long sent);

    AccessLog& log_;
    std::list<Pending> pending_;   // a list: an empty one allocates nothing
};

#endif
