#ifndef WEBSERV_HANDLERS_AUTOINDEX_HPP
#define WEBSERV_HANDLERS_AUTOINDEX_HPP

// Directory listings: reading a directory, and rendering its entries as
// HTML (directories first, then files, each group in byte order; names
// HTML-escaped, links percent-encoded; hidden "." files left out).

#include <sys/types.h>
#include <ctime>
#include <string>
#include <vector>

struct DirectoryEntry {
    std::string name;
    bool isDirectory;
    off_t size;
    time_t modified;
};

// False if the directory cannot be opened.
bool readDirectory(const std::string& path, std::vector<DirectoryEntry>* entries);
// uriPath is the decoded directory path, ending in '/'. Pure.
std::string renderListing(const std::string& uriPath, std::vector<DirectoryEntry> entries);

#endif
