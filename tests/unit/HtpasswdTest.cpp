// htpasswd user files: every format Debian's htpasswd writes (the hashes
// below were made by it, or by crypt(3) for $5$ and $1$), comments, blank
// lines, CRLF, a user twice, malformed lines and hashes this system cannot
// check; verifying right and wrong passwords; the constant-time comparison.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/Htpasswd.hpp"

namespace {

struct Vector {
    const char* line;
    const char* password;
    PasswordScheme scheme;
};

const Vector kVectors[] = {
    { "alice:$2y$05$hrsfLyMgDVO4LH5LAzvCw.nR8YJp4YXUriLALskcfNO5PJ4MC74by", "wonder", SCHEME_CRYPT },
    { "carol:$6$rCuR.XRp0re.DC.6$k7TQyVv2SLFsanYzYdG1UiGHx6N/LlwgMKFHgu7SpSlzNXkfOb2vwtQ6JU/"
      "iQHBdz0M3gTwNa9YNcPOnov0FS.", "sha512pw", SCHEME_CRYPT },
    { "sam:$5$saltsalt$WzUmQii01nfTV1TYCOkBeBwTyxmKMzcJfuoexqMmrA6", "sha256pw", SCHEME_CRYPT },
    { "mo:$1$saltsalt$W3ClrTpTLVmb5RDs4OA2o/", "md5pw", SCHEME_CRYPT },
    { "des:smXt3hZmKiGkE", "despw", SCHEME_CRYPT },
    { "dave:$apr1$YV4h5jIZ$nrYcxC8jYnjTfxWpPJrSG/", "apr1pw", SCHEME_APR1 },
    { "erin:{SHA}qs67vlse11GdWHE+bbh7CYDxCOs=", "shapw", SCHEME_SHA1 },
    { "sue:{SSHA}hEAjgkAbT4M2itc4x6ApDUuh8SdzYWx0", "sshapw", SCHEME_SSHA },
    { "frank:{PLAIN}plain", "plain", SCHEME_PLAIN },
};

UserFile parse(const std::string& content, std::vector<UserFileError>* warnings = nullptr)
{
    UserFile users;
    UserFileError error;
    EXPECT_TRUE(parseUserFile(content, &users, &error, warnings))
        << "line " << error.line << ": " << error.reason;
    return users;
}

UserFileError errorOf(const std::string& content)
{
    UserFile users;
    UserFileError error;
    error.line = -1;
    EXPECT_FALSE(parseUserFile(content, &users, &error, nullptr)) << content;
    return error;
}

TEST(HtpasswdTest, EveryFormatVerifiesItsPasswordOnly)
{
    for (const Vector& v : kVectors) {
        UserFile users = parse(std::string(v.line) + "\n");
        ASSERT_EQ(1u, users.entries.size()) << v.line;
        const PasswordEntry& entry = users.entries[0];
        EXPECT_EQ(v.scheme, entry.scheme) << v.line;
        EXPECT_TRUE(verifyPassword(entry, v.password)) << v.line;
        EXPECT_FALSE(verifyPassword(entry, std::string(v.password) + "x")) << v.line;
        EXPECT_FALSE(verifyPassword(entry, "")) << v.line;
    }
}

TEST(HtpasswdTest, FieldsAndLines)
{
    UserFile users = parse("# users\r\n\r\nalice:{PLAIN}a:Alice A.\r\n#bob:{PLAIN}x\nbob:{PLAIN}b");
    ASSERT_EQ(2u, users.entries.size());
    EXPECT_EQ("alice", users.entries[0].user);
    EXPECT_EQ("{PLAIN}a", users.entries[0].hash);   // the comment field is not the hash
    EXPECT_EQ(3, users.entries[0].line);
    EXPECT_EQ("bob", users.entries[1].user);
    EXPECT_EQ(5, users.entries[1].line);
    ASSERT_NE(nullptr, users.find("bob"));
    EXPECT_TRUE(verifyPassword(*users.find("bob"), "b"));
    EXPECT_EQ(nullptr, users.find("carol"));
    EXPECT_EQ(nullptr, users.find("#bob"));
    EXPECT_TRUE(parse("").entries.empty());
}

TEST(HtpasswdTest, AUserTwiceKeepsTheFirstWithAWarning)
{
    std::vector<UserFileError> warnings;
    UserFile users = parse("bob:{PLAIN}first\nann:{PLAIN}a\nbob:{PLAIN}second\n", &warnings);
    ASSERT_EQ(2u, users.entries.size());
    EXPECT_TRUE(verifyPassword(*users.find("bob"), "first"));
    EXPECT_FALSE(verifyPassword(*users.find("bob"), "second"));
    ASSERT_EQ(1u, warnings.size());
    EXPECT_EQ(3, warnings[0].line);
    EXPECT_EQ("user \"bob\" is defined again, line 1 is used", warnings[0].reason);
}

TEST(HtpasswdTest, MalformedLinesAreErrorsWithTheirLine)
{
    UserFileError e = errorOf("ok:{PLAIN}x\nnocolon\n");
    EXPECT_EQ(2, e.line);
    EXPECT_EQ("no \":\" after the user name", e.reason);
    e = errorOf(":{PLAIN}x\n");
    EXPECT_EQ(1, e.line);
    EXPECT_EQ("an empty user name", e.reason);
    e = errorOf("# c\nbob:\n");
    EXPECT_EQ(2, e.line);
    EXPECT_EQ("no password hash for user \"bob\"", e.reason);
    e = errorOf("bob::comment\n");
    EXPECT_EQ("no password hash for user \"bob\"", e.reason);
}

TEST(HtpasswdTest, HashesThisSystemCannotCheckAreRefused)
{
    UserFileError e = errorOf("a:{PLAIN}x\nbob:$9$abc$def\n");
    EXPECT_EQ(2, e.line);
    EXPECT_EQ("a password hash this system cannot check (\"$9$...\") for user \"bob\"", e.reason);
    e = errorOf("bob:$apr2$salt$hash\n");
    EXPECT_EQ(1, e.line);
    EXPECT_NE(std::string::npos, e.reason.find("(\"$apr2$...\") for user \"bob\"")) << e.reason;
    // Well-formed only: a truncated $apr1$, a {SHA} that is not 20 bytes.
    errorOf("bob:$apr1$YV4h5jIZ$nrYcxC8jYnjTfxWpPJrSG\n");
    errorOf("bob:$apr1$toolongsalt$nrYcxC8jYnjTfxWpPJrSG/\n");
    e = errorOf("bob:{SHA}qs67vlse11GdWHE+bbh7\n");
    EXPECT_EQ("a password hash this system cannot check (\"{SHA}...\") for user \"bob\"", e.reason);
    errorOf("bob:{SSHA}qs67vlse11GdWHE+bbh7CYDxCOs=\n");   // no salt
    errorOf("bob:*\n");
    errorOf("bob:!locked\n");
    std::string reason;
    EXPECT_TRUE(passwordSchemeCheckable("$2y$05$hrsfLyMgDVO4LH5LAzvCw.nR8YJp4YXUriLALskcfNO5PJ4MC74by",
        &reason));
    // crypt(3) checks the setting, not the length: a cut hash loads and
    // never matches.
    PasswordEntry cut;
    cut.user = "bob";
    cut.hash = "$2y$05$hrsfLyMgDVO4LH5LAzvCw.nR8YJp4YXUriLALskcfNO5PJ4MC74b";
    cut.scheme = SCHEME_CRYPT;
    EXPECT_FALSE(verifyPassword(cut, "wonder"));
}

TEST(HtpasswdTest, ConstantTimeEquals)
{
    EXPECT_TRUE(constantTimeEquals("", ""));
    EXPECT_TRUE(constantTimeEquals("abc", "abc"));
    EXPECT_FALSE(constantTimeEquals("abc", "abd"));
    EXPECT_FALSE(constantTimeEquals("abc", "ab"));
    EXPECT_FALSE(constantTimeEquals("ab", "abc"));
    EXPECT_FALSE(constantTimeEquals("", "a"));
    EXPECT_FALSE(constantTimeEquals(std::string("a\0", 2), "a"));
    EXPECT_TRUE(constantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
}

}
