// The contract files stay in step with the code: every directive of the
// table in src/config/Directives.cpp has a row in tests/contract/CONFIG.md
// and every row names a directive the loader knows; every citation of a
// contract file in src/, include/, tests/, scripts/, conf/ and cgi-bin/ is
// a path into tests/contract/, and none points outside the repository.
// Runs from the repository root, as `make unit` does.

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "support/TempDir.hpp"

namespace {

const char* kConfigContract = "tests/contract/CONFIG.md";
const char* kHttpContract = "tests/contract/HTTP.md";

// The directive names of kDirectives: its lines read `{ "name", CONTEXT...`.
std::set<std::string> tableDirectives()
{
    std::string source = readFile("src/config/Directives.cpp");
    std::regex entry("\\{ \"([a-z_]+)\", (CTX_|kInheritable)");
    std::set<std::string> names;
    for (std::sregex_iterator it(source.begin(), source.end(), entry), end; it != end; ++it)
        names.insert((*it)[1]);
    return names;
}

// The first word of each directives-table row: "| `listen [ADDR:]PORT...".
// A row may name several directives ("`a on|off;` `b TIME;`").
std::set<std::string> documentedDirectives()
{
    std::string text = readFile(kConfigContract);
    std::regex row("\n\\| `([a-z_]+)[^|]*\\|");
    std::regex more("` `([a-z_]+)");
    std::set<std::string> names;
    for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) {
        names.insert((*it)[1]);
        std::string cell = (*it)[0];
        for (std::sregex_iterator m(cell.begin(), cell.end(), more); m != end; ++m)
            names.insert((*m)[1]);
    }
    return names;
}

std::string loadError(const std::string& text)
{
    try {
        loadConfigText(text, "contract.conf", 0);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "";
}

bool isDirectory(const std::string& path)
{
    struct stat info;
    return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

void listSources(const std::string& directory, std::vector<std::string>* files)
{
    std::set<std::string> names = listDirectory(directory);
    for (std::set<std::string>::const_iterator it = names.begin(); it != names.end(); ++it) {
        std::string path = directory + "/" + *it;
        if (isDirectory(path))
            listSources(path, files);
        else if (std::regex_search(*it, std::regex("\\.(cpp|hpp|sh|py|pl|php|conf|md)$")))
            files->push_back(path);
    }
}

}

TEST(ContractTest, FilesAreInTheRepository)
{
    EXPECT_NE("", readFile(kHttpContract)) << "run from the repository root";
    EXPECT_NE("", readFile(kConfigContract));
}

TEST(ContractTest, EveryDirectiveOfTheTableIsDocumented)
{
    std::set<std::string> table = tableDirectives();
    ASSERT_GT(table.size(), 30u) << "the table in src/config/Directives.cpp was not read";
    std::set<std::string> documented = documentedDirectives();
    for (std::set<std::string>::const_iterator it = table.begin(); it != table.end(); ++it)
        EXPECT_TRUE(documented.count(*it)) << *it << " has no row in " << kConfigContract;
}

TEST(ContractTest, EveryDocumentedDirectiveIsKnown)
{
    std::set<std::string> documented = documentedDirectives();
    ASSERT_GT(documented.size(), 30u);
    for (std::set<std::string>::const_iterator it = documented.begin(); it != documented.end(); ++it)
        EXPECT_EQ(std::string::npos, loadError(*it + ";").find("unknown directive"))
            << *it << " is documented but unknown to the loader";
}

TEST(ContractTest, CitationsPointIntoTheRepository)
{
    std::vector<std::string> files;
    listSources("src", &files);
    listSources("include", &files);
    listSources("tests", &files);
    listSources("scripts", &files);
    listSources("conf", &files);
    listSources("cgi-bin", &files);
    ASSERT_FALSE(files.empty());
    const std::string outside = std::string("shared") + "/spec";
    std::regex cited("(\\S*)(HTTP|CONFIG)\\.md");
    for (size_t i = 0; i < files.size(); ++i) {
        std::string text = readFile(files[i]);
        EXPECT_EQ(std::string::npos, text.find(outside)) << files[i];
        for (std::sregex_iterator it(text.begin(), text.end(), cited), end; it != end; ++it) {
            std::string prefix = (*it)[1];
            bool inContract = prefix.size() >= 15
                && prefix.compare(prefix.size() - 15, 15, "tests/contract/") == 0;
            EXPECT_TRUE(inContract) << files[i] << " cites " << (*it)[0]
                << ", not tests/contract/" << (*it)[2] << ".md";
        }
    }
}
