#include "server/edge/request_fingerprint.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace duban {

storage::RequestKey RequestKeyFor(const Caller& caller, absl::string_view method,
                                  const google::protobuf::Message& request) {
  storage::RequestKey key;
  key.principal = caller.principal;
  key.deadline = caller.deadline;
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  key.request_id = request.GetReflection()->GetString(request, field);
  if (key.request_id.empty()) return key;

  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  copy->GetReflection()->ClearField(copy.get(), field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  key.fingerprint = Sha256Hex(absl::StrCat(method, "\n", bytes));
  return key;
}

}  // namespace duban
