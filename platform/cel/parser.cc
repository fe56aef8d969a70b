#include "platform/cel/parser.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace travio::cel {

std::vector<const Expr*> Expr::Children() const {
  std::vector<const Expr*> children;
  if (target) children.push_back(target.get());
  for (const auto& arg : args) children.push_back(arg.get());
  for (const auto& entry : entries) {
    children.push_back(entry.key.get());
    children.push_back(entry.value.get());
  }
  for (const Expr* part :
       {iter_range.get(), accu_init.get(), loop_condition.get(), loop_step.get(), result.get()}) {
    if (part != nullptr) children.push_back(part);
  }
  return children;
}

std::vector<Expr*> Expr::Children() {
  std::vector<Expr*> children;
  for (const Expr* child : std::as_const(*this).Children()) {
    children.push_back(const_cast<Expr*>(child));
  }
  return children;
}

std::unique_ptr<Expr> Expr::Constant(int32_t offset, Value value) {
  auto expr = std::make_unique<Expr>();
  expr->kind = Kind::kConstant;
  expr->offset = offset;
  expr->constant = std::move(value);
  return expr;
}

std::unique_ptr<Expr> Expr::Ident(int32_t offset, std::string name) {
  auto expr = std::make_unique<Expr>();
  expr->kind = Kind::kIdent;
  expr->offset = offset;
  expr->name = std::move(name);
  return expr;
}

std::unique_ptr<Expr> Expr::Call(int32_t offset, std::string function,
                                 std::vector<std::unique_ptr<Expr>> args) {
  auto expr = std::make_unique<Expr>();
  expr->kind = Kind::kCall;
  expr->offset = offset;
  expr->name = std::move(function);
  expr->args = std::move(args);
  for (const auto& arg : expr->args) expr->depth = std::max(expr->depth, arg->depth + 1);
  return expr;
}

