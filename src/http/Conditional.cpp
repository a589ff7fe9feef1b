#include "http/Conditional.hpp"

#include <cstdio>
#include <vector>

#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

const off_t kMaxOffset = static_cast<off_t>(~0UL >> 1);

// Whether a list of entity tags ("*" or "a", W/"b") names tag. Weak
// comparison ignores the W/ prefix (RFC 9110 §8.8.3.2).
bool tagListMatches(const std::string& list, const std::string& tag, bool weak)
{
    if (trimOws(list) == "*")
        return true;
    std::vector<std::string> items = splitAny(list, ",");
    for (size_t i = 0; i < items.size(); ++i) {
        std::string item = trimOws(items[i]);
        bool isWeak = startsWith(item, "W/");
        if (isWeak && !weak)
            continue;
        if ((isWeak ? item.substr(2) : item) == tag)
            return true;
    }
    return false;
}

// A date field's value, or false when it is absent or not an HTTP date
// (an invalid date is ignored, RFC 9110 §13.1.3).
bool dateField(const HeaderMap& request, const char* name, time_t* out)
{
    const std::string* value = request.find(name);
    return value && parseAnyHttpDate(trimOws(*value), out);
}

bool parseOffset(const std::string& text, off_t* out)
{
    return parseDecimal(text, kMaxOffset, out);
}

}

std::string makeEntityTag(time_t modified, off_t size)
{
    return "\"" + toHex(static_cast<unsigned long>(modified)) + "-"
        + toHex(static_cast<unsigned long>(size)) + "\"";
}

Precondition evaluatePreconditions(const HeaderMap& request, const std::string& entityTag,
    time_t modified, bool safeMethod)
{
    const std::string* ifMatch = request.find("If-Match");
    time_t date;
    if (ifMatch) {
        if (!tagListMatches(request.combined("If-Match"), entityTag, false))
            return PRECONDITION_FAILED;
    } else if (dateField(request, "If-Unmodified-Since", &date) && modified > date) {
        return PRECONDITION_FAILED;
    }
    if (request.find("If-None-Match")) {
        if (tagListMatches(request.combined("If-None-Match"), entityTag, true))
            return safeMethod ? PRECONDITION_NOT_MODIFIED : PRECONDITION_FAILED;
    } else if (safeMethod && dateField(request, "If-Modified-Since", &date) && modified <= date) {
        return PRECONDITION_NOT_MODIFIED;
    }
    return PRECONDITION_PASSED;
}

RangeVerdict evaluateRange(const HeaderMap& request, const std::string& entityTag,
    time_t modified, off_t size, ByteRange* range)
{
    const std::string* value = request.find("Range");
    if (!value || request.count("Range") != 1)
        return RANGE_WHOLE;
    const std::string* ifRange = request.find("If-Range");
    if (ifRange) {
        std::string validator = trimOws(*ifRange);
        time_t date;
        bool current = validator == entityTag
            || (parseAnyHttpDate(validator, &date) && date == modified);
        if (!current)
            return RANGE_WHOLE;
    }
    std::string spec = trimOws(*value);
    if (!startsWith(toLower(spec), "bytes=") || spec.find(',') != std::string::npos)
        return RANGE_WHOLE;
    spec = trimOws(spec.substr(6));
    std::string::size_type dash = spec.find('-');
    if (dash == std::string::npos)
        return RANGE_WHOLE;
    std::string firstText = trimOws(spec.substr(0, dash));
    std::string lastText = trimOws(spec.substr(dash + 1));
    off_t first;
    off_t last;
    if (firstText.empty()) {
        off_t suffix;
        if (!parseOffset(lastText, &suffix))
            return RANGE_WHOLE;
        if (suffix == 0 || size == 0)
            return RANGE_UNSATISFIABLE;
        first = suffix >= size ? 0 : size - suffix;
        last = size - 1;
    } else {
        if (!parseOffset(firstText, &first))
            return RANGE_WHOLE;
        if (lastText.empty())
            last = size - 1;
        else if (!parseOffset(lastText, &last) || last < first)
            return RANGE_WHOLE;
        if (first >= size)
            return RANGE_UNSATISFIABLE;
        if (last >= size)
            last = size - 1;
    }
    range->first = first;
    range->last = last;
    return RANGE_PARTIAL;
}
