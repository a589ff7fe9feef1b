#include "http/Upstream.hpp"

UpstreamHead::UpstreamHead()
    : status(200), localRedirect(false), hasContentLength(false), contentLength(0)
{
}
