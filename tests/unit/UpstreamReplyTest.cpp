// A proxied server's whole answer: the head the client gets (hop-by-hop,
// framing, Server and Date left out), the body decoded from each framing,
// interim answers skipped, the 101 of a tunnel, what makes the connection
// reusable, and the failures (nginx's words).

#include <gtest/gtest.h>

#include <string>

#include "http/UpstreamReply.hpp"

namespace {

struct Fed {
    UpstreamReply::State state;
    std::string body;
};

// Feeds text to a fresh reply in pieces of `piece` bytes (0: whole).
Fed feed(UpstreamReply& reply, const std::string& text, size_t piece = 0)
{
    Fed fed = { reply.state(), std::string() };
    for (size_t pos = 0; pos < text.size();) {
        size_t len = piece == 0 ? text.size() - pos : std::min(piece, text.size() - pos);
        fed.state = reply.feed(text.data() + pos, len, fed.body);
        pos += len;
    }
    return fed;
}

Fed answer(const std::string& text, size_t piece = 0, bool headRequest = false, bool upgrade = false)
{
    UpstreamReply reply;
    reply.start(headRequest, upgrade);
    return feed(reply, text, piece);
}

const char kChunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";

}

TEST(UpstreamReplyTest, TheClientsHeadLeavesOutWhatStaysBetweenTheServers)
{
    UpstreamReply reply;
    reply.start(false, false);
    Fed fed = feed(reply, "HTTP/1.1 201 Made\r\nServer: app\r\nDate: x\r\nConnection: keep-alive, X-Hop\r\n"
        "Keep-Alive: timeout=5\r\nX-Hop: 1\r\nX-App: a\r\nSet-Cookie: s=1\r\nContent-Length: 2\r\n\r\nok");
    EXPECT_EQ(UpstreamReply::COMPLETE, fed.state);
    EXPECT_EQ("ok", fed.body);
    const UpstreamHead& head = reply.head();
    EXPECT_EQ(201, head.status);
    EXPECT_EQ("Made", head.reason);
    ASSERT_EQ(2u, head.fields.size());
    EXPECT_EQ("X-App", head.fields.at(0).first);
    EXPECT_EQ("Set-Cookie", head.fields.at(1).first);
    EXPECT_TRUE(head.hasContentLength);
    EXPECT_EQ(2, head.contentLength);
    EXPECT_TRUE(reply.reusable());
}

TEST(UpstreamReplyTest, EveryFramingGivesTheSameBodyHoweverItIsSplit)
{
    for (size_t piece : { 0, 1, 3, 7 }) {
        Fed chunked = answer(kChunked, piece);
        EXPECT_EQ(UpstreamReply::COMPLETE, chunked.state) << piece;
        EXPECT_EQ("hello, world", chunked.body) << piece;
        Fed length = answer("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello, world", piece);
        EXPECT_EQ(UpstreamReply::COMPLETE, length.state) << piece;
        EXPECT_EQ("hello, world", length.body) << piece;
        UpstreamReply reply;
        reply.start(false, false);
        Fed close = feed(reply, "HTTP/1.0 200 OK\r\n\r\nhello, world", piece);
        EXPECT_EQ(UpstreamReply::READING_BODY, close.state) << piece;
        EXPECT_EQ("hello, world", close.body) << piece;
        EXPECT_FALSE(reply.head().hasContentLength);
        EXPECT_EQ(UpstreamReply::COMPLETE, reply.onClose());
        EXPECT_FALSE(reply.reusable()) << "a body that ends with the connection ends it";
    }
}

TEST(UpstreamReplyTest, InterimAnswersAreSkippedAndBodilessOnesEndAtTheHead)
{
    UpstreamReply reply;
    reply.start(false, false);
    Fed fed = feed(reply, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        "HTTP/1.1 204 No Content\r\n\r\n");
    EXPECT_EQ(UpstreamReply::COMPLETE, fed.state);
    EXPECT_EQ(204, reply.head().status);
    EXPECT_EQ(0u, reply.head().fields.size());
    EXPECT_TRUE(reply.reusable());

    UpstreamReply head;
    head.start(true, false);
    Fed headFed = feed(head, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
    EXPECT_EQ(UpstreamReply::COMPLETE, headFed.state);
    EXPECT_TRUE(head.head().hasContentLength) << "a HEAD answer says GET's length";
    EXPECT_EQ(5000, head.head().contentLength);
    EXPECT_TRUE(head.reusable());
}

TEST(UpstreamReplyTest, BytesAfterTheAnswerOrAConnectionCloseMakeItUnusable)
{
    UpstreamReply stray;
    stray.start(false, false);
    EXPECT_EQ(UpstreamReply::COMPLETE, feed(stray, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy").state);
    EXPECT_FALSE(stray.reusable());
    UpstreamReply closing;
    closing.start(false, false);
    feed(closing, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx");
    EXPECT_FALSE(closing.reusable());
    UpstreamReply old;
    old.start(false, false);
    feed(old, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx");
    EXPECT_FALSE(old.reusable()) << "HTTP/1.0 without keep-alive";
}

TEST(UpstreamReplyTest, A101IsATunnelOnlyWhenTheRequestAskedForIt)
{
    UpstreamReply reply;
    reply.start(false, true);
    Fed fed = feed(reply, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Accept: k\r\n\r\n\x81\x02hi");
    EXPECT_EQ(UpstreamReply::READING_BODY, fed.state);
    EXPECT_TRUE(reply.tunnel());
    EXPECT_EQ("\x81\x02hi", fed.body);
    ASSERT_EQ(2u, reply.head().fields.size());
    EXPECT_EQ("Sec-WebSocket-Accept", reply.head().fields.at(0).first);
    EXPECT_EQ("Upgrade", reply.head().fields.at(1).first);
    EXPECT_EQ("websocket", reply.head().fields.at(1).second);
    EXPECT_EQ(UpstreamReply::COMPLETE, reply.onClose());
    EXPECT_FALSE(reply.reusable());

    UpstreamReply unasked;
    unasked.start(false, false);
    EXPECT_EQ(UpstreamReply::BROKEN, feed(unasked, "HTTP/1.1 101 Switching Protocols\r\n\r\n").state);
    EXPECT_EQ("sent unexpected \"101 Switching Protocols\" to a request without Upgrade", unasked.error());
}

TEST(UpstreamReplyTest, FailuresSayWhatWentWrong)
{
    UpstreamReply head;
    head.start(false, false);
    EXPECT_EQ(UpstreamReply::BROKEN, feed(head, "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n").state);
    EXPECT_EQ("sent invalid header line", head.error());

    UpstreamReply chunk;
    chunk.start(false, false);
    EXPECT_EQ(UpstreamReply::BROKEN,
        feed(chunk, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").state);
    EXPECT_EQ("sent invalid chunked response", chunk.error());

    UpstreamReply cut;
    cut.start(false, false);
    feed(cut, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    EXPECT_EQ(UpstreamReply::BROKEN, cut.onClose());
    EXPECT_EQ("prematurely closed connection", cut.error());

    UpstreamReply silent;
    silent.start(false, false);
    EXPECT_EQ(UpstreamReply::BROKEN, silent.onClose());
    EXPECT_EQ("prematurely closed connection", silent.error());
}