namespace {

enum class Token {
  kEnd,
  kIdent,
  kQuotedIdent,  // `any text`, a field name in a selection
  kInt,          // digits, unsigned; the parser decides the sign
  kUint,
  kDouble,
  kString,
  kBytes,
  kTrue,
  kFalse,
  kNull,
  kIn,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kDot,
  kComma,
  kColon,
  kQuestion,
  kNot,
  kMinus,
  kPlus,
  kStar,
  kSlash,
  kPercent,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kEqual,
  kNotEqual,
  kAnd,
  kOr,
};

struct Lexeme {
  Token token = Token::kEnd;
  int32_t offset = 0;
  std::string text;  // identifier, or the decoded string or bytes literal
  uint64_t integer = 0;
  double real = 0;
};

bool IsReserved(absl::string_view word) {
  static constexpr absl::string_view kReserved[] = {
      "as",  "break", "const",   "continue",  "else",   "for", "function", "if",   "import",
      "let", "loop",  "package", "namespace", "return", "var", "void",     "while"};
  return std::find(std::begin(kReserved), std::end(kReserved), word) != std::end(kReserved);
}

bool IsIdentStart(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Parser {
 public:
  Parser(const Source& source, const ParseOptions& options)
      : text_(source.text()), source_(source), options_(options) {}

  ParseResult Run() {
    ParseResult result;
    if (text_.size() > options_.max_length) {
      Fail(0, absl::StrCat("expression is too long: ", text_.size(), " bytes, the limit is ",
                           options_.max_length));
    } else {
      Advance();
      std::unique_ptr<Expr> expr = ParseExpr();
      if (!failed_ && current_.token != Token::kEnd) {
        Fail(current_.offset, absl::StrCat("unexpected ", Describe(current_)));
      }
      if (!failed_) result.expr = std::move(expr);
    }
    if (failed_) result.issues.push_back(issue_);
    return result;
  }

 private:
  // ---- errors ----------------------------------------------------------------------------

  void Fail(int32_t offset, std::string message) {
    if (failed_) return;
    failed_ = true;
    issue_ = Issue{source_.LocationOf(offset), std::move(message)};
  }

  std::string Describe(const Lexeme& lexeme) const {
    switch (lexeme.token) {
      case Token::kEnd:
        return "end of expression";
      case Token::kIdent:
        return absl::StrCat("'", lexeme.text, "'");
      case Token::kString:
      case Token::kBytes:
        return "string literal";
      case Token::kInt:
      case Token::kUint:
      case Token::kDouble:
        return "number";
      default:
        return absl::StrCat("'", absl::string_view(text_).substr(lexeme.offset, TokenLength()),
                            "'");
    }
  }

  size_t TokenLength() const { return std::max<size_t>(1, position_ - current_.offset); }

  // ---- lexer -----------------------------------------------------------------------------

  char Peek(size_t ahead = 0) const {
    return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0';
  }

  void SkipSpaceAndComments() {
    while (position_ < text_.size()) {
      char c = text_[position_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++position_;
      } else if (c == '/' && Peek(1) == '/') {
        while (position_ < text_.size() && text_[position_] != '\n') ++position_;
      } else {
        break;
      }
    }
  }

  void Advance() {
    if (failed_) {
      current_ = Lexeme{Token::kEnd, static_cast<int32_t>(text_.size())};
      return;
    }
    SkipSpaceAndComments();
    current_ = Lexeme{};
    current_.offset = static_cast<int32_t>(position_);
    if (position_ >= text_.size()) {
      current_.token = Token::kEnd;
      return;
    }
    char c = text_[position_];
    if (IsStringStart()) {
      LexString();
      return;
    }
    if (IsIdentStart(c)) {
      size_t start = position_;
      while (position_ < text_.size() && IsIdentChar(text_[position_])) ++position_;
      current_.text = text_.substr(start, position_ - start);
      if (current_.text == "true") {
        current_.token = Token::kTrue;
      } else if (current_.text == "false") {
        current_.token = Token::kFalse;
      } else if (current_.text == "null") {
        current_.token = Token::kNull;
      } else if (current_.text == "in") {
        current_.token = Token::kIn;
      } else {
        current_.token = Token::kIdent;
      }
      return;
    }
    if (c == '`') {
      size_t end = text_.find('`', position_ + 1);
      size_t line_break = text_.find_first_of("\r\n", position_ + 1);
      if (end == std::string::npos || end == position_ + 1 || line_break < end) {
        Fail(current_.offset, "unterminated or empty quoted identifier");
        current_.token = Token::kEnd;
        return;
      }
      current_.token = Token::kQuotedIdent;
      current_.text = text_.substr(position_ + 1, end - position_ - 1);
      position_ = end + 1;
      return;
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
      LexNumber();
      return;
    }
    auto one = [this](Token token) {
      current_.token = token;
      position_ += 1;
    };
    auto two = [this](Token token) {
      current_.token = token;
      position_ += 2;
    };
    switch (c) {
      case '(':
        return one(Token::kLParen);
      case ')':
        return one(Token::kRParen);
      case '[':
        return one(Token::kLBracket);
      case ']':
        return one(Token::kRBracket);
      case '{':
        return one(Token::kLBrace);
      case '}':
        return one(Token::kRBrace);
      case '.':
        return one(Token::kDot);
      case ',':
        return one(Token::kComma);
      case ':':
        return one(Token::kColon);
      case '?':
        return one(Token::kQuestion);
      case '+':
        return one(Token::kPlus);
      case '-':
        return one(Token::kMinus);
      case '*':
        return one(Token::kStar);
      case '/':
        return one(Token::kSlash);
      case '%':
        return one(Token::kPercent);
      case '!':
        return Peek(1) == '=' ? two(Token::kNotEqual) : one(Token::kNot);
      case '<':
        return Peek(1) == '=' ? two(Token::kLessEqual) : one(Token::kLess);
      case '>':
        return Peek(1) == '=' ? two(Token::kGreaterEqual) : one(Token::kGreater);
      case '=':
        if (Peek(1) == '=') return two(Token::kEqual);
        break;
      case '&':
        if (Peek(1) == '&') return two(Token::kAnd);
        break;
      case '|':
        if (Peek(1) == '|') return two(Token::kOr);
        break;
      default:
        break;
    }
    Fail(current_.offset, c == '=' ? "unexpected '=': compare with '=='"
                                   : absl::StrCat("unexpected character '",
                                                  absl::CHexEscape(std::string(1, c)), "'"));
    current_.token = Token::kEnd;
  }

  // A string or bytes literal: an optional r/b prefix (in either order and case), then ', ",
  // ''' or """.
  bool IsStringStart() const {
    size_t i = position_;
    for (int prefix = 0; prefix < 2 && i < text_.size(); ++prefix) {
      char c = absl::ascii_tolower(static_cast<unsigned char>(text_[i]));
      if (c == 'r' || c == 'b') {
        ++i;
      } else {
        break;
      }
    }
    if (i - position_ == 2 &&
        absl::ascii_tolower(static_cast<unsigned char>(text_[position_])) ==
            absl::ascii_tolower(static_cast<unsigned char>(text_[position_ + 1]))) {
      return false;  // "rr" or "bb" is an identifier
    }
    return i < text_.size() && (text_[i] == '\'' || text_[i] == '"');
  }

  void LexString() {
    bool raw = false;
    bool bytes = false;
    while (text_[position_] != '\'' && text_[position_] != '"') {
      char c = absl::ascii_tolower(static_cast<unsigned char>(text_[position_]));
      raw = raw || c == 'r';
      bytes = bytes || c == 'b';
      ++position_;
    }
    char quote = text_[position_];
    bool triple = Peek(1) == quote && Peek(2) == quote;
    position_ += triple ? 3 : 1;
    std::string out;
    while (true) {
      if (position_ >= text_.size()) {
        Fail(current_.offset, "unterminated string literal");
        return;
      }
      char c = text_[position_];
      if (c == quote && (!triple || (Peek(1) == quote && Peek(2) == quote))) {
        position_ += triple ? 3 : 1;
        break;
      }
      if (!triple && (c == '\n' || c == '\r')) {
        Fail(current_.offset, "unterminated string literal: a line break inside quotes");
        return;
      }
      if (c == '\\' && !raw) {
        if (!LexEscape(bytes, out)) return;
        continue;
      }
      if (c == '\\' && raw && Peek(1) == quote && !triple) {
        // A raw string keeps the backslash, but the quote after it does not end the string.
        out.push_back(c);
        out.push_back(quote);
        position_ += 2;
        continue;
      }
      out.push_back(c);
      ++position_;
    }
    current_.token = bytes ? Token::kBytes : Token::kString;
    current_.text = std::move(out);
  }

  bool LexEscape(bool bytes, std::string& out) {
    int32_t at = static_cast<int32_t>(position_);
    char c = Peek(1);
    position_ += 2;
    switch (c) {
      case 'a':
        out.push_back('\a');
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'v':
        out.push_back('\v');
        return true;
      case '\\':
      case '\'':
      case '"':
      case '`':
      case '?':
        out.push_back(c);
        return true;
      case 'x':
      case 'X':
      case 'u':
      case 'U': {
        int digits = (c == 'x' || c == 'X') ? 2 : (c == 'u' ? 4 : 8);
        uint32_t value = 0;
        for (int i = 0; i < digits; ++i) {
          int hex = HexValue(Peek());
          if (hex < 0) {
            Fail(at, absl::StrCat("invalid escape: \\", std::string(1, c), " needs ", digits,
                                  " hex digits"));
            return false;
          }
          value = value * 16 + static_cast<uint32_t>(hex);
          ++position_;
        }
        if (digits == 2) {
          if (bytes) {
            out.push_back(static_cast<char>(value));
          } else {
            AppendUtf8(value, out);
          }
          return true;
        }
        if (bytes) {
          Fail(at, "invalid escape: \\u and \\U are not allowed in bytes literals");
          return false;
        }
        if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
          Fail(at, "invalid escape: not a Unicode scalar value");
          return false;
        }
        AppendUtf8(value, out);
        return true;
      }
      default:
        if (c >= '0' && c <= '3') {
          uint32_t value = static_cast<uint32_t>(c - '0');
          for (int i = 0; i < 2; ++i) {
            char digit = Peek();
            if (digit < '0' || digit > '7') {
              Fail(at, "invalid escape: an octal escape needs three digits");
              return false;
            }
            value = value * 8 + static_cast<uint32_t>(digit - '0');
            ++position_;
          }
          if (bytes) {
            out.push_back(static_cast<char>(value));
          } else {
            AppendUtf8(value, out);
          }
          return true;
        }
        Fail(at,
             absl::StrCat("invalid escape sequence '\\", absl::CHexEscape(std::string(1, c)), "'"));
        return false;
    }
  }

  void LexNumber() {
    size_t start = position_;
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      position_ += 2;
      size_t digits = position_;
      while (HexValue(Peek()) >= 0) ++position_;
      absl::string_view hex = absl::string_view(text_).substr(digits, position_ - digits);
      uint64_t value = 0;
      if (hex.empty() || hex.size() > 16 || !absl::SimpleHexAtoi(hex, &value)) {
        Fail(current_.offset, "invalid hexadecimal literal");
        return;
      }
      FinishInteger(value);
      return;
    }
    bool real = false;
    while (IsDigit(Peek())) ++position_;
    if (Peek() == '.' && IsDigit(Peek(1))) {
      real = true;
      ++position_;
      while (IsDigit(Peek())) ++position_;
    }
    if ((Peek() == 'e' || Peek() == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      real = true;
      position_ += 2;
      while (IsDigit(Peek())) ++position_;
    }
    absl::string_view literal = absl::string_view(text_).substr(start, position_ - start);
    if (real) {
      double value = 0;
      if (!absl::SimpleAtod(literal, &value)) {
        Fail(current_.offset, "invalid floating-point literal");
        return;
      }
      current_.token = Token::kDouble;
      current_.real = value;
      return;
    }
    uint64_t value = 0;
    if (!absl::SimpleAtoi(literal, &value)) {
      Fail(current_.offset, "integer literal out of range");
      return;
    }
    FinishInteger(value);
  }

  void FinishInteger(uint64_t value) {
    current_.integer = value;
    if (Peek() == 'u' || Peek() == 'U') {
      ++position_;
      current_.token = Token::kUint;
    } else {
      current_.token = Token::kInt;
    }
  }

  // ---- grammar ---------------------------------------------------------------------------

  bool Accept(Token token) {
    if (current_.token != token) return false;
    Advance();
    return true;
  }

  bool Expect(Token token, absl::string_view what) {
    if (Accept(token)) return true;
    Fail(current_.offset, absl::StrCat("expected ", what, ", found ", Describe(current_)));
    return false;
  }

  // Nodes are checked against the depth cap as they are made, so a long chain of operators
  // is refused before it is built, and nothing later recurses deeper than the cap.
  std::unique_ptr<Expr> Checked(std::unique_ptr<Expr> expr) {
    if (expr && expr->depth > options_.max_depth) {
      Fail(expr->offset, absl::StrCat("expression nests too deeply: the limit is ",
                                      options_.max_depth, " levels"));
    }
    return expr;
  }

  std::unique_ptr<Expr> Binary(int32_t offset, std::string function, std::unique_ptr<Expr> left,
                               std::unique_ptr<Expr> right) {
    std::vector<std::unique_ptr<Expr>> args;
    args.push_back(std::move(left));
    args.push_back(std::move(right));
    return Checked(Expr::Call(offset, std::move(function), std::move(args)));
  }

  std::unique_ptr<Expr> ParseExpr() {
    if (++recursion_ > options_.max_depth) {
      Fail(current_.offset, absl::StrCat("expression nests too deeply: the limit is ",
                                         options_.max_depth, " levels"));
    }
    std::unique_ptr<Expr> expr = ParseConditional();
    --recursion_;
    return failed_ ? nullptr : std::move(expr);
  }

  std::unique_ptr<Expr> ParseConditional() {
    std::unique_ptr<Expr> condition = ParseOr();
    if (failed_ || current_.token != Token::kQuestion) return condition;
    int32_t offset = current_.offset;
    Advance();
    std::unique_ptr<Expr> if_true = ParseOr();
    if (failed_ || !Expect(Token::kColon, "':'")) return nullptr;
    std::unique_ptr<Expr> if_false = ParseExpr();
    if (failed_) return nullptr;
    std::vector<std::unique_ptr<Expr>> args;
    args.push_back(std::move(condition));
    args.push_back(std::move(if_true));
    args.push_back(std::move(if_false));
    return Checked(Expr::Call(offset, "_?_:_", std::move(args)));
  }

  std::unique_ptr<Expr> ParseOr() {
    std::unique_ptr<Expr> left = ParseAnd();
    while (!failed_ && current_.token == Token::kOr) {
      int32_t offset = current_.offset;
      Advance();
      std::unique_ptr<Expr> right = ParseAnd();
      if (failed_) return nullptr;
      left = Binary(offset, "_||_", std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<Expr> ParseAnd() {
    std::unique_ptr<Expr> left = ParseRelation();
    while (!failed_ && current_.token == Token::kAnd) {
      int32_t offset = current_.offset;
      Advance();
      std::unique_ptr<Expr> right = ParseRelation();
      if (failed_) return nullptr;
      left = Binary(offset, "_&&_", std::move(left), std::move(right));
    }
    return left;
  }

  static const char* RelationName(Token token) {
    switch (token) {
      case Token::kLess:
        return "_<_";
      case Token::kLessEqual:
        return "_<=_";
      case Token::kGreater:
        return "_>_";
      case Token::kGreaterEqual:
        return "_>=_";
      case Token::kEqual:
        return "_==_";
      case Token::kNotEqual:
        return "_!=_";
      case Token::kIn:
        return "@in";
      default:
        return nullptr;
    }
  }

  std::unique_ptr<Expr> ParseRelation() {
    std::unique_ptr<Expr> left = ParseAddition();
    while (!failed_ && RelationName(current_.token) != nullptr) {
      const char* function = RelationName(current_.token);
      int32_t offset = current_.offset;
      Advance();
      std::unique_ptr<Expr> right = ParseAddition();
      if (failed_) return nullptr;
      left = Binary(offset, function, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<Expr> ParseAddition() {
    std::unique_ptr<Expr> left = ParseMultiplication();
    while (!failed_ && (current_.token == Token::kPlus || current_.token == Token::kMinus)) {
      const char* function = current_.token == Token::kPlus ? "_+_" : "_-_";
      int32_t offset = current_.offset;
      Advance();
      std::unique_ptr<Expr> right = ParseMultiplication();
      if (failed_) return nullptr;
      left = Binary(offset, function, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<Expr> ParseMultiplication() {
    std::unique_ptr<Expr> left = ParseUnary();
    while (!failed_ && (current_.token == Token::kStar || current_.token == Token::kSlash ||
                        current_.token == Token::kPercent)) {
      const char* function = current_.token == Token::kStar    ? "_*_"
                             : current_.token == Token::kSlash ? "_/_"
                                                               : "_%_";
      int32_t offset = current_.offset;
      Advance();
      std::unique_ptr<Expr> right = ParseUnary();
      if (failed_) return nullptr;
      left = Binary(offset, function, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<Expr> Unary(int32_t offset, const char* function, std::unique_ptr<Expr> operand) {
    std::vector<std::unique_ptr<Expr>> args;
    args.push_back(std::move(operand));
    return Checked(Expr::Call(offset, function, std::move(args)));
  }

  // As the reference parser does, an even run of '!' or '-' cancels out and an odd one is one
  // operator; a '-' right before a number literal is the literal's sign, so the most negative
  // int can be written.
  std::unique_ptr<Expr> ParseUnary() {
    if (current_.token == Token::kNot) {
      int32_t offset = current_.offset;
      int count = 0;
      while (current_.token == Token::kNot) {
        ++count;
        Advance();
      }
      std::unique_ptr<Expr> operand = ParseMember();
      if (failed_) return nullptr;
      return count % 2 == 0 ? std::move(operand) : Unary(offset, "!_", std::move(operand));
    }
    if (current_.token == Token::kMinus) {
      int32_t offset = current_.offset;
      int count = 0;
      int32_t last_minus = offset;
      while (current_.token == Token::kMinus) {
        ++count;
        last_minus = current_.offset;
        Advance();
      }
      std::unique_ptr<Expr> operand;
      if (current_.token == Token::kInt || current_.token == Token::kDouble) {
        operand = ParseMember(/*negative_literal_at=*/last_minus);
        --count;
      } else {
        operand = ParseMember();
      }
      if (failed_) return nullptr;
      return count % 2 == 0 ? std::move(operand) : Unary(offset, "-_", std::move(operand));
    }
    return ParseMember();
  }

  std::unique_ptr<Expr> ParseMember(std::optional<int32_t> negative_literal_at = std::nullopt) {
    std::unique_ptr<Expr> expr = ParsePrimary(negative_literal_at);
    while (!failed_) {
      if (current_.token == Token::kDot) {
        int32_t offset = current_.offset;
        Advance();
        // Reserved words may name fields ({'if': 1}.if), and so may any text in backquotes
        // ({'content-type': 'x'}.`content-type`).
        bool quoted = current_.token == Token::kQuotedIdent;
        if (current_.token != Token::kIdent && !quoted) {
          Fail(current_.offset, absl::StrCat("expected a field or method name after '.', found ",
                                             Describe(current_)));
          return nullptr;
        }
        std::string name = current_.text;
        int32_t name_offset = current_.offset;
        Advance();
        if (current_.token == Token::kLParen && !quoted) {
          Advance();
          std::vector<std::unique_ptr<Expr>> args = ParseArguments(Token::kRParen, "')'");
          if (failed_) return nullptr;
          expr = MemberCall(name_offset, std::move(name), std::move(expr), std::move(args));
        } else {
          auto select = std::make_unique<Expr>();
          select->kind = Expr::Kind::kSelect;
          select->offset = offset;
          select->name = std::move(name);
          select->depth = expr->depth + 1;
          select->target = std::move(expr);
          expr = Checked(std::move(select));
        }
      } else if (current_.token == Token::kLBracket) {
        int32_t offset = current_.offset;
        Advance();
        std::unique_ptr<Expr> index = ParseExpr();
        if (failed_ || !Expect(Token::kRBracket, "']'")) return nullptr;
        expr = Binary(offset, "_[_]", std::move(expr), std::move(index));
      } else if (current_.token == Token::kLBrace && IsQualifiedName(*expr)) {
        Fail(current_.offset, "message construction is not supported");
        return nullptr;
      } else {
        break;
      }
    }
    return failed_ ? nullptr : std::move(expr);
  }

  static bool IsQualifiedName(const Expr& expr) {
    if (expr.kind == Expr::Kind::kIdent) return true;
    return expr.kind == Expr::Kind::kSelect && IsQualifiedName(*expr.target);
  }

  std::vector<std::unique_ptr<Expr>> ParseArguments(Token close, absl::string_view what) {
    std::vector<std::unique_ptr<Expr>> args;
    if (Accept(close)) return args;
    while (!failed_) {
      args.push_back(ParseExpr());
      if (failed_) break;
      if (Accept(Token::kComma)) {
        // A trailing comma is allowed in list literals only.
        if (close == Token::kRBracket && Accept(close)) break;
        continue;
      }
      Expect(close, what);
      break;
    }
    return args;
  }

  std::unique_ptr<Expr> ParsePrimary(std::optional<int32_t> negative_literal_at) {
    Lexeme lexeme = current_;
    int32_t offset = negative_literal_at.value_or(lexeme.offset);
    switch (lexeme.token) {
      case Token::kInt: {
        Advance();
        if (negative_literal_at) {
          if (lexeme.integer > uint64_t{1} << 63) {
            Fail(offset, "integer literal out of range");
            return nullptr;
          }
          return Expr::Constant(offset, static_cast<int64_t>(uint64_t{0} - lexeme.integer));
        }
        if (lexeme.integer > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          Fail(offset, "integer literal out of range");
          return nullptr;
        }
        return Expr::Constant(offset, static_cast<int64_t>(lexeme.integer));
      }
      case Token::kUint:
        Advance();
        return Expr::Constant(offset, lexeme.integer);
      case Token::kDouble:
        Advance();
        return Expr::Constant(offset, negative_literal_at ? -lexeme.real : lexeme.real);
      case Token::kString:
        Advance();
        return Expr::Constant(offset, std::move(lexeme.text));
      case Token::kBytes:
        Advance();
        return Expr::Constant(offset, Bytes{std::move(lexeme.text)});
      case Token::kTrue:
        Advance();
        return Expr::Constant(offset, true);
      case Token::kFalse:
        Advance();
        return Expr::Constant(offset, false);
      case Token::kNull:
        Advance();
        return Expr::Constant(offset, NullValue{});
      case Token::kLParen: {
        Advance();
        std::unique_ptr<Expr> inner = ParseExpr();
        if (failed_ || !Expect(Token::kRParen, "')'")) return nullptr;
        return inner;
      }
      case Token::kLBracket: {
        Advance();
        auto list = std::make_unique<Expr>();
        list->kind = Expr::Kind::kList;
        list->offset = offset;
        list->args = ParseArguments(Token::kRBracket, "']'");
        if (failed_) return nullptr;
        for (const auto& element : list->args) {
          list->depth = std::max(list->depth, element->depth + 1);
        }
        return Checked(std::move(list));
      }
      case Token::kLBrace:
        Advance();
        return ParseMap(offset);
      case Token::kDot:
      case Token::kIdent: {
        // A leading '.' names the root scope; without packages it changes nothing.
        if (lexeme.token == Token::kDot) {
          Advance();
          if (current_.token != Token::kIdent) {
            Fail(current_.offset,
                 absl::StrCat("expected an identifier after '.', found ", Describe(current_)));
            return nullptr;
          }
          lexeme = current_;
        }
        if (IsReserved(lexeme.text)) {
          Fail(lexeme.offset, absl::StrCat("reserved identifier '", lexeme.text, "'"));
          return nullptr;
        }
        Advance();
        if (current_.token != Token::kLParen) return Expr::Ident(lexeme.offset, lexeme.text);
        Advance();
        std::vector<std::unique_ptr<Expr>> args = ParseArguments(Token::kRParen, "')'");
        if (failed_) return nullptr;
        return GlobalCall(lexeme.offset, lexeme.text, std::move(args));
      }
      default:
        Fail(lexeme.offset, absl::StrCat("unexpected ", Describe(lexeme)));
        return nullptr;
    }
  }

  std::unique_ptr<Expr> ParseMap(int32_t offset) {
    auto map = std::make_unique<Expr>();
    map->kind = Expr::Kind::kMap;
    map->offset = offset;
    while (!failed_ && current_.token != Token::kRBrace) {
      Expr::Entry entry;
      entry.key = ParseExpr();
      if (failed_ || !Expect(Token::kColon, "':'")) return nullptr;
      entry.value = ParseExpr();
      if (failed_) return nullptr;
      map->depth = std::max({map->depth, entry.key->depth + 1, entry.value->depth + 1});
      map->entries.push_back(std::move(entry));
      if (!Accept(Token::kComma)) break;
    }
    if (failed_ || !Expect(Token::kRBrace, "'}'")) return nullptr;
    return Checked(std::move(map));
  }

  // ---- macros ----------------------------------------------------------------------------

  std::unique_ptr<Expr> GlobalCall(int32_t offset, std::string name,
                                   std::vector<std::unique_ptr<Expr>> args) {
    if (options_.macros && name == "has" && args.size() == 1) {
      std::unique_ptr<Expr> field = std::move(args[0]);
      if (field->kind != Expr::Kind::kSelect) {
        Fail(field->offset, "invalid argument to has() macro: it takes a field selection");
        return nullptr;
      }
      field->test_only = true;
      field->offset = offset;
      return field;
    }
    return Checked(Expr::Call(offset, std::move(name), std::move(args)));
  }

  std::unique_ptr<Expr> MemberCall(int32_t offset, std::string name, std::unique_ptr<Expr> target,
                                   std::vector<std::unique_ptr<Expr>> args) {
    if (options_.macros) {
      bool two = args.size() == 2;
      bool comprehension = (two && (name == "all" || name == "exists" || name == "exists_one" ||
                                    name == "filter")) ||
                           (name == "map" && (two || args.size() == 3));
      if (comprehension) return Comprehension(offset, name, std::move(target), std::move(args));
    }
    auto call = Expr::Call(offset, std::move(name), std::move(args));
    call->depth = std::max(call->depth, target->depth + 1);
    call->target = std::move(target);
    return Checked(std::move(call));
  }

  std::unique_ptr<Expr> Ident(int32_t offset, const std::string& name) {
    return Expr::Ident(offset, name);
  }

  std::unique_ptr<Expr> Comprehension(int32_t offset, const std::string& macro,
                                      std::unique_ptr<Expr> range,
                                      std::vector<std::unique_ptr<Expr>> args) {
    if (args[0]->kind != Expr::Kind::kIdent) {
      Fail(args[0]->offset, absl::StrCat(macro, "() macro: argument must be a simple name"));
      return nullptr;
    }
    const std::string variable = args[0]->name;
    static constexpr char kResult[] = "@result";
    auto result = [&] { return Ident(offset, kResult); };
    auto call = [&](const char* function, auto... operands) {
      std::vector<std::unique_ptr<Expr>> list;
      (list.push_back(std::move(operands)), ...);
      return Expr::Call(offset, function, std::move(list));
    };
    auto empty_list = [&] {
      auto list = std::make_unique<Expr>();
      list->kind = Expr::Kind::kList;
      list->offset = offset;
      return list;
    };
    auto list_of = [&](std::unique_ptr<Expr> element) {
      auto list = std::make_unique<Expr>();
      list->kind = Expr::Kind::kList;
      list->offset = offset;
      list->depth = element->depth + 1;
      list->args.push_back(std::move(element));
      return list;
    };

    auto node = std::make_unique<Expr>();
    node->kind = Expr::Kind::kComprehension;
    node->offset = offset;
    node->iter_var = variable;
    node->accu_var = kResult;
    node->iter_range = std::move(range);
    node->result = result();
    if (macro == "all") {
      node->accu_init = Expr::Constant(offset, true);
      node->loop_condition = call("@not_strictly_false", result());
      node->loop_step = call("_&&_", result(), std::move(args[1]));
    } else if (macro == "exists") {
      node->accu_init = Expr::Constant(offset, false);
      node->loop_condition = call("@not_strictly_false", call("!_", result()));
      node->loop_step = call("_||_", result(), std::move(args[1]));
    } else if (macro == "exists_one") {
      node->accu_init = Expr::Constant(offset, int64_t{0});
      node->loop_condition = Expr::Constant(offset, true);
      node->loop_step = call("_?_:_", std::move(args[1]),
                             call("_+_", result(), Expr::Constant(offset, int64_t{1})), result());
      node->result = call("_==_", result(), Expr::Constant(offset, int64_t{1}));
    } else if (macro == "filter") {
      node->accu_init = empty_list();
      node->loop_condition = Expr::Constant(offset, true);
      node->loop_step = call("_?_:_", std::move(args[1]),
                             call("_+_", result(), list_of(Ident(offset, variable))), result());
    } else {  // map, with or without a filter
      node->accu_init = empty_list();
      node->loop_condition = Expr::Constant(offset, true);
      if (args.size() == 3) {
        node->loop_step = call("_?_:_", std::move(args[1]),
                               call("_+_", result(), list_of(std::move(args[2]))), result());
      } else {
        node->loop_step = call("_+_", result(), list_of(std::move(args[1])));
      }
    }
    for (const Expr* part : std::as_const(*node).Children()) {
      node->depth = std::max(node->depth, part->depth + 1);
    }
    return Checked(std::move(node));
  }

  const std::string& text_;
  const Source& source_;
  const ParseOptions& options_;
  size_t position_ = 0;
  Lexeme current_;
  int recursion_ = 0;
  bool failed_ = false;
  Issue issue_;
};

}  // namespace

ParseResult Parse(const Source& source, const ParseOptions& options) {
  return Parser(source, options).Run();
}

}  // namespace travio::cel
