#ifndef WEBSERV_HANDLERS_AUTOINDEX_HPP
#define WEBSERV_HANDLERS_AUTOINDEX_HPP

// Directory listings: reading a directory, and rendering its entries as an
// HTML page or as nginx's JSON (directories first, then the rest, each group
// in byte order; hidden "." files left out). The page carries its own small
// stylesheet, so that it looks the same in every location; its names are
// HTML-escaped and its links percent-encoded.

#include <sys/types.h>
#include <ctime>
#include <string>
#include <vector>

enum EntryType {
    ENTRY_DIRECTORY,
    ENTRY_FILE,               // a regular file
    ENTRY_OTHER               // a FIFO, a socket, a device, a dangling link
};

struct DirectoryEntry {
    std::string name;
    EntryType type;
    off_t size;
    time_t modified;
};

// False if the directory cannot be opened. As nginx does, an entry is what
// stat() sees through a link, or the link itself when its target is gone.
bool readDirectory(const std::string& path, std::vector<DirectoryEntry>* entries);

// A size as nginx's autoindex_exact_size off shows it: bytes up to 9999,
// then K, M or G (1024-based), rounded half up: "9999", "10K", "1024K", "2M".
std::string humanSize(off_t size);

// uriPath is the decoded directory path, ending in '/'; exactSize false
// writes sizes with humanSize(). Pure.
std::string renderListing(const std::string& uriPath, std::vector<DirectoryEntry> entries,
    bool exactSize);
// nginx's autoindex_format json, byte for byte: "[", then one
// "{ "name":..., "type":"directory"|"file"|"other", "mtime":RFC 1123 date }"
// a line, "size" for files only, lines joined by "," CRLF, then CRLF "]".
std::string renderJsonListing(std::vector<DirectoryEntry> entries);

#endif
