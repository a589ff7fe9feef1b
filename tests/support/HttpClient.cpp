#include "support/HttpClient.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace {

std::string lower(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s)
{
    size_t start = s.find_first_not_of(" \t");
    size_t end = s.find_last_not_of(" \t");
    return start == std::string::npos ? std::string() : s.substr(start, end - start + 1);
}

}

std::string HttpResponse::header(const std::string& name) const
{
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
}

size_t HttpResponse::count(const std::string& name) const
{
    return headers.count(lower(name));
}

TestClient::TestClient(int port, const std::string& host, int timeoutMs)
    : fd_(-1)
{
    bool v6 = host.find(':') != std::string::npos;
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv { timeoutMs / 1000, (timeoutMs % 1000) * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    int rc;
    if (v6) {
        sockaddr_in6 address {};
        address.sin6_family = AF_INET6;
        address.sin6_port = htons(static_cast<uint16_t>(port));
        inet_pton(AF_INET6, host.c_str(), &address.sin6_addr);
        rc = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    } else {
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        inet_pton(AF_INET, host.c_str(), &address.sin_addr);
        rc = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
    if (rc == 0)
        fd_ = fd;
    else
        ::close(fd);
}

TestClient::~TestClient()
{
    close();
}

void TestClient::close()
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

void TestClient::send(const std::string& bytes)
{
    size_t sent = 0;
    while (fd_ >= 0 && sent < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        sent += static_cast<size_t>(n);
    }
}

bool TestClient::fill()
{
    if (fd_ < 0)
        return false;
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0)
        return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
}

std::string TestClient::takeLine()
{
    size_t lf;
    while ((lf = buffer_.find('\n')) == std::string::npos)
        if (!fill())
            return std::string("\x01");
    std::string line = buffer_.substr(0, lf);
    buffer_.erase(0, lf + 1);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

HttpResponse TestClient::read(bool headOnly)
{
    HttpResponse response;
    std::string raw;
    std::string statusLine = takeLine();
    if (statusLine == "\x01")
        return response;
    raw += statusLine + "\r\n";
    size_t firstSpace = statusLine.find(' ');
    response.version = statusLine.substr(0, firstSpace);
    response.status = std::atoi(statusLine.c_str() + firstSpace + 1);
    size_t secondSpace = statusLine.find(' ', firstSpace + 1);
    response.reason = secondSpace == std::string::npos ? "" : statusLine.substr(secondSpace + 1);
    for (;;) {
        std::string line = takeLine();
        if (line == "\x01")
            return HttpResponse();
        raw += line + "\r\n";
        if (line.empty())
            break;
        size_t colon = line.find(':');
        response.headers.insert({ lower(line.substr(0, colon)), trim(line.substr(colon + 1)) });
    }
    bool noBody = headOnly || response.status == 204 || response.status == 304
        || response.status / 100 == 1;
    if (noBody) {
        response.raw = raw;
        return response;
    }
    if (lower(response.header("Transfer-Encoding")) == "chunked") {
        for (;;) {
            std::string sizeLine = takeLine();
            raw += sizeLine + "\r\n";
            size_t size = std::strtoul(sizeLine.c_str(), nullptr, 16);
            if (size == 0) {
                std::string trailer;
                while (!(trailer = takeLine()).empty() && trailer != "\x01")
                    raw += trailer + "\r\n";
                raw += "\r\n";
                break;
            }
            while (buffer_.size() < size + 2)
                if (!fill())
                    return HttpResponse();
            response.body += buffer_.substr(0, size);
            raw += buffer_.substr(0, size + 2);
            buffer_.erase(0, size + 2);
        }
    } else if (response.count("Content-Length")) {
        size_t length = std::strtoul(response.header("Content-Length").c_str(), nullptr, 10);
        while (buffer_.size() < length)
            if (!fill())
                break;
        response.body = buffer_.substr(0, length);
        buffer_.erase(0, response.body.size());
    } else {
        while (fill()) {
        }
        response.body = buffer_;
        buffer_.clear();
    }
    response.raw = raw + response.body;
    return response;
}

std::string TestClient::readUntilClose()
{
    while (fill()) {
    }
    std::string all = buffer_;
    buffer_.clear();
    return all;
}

bool TestClient::closedByServer()
{
    if (!buffer_.empty() || fd_ < 0)
        return buffer_.empty();
    char byte;
    ssize_t n = recv(fd_, &byte, 1, 0);
    if (n > 0) {
        buffer_.append(1, byte);
        return false;
    }
    // 0 is an orderly close; ECONNRESET a close with unread data. A
    // timeout (EAGAIN) means the connection is still open.
    return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
}

HttpResponse httpGet(int port, const std::string& path, const std::string& extraHeaders)
{
    TestClient client(port);
    client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders
        + "Connection: close\r\n\r\n");
    return client.read();
}

HttpResponse httpRaw(int port, const std::string& bytes, bool headOnly)
{
    TestClient client(port);
    client.send(bytes);
    return client.read(headOnly);
}
