#ifndef WEBSERV_UTIL_TIME_HPP
#define WEBSERV_UTIL_TIME_HPP

// Clocks and the two date formats the server writes.

#include <ctime>
#include <string>

// Milliseconds of a monotonic clock: for deadlines, never for display.
long monotonicMs();
// The earlier of two deadlines, where 0 stands for none.
inline long earliestDeadline(long a, long b)
{
    return a == 0 || (b != 0 && b < a) ? b : a;
}

// IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string httpDate(time_t t);
// Parses an IMF-fixdate; false for anything else.
bool parseHttpDate(const std::string& text, time_t* out);
// Also the two obsolete forms a recipient must accept (RFC 9110 §5.6.7):
// RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6
// 08:49:37 1994"). For dates in requests.
bool parseAnyHttpDate(const std::string& text, time_t* out);
// The current time as an HTTP date, formatted at most once per second.
const std::string& cachedHttpDate();
// nginx's $time_local format, in UTC: "25/Nov/2026:18:23:38 +0000".
std::string logTime(time_t t);

#endif
