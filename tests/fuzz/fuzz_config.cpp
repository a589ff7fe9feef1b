// libFuzzer target: the config lexer, parser and directive table
// (src/config/), through loadConfigText().
//
// Input: config text, loaded as if it were conf/fuzz.conf (run from the
// repository root, so that `include mime.types;` and `root www;` resolve).
// A ConfigError is the expected answer to bad text; any other exception,
// crash or sanitizer report is a bug.
//
// `include` reads files, and a fuzzer soon finds `include /dev/zero;`,
// which never ends: that is the administrator's choice, not a bug. So an
// input is only loaded when every word after an `include` names a plain
// file next to conf/fuzz.conf (letters, digits, '.', '_', '-'; no "..",
// no glob, no '/').
//
// Properties of a config that loads: it has a server, and every root of
// every server and location is an absolute path.

#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "config/Config.hpp"
#include "config/ConfigError.hpp"
#include "config/Lexer.hpp"
#include "config/Loader.hpp"

namespace {

bool isPlainFileName(const std::string& name)
{
    if (name.empty() || name[0] == '.' || name.find("..") != std::string::npos)
        return false;
    for (size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

// Whether every include in text reads a plain file of conf/. Tokens after
// an unterminated quote are never parsed, so the lexer's error ends the
// check as the parser's would end the load.
bool includesAreSafe(const std::string& text)
{
    Lexer lexer(text, "conf/fuzz.conf");
    bool afterInclude = false;
    try {
        for (;;) {
            Token token = lexer.next();
            if (token.kind == Token::END)
                return true;
            if (token.kind != Token::WORD) {
                afterInclude = false;
                continue;
            }
            if (afterInclude && !isPlainFileName(token.text))
                return false;
            if (token.text == "include")
                afterInclude = true;
        }
    } catch (const ConfigError&) {
        return true;
    }
}

void checkRoot(const std::string& root, const std::string& where)
{
    FUZZ_CHECK(!root.empty() && root[0] == '/', where + " root " + fuzz::visible(root));
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    if (!includesAreSafe(text))
        return 0;
    ConfigWarnings warnings;
    Config config;
    try {
        config = loadConfigText(text, "conf/fuzz.conf", &warnings);
    } catch (const ConfigError&) {
        return 0;
    }
    FUZZ_CHECK(!config.servers.empty(), "a config without a server");
    for (size_t s = 0; s < config.servers.size(); ++s) {
        const ServerConfig& server = config.servers[s];
        checkRoot(server.implicit.root, "server " + std::to_string(s));
        for (size_t l = 0; l < server.locations.size(); ++l)
            checkRoot(server.locations[l].root,
                "location " + fuzz::visible(server.locations[l].path));
    }
    return 0;
}
