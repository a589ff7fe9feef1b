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
    char day[4];
    char month[4];
    char zone[4];
    struct tm tm;
    std::memset(&tm, 0, sizeof tm);
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d %3s%n", day, &tm.tm_mday, month,
            &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone, &consumed) != 8
        || static_cast<size_t>(consumed) != text.size() || std::strcmp(zone, "GMT") != 0)
        return false;
    tm.tm_mon = -1;
    for (int i = 0; i < 12; ++i)
        if (std::strcmp(month, kMonths[i]) == 0)
            tm.tm_mon = i;
    if (tm.tm_mon < 0 || tm.tm_year < 1970)
        return false;
    *out = secondsSinceEpoch(tm.tm_year, tm.tm_mon + 1, tm.tm_mday)
        + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return true;
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
