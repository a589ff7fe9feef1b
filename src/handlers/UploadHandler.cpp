#include "handlers/UploadHandler.hpp"

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "handlers/ErrorPages.hpp"
#include "handlers/Redirect.hpp"
#include "handlers/SitePage.hpp"
#include "handlers/UploadNames.hpp"
#include "http/Multipart.hpp"
#include "http/Negotiation.hpp"
#include "util/Escape.hpp"
#include "util/Log.hpp"
#include "util/Strings.hpp"

namespace {

const size_t kMaxFilesPerRequest = 100;
const int kMaxNameAttempts = 1000;

// One file of the request: its temporary file until the request succeeds.
struct PendingFile {
    std::string tempPath;
    int fd;                    // open while its bytes arrive, then -1
    std::string wantedName;    // sanitised, or generated
    std::string finalName;     // set once linked into place
    off_t size;
};

std::string generatedName()
{
    static unsigned long counter = 0;
    return "upload-" + toString(static_cast<long>(time(0))) + "-"
        + toString(static_cast<long>(getpid())) + "-" + toString(++counter);
}

int statusOfWriteError(int error)
{
    return (error == ENOSPC || error == EDQUOT) ? 507 : 500;
}

class UploadHandler : public BodyHandler {
public:
    // uriDirectory is the URI of the store ("/uploads/"); rawName the name a
    // raw body is stored under ("" to make one up).
    UploadHandler(const RequestContext& ctx, const std::string& boundary,
        const std::string& uriDirectory, const std::string& rawName)
        : ctx_(ctx),
          store_(ctx.route.location->uploadStore),
          uriDirectory_(uriDirectory),
          multipart_(!boundary.empty()),
          parser_(boundary.empty() ? "-" : boundary),
          inFile_(false)
    {
        if (!multipart_)
            rawName_ = rawName.empty() ? generatedName() : rawName;
    }

    ~UploadHandler()
    {
        for (size_t i = 0; i < files_.size(); ++i) {
            if (files_[i].fd >= 0)
                close(files_[i].fd);
            unlink(files_[i].tempPath.c_str());
        }
    }

    // Raw bodies need their file before the first byte: an empty body is an
    // empty file.
    int start()
    {
        return multipart_ ? 0 : openFile(rawName_);
    }

    int onBodyData(const char* data, size_t len)
    {
        if (!multipart_)
            return writeToFile(files_.back(), data, len);
        if (pending_.empty()) {
            size_t used = 0;
            int status = feed(data, len, &used);
            pending_.assign(data + used, len - used);
            return status;
        }
        pending_.append(data, len);
        size_t used = 0;
        int status = feed(pending_.data(), pending_.size(), &used);
        pending_.erase(0, used);
        return status;
    }

    void onBodyEnd(Response& response)
    {
        if (multipart_ && !parser_.done()) {
            respondError(ctx_, 400, response);   // no final boundary
            return;
        }
        if (files_.empty()) {
            respondError(ctx_, 400, response);   // a form without any file
            return;
        }
        int status = commit();
        if (status != 0) {
            respondError(ctx_, status, response);
            return;
        }
        respondCreated(response);
    }

private:
    int feed(const char* data, size_t len, size_t* used)
    {
        for (;;) {
            size_t consumed = 0;
            const char* piece = 0;
            size_t pieceLen = 0;
            MultipartParser::Result result = parser_.next(data + *used, len - *used, &consumed,
                &piece, &pieceLen);
            *used += consumed;
            int status = 0;
            switch (result) {
            case MultipartParser::NEED_MORE:
            case MultipartParser::DONE:
                return 0;
            case MultipartParser::FAILED:
                return 400;
            case MultipartParser::PART_BEGIN:
                status = beginPart(parser_.part());
                break;
            case MultipartParser::PART_DATA:
                if (inFile_)
                    status = writeToFile(files_.back(), piece, pieceLen);
                break;
            case MultipartParser::PART_END:
                endPart();
                break;
            }
            if (status != 0)
                return status;
        }
    }

