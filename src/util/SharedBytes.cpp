#include "util/SharedBytes.hpp"

SharedBytes::SharedBytes()
    : block_(0)
{
}

SharedBytes::SharedBytes(std::string& content)
    : block_(new Block)
{
    block_->bytes.swap(content);
    block_->owners = 1;
}

SharedBytes::SharedBytes(const SharedBytes& other)
    : block_(other.block_)
{
    if (block_)
        ++block_->owners;
}

SharedBytes& SharedBytes::operator=(const SharedBytes& other)
{
    Block* taken = other.block_;    // before reset(): other may be this
    if (taken)
        ++taken->owners;
    reset();
    block_ = taken;
    return *this;
}

SharedBytes::~SharedBytes()
{
    reset();
}

const std::string& SharedBytes::str() const
{
    static const std::string none;
    return block_ ? block_->bytes : none;
}

void SharedBytes::reset()
{
    if (block_ && --block_->owners == 0)
        delete block_;
    block_ = 0;
}
