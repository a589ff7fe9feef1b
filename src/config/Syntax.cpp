#include "config/Syntax.hpp"

#include <cstring>
#include <glob.h>

#include "config/ConfigError.hpp"
#include "config/Lexer.hpp"
#include "util/Files.hpp"

namespace {

// Guards against a file that includes itself, directly or not.
const int kMaxIncludeDepth = 16;

struct Where {
    std::string file;
    int line;
};

std::vector<Directive> parseText(const std::string& text, const std::string& file, int depth);

std::string readFile(const std::string& path, const Where* includedFrom)
{
    std::string content;
    int error = 0;
    if (readWholeFile(path, &content, &error))
        return content;
    std::string message = "open() \"" + path + "\" failed (" + std::strerror(error) + ")";
    if (includedFrom)
        throw ConfigError(message, includedFrom->file, includedFrom->line);
    throw ConfigError(message);
}

std::string directoryOf(const std::string& file)
{
    std::string::size_type slash = file.rfind('/');
    return slash == std::string::npos ? std::string() : file.substr(0, slash + 1);
}

bool isGlob(const std::string& path)
{
    return path.find_first_of("*?[") != std::string::npos;
}

std::vector<std::string> expandGlob(const std::string& pattern)
{
    std::vector<std::string> paths;
    glob_t matches;
    if (glob(pattern.c_str(), 0, 0, &matches) == 0) {
        for (size_t i = 0; i < matches.gl_pathc; ++i)
            paths.push_back(matches.gl_pathv[i]);
    }
    globfree(&matches);
    return paths;
}

void spliceInclude(const Directive& include, int depth, std::vector<Directive>& out)
{
    if (include.args.size() != 1)
        throw ConfigError("invalid number of arguments in \"include\" directive",
            include.file, include.line);
    if (depth >= kMaxIncludeDepth)
        throw ConfigError("include nesting too deep", include.file, include.line);
    std::string path = include.args[0];
    if (path.empty() || path[0] != '/')
        path = directoryOf(include.file) + path;
    std::vector<std::string> files;
    if (isGlob(path))
        files = expandGlob(path);
    else
        files.push_back(path);
    Where where = { include.file, include.line };
    for (size_t i = 0; i < files.size(); ++i) {
        std::vector<Directive> included = parseText(readFile(files[i], &where), files[i], depth + 1);
        out.insert(out.end(), included.begin(), included.end());
    }
}

class BlockParser {
public:
    BlockParser(Lexer& lexer, const std::string& file, int depth)
        : lexer_(lexer), file_(file), depth_(depth)
    {
    }

    // Parses directives up to the end of the text (top level) or the '}'
    // closing the current block.
    std::vector<Directive> parseBlock(bool topLevel)
    {
        std::vector<Directive> directives;
        for (;;) {
            Token token = lexer_.next();
            if (token.kind == Token::END) {
                if (topLevel)
                    return directives;
                throw ConfigError("unexpected end of file, expecting \"}\"", file_, token.line);
            }
            if (token.kind == Token::CLOSE_BRACE) {
                if (topLevel)
                    throw ConfigError("unexpected \"}\"", file_, token.line);
                return directives;
            }
            if (token.kind != Token::WORD)
                throw ConfigError("unexpected \"" + token.text + "\"", file_, token.line);
            Directive directive = parseDirective(token);
            if (directive.name == "include" && !directive.hasBlock)
                spliceInclude(directive, depth_, directives);
            else
                directives.push_back(directive);
        }
    }

private:
    Directive parseDirective(const Token& name)
    {
        Directive directive;
        directive.name = name.text;
        directive.file = file_;
        directive.line = name.line;
        for (;;) {
            Token token = lexer_.next();
            switch (token.kind) {
            case Token::WORD:
                directive.args.push_back(token.text);
                break;
            case Token::SEMICOLON:
                return directive;
            case Token::OPEN_BRACE:
                directive.hasBlock = true;
                directive.children = parseBlock(false);
                return directive;
            case Token::CLOSE_BRACE:
                throw ConfigError("unexpected \"}\"", file_, token.line);
            case Token::END:
                throw ConfigError("unexpected end of file, expecting \";\" or \"}\"",
                    file_, token.line);
            }
        }
    }

    Lexer& lexer_;
    std::string file_;
    int depth_;
};

std::vector<Directive> parseText(const std::string& text, const std::string& file, int depth)
{
    Lexer lexer(text, file);
    BlockParser parser(lexer, file, depth);
    return parser.parseBlock(true);
}

}

std::vector<Directive> parseConfigFile(const std::string& path)
{
    return parseText(readFile(path, 0), path, 0);
}

std::vector<Directive> parseConfigText(const std::string& text, const std::string& file)
{
    return parseText(text, file, 0);
}
