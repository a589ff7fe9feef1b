#ifndef WEBSERV_TESTS_SUPPORT_HTTPCLIENT_HPP
#define WEBSERV_TESTS_SUPPORT_HTTPCLIENT_HPP

// A deliberately simple blocking HTTP client over a raw TCP socket, for
// integration tests: send exact bytes, read exact responses. Every read has
// a receive timeout, so a server that never answers fails the test instead
// of hanging it.

#include <map>
#include <string>
#include <vector>

struct HttpResponse {
    int status = 0;
    std::string reason;
    std::string version;
    std::multimap<std::string, std::string> headers;   // names in lower case
    std::string body;
    std::string raw;            // the whole response as received

    // The first value of a header (name in any case), or "".
    std::string header(const std::string& name) const;
    size_t count(const std::string& name) const;
};

class TestClient {
public:
    explicit TestClient(int port, const std::string& host = "127.0.0.1", int timeoutMs = 5000);
    ~TestClient();
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    bool connected() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    void send(const std::string& bytes);
    // Reads one response. For a response to HEAD pass headOnly (no body).
    // status stays 0 if the connection closed or timed out first.
    HttpResponse read(bool headOnly = false);
    // Reads until the server closes the connection (or the timeout).
    std::string readUntilClose();
    // True when the server has closed the connection (recv returns 0 or an
    // error) within the timeout, with no further bytes.
    bool closedByServer();
    void close();

private:
    bool fill();
    std::string takeLine();

    int fd_;
    std::string buffer_;
};

// One request on a fresh connection: "GET path HTTP/1.1" with Host and
// Connection: close, then the response.
HttpResponse httpGet(int port, const std::string& path, const std::string& extraHeaders = "");
// Sends raw bytes on a fresh connection and reads one response.
HttpResponse httpRaw(int port, const std::string& bytes, bool headOnly = false);

#endif
