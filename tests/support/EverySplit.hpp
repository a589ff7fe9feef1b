#ifndef WEBSERV_TESTS_SUPPORT_EVERYSPLIT_HPP
#define WEBSERV_TESTS_SUPPORT_EVERYSPLIT_HPP

// How the unit tables feed an incremental parser (request heads, bodies,
// multipart) the ways a connection can: an input of `size` bytes arrives in
// pieces, named by the offsets where the pieces end; the last offset is
// `size`. Several equal offsets in a row would be empty reads.
//
// checkEverySplit() feeds one input whole, one byte at a time, and split in
// two at each given point, and leaves every assertion to its caller:
//   feed(ends)                       runs a fresh parser over those pieces
//                                    and returns what it made of them;
//   expectWhole(whole)               asserts on the outcome fed whole (the
//                                    table's expected value);
//   sameAsWhole(whole, other, how)   asserts that another way ("fed byte by
//                                    byte", "split at N") came to the same
//                                    outcome; false stops the split points
//                                    there, so that a broken 32 KiB case
//                                    reports one split, not thousands.

#include <cstddef>
#include <string>
#include <vector>

// The input in one piece: {size}.
inline std::vector<size_t> wholeEnds(size_t size)
{
    return std::vector<size_t>(1, size);
}

// One byte a piece: {1, 2, ..., size}; an empty input is one empty piece.
inline std::vector<size_t> byteByByteEnds(size_t size)
{
    if (size == 0)
        return wholeEnds(0);
    std::vector<size_t> ends;
    for (size_t i = 1; i <= size; ++i)
        ends.push_back(i);
    return ends;
}

// Two pieces, the first ending at `at`: {at, size}.
inline std::vector<size_t> splitEnds(size_t at, size_t size)
{
    std::vector<size_t> ends;
    ends.push_back(at);
    ends.push_back(size);
    return ends;
}

// Every point that splits an input in two non-empty pieces: 1 ... size - 1.
inline std::vector<size_t> everySplitPoint(size_t size)
{
    std::vector<size_t> points;
    for (size_t at = 1; at < size; ++at)
        points.push_back(at);
    return points;
}

template <class Feed, class ExpectWhole, class SameAsWhole>
void checkEverySplit(size_t size, const std::vector<size_t>& splitPoints, Feed feed,
    ExpectWhole expectWhole, SameAsWhole sameAsWhole)
{
    const auto whole = feed(wholeEnds(size));
    expectWhole(whole);
    sameAsWhole(whole, feed(byteByByteEnds(size)), std::string("fed byte by byte"));
    for (size_t i = 0; i < splitPoints.size(); ++i) {
        const size_t at = splitPoints[i];
        if (!sameAsWhole(whole, feed(splitEnds(at, size)), "split at " + std::to_string(at)))
            break;
    }
}

#endif
