#ifndef WEBSERV_HANDLERS_SITEPAGE_HPP
#define WEBSERV_HANDLERS_SITEPAGE_HPP

// The frame of the pages the server writes itself (directory listings, the
// answer to a form upload): the demo site's colours and type in a few
// inline lines and a viewport for phones. The style is inline because such
// a page must look the same in every location, including ones that serve
// no stylesheet.

#include <string>

// A whole HTML document: title and body are HTML already (escaped by the
// caller); body goes inside <main>. Pure.
std::string sitePage(const std::string& title, const std::string& body);

#endif
