#include "handlers/StaticHandler.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

#include "handlers/Autoindex.hpp"
#include "handlers/ErrorPages.hpp"
#include "handlers/FileCache.hpp"
#include "handlers/Redirect.hpp"
#include "http/Conditional.hpp"
#include "router/FileResolver.hpp"
#include "util/Escape.hpp"
#include "util/Log.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

void respondListing(const RequestContext& ctx, const ResolvedFile& file, Response& response)
{
    std::vector<DirectoryEntry> entries;
    if (!readDirectory(file.path, &entries)) {
        int error = errno;
        logRequestError(ctx, failedCall("opendir()", file.path, error));
        respondError(ctx, error == EACCES ? 403 : 500, response);
        return;
    }
    response.reset(200);
    const LocationConfig& location = *ctx.route.location;
    if (location.autoindexFormat == AUTOINDEX_JSON) {
        response.head.headers.set("Content-Type", "application/json");
        response.body = renderJsonListing(entries);
    } else {
        response.head.headers.set("Content-Type", "text/html");
        response.body = renderListing(ctx.route.path, entries, location.autoindexExactSize);
    }
}

// Validators, conditional requests and a byte range on a file response
// already made (200, whole body).
void applyConditions(const RequestContext& ctx, const struct stat& info, Response& response)
{
    std::string tag = makeEntityTag(info.st_mtime, info.st_size);
    bool safe = ctx.request->method == "GET" || ctx.request->method == "HEAD";
    Precondition precondition = evaluatePreconditions(ctx.request->headers, tag, info.st_mtime, safe);
    if (precondition == PRECONDITION_FAILED) {
        respondError(ctx, 412, response);
        return;
    }
    if (precondition == PRECONDITION_NOT_MODIFIED) {
        std::string lastModified = *response.head.headers.find("Last-Modified");
        response.reset(304);
        response.head.headers.set("ETag", tag);
        response.head.headers.set("Last-Modified", lastModified);
        return;
    }
    response.head.headers.set("ETag", tag);
    response.head.headers.set("Accept-Ranges", "bytes");
    ByteRange range;
    RangeVerdict verdict = evaluateRange(ctx.request->headers, tag, info.st_mtime, info.st_size, &range);
    std::string size = toString(static_cast<long>(info.st_size));
    if (verdict == RANGE_UNSATISFIABLE) {
        respondError(ctx, 416, response);
        response.head.headers.set("Content-Range", "bytes */" + size);
        return;
    }
    if (verdict != RANGE_PARTIAL)
        return;
    response.head.status = 206;
    response.head.headers.set("Content-Range", "bytes " + toString(static_cast<long>(range.first))
        + "-" + toString(static_cast<long>(range.last)) + "/" + size);
    if (response.hasFile()) {
        response.fileOffset = range.first;
        response.fileLength = range.length();
    } else {
        response.body = response.memoryBody().substr(static_cast<size_t>(range.first),
            static_cast<size_t>(range.length()));
        response.sharedBody.reset();
    }
}

void respondFile(const RequestContext& ctx, const ResolvedFile& file, Response& response)
{
    int error = fileBody(ctx, file.path, file.info, 200, response);
    if (error != 0)
        respondError(ctx, error, response);
    else
        applyConditions(ctx, file.info, response);
}

// A file too big for the cache is streamed from an open descriptor.
int streamedBody(const RequestContext& ctx, const std::string& path, int status, Response& response)
{
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid())
        return errno == EACCES ? 403 : (errno == ENOENT || errno == ENOTDIR) ? 404 : 500;
    struct stat info;
    if (fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode))
        return 403;
    response.reset(status);
    response.head.headers.set("Content-Type", ctx.config->mimeTypeFor(path));
    response.head.headers.set("Last-Modified", httpDate(info.st_mtime));
    response.file.swap(fd);
    response.fileOffset = 0;
    response.fileLength = info.st_size;
    return 0;
}

}

int fileBody(const RequestContext& ctx, const std::string& path, const struct stat& info, int status,
    Response& response)
{
    bool cacheable = ctx.fileCache && ctx.fileCache->accepts(info.st_size);
    const CachedFile* cached = cacheable ? ctx.fileCache->lookup(path, info) : 0;
    if (!cacheable)
        return streamedBody(ctx, path, status, response);
    int error = 0;
    if (!cached)
        cached = ctx.fileCache->load(path, info, &error);
    if (!cached)
        return error;
    response.reset(status);
    response.head.headers.set("Content-Type", ctx.config->mimeTypeFor(path));
    response.head.headers.set("Last-Modified", cached->lastModified);
    response.sharedBody = cached->content;
    return 0;
}

void respondStatic(const RequestContext& ctx, const ResolvedFile& file, Response& response)
{
    switch (file.kind) {
    case FILE_REGULAR:
    case FILE_INDEX:
        respondFile(ctx, file, response);
        break;
    case FILE_LISTING:
        respondListing(ctx, file, response);
        break;
    case FILE_ADD_SLASH:
        respondRedirect(ctx, 301, percentEncodePath(ctx.route.path + "/")
            + (ctx.route.hasQuery ? "?" + ctx.route.query : ""), response);
        break;
    case FILE_FORBIDDEN:
    case FILE_NOT_FOUND:
    case FILE_ERROR:
        // The one line for this request: an error page served instead is
        // resolved without logging.
        logRequestError(ctx, file.reason);
        respondError(ctx, refusalStatus(file.kind), response);
        break;
    }
}
