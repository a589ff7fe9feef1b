#include "support/Bodies.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

namespace {

std::string hex(size_t n)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%zx", n);
    return buffer;
}

// The chunks of body ending at each offset of ends (ascending, the last
// body.size()), then the last chunk.
std::string chunkedAt(const std::string& body, const std::vector<size_t>& ends)
{
    std::string out;
    size_t pos = 0;
    for (size_t end : ends) {
        out += hex(end - pos) + "\r\n" + body.substr(pos, end - pos) + "\r\n";
        pos = end;
    }
    return out + "0\r\n\r\n";
}

}

std::string chunked(const std::string& body, const std::set<size_t>& cuts, size_t maxChunk)
{
    std::vector<size_t> ends;
    size_t pos = 0;
    while (pos < body.size()) {
        size_t end = std::min(body.size(), pos + maxChunk);
        auto cut = cuts.upper_bound(pos);
        if (cut != cuts.end() && *cut < end)
            end = *cut;
        ends.push_back(end);
        pos = end;
    }
    return chunkedAt(body, ends);
}

std::string chunkedInSizes(const std::string& body, const std::vector<size_t>& sizes)
{
    std::vector<size_t> ends;
    size_t pos = 0;
    for (size_t i = 0; pos < body.size(); ++i) {
        pos += std::min(body.size() - pos, sizes[i % sizes.size()]);
        ends.push_back(pos);
    }
    return chunkedAt(body, ends);
}

FormPart filePart(const std::string& name, const std::string& filename, const std::string& data)
{
    return FormPart { "name=\"" + name + "\"; filename=\"" + filename + "\"", "application/octet-stream", data };
}

FormPart fieldPart(const std::string& name, const std::string& value)
{
    return FormPart { "name=\"" + name + "\"", "", value };
}

std::string multipartBody(const std::string& boundary, const std::vector<FormPart>& parts, bool closed)
{
    std::string body;
    for (const FormPart& part : parts) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; " + part.disposition + "\r\n";
        if (!part.contentType.empty())
            body += "Content-Type: " + part.contentType + "\r\n";
        body += "\r\n" + part.data + "\r\n";
    }
    if (closed)
        body += "--" + boundary + "--\r\n";
    return body;
}

std::string randomBytes(size_t size, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string out(size, '\0');
    for (char& c : out)
        c = static_cast<char>(rng() & 0xFF);
    return out;
}

std::string requestHead(const std::string& method, const std::string& path, const std::string& extra)
{
    return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

std::string postWithLength(const std::string& path, const std::string& body, const std::string& extra)
{
    return requestHead("POST", path, extra + "Content-Length: " + std::to_string(body.size()) + "\r\n")
        + body;
}
