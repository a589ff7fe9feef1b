#ifndef WEBSERV_UTIL_VECTORS_HPP
#define WEBSERV_UTIL_VECTORS_HPP

// Growing vectors that are filled in step: an allocation failure must leave
// them as they were, never one element longer than the other.

#include <cstddef>
#include <vector>

// Room for one more element in both vectors, so that the two push_back()s
// that follow cannot throw; throws std::bad_alloc before either changes.
template <class A, class B>
void reserveOneMore(std::vector<A>& a, std::vector<B>& b)
{
    if (a.size() < a.capacity() && b.size() < b.capacity())
        return;
    std::size_t grown = 2 * (a.size() > b.size() ? a.size() : b.size()) + 16;
    a.reserve(grown);
    b.reserve(grown);
}

#endif
