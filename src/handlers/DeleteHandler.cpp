#include "handlers/DeleteHandler.hpp"

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

#include "handlers/ErrorPages.hpp"

namespace {

int statusOfError(int error)
{
    if (error == ENOENT || error == ENOTDIR)
        return 404;
    if (error == EACCES || error == EPERM || error == EROFS)
        return 403;
    return 500;
}

// 0 when removed, else the error status.
int removeFromStore(const std::string& store, const std::string& path)
{
    std::string rest = path.substr(store.size());
    // Only direct children: a subdirectory (or a link to one) could lead out.
    if (rest.size() < 2 || rest.find('/', 1) != std::string::npos)
        return 403;
    struct stat info;
    if (lstat(path.c_str(), &info) != 0)
        return statusOfError(errno);
    if (S_ISDIR(info.st_mode))
        return 403;
    return unlink(path.c_str()) == 0 ? 0 : statusOfError(errno);
}

}

void respondDelete(const RequestContext& ctx, Response& response)
{
    int status = removeFromStore(ctx.route.location->uploadStore, ctx.route.storePath);
    if (status != 0) {
        respondError(ctx, status, response);
        return;
    }
    response.reset(204);
}
