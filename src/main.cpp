// webserv [-t] [-d] [-h] [-v] [-s SIGNAL] [CONFIG]

#include <cstdio>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <string>

#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "core/Server.hpp"
#include "core/SignalCommand.hpp"
#include "util/Fd.hpp"
#include "util/Files.hpp"
#include "util/Strings.hpp"
#include "util/Log.hpp"
#include "util/Version.hpp"

namespace {

const char* kDefaultConfig = "conf/default.conf";

struct Options {
    bool testOnly;
    bool daemon;
    int signal;             // -s: sent to the running server, 0 for none
    bool pathGiven;
    std::string configPath;
};

void printUsage(FILE* out)
{
    std::fprintf(out,
        "usage: webserv [-t] [-d] [-h] [-v] [-s SIGNAL] [CONFIG]\n"
        "  -t         check the configuration file and exit\n"
        "  -d         run as a daemon\n"
        "  -h         show this help\n"
        "  -v         show the version\n"
        "  -s SIGNAL  signal the running server (found by its pid file): stop, quit,\n"
        "             reload, reopen\n"
        "  CONFIG     configuration file (default: %s)\n", kDefaultConfig);
}

int refuse(const std::string& message)
{
    std::fprintf(stderr, "webserv: %s\n", message.c_str());
    printUsage(stderr);
    return 1;
}

// -s NAME or -sNAME, as nginx takes it; 0 once read, else the exit status.
int readSignalOption(int argc, char** argv, int* i, Options* options)
{
    std::string name = argv[*i] + 2;
    if (name.empty() && *i + 1 < argc)
        name = argv[++*i];
    if (name.empty())
        return refuse("option \"-s\" requires parameter");
    options->signal = signalForCommand(name);
    if (options->signal == 0)
        return refuse("invalid option: \"-s " + name + "\" (a signal is one of stop, quit, "
            "reload, reopen)");
    return 0;
}

// Returns -1 to go on, else the exit status.
int parseOptions(int argc, char** argv, Options* options)
{
    options->testOnly = false;
    options->daemon = false;
    options->signal = 0;
    options->pathGiven = false;
    options->configPath = kDefaultConfig;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-t") {
            options->testOnly = true;
        } else if (arg == "-d") {
            options->daemon = true;
        } else if (arg == "-h" || arg == "--help") {
            printUsage(stdout);
            return 0;
        } else if (arg == "-v" || arg == "--version") {
            std::printf("%s\n", WEBSERV_SOFTWARE);
            return 0;
        } else if (arg.compare(0, 2, "-s") == 0) {
            if (readSignalOption(argc, argv, &i, options) != 0)
                return 1;
        } else if (!arg.empty() && arg[0] != '-' && options->pathGiven) {
            return refuse("too many arguments: \"" + arg + "\" after the configuration file \""
                + options->configPath + "\"");
        } else if (!arg.empty() && arg[0] != '-') {
            options->configPath = arg;
            options->pathGiven = true;
        } else {
            return refuse("invalid option: \"" + arg + "\"");
        }
    }
    return -1;
}

// Without a CONFIG argument the default is relative: say where it was
// looked for, which is wherever webserv happened to be started.
void explainMissingDefault(const Options& options)
{
    if (options.pathGiven || access(options.configPath.c_str(), F_OK) == 0)
        return;
    char cwd[4096];
    std::fprintf(stderr, "webserv: no CONFIG given, and the default %s is not in %s (the "
        "directory webserv was started in)\n", options.configPath.c_str(),
        getcwd(cwd, sizeof cwd) ? cwd : "the working directory");
}

// Loads and checks the configuration; -1 to go on, else the exit status.
int loadOrExplain(const Options& options, Config* config)
{
    try {
        ConfigWarnings warnings;
        *config = loadConfig(options.configPath, &warnings);
        for (size_t i = 0; i < warnings.size(); ++i)
            std::fprintf(stderr, "webserv: [warn] %s\n", warnings[i].c_str());
    } catch (const ConfigError& error) {
        std::fprintf(stderr, "webserv: [emerg] %s\n", error.what());
        explainMissingDefault(options);
        if (options.testOnly)
            std::fprintf(stderr, "webserv: configuration file %s test failed\n",
                options.configPath.c_str());
        return 1;
    }
    if (options.testOnly) {
        std::fprintf(stderr, "webserv: configuration file %s test is successful\n",
            options.configPath.c_str());
        return 0;
    }
    return -1;
}

// -s: the server the configuration's pid file names gets the signal.
int signalServer(const Options& options, const Config& config)
{
    if (config.pidFile.empty()) {
        std::fprintf(stderr, "webserv: [error] no \"pid\" directive in %s: -s finds the running "
            "server by its pid file\n", options.configPath.c_str());
        return 1;
    }
    std::string message;
    std::string level;
    if (signalRunningServer(config.pidFile, options.signal, &message, &level))
        return 0;
    std::fprintf(stderr, "webserv: [%s] %s\n", level.c_str(), message.c_str());
    return 1;
}

int fail(const std::string& message)
{
    std::fprintf(stderr, "webserv: [emerg] %s\n", message.c_str());
    return 1;
}

// The `pid` file: written once the process that serves is known, removed
// when it exits.
class PidFile {
public:
    PidFile() {}
    ~PidFile()
    {
        if (!path_.empty())
            unlink(path_.c_str());
    }
    bool write(const std::string& path, std::string* error)
    {
        Fd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        std::string text = toString(static_cast<long>(getpid())) + "\n";
        if (!fd.valid() || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
            *error = "open() \"" + path + "\" failed (" + std::strerror(errno) + ")";
            return false;
        }
        path_ = path;
        return true;
    }

private:
    PidFile(const PidFile&);
    PidFile& operator=(const PidFile&);

    std::string path_;
};

}

int main(int argc, char** argv)
{
    Options options;
    int status = parseOptions(argc, argv, &options);
    if (status >= 0)
        return status;
    Config config;
    status = loadOrExplain(options, &config);
    if (status >= 0)
        return status;
    if (options.signal != 0)
        return signalServer(options, config);
    bool detach = options.daemon || config.daemon;
    if (detach && config.errorLog.empty())
        std::fprintf(stderr, "webserv: [warn] running as a daemon without error_log: "
            "errors are discarded\n");
    // Bind first, with errors still on the terminal; then detach; then
    // point stderr at the error log, which daemon() had sent to /dev/null.
    std::string error;
    Server server(config, absolutePath(options.configPath));
    if (!server.listen(&error)) {
        // On the terminal, and in the error log too, as nginx does.
        fail(error);
        std::string ignored;
        if (!config.errorLog.empty() && openErrorLog(config.errorLog, &ignored))
            logMessage(LOG_CRIT, error);
        return 1;
    }
    // The working directory is kept: a reload resolves relative paths
    // against it, as the first load did.
    if (detach && daemon(1, 0) != 0)
        return fail(std::string("daemon() failed (") + std::strerror(errno) + ")");
    if (!config.errorLog.empty() && !openErrorLog(config.errorLog, &error))
        return fail(error);
    PidFile pidFile;
    if (!config.pidFile.empty() && !pidFile.write(config.pidFile, &error))
        return fail(error);
    server.run();
    return 0;
}
