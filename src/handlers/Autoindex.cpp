#include "handlers/Autoindex.hpp"

#include <algorithm>
#include <dirent.h>
#include <sys/stat.h>

#include "util/Escape.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

bool listedBefore(const DirectoryEntry& a, const DirectoryEntry& b)
{
    if (a.isDirectory != b.isDirectory)
        return a.isDirectory;
    return a.name < b.name;
}

std::string sizeText(const DirectoryEntry& entry)
{
    return entry.isDirectory ? "-" : toString(static_cast<long>(entry.size));
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
        struct stat info;
        if (stat((prefix + name).c_str(), &info) != 0)
            continue;
        DirectoryEntry entry;
        entry.name = name;
        entry.isDirectory = S_ISDIR(info.st_mode);
        entry.size = info.st_size;
        entry.modified = info.st_mtime;
        entries->push_back(entry);
    }
    closedir(dir);
    return true;
}

std::string renderListing(const std::string& uriPath, std::vector<DirectoryEntry> entries)
{
    std::sort(entries.begin(), entries.end(), listedBefore);
    std::string title = "Index of " + htmlEscape(uriPath);
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        "<title>" + title + "</title>\n"
        "<style>body{font-family:system-ui,sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{padding:.2em 1.5em .2em 0;text-align:left}"
        "td.size{text-align:right}</style></head>\n"
        "<body>\n<h1>" + title + "</h1>\n<table>\n"
        "<tr><th>Name</th><th>Last modified</th><th>Size</th></tr>\n"
        "<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n";
    for (size_t i = 0; i < entries.size(); ++i) {
        const DirectoryEntry& entry = entries[i];
        std::string suffix = entry.isDirectory ? "/" : "";
        html += "<tr><td><a href=\"" + percentEncodePath(entry.name) + suffix + "\">"
            + htmlEscape(entry.name) + suffix + "</a></td><td>" + httpDate(entry.modified)
            + "</td><td class=\"size\">" + sizeText(entry) + "</td></tr>\n";
    }
    html += "</table>\n</body>\n</html>\n";
    return html;
}
