#ifndef WEBSERV_UTIL_HTPASSWD_HPP
#define WEBSERV_UTIL_HTPASSWD_HPP

// auth_basic_user_file: the htpasswd format (Apache's, as Debian's
// htpasswd from apache2-utils writes it and nginx reads it), and checking a
// password against an entry.
//
// A file is lines "user:hash" or "user:hash:comment" (LF or CRLF); blank
// lines and lines starting with '#' are skipped. The hash says its scheme:
//   $2y$ $2b$ $2a$  bcrypt          (htpasswd -B)     system crypt(3)
//   $5$ / $6$       SHA-256/512     (htpasswd -2/-5)  system crypt(3)
//   $1$             MD5 crypt                         system crypt(3)
//   $apr1$          Apache MD5      (htpasswd -m, its default)  webserv
//   {SHA}           base64 SHA-1    (htpasswd -s)     webserv
//   {SSHA}          salted SHA-1                      webserv
//   {PLAIN}         the password itself (tests)       webserv
//   anything else   traditional DES crypt (htpasswd -d) system crypt(3)
// Whether the system crypt(3) knows a scheme is asked of it
// (crypt_checksalt), so a file it cannot check is refused when it is
// loaded, never accepted blindly.
//
// Parsing is pure; verifying runs the hash (bcrypt costs milliseconds by
// design). Comparisons of hashes take the same time wherever they differ.

#include <string>
#include <vector>

enum PasswordScheme {
    SCHEME_CRYPT,           // the system crypt(3): bcrypt, $5$, $6$, $1$, DES
    SCHEME_APR1,
    SCHEME_SHA1,
    SCHEME_SSHA,
    SCHEME_PLAIN
};

struct PasswordEntry {
    std::string user;
    std::string hash;       // as in the file, scheme prefix included
    PasswordScheme scheme;
    int line;               // 1-based line in the file

    PasswordEntry() : scheme(SCHEME_PLAIN), line(0) {}
};

struct UserFile {
    std::vector<PasswordEntry> entries;     // in file order, one per user

    // The entry of user, or 0.
    const PasswordEntry* find(const std::string& user) const;
};

// What is wrong with a user file: its line and why.
struct UserFileError {
    int line;               // 0 for the file as a whole
    std::string reason;     // "unsupported password scheme \"$apr2$\" for user \"bob\""
};

// Reads a file's content into *out. A user named twice: the first line
// counts, as nginx (which reads top down) takes it; each later one adds a
// warning ("user \"bob\" is defined again, line 3 is used"). An entry
// with an empty user, no ':' or an empty hash, or whose scheme cannot be
// checked here (passwordSchemeCheckable), is an error. false with *error
// on the first error.
bool parseUserFile(const std::string& content, UserFile* out, UserFileError* error,
    std::vector<UserFileError>* warnings);

// Whether verifyPassword() can check hash: one of webserv's own schemes
// with a well-formed value, or a setting crypt(3) accepts. *reason when
// not.
bool passwordSchemeCheckable(const std::string& hash, std::string* reason);

// Whether password matches the entry's hash.
bool verifyPassword(const PasswordEntry& entry, const std::string& password);

// a == b in time that depends on their lengths only.
bool constantTimeEquals(const std::string& a, const std::string& b);

#endif
