#include "cgi/BodySpool.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <cstdlib>

#include "util/Log.hpp"

namespace {

const size_t kReadChunk = 64 * 1024;

bool writeAll(int fd, const char* data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n <= 0)
            return false;
        data += n;
        len -= static_cast<size_t>(n);
    }
    return true;
}

}

BodySpool::BodySpool() : size_(0)
{
}

int BodySpool::append(const RequestContext& ctx, const char* data, size_t len)
{
    const char* call = 0;
    if (store(data, len, &call))
        return 0;
    int error = errno;
    logRequestError(ctx, failedCall(call, temporaryPattern(), error));
    return 500;
}

bool BodySpool::store(const char* data, size_t len, const char** failedCall)
{
    if (!file_.valid() && memory_.size() + len <= kMemoryLimit) {
        memory_.append(data, len);
        size_ += static_cast<off_t>(len);
        return true;
    }
    if (!file_.valid()) {
        std::string path = temporaryPattern();
        file_.reset(mkstemp(&path[0]));
        if (!file_.valid()) {
            *failedCall = "mkstemp()";
            return false;
        }
        unlink(path.c_str());
        fcntl(file_.get(), F_SETFD, FD_CLOEXEC);
        if (!writeAll(file_.get(), memory_.data(), memory_.size())) {
            *failedCall = "write()";
            return false;
        }
        std::string().swap(memory_);
    }
    if (!writeAll(file_.get(), data, len)) {
        *failedCall = "write()";
        return false;
    }
    size_ += static_cast<off_t>(len);
    return true;
}

void BodySpool::rewind()
{
    if (file_.valid())
        lseek(file_.get(), 0, SEEK_SET);
}

bool BodySpool::readInto(std::string& out)
{
    if (!memory_.empty()) {
        if (out.empty())
            out.swap(memory_);
        else
            out += memory_;
        std::string().swap(memory_);
        return true;
    }
    if (!file_.valid())
        return false;
    char buffer[kReadChunk];
    ssize_t n = read(file_.get(), buffer, sizeof buffer);
    if (n <= 0) {
        file_.reset();
        return false;
    }
    out.append(buffer, static_cast<size_t>(n));
    return true;
}

void BodySpool::discard()
{
    std::string().swap(memory_);
    file_.reset();
}
