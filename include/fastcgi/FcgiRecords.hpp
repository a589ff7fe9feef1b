#ifndef WEBSERV_FASTCGI_FCGIRECORDS_HPP
#define WEBSERV_FASTCGI_FCGIRECORDS_HPP

// FastCGI 1.0 records (the FastCGI Specification, Open Market, 1996), the
// web server's side of them: encoding what a responder is sent
// (BEGIN_REQUEST, PARAMS, STDIN, ABORT_REQUEST) and reading what it sends
// back (STDOUT, STDERR, END_REQUEST, and the management records of request
// id 0). Pure: bytes in, records out; no descriptor is touched here.
//
// A record is an 8-byte header (version 1, type, request id, content
// length, padding length, a reserved byte), then its content (at most
// 65535 bytes), then its padding (ignored). A stream (PARAMS, STDIN,
// STDOUT, STDERR) is a run of records of one type ended by an empty one.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

enum FcgiType {
    FCGI_BEGIN_REQUEST = 1,
    FCGI_ABORT_REQUEST = 2,
    FCGI_END_REQUEST = 3,
    FCGI_PARAMS = 4,
    FCGI_STDIN = 5,
    FCGI_STDOUT = 6,
    FCGI_STDERR = 7,
    FCGI_DATA = 8,
    FCGI_GET_VALUES = 9,
    FCGI_GET_VALUES_RESULT = 10,
    FCGI_UNKNOWN_TYPE = 11
};

// END_REQUEST's protocolStatus.
enum FcgiProtocolStatus {
    FCGI_REQUEST_COMPLETE = 0,
    FCGI_CANT_MPX_CONN = 1,
    FCGI_OVERLOADED = 2,
    FCGI_UNKNOWN_ROLE = 3
};

const size_t kFcgiHeaderBytes = 8;
const size_t kFcgiMaxContent = 65535;

typedef std::vector<std::pair<std::string, std::string> > FcgiParams;

// --- encoding: each appends to out -------------------------------------

// One record of type (an FcgiType, or any other byte); len is at most
// kFcgiMaxContent. Content is padded to a multiple of 8 bytes, as the
// specification recommends.
void appendFcgiRecord(std::string& out, int type, unsigned requestId,
    const char* data, size_t len);
// BEGIN_REQUEST for the RESPONDER role; keepConnection sets FCGI_KEEP_CONN
// (the responder leaves the connection open after END_REQUEST).
void appendFcgiBeginRequest(std::string& out, unsigned requestId, bool keepConnection);
// Stream data as records of at most kFcgiMaxContent bytes; len 0 appends
// the empty record that ends the stream.
void appendFcgiStream(std::string& out, FcgiType type, unsigned requestId,
    const char* data, size_t len);
// The whole PARAMS stream: every pair, then the empty record.
void appendFcgiParams(std::string& out, unsigned requestId, const FcgiParams& params);
void appendFcgiAbortRequest(std::string& out, unsigned requestId);

// One name-value pair: each length in 1 byte below 128, else in 4 bytes
// with the high bit set.
void appendFcgiNameValue(std::string& out, const std::string& name, const std::string& value);
// The pairs of a PARAMS (or GET_VALUES) content; false when a length runs
// past the end.
bool decodeFcgiNameValues(const std::string& content, FcgiParams* out);

// --- decoding ------------------------------------------------------------

struct FcgiRecord {
    int type;
    unsigned requestId;
    std::string content;        // padding removed

    FcgiRecord() : type(0), requestId(0) {}
};

struct FcgiEndRequest {
    unsigned long appStatus;
    int protocolStatus;         // FcgiProtocolStatus
};

// END_REQUEST's body; false unless it is 8 bytes.
bool parseFcgiEndRequest(const std::string& content, FcgiEndRequest* out);

// Reads records out of bytes as they arrive, in pieces of any size.
class FcgiRecordParser {
public:
    enum Result {
        NEED_MORE,      // every byte given is taken; no record complete yet
        RECORD,         // *record is the next record
        MALFORMED       // a version other than 1: nothing more can be read
    };

    FcgiRecordParser();

    // Takes bytes from data (up to len; *used says how many) until a record
    // is complete. Call again with the rest after RECORD.
    Result next(const char* data, size_t len, size_t* used, FcgiRecord* record);

    // True between records: no header, content or padding half read.
    bool atBoundary() const;

private:
    enum Part { HEADER, CONTENT, PADDING, BROKEN };

    Part part_;
    unsigned char header_[kFcgiHeaderBytes];
    size_t headerBytes_;
    size_t contentLeft_;
    size_t paddingLeft_;
    FcgiRecord current_;
};

#endif
