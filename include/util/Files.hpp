#ifndef WEBSERV_UTIL_FILES_HPP
#define WEBSERV_UTIL_FILES_HPP

// File-system helpers for start-up code (config loading); the request path
// uses its own stat()s so that it can tell errors apart.

#include <string>

// path made absolute against the current working directory, without a
// trailing slash (except for "/" itself).
std::string absolutePath(const std::string& path);
// The first executable named name in $PATH, or "" when there is none.
std::string findInPath(const std::string& name);
bool isDirectory(const std::string& path);
bool pathExists(const std::string& path);
bool isExecutableFile(const std::string& path);
// The whole content of a file; false with *error (an errno) when it cannot
// be opened or read.
bool readWholeFile(const std::string& path, std::string* content, int* error);

#endif
