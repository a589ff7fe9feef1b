// libFuzzer target: the CGI response head (src/cgi/CgiHead.cpp).
//
// Input: what a script writes to its stdout. As the server does, the head
// is found with findCgiHeadEnd() and the block up to there given to
// parseCgiHead(); the whole input is parsed too (the parser stops at the
// first empty line).
//
// Properties:
// - findCgiHeadEnd() gives 0 or an offset just after "\n\n" or "\n\r\n"; it
//   gives the same offset on every longer prefix, and 0 one byte earlier
//   (so reading the output in pieces finds the same end);
// - a parsed head has a status in 100..599, fields whose names are
//   non-empty and whose names and values hold no CR, LF or other control
//   byte (HTAB aside), no Status, Content-Length or framing field, and a
//   local redirect only to a path starting with '/'.

#include <string>

#include "FuzzSupport.hpp"
#include "cgi/CgiHead.hpp"

namespace {

bool hasControl(const std::string& s)
{
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return true;
    }
    return false;
}

bool equalsIgnoringCase(const std::string& a, const char* b)
{
    std::string::size_type i = 0;
    for (; i < a.size() && b[i]; ++i) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
        char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
        if (x != y)
            return false;
    }
    return i == a.size() && !b[i];
}

void checkHead(const std::string& block)
{
    CgiHead head;
    if (!parseCgiHead(block, &head))
        return;
    FUZZ_CHECK(head.status >= 100 && head.status <= 599, "status " + std::to_string(head.status));
    FUZZ_CHECK(!head.hasContentLength || head.contentLength >= 0, "negative Content-Length");
    FUZZ_CHECK(!head.localRedirect || (!head.location.empty() && head.location[0] == '/'),
        "local redirect to " + fuzz::visible(head.location));
    FUZZ_CHECK(!hasControl(head.reason) && !hasControl(head.location),
        "reason " + fuzz::visible(head.reason) + " location " + fuzz::visible(head.location));
    for (size_t i = 0; i < head.fields.size(); ++i) {
        const std::string& name = head.fields.at(i).first;
        const std::string& value = head.fields.at(i).second;
        FUZZ_CHECK(!name.empty() && !hasControl(name) && !hasControl(value),
            "field " + fuzz::visible(name) + ": " + fuzz::visible(value));
        FUZZ_CHECK(!equalsIgnoringCase(name, "Status")
                && !equalsIgnoringCase(name, "Content-Length")
                && !equalsIgnoringCase(name, "Transfer-Encoding")
                && !equalsIgnoringCase(name, "Connection")
                && !equalsIgnoringCase(name, "Keep-Alive"),
            "field " + fuzz::visible(name) + " kept");
    }
}

}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const char* text = reinterpret_cast<const char*>(data);
    size_t end = findCgiHeadEnd(text, size);
    FUZZ_CHECK(end <= size, "end " + std::to_string(end) + " of " + std::to_string(size));
    if (end > 0) {
        std::string block(text, end);
        bool lfLf = end >= 2 && block.compare(end - 2, 2, "\n\n") == 0;
        bool lfCrLf = end >= 3 && block.compare(end - 3, 3, "\n\r\n") == 0;
        FUZZ_CHECK(lfLf || lfCrLf, "block ends with " + fuzz::visible(block.substr(end - 2)));
        FUZZ_CHECK(findCgiHeadEnd(text, end) == end, "a different end on the block alone");
        FUZZ_CHECK(findCgiHeadEnd(text, end - 1) == 0, "an end one byte earlier");
        for (size_t len = end; len <= size && len < end + 4; ++len)
            FUZZ_CHECK(findCgiHeadEnd(text, len) == end, "a different end on a longer prefix");
        checkHead(block);
    }
    checkHead(std::string(text, size));
    return 0;
}
