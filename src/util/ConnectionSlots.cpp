// limit_conn's table of connections per client address.

#include "util/ConnectionSlots.hpp"

#include "util/Strings.hpp"

namespace {

// A std::map node: the tree's links and colour beside the pair.
const size_t kMapNodeOverhead = 32;

}

ConnectionSlots::ConnectionSlots()
{
}

ConnectionSlots::Verdict ConnectionSlots::refuse(Entry& entry)
{
    if (entry.refusing)
        return SLOT_REFUSED_AGAIN;
    entry.refusing = true;
    return SLOT_REFUSED_FIRST;
}

ConnectionSlots::Verdict ConnectionSlots::take(const std::string& key, long limit)
{
    Entry& entry = slots_[key];
    if (entry.held < limit) {
        ++entry.held;
        entry.refusing = false;
        return SLOT_TAKEN;
    }
    return refuse(entry);
}

ConnectionSlots::Verdict ConnectionSlots::check(const std::string& key, long limit)
{
    std::map<std::string, Entry>::iterator it = slots_.find(key);
    if (it == slots_.end() || it->second.held <= limit)
        return SLOT_TAKEN;
    return refuse(it->second);
}

void ConnectionSlots::give(const std::string& key)
{
    std::map<std::string, Entry>::iterator it = slots_.find(key);
    if (it == slots_.end())
        return;
    it->second.refusing = false;
    if (--it->second.held <= 0)
        slots_.erase(it);
}

long ConnectionSlots::held(const std::string& key) const
{
    std::map<std::string, Entry>::const_iterator it = slots_.find(key);
    return it == slots_.end() ? 0 : it->second.held;
}

size_t ConnectionSlots::memoryBytes() const
{
    size_t bytes = 0;
    for (std::map<std::string, Entry>::const_iterator it = slots_.begin(); it != slots_.end(); ++it)
        bytes += sizeof(*it) + kMapNodeOverhead + heapBytes(it->first);
    return bytes;
}
