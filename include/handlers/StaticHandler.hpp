#ifndef WEBSERV_HANDLERS_STATICHANDLER_HPP
#define WEBSERV_HANDLERS_STATICHANDLER_HPP

// GET/HEAD of files and directories: the file itself (streamed from disk),
// a directory's index file, its listing, or the 301/403/404 of HTTP.md.

#include <string>
#include <sys/stat.h>

#include "handlers/RequestContext.hpp"
#include "http/Response.hpp"
#include "router/FileResolver.hpp"

// file is what resolveFile() found for the request; the dispatcher has
// already turned a FILE_INDEX into an internal redirect where needed.
void respondStatic(const RequestContext& ctx, const ResolvedFile& file, Response& response);

// Opens path as the body of a response with status. 0 on success, else the
// error status to answer (403 unreadable, 404 gone meanwhile, 500).
int openFileBody(const Config& config, const std::string& path, int status, Response& response);

#endif
