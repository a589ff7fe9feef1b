#include "support/PhpFpm.hpp"

#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

std::string PhpFpm::binary()
{
    glob_t found;
    std::string path;
    if (glob("/usr/sbin/php-fpm[0-9]*", 0, nullptr, &found) == 0 && found.gl_pathc > 0)
        path = found.gl_pathv[found.gl_pathc - 1];
    globfree(&found);
    return path;
}

PhpFpm::PhpFpm(int workers, const std::string& poolLines, int tcpPort)
    : socket_(dir_.file("php.sock")), tcpPort_(tcpPort), pid_(-1)
{
    bool root = geteuid() == 0;
    std::string text = "[global]\n"
        "error_log = " + dir_.file("fpm.log") + "\n"
        "daemonize = no\n"
        "[test]\n"
        + std::string(root ? "user = root\ngroup = root\n" : "")
        + "listen = " + (tcpPort > 0 ? address() : socket_) + "\n"
        "pm = static\n"
        "pm.max_children = " + std::to_string(workers) + "\n"
        "catch_workers_output = yes\n"
        "decorate_workers_output = no\n"
        "clear_env = yes\n"
        + poolLines + "\n";
    config_ = dir_.write("fpm.conf", text);
    start();
}

PhpFpm::~PhpFpm()
{
    stop();
}

bool PhpFpm::start()
{
    std::string bin = binary();
    if (bin.empty())
        return false;
    std::vector<std::string> args = { bin, "-F", "-n", "-y", config_ };
    if (geteuid() == 0)
        args.push_back("-R");
    std::vector<char*> argv;
    for (std::string& arg : args)
        argv.push_back(&arg[0]);
    argv.push_back(nullptr);
    size_t logBefore = log().size();
    // Built before fork(): the child of a threaded process must not allocate.
    int devNull = open("/dev/null", O_RDWR | O_CLOEXEC);
    pid_ = fork();
    if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(devNull, 0);
        dup2(devNull, 1);
        dup2(devNull, 2);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(devNull);
    // Ready once its log says so (and the socket is there).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        std::string text = log();
        if (text.find("ready to handle connections", logBefore) != std::string::npos
            && (tcpPort_ > 0 || access(socket_.c_str(), F_OK) == 0))
            return true;
        int status;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

void PhpFpm::stop()
{
    if (pid_ <= 0)
        return;
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status;
    while (waitpid(pid_, &status, WNOHANG) != pid_) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
}

std::string PhpFpm::log() const
{
    return readFile(dir_.file("fpm.log"));
}
