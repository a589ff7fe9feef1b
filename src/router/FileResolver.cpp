#include "router/FileResolver.hpp"

#include <algorithm>
#include <cerrno>

#include "util/Log.hpp"
#include "util/Strings.hpp"

namespace {

ResolvedFile result(FileKind kind, const std::string& path)
{
    ResolvedFile file;
    file.kind = kind;
    file.path = path;
    return file;
}

FileKind kindOfError(int error)
{
    if (error == ENOENT || error == ENOTDIR || error == ENAMETOOLONG)
        return FILE_NOT_FOUND;
    if (error == EACCES || error == ELOOP)
        return FILE_FORBIDDEN;
    return FILE_ERROR;
}

std::string directoryOf(const std::string& fsPath)
{
    return endsWith(fsPath, "/") ? fsPath : fsPath + "/";
}

// nginx names openat() when it opens a path component by component, that
// is whenever disable_symlinks checks something.
ResolvedFile failure(const LocationConfig& location, const std::string& path, int error)
{
    ResolvedFile file = result(kindOfError(error), path);
    bool checked = location.symlinks.mode != SYMLINKS_FOLLOW;
    file.reason = failedCall(checked ? "openat()" : "open()", path, error);
    return file;
}

ResolvedFile refusal(const std::string& path, const std::string& reason)
{
    ResolvedFile file = result(FILE_FORBIDDEN, path);
    file.reason = reason;
    return file;
}

// disable_symlinks, then stat(): 0 with *info, or the errno.
int lookUp(const LocationConfig& location, const std::string& path, StatCache& stats,
    struct stat* info)
{
    int error = checkSymlinks(location.symlinks, path, stats);
    if (error == 0 && stats.stat(path, info, &error) == 0)
        return 0;
    return error;
}

// Where checking starts: the '/' before the first component looked at, or
// npos for none. As in nginx, a from that is not a leading part of path
// ending at a component leaves nothing unchecked.
size_t firstChecked(const std::string& from, const std::string& path)
{
    if (from.empty() || !startsWith(path, from))
        return 0;
    if (path.size() == from.size())
        return std::string::npos;
    if (path[from.size()] == '/')
        return from.size();
    return endsWith(from, "/") ? from.size() - 1 : 0;
}

// One component: 0, ELOOP when the policy refuses it, or the errno.
int checkComponent(const SymlinkPolicy& policy, const std::string& path, StatCache& stats)
{
    struct stat link;
    int error = 0;
    if (stats.lstat(path, &link, &error) != 0)
        return error;
    if (!S_ISLNK(link.st_mode))
        return 0;
    if (policy.mode == SYMLINKS_REFUSE)
        return ELOOP;
    struct stat target;         // at the end of the chain, as open() sees it
    if (stats.stat(path, &target, &error) != 0)
        return error;
    return target.st_uid == link.st_uid ? 0 : ELOOP;
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
    reason.swap(other.reason);
}

int refusalStatus(FileKind kind)
{
    return kind == FILE_FORBIDDEN ? 403 : kind == FILE_NOT_FOUND ? 404 : 500;
}

int checkSymlinks(const SymlinkPolicy& policy, const std::string& path, StatCache& stats)
{
    if (policy.mode == SYMLINKS_FOLLOW)
        return 0;
    size_t slash = firstChecked(policy.from, path);
    while (slash != std::string::npos) {
        size_t end = path.find('/', slash + 1);
        size_t length = end == std::string::npos ? path.size() : end;
        if (length > slash + 1) {
            int error = checkComponent(policy, path.substr(0, length), stats);
            if (error != 0)
                return error;
        }
        slash = end;
    }
    return 0;
}

ResolvedFile resolveRegularFile(const LocationConfig& location, const std::string& fsPath,
    StatCache* stats)
{
    StatCache ownStats;
    ResolvedFile file = result(FILE_REGULAR, fsPath);
    int error = lookUp(location, fsPath, stats ? *stats : ownStats, &file.info);
    if (error != 0)
        return failure(location, fsPath, error);
    if (!S_ISREG(file.info.st_mode))
        return refusal(fsPath, "\"" + fsPath + "\" is not a regular file");
    return file;
}

ResolvedFile resolveFile(const LocationConfig& location, const std::string& uriPath,
    const std::string& fsPath, StatCache* stats)
{
    StatCache ownStats;         // nothing shared: a cache for this call only
    if (!stats)
        stats = &ownStats;
    ResolvedFile file = result(FILE_REGULAR, fsPath);
    bool directoryRequest = endsWith(uriPath, "/");
    int error = lookUp(location, fsPath, *stats, &file.info);
    if (error != 0) {
        ResolvedFile failed = failure(location, fsPath, error);
        // As nginx's index module words it: the first index file is missing.
        if (directoryRequest && failed.kind == FILE_NOT_FOUND && !location.index.empty())
            failed.reason = "\"" + directoryOf(fsPath) + location.index[0] + "\" is not found "
                + errnoText(error);
        return failed;
    }
    if (S_ISREG(file.info.st_mode))
        return file;
    if (!S_ISDIR(file.info.st_mode))
        return refusal(fsPath, "\"" + fsPath + "\" is not a regular file");
    if (!directoryRequest)
        return result(FILE_ADD_SLASH, fsPath);
    std::string directory = directoryOf(fsPath);
    for (size_t i = 0; i < location.index.size(); ++i) {
        struct stat indexInfo;
        std::string candidate = directory + location.index[i];
        error = lookUp(location, candidate, *stats, &indexInfo);
        if (error == 0 && S_ISREG(indexInfo.st_mode)) {
            ResolvedFile index = result(FILE_INDEX, candidate);
            index.uri = uriPath + location.index[i];
            index.info = indexInfo;
            return index;
        }
        if (error != 0 && error != ENOENT)
            return failure(location, candidate, error);
    }
    if (!location.autoindex)
        return refusal(directory, "directory index of \"" + directory + "\" is forbidden");
    return result(FILE_LISTING, directory);
}
