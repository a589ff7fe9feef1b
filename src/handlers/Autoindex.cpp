#include "handlers/Autoindex.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>

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

// The site's look (www/assets/style.css) in a few lines: the page must not
// depend on a stylesheet the location may not serve. Narrow screens get one
// block per entry, the date and size under the name.
const char* const kListingStyle =
    "<style>\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:#f7f8fa;color:#1d2330;line-height:1.6;"
    "font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Liberation Sans\","
    "Arial,sans-serif}\n"
    "main{max-width:48rem;margin:0 auto;padding:2rem 1.25rem 3rem}\n"
    "h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem;overflow-wrap:anywhere}\n"
    "table{width:100%;border-collapse:separate;border-spacing:0;background:#fff;"
    "border:1px solid #dde2ea;border-radius:10px;font-size:.95rem}\n"
    "th,td{text-align:left;padding:.55rem .8rem;border-bottom:1px solid #dde2ea}\n"
    "th{background:#f1f3f7;font-weight:600}\n"
    "th:first-child{border-top-left-radius:10px}th:last-child{border-top-right-radius:10px}\n"
    "tr:last-child td{border-bottom:none}\n"
    "td.name{width:100%;overflow-wrap:anywhere}\n"
    "td.date,td.size{color:#566074;white-space:nowrap}\n"
    ".size{text-align:right}\n"
    "a{color:#1f5fbf;font-weight:600;text-underline-offset:.15em}a:hover{color:#174a96}\n"
    "@media (max-width:34rem){main{padding-top:1.5rem}thead{display:none}"
    "table,tbody,tr,td{display:block}"
    "tr{display:flex;flex-wrap:wrap;gap:0 .75rem;padding:.5rem .8rem;"
    "border-bottom:1px solid #dde2ea}"
    "tr:last-child{border-bottom:none}td{padding:0;border:none}"
    "td.name{flex-basis:100%}td.date,td.size{font-size:.875rem}}\n"
    "</style>\n";

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
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>" + title + "</title>\n" + kListingStyle + "</head>\n"
        "<body>\n<main>\n<h1>" + title + "</h1>\n<table>\n"
        "<thead><tr><th>Name</th><th>Last modified</th><th class=\"size\">Size</th></tr></thead>\n"
        "<tbody>\n"
        "<tr><td class=\"name\"><a href=\"../\">../</a></td><td class=\"date\"></td>"
        "<td class=\"size\"></td></tr>\n";
    for (size_t i = 0; i < entries.size(); ++i) {
        const DirectoryEntry& entry = entries[i];
        std::string suffix = entry.type == ENTRY_DIRECTORY ? "/" : "";
        html += "<tr><td class=\"name\"><a href=\"" + percentEncodePath(entry.name) + suffix + "\">"
            + htmlEscape(entry.name) + suffix + "</a></td><td class=\"date\">"
            + httpDate(entry.modified) + "</td><td class=\"size\">" + sizeText(entry, exactSize)
            + "</td></tr>\n";
    }
    html += "</tbody>\n</table>\n</main>\n</body>\n</html>\n";
    return html;
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
