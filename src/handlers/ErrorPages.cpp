#include "handlers/ErrorPages.hpp"

#include "handlers/Redirect.hpp"
#include "handlers/StaticHandler.hpp"
#include "router/FileResolver.hpp"
#include "util/Strings.hpp"
#include "util/Version.hpp"

namespace {

// Serves the error_page URI as a file with the original status. False when
// it does not lead to a readable regular file.
bool serveErrorPageFile(const RequestContext& ctx, int status, const std::string& uri,
    Response& response)
{
    std::string path = uri.substr(0, uri.find('?'));
    RouteDecision target = ctx.router->reroute(ctx.route, "GET", path);
    if (target.action != ROUTE_STATIC)
        return false;
    ResolvedFile file = resolveFile(*target.location, target.path, target.fsPath, ctx.statCache);
    if (file.kind != FILE_REGULAR && file.kind != FILE_INDEX)
        return false;
    return fileBody(ctx, file.path, file.info, status, response) == 0;
}

}

std::string builtinStatusPage(int status)
{
    std::string title = toString(static_cast<long>(status)) + " " + reasonPhrase(status);
    return "<!DOCTYPE html>\n"
           "<html lang=\"en\">\n"
           "<head><meta charset=\"utf-8\"><title>" + title + "</title>\n"
           "<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;"
           "padding:0 1em;color:#222}h1{font-weight:600}"
           "footer{color:#888;border-top:1px solid #ddd;padding-top:.5em}</style></head>\n"
           "<body>\n<h1>" + title + "</h1>\n<footer>" WEBSERV_SOFTWARE "</footer>\n"
           "</body>\n</html>\n";
}

void respondError(const RequestContext& ctx, int status, Response& response)
{
    const LocationConfig* location = ctx.route.location;
    std::map<int, std::string>::const_iterator page;
    if (location && (page = location->errorPages.find(status)) != location->errorPages.end()) {
        const std::string& uri = page->second;
        if (startsWith(uri, "http://") || startsWith(uri, "https://")) {
            respondRedirect(ctx, 302, uri, response);
            return;
        }
        response.reset(status);
        if (serveErrorPageFile(ctx, status, uri, response))
            return;
    }
    response.reset(status);
    response.head.headers.set("Content-Type", "text/html");
    response.body = builtinStatusPage(status);
}
