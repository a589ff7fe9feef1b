// libFuzzer target: the variable templates of directive values
// (src/config/Variables.cpp).
//
// Input: a directive value, compiled as the loader compiles it.
//
// Properties, for a value that compiles:
// - without a '$' it has no variables and expands to itself;
// - expanding with every variable worth "" gives the value with each
//   "$name" / "${name}" removed, so it is never longer than the value;
// - with every variable worth "\x01", the expansion holds at least one
//   "\x01" per '$' of the value (plus those the value had).
// A value that does not compile has an error message, and has a '$'.

#include <string>

#include "FuzzSupport.hpp"
#include "config/Variables.hpp"

namespace {

class Constant : public VariableValues {
public:
    explicit Constant(const std::string& value) : value_(value) {}
    void append(Variable, const std::string&, std::string& out) const { out += value_; }

private:
    std::string value_;
};

size_t count(const std::string& text, const std::string& what)
{
    size_t n = 0;
    for (std::string::size_type pos = text.find(what); pos != std::string::npos;
         pos = text.find(what, pos + what.size()))
        ++n;
    return n;
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    VariableTemplate value;
    std::string error;
    if (!value.compile(text, &error)) {
        FUZZ_CHECK(!error.empty(), "no message for " + fuzz::visible(text));
        FUZZ_CHECK(text.find('$') != std::string::npos, "refused without '$': " + fuzz::visible(text));
        return 0;
    }
    bool hasDollar = text.find('$') != std::string::npos;
    FUZZ_CHECK(value.hasVariables() == hasDollar, "variables miscounted in " + fuzz::visible(text));
    std::string empty = value.expand(Constant(""));
    if (!hasDollar)
        FUZZ_CHECK(empty == text, "changed without variables: " + fuzz::visible(text));
    FUZZ_CHECK(empty.size() < text.size() || !hasDollar,
        "a variable expanded to nothing kept its name: " + fuzz::visible(text));
    FUZZ_CHECK(count(empty, "$") == 0, "a '$' survived expansion: " + fuzz::visible(text));
    std::string marked = value.expand(Constant("\x01"));
    FUZZ_CHECK(count(marked, "\x01") >= count(text, "$") + count(text, "\x01"),
        "fewer values than variables in " + fuzz::visible(text));
    return 0;
}
