#include "handlers/Autoindex.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>

#include "handlers/SitePage.hpp"
#include "util/Escape.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

bool listedBefore(const DirectoryEntry& a, const DirectoryEntry& b)
{
    bool aDirectory = a.type == ENTRY_DIRECTORY;
    bool bDirectory = b.type == ENTRY_DIRECTORY;
    if (aDirectory != bDirectory)
        return aDirectory;
    return a.name < b.name;
}

EntryType typeOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return ENTRY_DIRECTORY;
    return S_ISREG(mode) ? ENTRY_FILE : ENTRY_OTHER;
}

std::string sizeText(const DirectoryEntry& entry, bool exactSize)
{
    if (entry.type == ENTRY_DIRECTORY)
        return "-";
    return exactSize ? toString(static_cast<long>(entry.size)) : humanSize(entry.size);
}

}

bool readDirectory(const std::string& path, std::vector<DirectoryEntry>* entries)
{
    DIR* dir = opendir(path.c_str());
    if (!dir)
        return false;
    std::string prefix = endsWith(path, "/") ? path : path + "/";
    while (struct dirent* item = readdir(dir)) {
        std::string name = item->d_name;
        if (name.empty() || name[0] == '.')
            continue;
        std::string full = prefix + name;
        struct stat info;
        if (stat(full.c_str(), &info) != 0 && (errno != ENOENT || lstat(full.c_str(), &info) != 0))
            continue;
        DirectoryEntry entry;
        entry.name = name;
        entry.type = typeOf(info.st_mode);
        entry.size = info.st_size;
        entry.modified = info.st_mtime;
        entries->push_back(entry);
    }
    closedir(dir);
    return true;
}

std::string humanSize(off_t size)
{
    const off_t kilo = 1024;
    const off_t mega = kilo * 1024;
    const off_t giga = mega * 1024;
    off_t unit = 1;
    const char* scale = "";
    if (size >= giga) {
        unit = giga;
        scale = "G";
    } else if (size >= mega) {
        unit = mega;
        scale = "M";
    } else if (size > 9999) {
        unit = kilo;
        scale = "K";
    }
    off_t count = size / unit;
    if (unit > 1 && size % unit >= unit / 2)
        ++count;
    return toString(static_cast<long>(count)) + scale;
}

std::string renderListing(const std::string& uriPath, std::vector<DirectoryEntry> entries,
    bool exactSize)
{
    std::sort(entries.begin(), entries.end(), listedBefore);
    std::string title = "Index of " + htmlEscape(uriPath);
    std::string body = "<h1>" + title + "</h1>\n<table>\n"
        "<thead><tr><th>Name</th><th>Last modified</th><th class=\"size\">Size</th></tr></thead>\n"
        "<tbody>\n"
        "<tr><td class=\"name\"><a href=\"../\">../</a></td><td class=\"date\"></td>"
        "<td class=\"size\"></td></tr>\n";
    for (size_t i = 0; i < entries.size(); ++i) {
        const DirectoryEntry& entry = entries[i];
        std::string suffix = entry.type == ENTRY_DIRECTORY ? "/" : "";
        body += "<tr><td class=\"name\"><a href=\"" + percentEncodePath(entry.name) + suffix + "\">"
            + htmlEscape(entry.name) + suffix + "</a></td><td class=\"date\">"
            + httpDate(entry.modified) + "</td><td class=\"size\">" + sizeText(entry, exactSize)
            + "</td></tr>\n";
    }
    body += "</tbody>\n</table>\n";
    return sitePage(title, body);
}

std::string renderJsonListing(std::vector<DirectoryEntry> entries)
{
    static const char* const types[] = { "directory", "file", "other" };
    std::sort(entries.begin(), entries.end(), listedBefore);
    std::string json = "[";
    for (size_t i = 0; i < entries.size(); ++i) {
        const DirectoryEntry& entry = entries[i];
        json += "\r\n{ \"name\":\"" + jsonEscapeAsNginx(entry.name) + "\", \"type\":\""
            + types[entry.type] + "\", \"mtime\":\"" + httpDate(entry.modified) + "\"";
        if (entry.type == ENTRY_FILE)
            json += ", \"size\":" + toString(static_cast<long>(entry.size));
        json += i + 1 < entries.size() ? " }," : " }";
    }
    return json + "\r\n]";
}
