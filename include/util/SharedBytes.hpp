#ifndef WEBSERV_UTIL_SHAREDBYTES_HPP
#define WEBSERV_UTIL_SHAREDBYTES_HPP

// Immutable bytes with several owners, freed with the last one. A cached
// file's content is one: responses send it from where it is, and it stays
// alive until they are done even when the cache has dropped or replaced it.

#include <cstddef>
#include <string>

class SharedBytes {
public:
    SharedBytes();
    // Takes content's bytes (content is left empty).
    explicit SharedBytes(std::string& content);
    SharedBytes(const SharedBytes& other);
    SharedBytes& operator=(const SharedBytes& other);
    ~SharedBytes();

    bool valid() const { return block_ != 0; }
    // The bytes; empty when not valid.
    const std::string& str() const;
    size_t size() const { return str().size(); }
    void reset();

private:
    struct Block {
        std::string bytes;
        long owners;
    };

    Block* block_;
};

#endif
