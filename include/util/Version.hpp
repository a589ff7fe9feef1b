#ifndef WEBSERV_UTIL_VERSION_HPP
#define WEBSERV_UTIL_VERSION_HPP

// The version, and the name the Server header and CGI's SERVER_SOFTWARE carry.

#define WEBSERV_VERSION "0.1.0"
#define WEBSERV_SOFTWARE "webserv/" WEBSERV_VERSION

#endif