    int beginPart(const MultipartPart& part)
    {
        // A file input left empty in a browser form sends filename="": no file.
        inFile_ = part.hasFilename && !part.filename.empty();
        if (!inFile_)
            return 0;
        if (files_.size() >= kMaxFilesPerRequest)
            return 413;
        std::string name = sanitizeFilename(part.filename);
        return openFile(name.empty() ? generatedName() : name);
    }

    void endPart()
    {
        if (inFile_ && files_.back().fd >= 0) {
            close(files_.back().fd);
            files_.back().fd = -1;
        }
        inFile_ = false;
    }

    int openFile(const std::string& wantedName)
    {
        std::string pattern = store_ + "/.webserv-upload-XXXXXX";
        std::vector<char> path(pattern.begin(), pattern.end());
        path.push_back('\0');
        int fd = mkstemp(&path[0]);
        if (fd < 0) {
            int error = errno;
            logRequestError(ctx_, failedCall("mkstemp()", pattern, error));
            return statusOfWriteError(error);
        }
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        fchmod(fd, 0644);
        PendingFile file;
        file.tempPath = &path[0];
        file.fd = fd;
        file.wantedName = wantedName;
        file.size = 0;
        files_.push_back(file);
        return 0;
    }

    int writeToFile(PendingFile& file, const char* data, size_t len)
    {
        while (len > 0) {
            ssize_t n = write(file.fd, data, len);
            if (n < 0) {
                int error = errno;
                logRequestError(ctx_, failedCall("write()", file.tempPath, error));
                return statusOfWriteError(error);
            }
            data += n;
            len -= static_cast<size_t>(n);
            file.size += n;
        }
        return 0;
    }

    // Links every file into place under a name nobody uses yet. link()
    // never replaces an existing file, so a name taken meanwhile is skipped.
    int commit()
    {
        for (size_t i = 0; i < files_.size(); ++i) {
            PendingFile& file = files_[i];
            if (file.fd >= 0) {
                close(file.fd);
                file.fd = -1;
            }
            for (int n = 0; n < kMaxNameAttempts && file.finalName.empty(); ++n) {
                std::string name = n == 0 ? file.wantedName : numberedName(file.wantedName, n);
                if (link(file.tempPath.c_str(), (store_ + "/" + name).c_str()) == 0)
                    file.finalName = name;
                else if (errno != EEXIST)
                    break;
            }
            if (file.finalName.empty()) {
                int error = errno;
                // As nginx words a failed rename() of a temporary file.
                logRequestError(ctx_, "link() \"" + file.tempPath + "\" to \"" + store_ + "/"
                    + file.wantedName + "\" failed " + errnoText(error));
                uncommit();
                return 500;
            }
        }
        for (size_t i = 0; i < files_.size(); ++i)
            unlink(files_[i].tempPath.c_str());
        return 0;
    }

    void uncommit()
    {
        for (size_t i = 0; i < files_.size(); ++i)
            if (!files_[i].finalName.empty())
                unlink((store_ + "/" + files_[i].finalName).c_str());
    }

    std::string urlOf(const PendingFile& file) const
    {
        return percentEncodePath(uriDirectory_ + file.finalName);
    }

    void respondCreated(Response& response)
    {
        response.reset(201);
        response.head.headers.set("Location", absoluteLocation(ctx_, urlOf(files_[0])));
        if (prefersJson(ctx_.request->headers)) {
            response.head.headers.set("Content-Type", "application/json");
            response.body = json();
        } else {
            response.head.headers.set("Content-Type", "text/html");
            response.body = html();
        }
    }

