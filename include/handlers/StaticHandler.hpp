#ifndef WEBSERV_HANDLERS_STATICHANDLER_HPP
#define WEBSERV_HANDLERS_STATICHANDLER_HPP

// GET/HEAD of files and directories: the file itself (streamed from disk),
// a directory's index file, its listing, or the 301/403/404 of
// tests/contract/HTTP.md ("Responses").

#include <string>
#include <sys/stat.h>

#include "router/RequestContext.hpp"
#include "http/Response.hpp"
#include "router/FileResolver.hpp"

// file is what resolveFile() found for the request; the dispatcher has
// already turned a FILE_INDEX into an internal redirect where needed.
void respondStatic(const RequestContext& ctx, const ResolvedFile& file, Response& response);

// Makes the regular file at path (which stat() described as info) the body
// of a response with status: from the file cache when it is small, else
// streamed from disk. 0 on success, else the error status to answer: 403
// unreadable, 404 gone meanwhile, 500. The path has been through
// resolveFile() (disable_symlinks included).
int fileBody(const RequestContext& ctx, const std::string& path, const struct stat& info, int status,
    Response& response);

#endif
