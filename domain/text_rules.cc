#include "domain/text_rules.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace duban {

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int length = 0;
    uint32_t code_point = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

void CheckText(FieldViolations& violations, absl::string_view field, absl::string_view text,
               TextLimit limit) {
  if (text.empty()) {
    if (limit.required) violations.Add(std::string(field), "is required");
    return;
  }
  if (text.size() > limit.max_bytes) {
    violations.Add(std::string(field), absl::StrCat("is longer than ", limit.max_bytes, " bytes"));
    return;
  }
  if (!IsValidUtf8(text)) {
    violations.Add(std::string(field), "is not valid UTF-8");
    return;
  }
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool allowed_space = limit.multiline && (c == '\n' || c == '\t' || c == '\r');
    if ((byte < 0x20 || byte == 0x7F) && !allowed_space) {
      violations.Add(std::string(field), "contains a control character");
      return;
    }
  }
}

}  // namespace duban
