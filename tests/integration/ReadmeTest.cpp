// README's install lines are what .ci/run installs: CI proves the first
// line is enough for `make run` and `make test` only while the two agree.

#include <gtest/gtest.h>

#include <string>

#include "support/TempDir.hpp"

namespace {

// The packages of the first `sudo apt-get install -y` line of text.
std::string firstInstallLine(const std::string& text)
{
    const std::string command = "sudo apt-get install -y ";
    size_t at = text.find(command);
    if (at == std::string::npos)
        return "";
    at += command.size();
    return text.substr(at, text.find('\n', at) - at);
}

// The value of a `name="..."` shell assignment.
std::string shellValue(const std::string& script, const std::string& name)
{
    size_t at = script.find("\n" + name + "=\"");
    if (at == std::string::npos)
        return "";
    at += name.size() + 3;
    return script.substr(at, script.find('"', at) - at);
}

TEST(ReadmeTest, FirstInstallLineIsWhatCiInstalls)
{
    std::string line = firstInstallLine(readFile("README.md"));
    ASSERT_NE("", line);
    EXPECT_EQ(line, shellValue(readFile(".ci/run"), "readme_first_line"));
}

}
