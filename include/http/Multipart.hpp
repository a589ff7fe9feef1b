#ifndef WEBSERV_HTTP_MULTIPART_HPP
#define WEBSERV_HTTP_MULTIPART_HPP

// Incremental parser of a multipart/form-data body (RFC 7578, RFC 2046
// §5.1). Pure and zero-copy, with the same contract as the request parser:
// it consumes what it can and the caller presents the unconsumed tail again
// with the next bytes. Part data that might be the start of a delimiter is
// held back until the next bytes tell; everything else is returned at once,
// so a part of any size streams through in bounded memory.
//
// A delimiter is CRLF "--" boundary followed by "--" (the close delimiter)
// or by optional padding and a line end; "--boundary" followed by anything
// else is data, so a file holding "\r\n--BOUNDARYX" is stored as sent.

#include <cstddef>
#include <string>

struct MultipartPart {
    std::string name;          // the form field's name
    std::string filename;      // as sent (not sanitised); "" when absent
    bool hasFilename;          // a file part, even when filename is ""
    std::string contentType;   // "" when absent

    MultipartPart() : hasFilename(false) {}
};

class MultipartParser {
public:
    enum Result {
        NEED_MORE,     // all given bytes used (or held back); call again with more
        PART_BEGIN,    // part() describes the part whose data follows
        PART_DATA,     // *piece/*pieceLen: the next bytes of the current part
        PART_END,      // the current part is complete
        DONE,          // the close delimiter was seen; the rest is epilogue
        FAILED         // malformed: answer 400
    };

    static const size_t kMaxPartHeaderBytes = 8 * 1024;
    static const size_t kMaxBoundaryLength = 70;
    static const size_t kMaxPadding = 64;      // spaces after a delimiter;
                                               // more is refused
    // The most part data next() ever holds back: a delimiter, its padding
    // and the CR of its line end.
    static size_t maxHeldBack(size_t boundaryLength)
    {
        return 4 + boundaryLength + kMaxPadding + 1;
    }

    explicit MultipartParser(const std::string& boundary);

    Result next(const char* data, size_t len, size_t* consumed, const char** piece,
        size_t* pieceLen);

    const MultipartPart& part() const { return part_; }
    bool done() const { return state_ == EPILOGUE; }

private:
    enum State {
        PREAMBLE,        // before the first delimiter
        PART_HEADERS,    // header lines of a part, up to the empty line
        PART_BODY,       // data up to the next CRLF + delimiter
        EPILOGUE,        // after the close delimiter: ignored
        BROKEN
    };

    // What follows "--boundary": see classifyTail().
    enum Tail {
        TAIL_UNKNOWN,        // the bytes so far could still go either way
        TAIL_NOT_DELIMITER,  // another byte: the bytes were data
        TAIL_LINE,           // padding and a line end: a part follows
        TAIL_CLOSE,          // "--": the body ends
        TAIL_TOO_LONG        // padding over kMaxPadding: refused
    };

    static Tail classifyTail(const char* data, size_t len, size_t* tailLen);
    Tail enterDelimiter(const char* data, size_t len, size_t delimLen, size_t* used);
    Result fail();
    // One state's work on data; NEED_MORE with *used > 0 means "go on".
    Result step(const char* data, size_t len, size_t* used, const char** piece, size_t* pieceLen);
    Result readPreamble(const char* data, size_t len, size_t* used);
    Result readHeaders(const char* data, size_t len, size_t* used);
    Result readBody(const char* data, size_t len, size_t* used, const char** piece,
        size_t* pieceLen);
    bool parseHeaderLine(const std::string& line);

    std::string delimiter_;    // "\r\n--" + boundary
    State state_;
    MultipartPart part_;
    bool atBodyStart_;
};

// The boundary parameter of a multipart/form-data Content-Type, or "" when
// the type is another one or the boundary is missing or invalid.
std::string multipartBoundary(const std::string& contentType);

// Reads name and filename out of a Content-Disposition value of form-data.
// False when it is not form-data or is malformed.
bool parseContentDisposition(const std::string& value, MultipartPart* part);

#endif
