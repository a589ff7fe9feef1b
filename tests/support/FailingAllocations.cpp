#include "support/FailingAllocations.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<bool> g_failing(false);
std::atomic<unsigned long> g_failed(0);

}

FailingAllocations::FailingAllocations()
{
    g_failed = 0;
    g_failing = true;
}

FailingAllocations::~FailingAllocations()
{
    g_failing = false;
}

unsigned long FailingAllocations::failed()
{
    return g_failed;
}

#if defined(__SANITIZE_ADDRESS__)

bool FailingAllocations::supported()
{
    return false;
}

#else

bool FailingAllocations::supported()
{
    return true;
}

namespace {

void* allocate(std::size_t size)
{
    if (g_failing) {
        ++g_failed;
        return nullptr;
    }
    return std::malloc(size == 0 ? 1 : size);
}

void* allocateOrThrow(std::size_t size)
{
    void* memory = allocate(size);
    if (!memory)
        throw std::bad_alloc();
    return memory;
}

}

void* operator new(std::size_t size) { return allocateOrThrow(size); }
void* operator new[](std::size_t size) { return allocateOrThrow(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }

#endif
