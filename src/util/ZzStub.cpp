// TEMPORARY stub, not committed
#include "util/Htpasswd.hpp"
#include "http/BasicAuth.hpp"
#include <crypt.h>
const PasswordEntry* UserFile::find(const std::string& user) const
{ for (size_t i = 0; i < entries.size(); ++i) if (entries[i].user == user) return &entries[i]; return 0; }
bool parseUserFile(const std::string& content, UserFile* out, UserFileError* error, std::vector<UserFileError>*)
{
    size_t pos = 0; int line = 0; out->entries.clear();
    while (pos < content.size()) {
        size_t lf = content.find('\n', pos); if (lf == std::string::npos) lf = content.size();
        std::string l = content.substr(pos, lf - pos); pos = lf + 1; ++line;
        if (!l.empty() && l[l.size()-1] == '\r') l.erase(l.size()-1);
        if (l.empty() || l[0] == '#') continue;
        size_t c = l.find(':'); if (c == std::string::npos || c == 0) { error->line = line; error->reason = "bad"; return false; }
        PasswordEntry e; e.user = l.substr(0, c); std::string h = l.substr(c+1); size_t c2 = h.find(':'); if (c2 != std::string::npos) h.erase(c2);
        e.hash = h; e.line = line; e.scheme = h.compare(0, 7, "{PLAIN}") == 0 ? SCHEME_PLAIN : SCHEME_CRYPT;
        if (!out->find(e.user)) out->entries.push_back(e);
    }
    return true;
}
bool verifyPassword(const PasswordEntry& e, const std::string& pw)
{
    if (e.scheme == SCHEME_PLAIN) return e.hash.substr(7) == pw;
    static struct crypt_data d; const char* r = crypt_r(pw.c_str(), e.hash.c_str(), &d);
    return r && e.hash == r;
}
bool basicAuthCredentials(const std::string& value, std::string* user, std::string* password)
{
    if (!basicAuthUser(value, user)) return false;
    std::string decoded; size_t s = value.find_first_not_of(' ', 6); decodeBase64(value.substr(s), &decoded);
    *password = decoded.substr(decoded.find(':') + 1); return true;
}
