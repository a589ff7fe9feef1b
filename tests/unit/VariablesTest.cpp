// Directive values with variables: compiling (the names the configuration
// knows, nginx's "$name" and "${name}" forms) and expanding
// (src/config/Variables.cpp).

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/Variables.hpp"

namespace {

// Values by name, as a request would give them.
class FakeValues : public VariableValues {
public:
    std::map<Variable, std::string> values;
    std::map<std::string, std::string> fields;

    void append(Variable variable, const std::string& field, std::string& out) const override
    {
        if (variable == VAR_HTTP_FIELD) {
            auto it = fields.find(field);
            out += it == fields.end() ? "" : it->second;
            return;
        }
        auto it = values.find(variable);
        out += it == values.end() ? "" : it->second;
    }
};

std::string compileError(const std::string& text)
{
    VariableTemplate t;
    std::string error;
    return t.compile(text, &error) ? "<compiled>" : error;
}

std::string expand(const std::string& text, const FakeValues& values)
{
    VariableTemplate t;
    std::string error;
    if (!t.compile(text, &error))
        return "<error: " + error + ">";
    return t.expand(values);
}

}

TEST(VariablesTest, TextWithoutVariablesIsKeptAsIs)
{
    VariableTemplate t;
    std::string error;
    ASSERT_TRUE(t.compile("/index.php", &error));
    EXPECT_FALSE(t.hasVariables());
    EXPECT_EQ("/index.php", t.expand(FakeValues()));
    ASSERT_TRUE(t.compile("", &error));
    EXPECT_EQ("", t.expand(FakeValues()));
}

TEST(VariablesTest, EveryNamedVariableExpands)
{
    FakeValues v;
    v.values = { { VAR_URI, "/a/b" }, { VAR_REQUEST_URI, "/a/b?x=1" }, { VAR_ARGS, "x=1" },
        { VAR_IS_ARGS, "?" }, { VAR_HOST, "example.org" }, { VAR_REMOTE_ADDR, "127.0.0.1" },
        { VAR_SERVER_PORT, "8080" }, { VAR_SCHEME, "http" }, { VAR_DOCUMENT_ROOT, "/srv" } };
    EXPECT_EQ("/a/b|/a/b?x=1|x=1|x=1|?|example.org|127.0.0.1|8080|http|/srv",
        expand("$uri|$request_uri|$args|$query_string|$is_args|$host|$remote_addr|$server_port"
               "|$scheme|$document_root", v));
}

TEST(VariablesTest, FrontControllerFallbackRebuildsTheQuery)
{
    FakeValues v;
    v.values = { { VAR_IS_ARGS, "?" }, { VAR_ARGS, "x=1&y=2" } };
    EXPECT_EQ("/index.php?x=1&y=2", expand("/index.php$is_args$args", v));
    EXPECT_EQ("/index.php", expand("/index.php$is_args$args", FakeValues()));
}

TEST(VariablesTest, BracesSeparateANameFromTheTextAfterIt)
{
    FakeValues v;
    v.values = { { VAR_URI, "/a" } };
    EXPECT_EQ("/a.html", expand("${uri}.html", v));
    EXPECT_EQ("x/ay", expand("x${uri}y", v));
    // Without braces the name takes every name character.
    EXPECT_EQ("<error: unknown \"uri_html\" variable>", expand("$uri_html", v));
}

TEST(VariablesTest, HttpVariablesNameARequestFieldWithDashesForUnderscores)
{
    FakeValues v;
    v.fields = { { "user-agent", "curl/8" }, { "x-forwarded-for", "10.0.0.1" } };
    EXPECT_EQ("curl/8 10.0.0.1 ", expand("$http_user_agent $HTTP_X_FORWARDED_FOR $http_absent", v));
}

TEST(VariablesTest, NamesAreCaseInsensitiveAsInNginx)
{
    FakeValues v;
    v.values = { { VAR_URI, "/a" } };
    EXPECT_EQ("/a", expand("$URI", v));
}

TEST(VariablesTest, UnknownOrMalformedNamesDoNotCompile)
{
    EXPECT_EQ("unknown \"foo\" variable", compileError("/x/$foo"));
    EXPECT_EQ("unknown \"http_\" variable", compileError("$http_"));
    EXPECT_EQ("invalid variable name in \"a$\"", compileError("a$"));
    EXPECT_EQ("invalid variable name in \"$ x\"", compileError("$ x"));
    EXPECT_EQ("invalid variable name in \"${uri\"", compileError("${uri"));
    EXPECT_EQ("invalid variable name in \"${}\"", compileError("${}"));
}
