#ifndef WEBSERV_HANDLERS_DELETEHANDLER_HPP
#define WEBSERV_HANDLERS_DELETEHANDLER_HPP

// DELETE of a file in an upload_store: 204 when removed, 404 when there is
// none, 403 for a directory, a path below a subdirectory of the store, or a
// file the server may not remove. A symbolic link is removed itself, never
// followed.

#include "router/RequestContext.hpp"
#include "http/Response.hpp"

void respondDelete(const RequestContext& ctx, Response& response);

#endif
