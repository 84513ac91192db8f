#include "domain/filter_terms.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"

namespace duban {
namespace {

constexpr size_t kMaxFilterBytes = 2048;

class Scanner {
 public:
  explicit Scanner(absl::string_view text) : text_(text) {}

  void SkipSpaces() {
    while (pos_ < text_.size() && absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  bool AtEnd() {
    SkipSpaces();
    return pos_ >= text_.size();
  }
  // A field name: [a-z_]+.
  std::string Field() {
    SkipSpaces();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (absl::ascii_islower(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  bool Consume(char c) {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // A bare word up to the next space, or a double-quoted string.
  absl::StatusOr<std::string> Value() {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      size_t end = text_.find('"', pos_ + 1);
      if (end == absl::string_view::npos) return Error("has an unterminated quote");
      std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return value;
    }
    size_t start = pos_;
    while (pos_ < text_.size() && !absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
    if (start == pos_) return Error("has a term without a value");
    return std::string(text_.substr(start, pos_ - start));
  }
  bool ConsumeAnd() {
    SkipSpaces();
    // AND is a word of its own: "ANDunit=x" is not "AND unit=x".
    if (text_.size() - pos_ > 3 && absl::EqualsIgnoreCase(text_.substr(pos_, 3), "and") &&
        absl::ascii_isspace(static_cast<unsigned char>(text_[pos_ + 3]))) {
      pos_ += 3;
      return true;
    }
    return false;
  }
  absl::Status Error(absl::string_view what) const {
    return InvalidField("filter", absl::StrCat(what, " at offset ", pos_));
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<FilterTerms> ParseFilterTerms(absl::string_view filter) {
  if (filter.size() > kMaxFilterBytes) {
    return InvalidField("filter", absl::StrCat("is longer than ", kMaxFilterBytes, " bytes"));
  }
  FilterTerms terms;
  std::set<std::string> seen;
  Scanner scanner(filter);
  if (scanner.AtEnd()) return terms;
  while (true) {
    std::string field = scanner.Field();
    if (field.empty()) return scanner.Error("expects a field name");
    if (!scanner.Consume('=')) return scanner.Error(absl::StrCat("expects '=' after ", field));
    auto value = scanner.Value();
    if (!value.ok()) return value.status();
    if (!seen.insert(field).second) {
      return InvalidField("filter", absl::StrCat("names ", field, " twice"));
    }
    terms.emplace_back(std::move(field), *std::move(value));
    if (scanner.AtEnd()) return terms;
    if (!scanner.ConsumeAnd()) return scanner.Error("expects AND between terms");
  }
}

}  // namespace duban
