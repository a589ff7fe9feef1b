#include "exchange/AnswerLog.hpp"

AnswerLog::AnswerLog(AccessLog& log)
    : log_(log)
{
}

void AnswerLog::expect(const std::string& destination, const AccessRecord& record,
    unsigned long bodyStart, unsigned long bodyEnd)
{
    Pending answer;
    answer.destination = destination;
    answer.record = record;
    answer.bodyStart = bodyStart;
    answer.bodyEnd = bodyEnd;
    pending_.push_back(answer);
}

void AnswerLog::onSent(unsigned long sent)
{
    while (!pending_.empty() && pending_.front().bodyEnd <= sent) {
        write(pending_.front(), sent);
        pending_.pop_front();
    }
}

void AnswerLog::onClosed(unsigned long sent)
{
    for (std::list<Pending>::const_iterator answer = pending_.begin(); answer != pending_.end();
        ++answer)
        write(*answer, sent);
    pending_.clear();
}

void AnswerLog::write(const Pending& answer, unsigned long sent)
{
    AccessRecord record = answer.record;
    unsigned long end = sent < answer.bodyEnd ? sent : answer.bodyEnd;
    record.bodyBytes = end > answer.bodyStart ? static_cast<off_t>(end - answer.bodyStart) : 0;
    log_.write(answer.destination, record);
}
