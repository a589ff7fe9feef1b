#ifndef WEBSERV_HTTP_RESPONSE_HPP
#define WEBSERV_HTTP_RESPONSE_HPP

// What a handler produces: a head and a body source, either bytes in
// memory or a byte range of an open file (streamed by the connection in
// bounded pieces, never read whole). The connection adds the framing
// fields (Server, Date, Content-Length, Connection) when it sends it.

#include <sys/types.h>
#include <string>

#include "http/ResponseHead.hpp"
#include "util/Fd.hpp"
#include "util/SharedBytes.hpp"

struct Response {
    ResponseHead head;
    std::string body;          // used when file is not valid...
    SharedBytes sharedBody;    // ...and this is not: a body shared with
                               // the file cache, sent without a copy
    Fd file;
    off_t fileOffset;
    off_t fileLength;
    bool closeConnection;      // the handler requires closing afterwards

    Response();
    void reset(int status);
    bool hasFile() const { return file.valid(); }
    const std::string& memoryBody() const { return sharedBody.valid() ? sharedBody.str() : body; }
    off_t bodyLength() const;

private:
    Response(const Response&);
    Response& operator=(const Response&);
};

#endif
