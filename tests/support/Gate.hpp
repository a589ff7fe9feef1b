#ifndef WEBSERV_TESTS_SUPPORT_GATE_HPP
#define WEBSERV_TESTS_SUPPORT_GATE_HPP

// A FIFO that a test's CGI script blocks on, so that the test decides when
// the script goes on (the gate scripts of CgiTest, ReloadTest, StatusTest
// open it for reading, which waits until there is a writer).
//
// Gate(path) makes a fresh FIFO at path (replacing what was there). open()
// releases every script that is waiting and every one that reaches its
// open() later: it opens the FIFO for writing (O_RDWR, which never blocks)
// and keeps it open until the gate is destroyed. The destructor opens the
// gate too, so a failing test never leaves a script blocked, then removes
// the FIFO. Failures are reported with EXPECT_*.

#include <string>

class Gate {
public:
    explicit Gate(const std::string& path);
    ~Gate();
    Gate(const Gate&) = delete;
    Gate& operator=(const Gate&) = delete;

    void open();

private:
    std::string path_;
    int fd_;
};

#endif
