#ifndef WEBSERV_TESTS_SUPPORT_PHPFPM_HPP
#define WEBSERV_TESTS_SUPPORT_PHPFPM_HPP

// Debian's php-fpm (package php8.2-fpm) for the FastCGI tests: started in
// the foreground by the test, never the system service, with a pool of its
// own listening on a unix socket in a temporary directory, no php.ini (-n)
// and workers' output caught into its error log. As root it runs with -R
// and the pool's user root. Stopped by its pid (SIGTERM: at once, running
// scripts too) when the object goes, or by stop(); start() again for a
// restart.
//
// The tests skip themselves when php-fpm is not installed (installed());
// .ci/run installs it.

#include <sys/types.h>
#include <string>

#include "support/TempDir.hpp"

class PhpFpm {
public:
    // workers: pm = static, pm.max_children; poolLines are added to the
    // pool section ("php_admin_value[memory_limit] = 64M"); tcpPort > 0
    // listens on 127.0.0.1:tcpPort instead of the unix socket.
    explicit PhpFpm(int workers = 2, const std::string& poolLines = "", int tcpPort = 0);
    ~PhpFpm();
    PhpFpm(const PhpFpm&) = delete;
    PhpFpm& operator=(const PhpFpm&) = delete;

    // The php-fpm binary, "" when there is none.
    static std::string binary();
    static bool installed() { return !binary().empty(); }

    // Starts it and waits (up to 10 s) for "ready to handle connections";
    // false when it did not get there.
    bool start();
    // Stops it (SIGTERM, then SIGKILL after 5 s) and waits for its exit.
    void stop();

    const std::string& socketPath() const { return socket_; }
    // "unix:/tmp/.../php.sock" or "127.0.0.1:PORT", for a `fastcgi` line.
    std::string address() const { return tcpPort_ > 0 ? "127.0.0.1:" + std::to_string(tcpPort_) : "unix:" + socket_; }
    // php-fpm's own error log, where the workers' stderr lands too.
    std::string log() const;

private:
    TempDir dir_;
    std::string socket_;
    std::string config_;
    int tcpPort_;
    pid_t pid_;
};

#endif
