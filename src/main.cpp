// webserv [-t] [-d] [-h] [-v] [CONFIG]

#include <cstdio>
#include <cstring>
#include <string>

#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "core/Server.hpp"
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

}

int main(int argc, char** argv)
{
    Options options;
    int status = parseOptions(argc, argv, &options);
    if (status >= 0)
        return status;
    Config config;
    try {
        ConfigWarnings warnings;
        config = loadConfig(options.configPath, &warnings);
        for (size_t i = 0; i < warnings.size(); ++i)
            std::fprintf(stderr, "webserv: [warn] %s\n", warnings[i].c_str());
    } catch (const ConfigError& error) {
        std::fprintf(stderr, "webserv: [emerg] %s\n", error.what());
        if (options.testOnly)
            std::fprintf(stderr, "webserv: configuration file %s test failed\n", options.configPath.c_str());
        return 1;
    }
    if (options.testOnly) {
        std::fprintf(stderr, "webserv: configuration file %s test is successful\n",
            options.configPath.c_str());
        return 0;
    }
    std::string error;
    if (!config.errorLog.empty() && !openErrorLog(config.errorLog, &error)) {
        std::fprintf(stderr, "webserv: [emerg] %s\n", error.c_str());
        return 1;
    }
    Server server(config);
    if (!server.listen(&error)) {
        std::fprintf(stderr, "webserv: [emerg] %s\n", error.c_str());
        return 1;
    }
    server.run();
    return 0;
}
