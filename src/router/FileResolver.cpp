#include "router/FileResolver.hpp"

#include <algorithm>
#include <cerrno>

#include "util/Strings.hpp"

namespace {

ResolvedFile result(FileKind kind, const std::string& path)
{
    ResolvedFile file;
    file.kind = kind;
    file.path = path;
    return file;
}

FileKind kindOfStatError(int error)
{
    if (error == ENOENT || error == ENOTDIR || error == ENAMETOOLONG || error == ELOOP)
        return FILE_NOT_FOUND;
    if (error == EACCES)
        return FILE_FORBIDDEN;
    return FILE_ERROR;
}

}

ResolvedFile::ResolvedFile()
    : kind(FILE_NOT_FOUND), info()
{
}

void ResolvedFile::swap(ResolvedFile& other)
{
    std::swap(kind, other.kind);
    path.swap(other.path);
    uri.swap(other.uri);
    std::swap(info, other.info);
}

ResolvedFile resolveFile(const LocationConfig& location, const std::string& uriPath,
    const std::string& fsPath, StatCache* stats)
{
    StatCache ownStats;         // nothing shared: a cache for this call only
    if (!stats)
        stats = &ownStats;
    ResolvedFile file = result(FILE_REGULAR, fsPath);
    int error = 0;
    if (stats->stat(fsPath, &file.info, &error) != 0)
        return result(kindOfStatError(error), fsPath);
    if (S_ISREG(file.info.st_mode))
        return file;
    if (!S_ISDIR(file.info.st_mode))
        return result(FILE_FORBIDDEN, fsPath);
    if (!endsWith(uriPath, "/"))
        return result(FILE_ADD_SLASH, fsPath);
    std::string directory = endsWith(fsPath, "/") ? fsPath : fsPath + "/";
    for (size_t i = 0; i < location.index.size(); ++i) {
        struct stat indexInfo;
        std::string candidate = directory + location.index[i];
        if (stats->stat(candidate, &indexInfo, &error) == 0 && S_ISREG(indexInfo.st_mode)) {
            ResolvedFile index = result(FILE_INDEX, candidate);
            index.uri = uriPath + location.index[i];
            index.info = indexInfo;
            return index;
        }
    }
    return result(location.autoindex ? FILE_LISTING : FILE_FORBIDDEN, directory);
}
