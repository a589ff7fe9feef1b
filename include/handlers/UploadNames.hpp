#ifndef WEBSERV_HANDLERS_UPLOADNAMES_HPP
#define WEBSERV_HANDLERS_UPLOADNAMES_HPP

// File names for uploads. Pure functions: what a client sends as a name
// never decides where a file goes; only these functions' results do.

#include <string>

// The name a client sent, made safe to use inside the upload store: the
// last path component only (after '/' or '\'), without control bytes, NUL,
// bidirectional-override characters, leading dots or spaces (so no "..",
// no hidden files) or trailing spaces, at most 200 bytes (cut on a UTF-8
// character boundary, keeping the extension). "" when nothing usable is
// left: the caller then makes up a name.
std::string sanitizeFilename(const std::string& raw);

// The n-th alternative for a name that is taken, numbered before the last
// extension: ("a.txt", 1) -> "a-1.txt", ("a.tar.gz", 2) -> "a.tar-2.gz",
// ("README", 3) -> "README-3".
std::string numberedName(const std::string& name, int n);

#endif
