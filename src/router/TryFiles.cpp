#include "router/TryFiles.hpp"

#include "http/Uri.hpp"
#include "router/FileResolver.hpp"
#include "router/Router.hpp"
#include "util/Strings.hpp"

namespace {

// Whether name (a URI path) exists under the location as the kind it asks
// for. A name that climbs out of the root, that an alias cannot map, or
// that disable_symlinks refuses, exists nowhere.
bool exists(const LocationConfig& location, const std::string& name, StatCache& stats,
    std::string* clean)
{
    std::string fsPath;
    if (!cleanPath(name, clean) || !mapPathToFile(location, *clean, &fsPath))
        return false;
    struct stat info;
    int error = 0;
    if (stats.stat(fsPath, &info, &error) != 0 || checkSymlinks(location.symlinks, fsPath, stats) != 0)
        return false;
    bool wantsDirectory = endsWith(name, "/");
    return S_ISDIR(info.st_mode) == wantsDirectory;
}

}

TryFilesResult tryFiles(const LocationConfig& location, const VariableValues& values,
    StatCache& stats)
{
    const TryFilesRule& rule = location.tryFiles;
    TryFilesResult result;
    for (size_t i = 0; i < rule.files.size(); ++i) {
        std::string name = rule.files[i].expand(values);
        if (exists(location, name, stats, &result.uri)) {
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
