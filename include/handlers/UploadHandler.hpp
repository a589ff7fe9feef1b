#ifndef WEBSERV_HANDLERS_UPLOADHANDLER_HPP
#define WEBSERV_HANDLERS_UPLOADHANDLER_HPP

// POST into an upload_store. A multipart/form-data body stores each file
// part (plain fields are read and dropped); any other body is itself the
// file, named by the request path (POST /uploads/notes.txt) or given a
// generated name when the path is the store. Every file is written to a
// hidden temporary file in the store as its bytes arrive and linked into
// place under its final name only when the whole request succeeded; an
// existing file is never replaced (the new one gets a numbered name). An
// abandoned or failed upload removes its temporary files: nothing is left.

#include "handlers/BodyHandler.hpp"
#include "router/RequestContext.hpp"

// The handler for ctx's POST, or 0 with *status set when the request is
// refused before its body is read (400 malformed multipart type, 403 a
// name in a subdirectory of the store, 500 the store is not writable).
BodyHandler* createUploadHandler(const RequestContext& ctx, int* status);

#endif
