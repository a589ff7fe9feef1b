#include "http/Response.hpp"

Response::Response()
    : fileOffset(0), fileLength(0), closeConnection(false)
{
}

void Response::reset(int status)
{
    head.reset(status);
    body.clear();
    sharedBody.reset();
    file.reset();
    fileOffset = 0;
    fileLength = 0;
    closeConnection = false;
}

off_t Response::bodyLength() const
{
    return hasFile() ? fileLength : static_cast<off_t>(memoryBody().size());
}
