#include "router/RequestContext.hpp"

RequestContext::RequestContext()
    : config(0), router(0), fileCache(0), statCache(0), request(0), remotePort(0), sessions(0), statusSource(0)
{
}
