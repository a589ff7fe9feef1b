#ifndef WEBSERV_CONFIG_LEXER_HPP
#define WEBSERV_CONFIG_LEXER_HPP

// Splits config text into tokens: bare words, quoted strings ("..." or
// '...', with \" \' and \\ escapes), '{', '}' and ';'. '#' at the start
// of a token comments out the rest of the line. Pure: text in, tokens out.

#include <string>

struct Token {
    enum Kind { WORD, OPEN_BRACE, CLOSE_BRACE, SEMICOLON, END };
    Kind kind;
    std::string text;
    int line;
};

class Lexer {
public:
    // file is only used in error messages.
    Lexer(const std::string& text, const std::string& file);
    // The next token; END (repeatedly) once the text is exhausted. Throws
    // ConfigError on an unterminated quoted string.
    Token next();

private:
    void skipSpaceAndComments();
    Token quoted(char quote);
    Token bare();

    const std::string& text_;
    std::string file_;
    std::string::size_type pos_;
    int line_;
};

#endif
