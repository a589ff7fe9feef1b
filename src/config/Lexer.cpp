#include "config/Lexer.hpp"

#include "config/ConfigError.hpp"

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool endsBareWord(char c)
{
    return isSpace(c) || c == '{' || c == '}' || c == ';';
}

Token makeToken(Token::Kind kind, const std::string& text, int line)
{
    Token token;
    token.kind = kind;
    token.text = text;
    token.line = line;
    return token;
}

}

Lexer::Lexer(const std::string& text, const std::string& file)
    : text_(text), file_(file), pos_(0), line_(1)
{
}

Token Lexer::next()
{
    skipSpaceAndComments();
    if (pos_ >= text_.size())
        return makeToken(Token::END, "", line_);
    char c = text_[pos_];
    if (c == '{' || c == '}' || c == ';') {
        ++pos_;
        Token::Kind kind = c == '{' ? Token::OPEN_BRACE
            : c == '}' ? Token::CLOSE_BRACE : Token::SEMICOLON;
        return makeToken(kind, std::string(1, c), line_);
    }
    if (c == '"' || c == '\'')
        return quoted(c);
    return bare();
}

void Lexer::skipSpaceAndComments()
{
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '\n') {
            ++line_;
            ++pos_;
        } else if (isSpace(c)) {
            ++pos_;
        } else if (c == '#') {
            while (pos_ < text_.size() && text_[pos_] != '\n')
                ++pos_;
        } else {
            return;
        }
    }
}

Token Lexer::quoted(char quote)
{
    int startLine = line_;
    std::string value;
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
        char c = text_[pos_];
        char escaped = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
        if (c == '\\' && (escaped == '"' || escaped == '\'' || escaped == '\\')) {
            c = text_[++pos_];
        } else if (c == '\n') {
            ++line_;
        }
        value += c;
        ++pos_;
    }
    if (pos_ >= text_.size())
        throw ConfigError("unexpected end of file, expecting \";\" or \"}\"", file_, line_);
    ++pos_;
    // As in nginx, a closing quote must end the word: `"a"b` is an error.
    if (pos_ < text_.size() && !endsBareWord(text_[pos_]))
        throw ConfigError("unexpected \"" + std::string(1, text_[pos_]) + "\"", file_, line_);
    return makeToken(Token::WORD, value, startLine);
}

Token Lexer::bare()
{
    std::string::size_type start = pos_;
    while (pos_ < text_.size() && !endsBareWord(text_[pos_]))
        ++pos_;
    return makeToken(Token::WORD, text_.substr(start, pos_ - start), line_);
}
