#ifndef WEBSERV_CONFIG_SYNTAX_HPP
#define WEBSERV_CONFIG_SYNTAX_HPP

// The config's syntax tree: directives with their arguments and, for block
// directives, their children. Knows nothing of what a directive means, only
// the grammar `name arg... ;` | `name arg... { ... }` and `include`, which
// it replaces by the directives of the included file(s).

#include <string>
#include <vector>

struct Directive {
    std::string name;
    std::vector<std::string> args;
    std::string file;
    int line;
    bool hasBlock;
    std::vector<Directive> children;

    Directive() : line(0), hasBlock(false) {}
};

// Reads and parses the file at path. An `include PATH;` (anywhere) is
// resolved against the directory of the file it appears in; PATH may be a
// glob. Throws ConfigError.
std::vector<Directive> parseConfigFile(const std::string& path);

// Parses text as if it were the content of file (includes resolve against
// file's directory). Throws ConfigError.
std::vector<Directive> parseConfigText(const std::string& text, const std::string& file);

#endif
