// htpasswd user files: reading them, and checking a password against an
// entry with the system crypt(3) or webserv's own schemes.

#include "util/Htpasswd.hpp"

#include <crypt.h>

#include <cstring>

#include "util/Digest.hpp"
#include "util/Strings.hpp"

namespace {

const char kApr1Magic[] = "$apr1$";
const size_t kSha1Bytes = 20;

// The "./0-9A-Za-z" digits of crypt(3) outputs.
const char kCryptDigits[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

PasswordScheme schemeOf(const std::string& hash)
{
    if (startsWith(hash, kApr1Magic))
        return SCHEME_APR1;
    if (startsWith(hash, "{SHA}"))
        return SCHEME_SHA1;
    if (startsWith(hash, "{SSHA}"))
        return SCHEME_SSHA;
    if (startsWith(hash, "{PLAIN}"))
        return SCHEME_PLAIN;
    return SCHEME_CRYPT;
}

// The salt of "$apr1$SALT$HASH" (at most 8 characters, as Apache cuts it).
std::string apr1Salt(const std::string& hash)
{
    std::string rest = hash.substr(sizeof kApr1Magic - 1);
    std::string::size_type dollar = rest.find('$');
    return rest.substr(0, dollar == std::string::npos ? rest.size() : dollar).substr(0, 8);
}

void appendDigits(std::string& out, unsigned long value, int count)
{
    while (count-- > 0) {
        out += kCryptDigits[value & 0x3F];
        value >>= 6;
    }
}

unsigned long byteOf(const std::string& s, size_t i)
{
    return static_cast<unsigned char>(s[i]);
}

// Apache's MD5 crypt (the FreeBSD md5crypt algorithm under "$apr1$").
std::string apr1Crypt(const std::string& password, const std::string& salt)
{
    std::string alternate = md5(password + salt + password);
    std::string context = password + kApr1Magic + salt;
    for (size_t left = password.size(); left > 0; left -= left > 16 ? 16 : left)
        context += alternate.substr(0, left > 16 ? 16 : left);
    for (size_t bits = password.size(); bits != 0; bits >>= 1)
        context += (bits & 1) ? '\0' : password[0];
    std::string digest = md5(context);
    for (int round = 0; round < 1000; ++round) {
        std::string step = (round & 1) ? password : digest;
        if (round % 3)
            step += salt;
        if (round % 7)
            step += password;
        step += (round & 1) ? digest : password;
        digest = md5(step);
    }
    std::string out = kApr1Magic + salt + "$";
    static const int kGroups[5][3] = { { 0, 6, 12 }, { 1, 7, 13 }, { 2, 8, 14 }, { 3, 9, 15 },
        { 4, 10, 5 } };
    for (int g = 0; g < 5; ++g)
        appendDigits(out, byteOf(digest, kGroups[g][0]) << 16 | byteOf(digest, kGroups[g][1]) << 8
            | byteOf(digest, kGroups[g][2]), 4);
    appendDigits(out, byteOf(digest, 11), 2);
    return out;
}

bool isApr1Hash(const std::string& hash)
{
    std::string rest = hash.substr(sizeof kApr1Magic - 1);
    std::string::size_type dollar = rest.find('$');
    if (dollar == std::string::npos || dollar == 0 || dollar > 8 || rest.size() - dollar - 1 != 22)
        return false;
    return rest.find_first_not_of(kCryptDigits, dollar + 1) == std::string::npos
        && rest.substr(0, dollar).find_first_of(":\r\n") == std::string::npos;
}

// What crypt(3) makes of password with hash as its setting. The result
// lives in one static buffer (about 32 KiB, too big for the stack); the
// server has one thread.
std::string systemCrypt(const std::string& password, const std::string& hash)
{
    static struct crypt_data data;
    std::memset(&data, 0, sizeof data);
    const char* result = crypt_r(password.c_str(), hash.c_str(), &data);
    if (!result || result[0] == '*')
        return std::string();
    return result;
}

bool fail(UserFileError* error, int line, const std::string& reason)
{
    error->line = line;
    error->reason = reason;
    return false;
}

}

const PasswordEntry* UserFile::find(const std::string& user) const
{
    for (size_t i = 0; i < entries.size(); ++i)
        if (entries[i].user == user)
            return &entries[i];
    return 0;
}

bool parseUserFile(const std::string& content, UserFile* out, UserFileError* error,
    std::vector<UserFileError>* warnings)
{
    UserFile users;
    int line = 0;
    for (std::string::size_type pos = 0; pos < content.size();) {
        std::string::size_type lf = content.find('\n', pos);
        if (lf == std::string::npos)
            lf = content.size();
        std::string text = content.substr(pos, lf - pos);
        pos = lf + 1;
        ++line;
        if (!text.empty() && text[text.size() - 1] == '\r')
            text.erase(text.size() - 1);
        if (text.empty() || text[0] == '#')
            continue;
        std::string::size_type colon = text.find(':');
        if (colon == std::string::npos)
            return fail(error, line, "no \":\" after the user name");
        PasswordEntry entry;
        entry.user = text.substr(0, colon);
        entry.hash = text.substr(colon + 1, text.find(':', colon + 1) - colon - 1);
        entry.scheme = schemeOf(entry.hash);
        entry.line = line;
        if (entry.user.empty())
            return fail(error, line, "an empty user name");
        if (entry.hash.empty())
            return fail(error, line, "no password hash for user \"" + entry.user + "\"");
        std::string why;
        if (!passwordSchemeCheckable(entry.hash, &why))
            return fail(error, line, why + " for user \"" + entry.user + "\"");
        const PasswordEntry* earlier = users.find(entry.user);
        if (earlier) {
            UserFileError warning;
            warning.line = line;
            warning.reason = "user \"" + entry.user + "\" is defined again, line "
                + toString(static_cast<long>(earlier->line)) + " is used";
            if (warnings)
                warnings->push_back(warning);
            continue;
        }
        users.entries.push_back(entry);
    }
    out->entries.swap(users.entries);
    return true;
}

bool passwordSchemeCheckable(const std::string& hash, std::string* reason)
{
    std::string decoded;
    bool ok = true;
    switch (schemeOf(hash)) {
    case SCHEME_APR1:
        ok = isApr1Hash(hash);
        break;
    case SCHEME_SHA1:
        ok = decodeBase64(hash.substr(5), &decoded) && decoded.size() == kSha1Bytes;
        break;
    case SCHEME_SSHA:
        ok = decodeBase64(hash.substr(6), &decoded) && decoded.size() > kSha1Bytes;
        break;
    case SCHEME_PLAIN:
        break;
    case SCHEME_CRYPT: {
        int verdict = crypt_checksalt(hash.c_str());
        ok = verdict == CRYPT_SALT_OK || verdict == CRYPT_SALT_METHOD_LEGACY;
        break;
    }
    }
    if (!ok && reason) {
        std::string::size_type end = hash.find('$', 1);
        std::string shown = hash[0] == '$' && end != std::string::npos && end < 12
            ? hash.substr(0, end + 1) : hash.substr(0, hash[0] == '{' ? hash.find('}') + 1 : 8);
        *reason = "a password hash this system cannot check (\"" + shown + "...\")";
    }
    return ok;
}

bool verifyPassword(const PasswordEntry& entry, const std::string& password)
{
    const std::string& hash = entry.hash;
    std::string decoded;
    switch (entry.scheme) {
    case SCHEME_APR1:
        return constantTimeEquals(apr1Crypt(password, apr1Salt(hash)), hash);
    case SCHEME_SHA1:
        return constantTimeEquals("{SHA}" + encodeBase64(sha1(password)), hash);
    case SCHEME_SSHA:
        if (!decodeBase64(hash.substr(6), &decoded) || decoded.size() <= kSha1Bytes)
            return false;
        return constantTimeEquals(sha1(password + decoded.substr(kSha1Bytes)),
            decoded.substr(0, kSha1Bytes));
    case SCHEME_PLAIN:
        return constantTimeEquals(password, hash.substr(7));
    case SCHEME_CRYPT:
        break;
    }
    std::string computed = systemCrypt(password, hash);
    return !computed.empty() && constantTimeEquals(computed, hash);
}

bool constantTimeEquals(const std::string& a, const std::string& b)
{
    size_t length = a.size() > b.size() ? a.size() : b.size();
    unsigned difference = a.size() == b.size() ? 0 : 1;
    for (size_t i = 0; i < length; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        difference |= static_cast<unsigned>(x ^ y);
    }
    return difference == 0;
}
