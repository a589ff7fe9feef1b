#ifndef WEBSERV_HTTP_HEADERMAP_HPP
#define WEBSERV_HTTP_HEADERMAP_HPP

// Header fields in arrival order with case-insensitive lookup. A field that
// occurs several times keeps every occurrence (a multimap). clear() keeps
// the strings' memory for the next request on the same connection.

#include <string>
#include <utility>
#include <vector>

class HeaderMap {
public:
    typedef std::pair<std::string, std::string> Field;

    void add(const std::string& name, const std::string& value);
    // Replaces every field called name by one with value.
    void set(const std::string& name, const std::string& value);
    void remove(const std::string& name);
    void clear();

    size_t size() const { return count_; }
    const Field& at(size_t i) const { return fields_[i]; }
    // The first value of name, or 0.
    const std::string* find(const std::string& name) const;
    size_t count(const std::string& name) const;
    // Every value of name joined with ", " (RFC 9110 §5.3), "" if none.
    std::string combined(const std::string& name) const;

    HeaderMap() : count_(0) {}

private:
    std::vector<Field> fields_;   // [0, count_) are the fields; the rest spare
    size_t count_;
};

#endif
