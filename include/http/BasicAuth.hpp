#ifndef WEBSERV_HTTP_BASICAUTH_HPP
#define WEBSERV_HTTP_BASICAUTH_HPP

// The user name of an "Authorization: Basic" field (RFC 7617), read the way
// nginx reads it for $remote_user: "Basic " in any case, spaces, base64
// that stops at the first '=' (what follows is ignored), then "user:pass".
// Pure: checking the password against a user file is the access phase's
// job (util/Htpasswd.hpp).

#include <string>

#include "util/Digest.hpp"     // decodeBase64

// True with *user set when value carries a user name; false (no user) for
// another scheme, bad base64, no ':' or an empty name.
bool basicAuthUser(const std::string& value, std::string* user);

// The user name and password of the same field: the name up to the first
// ':' (RFC 7617 §2: a user-id has no ':'), the password after it, which
// may be empty and may hold ':'. Bytes are taken as sent (any charset,
// NUL excepted: a decoded NUL makes the field unusable). False as for
// basicAuthUser().
bool basicAuthCredentials(const std::string& value, std::string* user, std::string* password);

#endif
