#include "router/TryFiles.hpp"

#include "http/Uri.hpp"
#include "router/FileResolver.hpp"
#include "router/Router.hpp"
#include "util/Strings.hpp"

namespace {

// Whether the FILE argument, expanded, exists under the location as the
// kind its text asks for: written with a trailing '/' ("$uri/"), a
// directory, else anything but one (as nginx reads it, from the
// configuration, not from the request: "$uri" for "/" wants a file). A
// name that climbs out of the root, that an alias cannot map, or that
// disable_symlinks refuses, exists nowhere. *uri: the name as served, the
// directory's '/' taken off as nginx does ("/docs" then answers 301).
bool exists(const LocationConfig& location, const VariableTemplate& file,
    const VariableValues& values, StatCache& stats, std::string* uri)
{
    std::string name = file.expand(values);
    bool wantsDirectory = endsWith(file.text(), "/");
    if (wantsDirectory && name.size() > 1)
        name.erase(name.size() - 1);
    std::string fsPath;
    if (!cleanPath(name, uri) || !mapPathToFile(location, *uri, &fsPath))
        return false;
    struct stat info;
    int error = 0;
    if (stats.stat(fsPath, &info, &error) != 0 || checkSymlinks(location.symlinks, fsPath, stats) != 0)
        return false;
    return S_ISDIR(info.st_mode) == wantsDirectory;
}

}

TryFilesResult tryFiles(const LocationConfig& location, const VariableValues& values,
    StatCache& stats)
{
    const TryFilesRule& rule = location.tryFiles;
    TryFilesResult result;
    for (size_t i = 0; i < rule.files.size(); ++i) {
        if (exists(location, rule.files[i], values, stats, &result.uri)) {
            result.kind = TryFilesResult::FOUND;
            return result;
        }
    }
    if (rule.status != 0) {
        result.status = rule.status;
        return result;
    }
    std::string target = rule.fallback.expand(values);
    std::string::size_type question = target.find('?');
    if (!cleanPath(target.substr(0, question), &result.uri)) {
        result.status = 500;
        result.reason = "invalid URI \"" + target + "\" in try_files";
        return result;
    }
    result.kind = TryFilesResult::REDIRECT;
    result.newQuery = question != std::string::npos;
    if (result.newQuery)
        result.query = target.substr(question + 1);
    return result;
}
