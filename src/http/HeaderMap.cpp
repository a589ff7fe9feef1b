#include "http/HeaderMap.hpp"

#include "util/Strings.hpp"

void HeaderMap::add(const std::string& name, const std::string& value)
{
    fields_.push_back(Field(name, value));
}

void HeaderMap::set(const std::string& name, const std::string& value)
{
    remove(name);
    add(name, value);
}

void HeaderMap::remove(const std::string& name)
{
    std::vector<Field>::iterator out = fields_.begin();
    for (std::vector<Field>::iterator it = fields_.begin(); it != fields_.end(); ++it)
        if (!iequals(it->first, name))
            *out++ = *it;
    fields_.erase(out, fields_.end());
}

void HeaderMap::clear()
{
    fields_.clear();
}

const std::string* HeaderMap::find(const std::string& name) const
{
    for (size_t i = 0; i < fields_.size(); ++i)
        if (iequals(fields_[i].first, name))
            return &fields_[i].second;
    return 0;
}

size_t HeaderMap::count(const std::string& name) const
{
    size_t n = 0;
    for (size_t i = 0; i < fields_.size(); ++i)
        if (iequals(fields_[i].first, name))
            ++n;
    return n;
}

std::string HeaderMap::combined(const std::string& name) const
{
    std::string value;
    for (size_t i = 0; i < fields_.size(); ++i) {
        if (!iequals(fields_[i].first, name))
            continue;
        if (!value.empty())
            value += ", ";
        value += fields_[i].second;
    }
    return value;
}
