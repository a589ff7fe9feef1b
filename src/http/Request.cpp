#include "http/Request.hpp"

Request::Request()
{
    clear();
}

void Request::clear()
{
    method.clear();
    target.clear();
    versionMinor = 1;
    versionText.clear();
    host.clear();
    headers.clear();
    framing = BODY_NONE;
    contentLength = 0;
    keepAlive = false;
    expectation = EXPECT_NOTHING;
    unparsedLine.clear();
}

std::string Request::requestLine() const
{
    return method + " " + target + (versionText.empty() ? "" : " " + versionText);
}

bool Request::idempotent() const
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT"
        || method == "DELETE" || method == "TRACE";
}
