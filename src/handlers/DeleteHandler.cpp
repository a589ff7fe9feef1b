#include "handlers/DeleteHandler.hpp"

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

#include "handlers/ErrorPages.hpp"
#include "util/Log.hpp"

namespace {

int statusOfError(int error)
{
    if (error == ENOENT || error == ENOTDIR)
        return 404;
    if (error == EACCES || error == EPERM || error == EROFS)
        return 403;
    return 500;
}

// 0 when removed, else the error status with *reason (in the words of
// nginx's dav module where it has them). Whatever disable_symlinks says,
// nothing outside the store is reached: only a direct child is removed,
// and a link is removed itself (lstat, unlink), never followed.
int removeFromStore(const std::string& store, const std::string& path, std::string* reason)
{
    std::string rest = path.substr(store.size());
    if (rest.size() < 2 || rest.find('/', 1) != std::string::npos) {
        *reason = "DELETE \"" + path + "\" is not a file directly in the upload store \"" + store + "\"";
        return 403;
    }
    struct stat info;
    if (lstat(path.c_str(), &info) != 0) {
        int error = errno;
        *reason = failedCall("lstat()", path, error);
        return statusOfError(error);
    }
    if (S_ISDIR(info.st_mode)) {
        *reason = "DELETE \"" + path + "\" failed " + errnoText(EISDIR);
        return 403;
    }
    if (unlink(path.c_str()) == 0)
        return 0;
    int error = errno;
    *reason = failedCall("unlink()", path, error);
    return statusOfError(error);
}

}

void respondDelete(const RequestContext& ctx, Response& response)
{
    std::string reason;
    int status = removeFromStore(ctx.route.location->uploadStore, ctx.route.storePath, &reason);
    if (status != 0) {
        logRequestError(ctx, reason);
        respondError(ctx, status, response);
        return;
    }
    response.reset(204);
}
