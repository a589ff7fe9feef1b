#ifndef WEBSERV_TESTS_SUPPORT_BODIES_HPP
#define WEBSERV_TESTS_SUPPORT_BODIES_HPP

// Requests and their bodies as clients write them, for the integration tests; each
// function only builds bytes (nothing is sent).
//
// chunked(body, cuts, maxChunk): body in the chunked transfer coding (RFC
// 9112 §7.1): chunks of at most maxChunk bytes that also end at every offset
// in cuts, sizes in lower-case hex without extensions, then the last chunk
// and no trailer fields ("0\r\n\r\n"). An empty body is the last chunk alone.
// chunkedInSizes(body, sizes): the same with chunk sizes taken from sizes in
// turn, cycling (the last chunk holds what is left).
//
// multipartBody(boundary, parts, closed): a multipart/form-data body (RFC
// 7578) as a browser writes it: for each part the delimiter line,
// "Content-Disposition: form-data; " + part.disposition, a Content-Type line
// if part.contentType is not empty, an empty line and part.data; then the
// close delimiter "--boundary--\r\n", left out when closed is false (the body
// then ends with the CRLF after the last part's data).
// filePart(name, filename, data): a file field, Content-Type
// application/octet-stream; fieldPart(name, value): a text field. Names go
// between the quotes as given: a test may put anything there.
//
// requestHead(method, path, extra): an HTTP/1.1 request head with
// "Host: localhost", then the extra header lines (each ending in CRLF).
// postWithLength(path, body, extra): a POST with that head, a
// Content-Length and the body.
//
// randomBytes(size, seed): size bytes of std::mt19937(seed), the same bytes
// on every run and machine.

#include <cstddef>
#include <set>
#include <string>
#include <vector>

std::string requestHead(const std::string& method, const std::string& path, const std::string& extra = "");
std::string postWithLength(const std::string& path, const std::string& body, const std::string& extra = "");

std::string chunked(const std::string& body, const std::set<size_t>& cuts = {}, size_t maxChunk = 49999);
std::string chunkedInSizes(const std::string& body, const std::vector<size_t>& sizes);

struct FormPart {
    std::string disposition;   // after "form-data; ", e.g. name="f"; filename="a.txt"
    std::string contentType;   // "" for no Content-Type line
    std::string data;
};

FormPart filePart(const std::string& name, const std::string& filename, const std::string& data);
FormPart fieldPart(const std::string& name, const std::string& value);
std::string multipartBody(const std::string& boundary, const std::vector<FormPart>& parts, bool closed = true);

std::string randomBytes(size_t size, unsigned seed);

#endif
