#ifndef WEBSERV_TESTS_SUPPORT_FAILINGALLOCATIONS_HPP
#define WEBSERV_TESTS_SUPPORT_FAILINGALLOCATIONS_HPP

// Exhausted memory on demand, for unit tests of the code that must survive
// it: while a FailingAllocations is alive, every operator new in this
// process fails (std::bad_alloc, or null for the nothrow forms). The test
// binaries replace the global operator new for this; under AddressSanitizer
// they cannot (it owns the allocator), and supported() is false.
//
// Nothing may be asserted while one is alive: GoogleTest allocates too.

class FailingAllocations {
public:
    FailingAllocations();
    ~FailingAllocations();
    FailingAllocations(const FailingAllocations&) = delete;
    FailingAllocations& operator=(const FailingAllocations&) = delete;

    static bool supported();
    // How many allocations failed while one was alive.
    static unsigned long failed();
};

#endif
