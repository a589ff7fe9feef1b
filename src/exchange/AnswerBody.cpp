#include "exchange/AnswerBody.hpp"

AnswerBody::AnswerBody()
    : source_(0)
{
}

void AnswerBody::fromResponse(Response& response, bool headOnly)
{
    encoder_.start(BodyEncoder::LENGTH, headOnly ? 0 : response.bodyLength());
    source_ = 0;
    if (headOnly)
        return;
    if (response.hasFile()) {
        file_.open(response);
        source_ = &file_;
    } else {
        memory_.open(response);
        source_ = &memory_;
    }
}

void AnswerBody::fromUpstream(Upstream* upstream, BodyEncoder::Framing framing, off_t length)
{
    encoder_.start(framing, length);
    source_ = upstream;
}

AnswerBody::Result AnswerBody::pull(OutputQueue& out)
{
    if (!source_)
        return DONE;
    BodySource::Status status = source_->pull(encoder_, out);
    if (status == BodySource::BODY_MORE || status == BodySource::BODY_WAITING)
        return MORE;
    source_ = 0;
    if (status == BodySource::BODY_BROKEN)
        return BROKEN;
    if (encoder_.chunked())
        encoder_.finish(out.appendable());
    return encoder_.shortOfLength() ? CUT_SHORT : DONE;
}
