// libFuzzer target: the htpasswd user file parser (src/util/Htpasswd.cpp),
// the Basic credentials of an Authorization field (src/http/BasicAuth.cpp)
// and base64 (src/util/Digest.cpp).
//
// Input: a user file's content, then a NUL, then an Authorization value
// (no NUL: the whole input is the file and the value is empty).
//
// Properties:
// - parseUserFile() either fails with a line within the file, or gives
//   entries in file order, each with a non-empty user without ':', a
//   non-empty hash that passwordSchemeCheckable() accepts, its 1-based line,
//   and a user named once (find() gives that entry back);
// - basicAuthCredentials() succeeding implies basicAuthUser() gives the
//   same name, which is non-empty and has no ':'; the password has no NUL;
// - "Basic " + encodeBase64(user ":" password) reads back as that user and
//   password, for the value's own and for each entry's user;
// - decodeBase64(encodeBase64(x)) == x; constantTimeEquals(a, b) == (a == b);
// - verifyPassword() of {PLAIN} entries accepts their own password; of the
//   other schemes webserv computes itself ($apr1$, {SHA}, {SSHA}) it does
//   not crash. Entries for the system crypt(3) are not verified here: a
//   bcrypt cost up to 2^31 rounds would only measure time.

#include <set>
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "http/BasicAuth.hpp"
#include "util/Digest.hpp"
#include "util/Htpasswd.hpp"

namespace {

int lineCount(const std::string& text)
{
    int lines = 1;
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n')
            ++lines;
    return lines;
}

void checkCredentialsRoundTrip(const std::string& user, const std::string& password)
{
    if (user.empty() || user.find(':') != std::string::npos
        || user.find('\0') != std::string::npos || password.find('\0') != std::string::npos)
        return;
    std::string value = "Basic " + encodeBase64(user + ":" + password);
    std::string readUser;
    std::string readPassword;
    FUZZ_CHECK(basicAuthCredentials(value, &readUser, &readPassword),
        "credentials not read back from " + fuzz::visible(value));
    FUZZ_CHECK(readUser == user && readPassword == password,
        fuzz::visible(user) + ":" + fuzz::visible(password) + " read back as "
        + fuzz::visible(readUser) + ":" + fuzz::visible(readPassword));
}

void checkUserFile(const std::string& content, const std::string& password)
{
    UserFile file;
    UserFileError error;
    std::vector<UserFileError> warnings;
    int lines = lineCount(content);
    if (!parseUserFile(content, &file, &error, &warnings)) {
        FUZZ_CHECK(error.line >= 0 && error.line <= lines && !error.reason.empty(),
            "error line out of the file, or no reason: " + error.reason);
        return;
    }
    std::set<std::string> users;
    int previousLine = 0;
    for (size_t i = 0; i < file.entries.size(); ++i) {
        const PasswordEntry& entry = file.entries[i];
        std::string reason;
        FUZZ_CHECK(!entry.user.empty() && entry.user.find(':') == std::string::npos,
            "bad user " + fuzz::visible(entry.user));
        FUZZ_CHECK(!entry.hash.empty() && passwordSchemeCheckable(entry.hash, &reason),
            "entry of " + fuzz::visible(entry.user) + " with hash " + fuzz::visible(entry.hash)
            + " kept: " + reason);
        FUZZ_CHECK(entry.line > previousLine && entry.line <= lines, "line out of order or range");
        previousLine = entry.line;
        FUZZ_CHECK(users.insert(entry.user).second, "user twice: " + fuzz::visible(entry.user));
        FUZZ_CHECK(file.find(entry.user) == &entry, "find() misses " + fuzz::visible(entry.user));
        checkCredentialsRoundTrip(entry.user, password);
        if (entry.scheme == SCHEME_PLAIN)
            FUZZ_CHECK(verifyPassword(entry, entry.hash.substr(7)),
                "{PLAIN} refuses its own password: " + fuzz::visible(entry.hash));
        if (entry.scheme != SCHEME_CRYPT)
            verifyPassword(entry, password);
    }
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string input(reinterpret_cast<const char*>(data), size);
    size_t nul = input.find('\0');
    std::string content = input.substr(0, nul);
    std::string value = nul == std::string::npos ? "" : input.substr(nul + 1);

    std::string user;
    std::string password;
    if (basicAuthCredentials(value, &user, &password)) {
        std::string name;
        FUZZ_CHECK(basicAuthUser(value, &name) && name == user,
            "basicAuthUser disagrees on " + fuzz::visible(value));
        FUZZ_CHECK(!user.empty() && user.find(':') == std::string::npos
                && password.find('\0') == std::string::npos,
            "bad credentials from " + fuzz::visible(value));
        checkCredentialsRoundTrip(user, password);
    }
    checkCredentialsRoundTrip(value.substr(0, value.find(':')),
        value.find(':') == std::string::npos ? "" : value.substr(value.find(':') + 1));

    std::string decoded;
    FUZZ_CHECK(decodeBase64(encodeBase64(value), &decoded) && decoded == value,
        "base64 round trip lost " + fuzz::visible(value));
    FUZZ_CHECK(constantTimeEquals(content, value) == (content == value), "constantTimeEquals");
    FUZZ_CHECK(constantTimeEquals(value, value), "constantTimeEquals of equal strings");

    checkUserFile(content, password);
    return 0;
}