    std::string json() const
    {
        std::string out = "{\"files\":[";
        for (size_t i = 0; i < files_.size(); ++i) {
            const PendingFile& file = files_[i];
            out += std::string(i ? "," : "") + "{\"name\":" + jsonQuote(file.finalName)
                + ",\"requested\":" + jsonQuote(file.wantedName)
                + ",\"renamed\":" + (file.finalName != file.wantedName ? "true" : "false")
                + ",\"size\":" + toString(static_cast<long>(file.size))
                + ",\"url\":" + jsonQuote(urlOf(file)) + "}";
        }
        return out + "]}\n";
    }

    // The answer a browser shows after a form upload without JavaScript:
    // the stored files, and ways on.
    std::string html() const
    {
        std::string list = "<h1>Stored</h1>\n<ul class=\"files\">\n";
        for (size_t i = 0; i < files_.size(); ++i) {
            const PendingFile& file = files_[i];
            list += "<li><a href=\"" + htmlEscape(urlOf(file)) + "\">" + htmlEscape(file.finalName)
                + "</a> (" + toString(static_cast<long>(file.size)) + (file.size == 1 ? " byte)" : " bytes)");
            if (file.finalName != file.wantedName)
                list += ": \"" + htmlEscape(file.wantedName) + "\" already existed, so it was saved as \""
                    + htmlEscape(file.finalName) + "\"";
            list += "</li>\n";
        }
        return sitePage("Stored", list + "</ul>\n" + linksOn());
    }

    // Back to the page that held the form, but only when the browser says
    // it was one of ours; the store's listing when there is one; home.
    std::string linksOn() const
    {
        std::string links = "<nav>\n";
        std::string origin = absoluteLocation(ctx_, "/");
        std::string listing = percentEncodePath(uriDirectory_);
        const std::string* referer = ctx_.request->headers.find("Referer");
        if (referer && startsWith(*referer, origin) && *referer != origin
                && *referer != absoluteLocation(ctx_, listing))
            links += "<a href=\"" + htmlEscape(*referer) + "\">Back to the form</a>\n";
        if (ctx_.route.location->autoindex)
            links += "<a href=\"" + htmlEscape(listing) + "\">All files in " + htmlEscape(uriDirectory_)
                + "</a>\n";
        return links + "<a href=\"/\">Home</a>\n</nav>\n";
    }

    RequestContext ctx_;
    std::string store_;
    std::string uriDirectory_;
    std::string rawName_;
    bool multipart_;
    MultipartParser parser_;
    std::string pending_;      // multipart bytes held back for the next call
    std::vector<PendingFile> files_;
    bool inFile_;              // the current multipart part is a file
};

}

BodyHandler* createUploadHandler(const RequestContext& ctx, int* status)
{
    const std::string* contentType = ctx.request->headers.find("Content-Type");
    std::string boundary;
    if (contentType && startsWith(toLower(*contentType), "multipart/form-data")) {
        boundary = multipartBoundary(*contentType);
        if (boundary.empty()) {
            *status = 400;
            return 0;
        }
    }
    // storePath is the store plus the request path below the location.
    const std::string& path = ctx.route.path;
    std::string rest = ctx.route.storePath.substr(ctx.route.location->uploadStore.size());
    if (!rest.empty() && rest[0] == '/')
        rest.erase(0, 1);
    std::string uriDirectory = path.substr(0, path.size() - rest.size());
    if (uriDirectory.empty() || uriDirectory[uriDirectory.size() - 1] != '/')
        uriDirectory += '/';
    // A form's files are named by the form; a raw body by the path, which
    // must name a plain file directly in the store.
    std::string rawName;
    if (boundary.empty()) {
        rawName = sanitizeFilename(rest);
        if (rest.find('/') != std::string::npos || rawName != rest) {
            logRequestError(ctx, "POST \"" + ctx.route.storePath + "\" is not a plain file name directly in "
                "the upload store \"" + ctx.route.location->uploadStore + "\"");
            *status = 403;
            return 0;
        }
    }
    UploadHandler* handler = new UploadHandler(ctx, boundary, uriDirectory, rawName);
    *status = handler->start();
    if (*status != 0) {
        delete handler;
        return 0;
    }
    return handler;
}
