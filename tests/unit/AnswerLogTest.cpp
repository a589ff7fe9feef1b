// Access-log lines written when an answer's last byte has left the socket
// (src/exchange/AnswerLog.cpp), with the body bytes really sent.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "exchange/AnswerLog.hpp"
#include "support/TempDir.hpp"

namespace {

AccessRecord recordFor(const std::string& requestLine)
{
    AccessRecord record;
    record.remoteAddress = "127.0.0.1";
    record.requestLine = requestLine;
    record.status = 200;
    record.bodyBytes = 0;
    return record;
}

std::string contentOf(const std::string& path)
{
    std::ifstream in(path.c_str());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}

TEST(AnswerLogTest, AnAnswerIsLoggedOnlyOnceItsLastByteIsSent)
{
    TempDir dir;
    std::string path = dir.file("access.log");
    AccessLog log;
    AnswerLog answers(log);
    // Head in [0, 100), body in [100, 150).
    answers.expect(path, recordFor("GET /a HTTP/1.1"), 100, 150);
    answers.onSent(149);
    log.flush();
    EXPECT_EQ("", contentOf(path));
    EXPECT_FALSE(answers.empty());
    answers.onSent(150);
    log.flush();
    EXPECT_NE(std::string::npos, contentOf(path).find("\"GET /a HTTP/1.1\" 200 50 "));
    EXPECT_TRUE(answers.empty());
}

TEST(AnswerLogTest, PipelinedAnswersAreLoggedInOrderAsTheyLeave)
{
    TempDir dir;
    std::string path = dir.file("access.log");
    AccessLog log;
    AnswerLog answers(log);
    answers.expect(path, recordFor("GET /1 HTTP/1.1"), 10, 20);
    answers.expect(path, recordFor("GET /2 HTTP/1.1"), 30, 35);
    answers.onSent(25);
    log.flush();
    std::string first = contentOf(path);
    EXPECT_NE(std::string::npos, first.find("GET /1 HTTP/1.1\" 200 10 "));
    EXPECT_EQ(std::string::npos, first.find("GET /2"));
    answers.onSent(35);
    log.flush();
    EXPECT_NE(std::string::npos, contentOf(path).find("GET /2 HTTP/1.1\" 200 5 "));
}

TEST(AnswerLogTest, AConnectionThatEndsLogsWhatReallyLeft)
{
    TempDir dir;
    std::string path = dir.file("access.log");
    AccessLog log;
    AnswerLog answers(log);
    answers.expect(path, recordFor("GET /big HTTP/1.1"), 100, 100100);
    answers.expect(path, recordFor("GET /never HTTP/1.1"), 100200, 100300);
    answers.onClosed(5100);
    log.flush();
    std::string text = contentOf(path);
    EXPECT_NE(std::string::npos, text.find("GET /big HTTP/1.1\" 200 5000 "));
    EXPECT_NE(std::string::npos, text.find("GET /never HTTP/1.1\" 200 0 "));
    EXPECT_TRUE(answers.empty());
}
