// limit_req's leaky buckets, least recently used first out.

#include "util/RequestRateTable.hpp"

#include "util/Strings.hpp"

namespace {

// What a std::list and a std::map node hold beside their value: the links
// (and the tree's colour).
const size_t kListNodeOverhead = 16;
const size_t kMapNodeOverhead = 32;

// nginx's step: what was left drains at milliRate over elapsed ms, the
// request adds one, and the bucket never goes below empty. The drain is
// capped at what could matter, so no gap overflows the arithmetic.
long afterOneMore(long excess, long milliRate, long elapsed)
{
    long drain = 0;
    if (elapsed > 0)
        drain = elapsed > (excess + 1000) * 1000 / milliRate ? excess + 1000
            : milliRate * elapsed / 1000;
    long next = excess - drain + 1000;
    return next > 0 ? next : 0;
}
}

RequestRateTable::RequestRateTable(size_t maxKeys) : maxKeys_(maxKeys), evictions_(0)
{
}

RequestRateTable::Verdict RequestRateTable::take(const std::string& key, long milliRate,
    long burst, long now, long* delayMs)
{
    Index::iterator found = index_.find(key);
    long excess = 0;
    if (found != index_.end()) {
        // Used, even when refused: an abuser is the last to be forgotten.
        order_.splice(order_.begin(), order_, found->second);
        Bucket& bucket = *found->second;
        excess = afterOneMore(bucket.excess, milliRate, now - bucket.last);
        if (excess > burst * 1000)
            return RATE_REJECT;     // the bucket stays as it was
        bucket.excess = excess;
        bucket.last = now;
    } else {
        if (maxKeys_ == 0)
            return RATE_PASS;
        if (order_.size() >= maxKeys_) {
            index_.erase(order_.back().key);
            order_.pop_back();
            ++evictions_;
        }
        Bucket bucket;
        bucket.key = key;
        bucket.excess = 0;
        bucket.last = now;
        order_.push_front(bucket);
        index_[key] = order_.begin();
    }
    if (excess == 0)
        return RATE_PASS;
    if (delayMs)
        *delayMs = excess * 1000 / milliRate;
    return RATE_DELAY;
}

size_t RequestRateTable::memoryBytes() const
{
    size_t bytes = 0;
    for (Order::const_iterator it = order_.begin(); it != order_.end(); ++it)
        bytes += sizeof(Bucket) + kListNodeOverhead + 2 * heapBytes(it->key)
            + sizeof(Index::value_type) + kMapNodeOverhead;
    return bytes;
}

void RequestRateTable::clear()
{
    order_.clear();
    index_.clear();
}
