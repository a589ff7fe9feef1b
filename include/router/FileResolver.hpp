#ifndef WEBSERV_ROUTER_FILERESOLVER_HPP
#define WEBSERV_ROUTER_FILERESOLVER_HPP

// The file-system half of routing a GET/HEAD: what the mapped path is on
// disk (file, directory with an index, directory listing, ...). The only
// router code that calls stat().

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
    struct stat info;         // FILE_REGULAR: its stat()

    ResolvedFile();
    void swap(ResolvedFile& other);
};

// uriPath is the normalised request path, fsPath what the router mapped it
// to (a trailing '/' in both marks a directory request). stats, when given,
// answers the stat() calls.
ResolvedFile resolveFile(const LocationConfig& location, const std::string& uriPath,
    const std::string& fsPath, StatCache* stats = 0);

#endif
