// webserv [-t] [-d] [-h] [-v] [CONFIG]

#include <cstdio>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <string>

#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "core/Server.hpp"
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
    std::string configPath;
};

void printUsage(FILE* out)
{
    std::fprintf(out,
        "usage: webserv [-t] [-d] [-h] [-v] [CONFIG]\n"
        "  -t      check the configuration file and exit\n"
        "  -d      run as a daemon\n"
        "  -h      show this help\n"
        "  -v      show the version\n"
        "  CONFIG  configuration file (default: %s)\n", kDefaultConfig);
}

// Returns -1 to go on, else the exit status.
int parseOptions(int argc, char** argv, Options* options)
{
    options->testOnly = false;
    options->daemon = false;
    options->configPath = kDefaultConfig;
    bool pathGiven = false;
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
        } else if (!arg.empty() && arg[0] != '-' && !pathGiven) {
            options->configPath = arg;
            pathGiven = true;
        } else {
            std::fprintf(stderr, "webserv: invalid option: \"%s\"\n", arg.c_str());
            printUsage(stderr);
            return 1;
        }
    }
    return -1;
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
