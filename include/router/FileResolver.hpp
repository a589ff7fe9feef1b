#ifndef WEBSERV_ROUTER_FILERESOLVER_HPP
#define WEBSERV_ROUTER_FILERESOLVER_HPP

// The file-system half of routing: what the mapped path is on disk (file,
// directory with an index, directory listing, ...), under the location's
// disable_symlinks policy. The only router code that calls stat().

#include <string>
#include <sys/stat.h>

#include "config/Config.hpp"
#include "router/StatCache.hpp"

enum FileKind {
    FILE_REGULAR,             // serve `path`
    FILE_INDEX,               // a directory's index file: serve `uri` instead
    FILE_LISTING,             // directory with no index, autoindex on
    FILE_ADD_SLASH,           // a directory asked for without its '/' (301)
    FILE_FORBIDDEN,           // 403
    FILE_NOT_FOUND,           // 404
    FILE_ERROR                // 500 (an unexpected stat() failure)
};

struct ResolvedFile {
    FileKind kind;
    std::string path;         // the file (or directory) on disk
    std::string uri;          // FILE_INDEX: the index file's URI path
    struct stat info;         // FILE_REGULAR, FILE_INDEX: its stat()
    std::string reason;       // FORBIDDEN, NOT_FOUND, ERROR: why, for the
                              // error log, in nginx's words ("open()
                              // \"/srv/a\" failed (2: No such file or directory)")

    ResolvedFile();
    void swap(ResolvedFile& other);
};

// The status answering a refusal: 403 (FILE_FORBIDDEN), 404 (FILE_NOT_FOUND)
// or 500.
int refusalStatus(FileKind kind);

// uriPath is the normalised request path, fsPath what the router mapped it
// to (a trailing '/' in both marks a directory request). stats, when given,
// answers the stat() calls.
ResolvedFile resolveFile(const LocationConfig& location, const std::string& uriPath,
    const std::string& fsPath, StatCache* stats = 0);

// A file that must be a regular file (a CGI script): FILE_REGULAR, or a
// refusal (anything else is FILE_FORBIDDEN).
ResolvedFile resolveRegularFile(const LocationConfig& location, const std::string& fsPath,
    StatCache* stats = 0);

// disable_symlinks: 0 when policy lets path be opened, else the errno
// nginx reports: ELOOP for a symbolic link it refuses, or what the lstat()
// (or, for if_not_owner, the stat()) of a component failed with. Only the
// components after policy.from are looked at, none for SYMLINKS_FOLLOW.
int checkSymlinks(const SymlinkPolicy& policy, const std::string& path, StatCache& stats);

#endif
