#include "http/HeaderMap.hpp"

#include "util/Strings.hpp"

void HeaderMap::add(const std::string& name, const std::string& value)
{
    if (count_ == fields_.size()) {
        fields_.push_back(Field(name, value));
    } else {
        fields_[count_].first.assign(name);
        fields_[count_].second.assign(value);
    }
    ++count_;
}

void HeaderMap::set(const std::string& name, const std::string& value)
{
    remove(name);
    add(name, value);
}

void HeaderMap::remove(const std::string& name)
{
    size_t kept = 0;
    for (size_t i = 0; i < count_; ++i) {
        if (iequals(fields_[i].first, name))
            continue;
        if (kept != i) {
            fields_[kept].first.swap(fields_[i].first);
            fields_[kept].second.swap(fields_[i].second);
        }
        ++kept;
    }
    count_ = kept;
}

void HeaderMap::clear()
{
    count_ = 0;
}

const std::string* HeaderMap::find(const std::string& name) const
{
    for (size_t i = 0; i < count_; ++i)
        if (iequals(fields_[i].first, name))
            return &fields_[i].second;
    return 0;
}

size_t HeaderMap::count(const std::string& name) const
{
    size_t n = 0;
    for (size_t i = 0; i < count_; ++i)
        if (iequals(fields_[i].first, name))
            ++n;
    return n;
}

std::string HeaderMap::combined(const std::string& name) const
{
    std::string value;
    for (size_t i = 0; i < count_; ++i) {
        if (!iequals(fields_[i].first, name))
            continue;
        if (!value.empty())
            value += ", ";
        value += fields_[i].second;
    }
    return value;
}
