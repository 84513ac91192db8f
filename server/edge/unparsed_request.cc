#include "server/edge/unparsed_request.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "domain/text_rules.h"

namespace duban {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

// Deeper than any duban message; protobuf's own parser stops at 100.
constexpr int kMaxDepth = 64;

// The field's path under `prefix`, indexed when it repeats.
std::string PathOf(absl::string_view prefix, const FieldDescriptor& field, int index) {
  std::string path = prefix.empty() ? field.name() : absl::StrCat(prefix, ".", field.name());
  if (field.is_repeated()) absl::StrAppend(&path, "[", index, "]");
  return path;
}

// Walks `bytes` as a `type` message; stops at the first string that is not
// UTF-8 and stores its path in `found`. False when the bytes are malformed.
bool Walk(const Descriptor& type, absl::string_view bytes, absl::string_view prefix, int depth,
          std::optional<std::string>& found) {
  if (depth > kMaxDepth) return false;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  std::map<int, int> seen;  // field number -> occurrences so far
  while (!found) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) return input.CurrentPosition() == static_cast<int>(bytes.size());
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    const FieldDescriptor* field = type.FindFieldByNumber(number);
    if (WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&input, tag)) return false;
      continue;
    }
    uint32_t length = 0;
    std::string value;
    if (!input.ReadVarint32(&length) || !input.ReadString(&value, static_cast<int>(length))) {
      return false;
    }
    if (field == nullptr) continue;
    const int index = seen[number]++;
    if (field->type() == FieldDescriptor::TYPE_STRING && !IsValidUtf8(value)) {
      found = PathOf(prefix, *field, index);
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!Walk(*field->message_type(), value, PathOf(prefix, *field, index), depth + 1, found)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> FirstNonUtf8Field(const Descriptor& type, absl::string_view bytes) {
  std::optional<std::string> found;
  Walk(type, bytes, "", 0, found);
  return found;
}

absl::Status ExplainUnparsedRequest(const Descriptor& type, absl::string_view bytes) {
  if (std::optional<std::string> field = FirstNonUtf8Field(type, bytes)) {
    return InvalidField(*field, "is not valid UTF-8");
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the request is not a well-formed ", type.full_name(), " message"));
}

}  // namespace duban
