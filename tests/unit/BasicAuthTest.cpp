// $remote_user's reading of Authorization, case by case as nginx 1.22 logs
// it (each expected value was compared with nginx's access log).

#include <gtest/gtest.h>

#include <string>

#include "http/BasicAuth.hpp"
#include "support/TestText.hpp"

TEST(BasicAuthTest, UserNameAsNginxLogsIt)
{
    const struct {
        const char* value;
        const char* user;       // 0: no user ("-" in the log)
    } cases[] = {
        { "Basic YWxpY2U6c2VjcmV0", "alice" },                  // alice:secret
        { "basic   YWxpY2U6c2VjcmV0", "alice" },                // any case, spaces
        { "BASIC YWxpY2U6c2VjcmV0=junk", "alice" },             // stops at '='
        { "Basic YWxpY2U6", "alice" },                          // empty password
        { "Basic YSJiXDo=", "a\"b\\" },                         // escaped by the log
        { "Basic w6k6eA==", "\xC3\xA9" },                       // UTF-8 as bytes
        { "Basic OnB3", 0 },                                    // ":pw": no name
        { "Basic YWxpY2U", 0 },                                 // "alice": no ':'
        { "Basic Y", 0 },                                       // impossible length
        { "Basic YWxp!2U6c2VjcmV0", 0 },                        // outside the alphabet
        { "Basic ", 0 },
        { "Basic", 0 },
        { "Basic\tYWxpY2U6c2VjcmV0", 0 },                       // "Basic " it must be
        { "Bearer YWxpY2U6c2VjcmV0", 0 },
        { "", 0 },
    };
    for (const auto& c : cases) {
        std::string user = "unchanged";
        bool found = basicAuthUser(c.value, &user);
        EXPECT_EQ(c.user != 0, found) << visible(c.value);
        if (c.user && found) {
            EXPECT_EQ(c.user, user) << visible(c.value);
        }
    }
}

TEST(BasicAuthTest, Base64Groups)
{
    std::string out;
    ASSERT_TRUE(decodeBase64("", &out));
    EXPECT_EQ("", out);
    ASSERT_TRUE(decodeBase64("TWFu", &out));
    EXPECT_EQ("Man", out);
    ASSERT_TRUE(decodeBase64("TWE", &out));
    EXPECT_EQ("Ma", out);
    ASSERT_TRUE(decodeBase64("TQ==", &out));
    EXPECT_EQ("M", out);
    ASSERT_TRUE(decodeBase64("+/+/", &out));
    EXPECT_EQ("\xFB\xFF\xBF", out);
    EXPECT_FALSE(decodeBase64("TWFuT", &out));
    EXPECT_FALSE(decodeBase64("TW u", &out));
}

TEST(BasicAuthTest, CredentialsForAuthBasic)
{
    const struct {
        const char* value;
        const char* user;       // 0: no credentials
        const char* password;
    } cases[] = {
        { "Basic YWxpY2U6c2VjcmV0", "alice", "secret" },
        { "basic  YWxpY2U6c2VjcmV0", "alice", "secret" },
        { "Basic YWxpY2U6c2VjcmV0=junk", "alice", "secret" },    // nginx stops at '='
        { "Basic YWxpY2U6", "alice", "" },                        // empty password
        { "Basic YWxpY2U6YTpiOmM=", "alice", "a:b:c" },           // ':' in the password
        { "Basic YWxpY2U6cOl0ZQ==", "alice", "p\xE9te" },         // Latin-1 as bytes
        { "Basic w6k6eA==", "\xC3\xA9", "x" },                    // UTF-8 name
        { "Basic YWxpY2UAOng=", 0, 0 },                           // NUL in the name
        { "Basic YWxpY2U6eAB5", 0, 0 },                           // NUL in the password
        { "Basic OnB3", 0, 0 },                                   // no name
        { "Basic YWxpY2U", 0, 0 },                                // no ':'
        { "Basic Y", 0, 0 },
        { "Basic", 0, 0 },
        { "Digest YWxpY2U6c2VjcmV0", 0, 0 },
    };
    for (const auto& c : cases) {
        std::string user = "unchanged";
        std::string password = "unchanged";
        bool found = basicAuthCredentials(c.value, &user, &password);
        EXPECT_EQ(c.user != 0, found) << visible(c.value);
        if (c.user && found) {
            EXPECT_EQ(c.user, user) << visible(c.value);
            EXPECT_EQ(c.password, password) << visible(c.value);
        }
    }
}
