#include "util/Time.hpp"

#include <cstdio>
#include <cstring>
#include <time.h>

namespace {

const char* const kDays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
const char* const kMonths[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), times 86400: timegm() without the non-POSIX call.
time_t secondsSinceEpoch(long year, long month, long day)
{
    year -= month <= 2;
    long era = (year >= 0 ? year : year - 399) / 400;
    long yearOfEra = year - era * 400;
    long dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return static_cast<time_t>((era * 146097 + dayOfEra - 719468) * 86400L);
}

int indexOf(const char* const* names, int count, const std::string& name)
{
    for (int i = 0; i < count; ++i)
        if (name == names[i])
            return i;
    return -1;
}

long number(const std::string& text, size_t pos, size_t digits)
{
    long value = 0;
    for (size_t i = pos; i < pos + digits; ++i)
        value = value * 10 + (text[i] - '0');
    return value;
}

const char* const kLongDays[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                  "Friday", "Saturday" };

// layout: 'd' a digit, 'a' a letter, '_' a space or a digit, else itself.
bool matchesLayout(const std::string& text, const char* layout)
{
    size_t length = std::strlen(layout);
    if (text.size() != length)
        return false;
    for (size_t i = 0; i < length; ++i) {
        char c = text[i];
        bool digit = c >= '0' && c <= '9';
        bool ok = layout[i] == 'd' ? digit
            : layout[i] == 'a' ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            : layout[i] == '_' ? (digit || c == ' ')
            : c == layout[i];
        if (!ok)
            return false;
    }
    return true;
}

long daysInMonth(long year, long month)
{
    static const long days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool toTime(long year, const std::string& monthName, long day, long hour, long minute, long second,
    time_t* out)
{
    int month = indexOf(kMonths, 12, monthName);
    if (month < 0 || year < 1970 || day < 1 || day > daysInMonth(year, month + 1) || hour > 23
        || minute > 59 || second > 60)
        return false;
    *out = secondsSinceEpoch(year, month + 1, day) + hour * 3600 + minute * 60 + second;
    return true;
}

}

long monotonicMs()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string httpDate(time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
        kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900,
        tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

bool parseHttpDate(const std::string& text, time_t* out)
{
    // "Sun, 06 Nov 1994 08:49:37 GMT": every character has its place.
    if (!matchesLayout(text, "aaa, dd aaa dddd dd:dd:dd GMT")
        || indexOf(kDays, 7, text.substr(0, 3)) < 0)
        return false;
    return toTime(number(text, 12, 4), text.substr(8, 3), number(text, 5, 2),
        number(text, 17, 2), number(text, 20, 2), number(text, 23, 2), out);
}

bool parseAnyHttpDate(const std::string& text, time_t* out)
{
    if (parseHttpDate(text, out))
        return true;
    // asctime: "Sun Nov  6 08:49:37 1994" (the day padded with a space).
    if (matchesLayout(text, "aaa aaa _d dd:dd:dd dddd") && indexOf(kDays, 7, text.substr(0, 3)) >= 0) {
        long day = text[8] == ' ' ? number(text, 9, 1) : number(text, 8, 2);
        return toTime(number(text, 20, 4), text.substr(4, 3), day, number(text, 11, 2),
            number(text, 14, 2), number(text, 17, 2), out);
    }
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT", a two-digit year read as
    // the nearest one (RFC 9110 §5.6.7: never more than 50 years ahead).
    std::string::size_type comma = text.find(", ");
    if (comma == std::string::npos || indexOf(kLongDays, 7, text.substr(0, comma)) < 0)
        return false;
    std::string rest = text.substr(comma + 2);
    if (!matchesLayout(rest, "dd-aaa-dd dd:dd:dd GMT"))
        return false;
    long year = number(rest, 7, 2);
    year += year < 70 ? 2000 : 1900;
    return toTime(year, rest.substr(3, 3), number(rest, 0, 2), number(rest, 10, 2),
        number(rest, 13, 2), number(rest, 16, 2), out);
}

const std::string& cachedHttpDate()
{
    static time_t formattedAt = 0;
    static std::string formatted;
    time_t now = time(0);
    if (now != formattedAt) {
        formatted = httpDate(now);
        formattedAt = now;
    }
    return formatted;
}

std::string logTime(time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d/%s/%04d:%02d:%02d:%02d +0000", tm.tm_mday,
        kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}
