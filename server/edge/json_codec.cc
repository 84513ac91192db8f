#include "server/edge/json_codec.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "base/mutex.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/type.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace duban {
namespace {

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com";

std::string TypeUrl(absl::string_view message_type) {
  return absl::StrCat(kTypeUrlPrefix, "/", message_type);
}

// protobuf's resolver builds a google.protobuf.Type from the descriptors
// on every lookup, and its JSON conversions look up every type of a message
// on every call: this keeps what it built. The types are those compiled
// into the server, so the cache is bounded by them.
class CachingTypeResolver final : public google::protobuf::util::TypeResolver {
 public:
  CachingTypeResolver()
      : resolver_(google::protobuf::util::NewTypeResolverForDescriptorPool(
            std::string(kTypeUrlPrefix), google::protobuf::DescriptorPool::generated_pool())) {}

  google::protobuf::util::Status ResolveMessageType(const std::string& type_url,
                                                    google::protobuf::Type* type) override {
    return Resolve(&CachingTypeResolver::messages_, type_url, type, [&](google::protobuf::Type* out) {
      return resolver_->ResolveMessageType(type_url, out);
    });
  }
  google::protobuf::util::Status ResolveEnumType(const std::string& type_url,
                                                 google::protobuf::Enum* type) override {
    return Resolve(&CachingTypeResolver::enums_, type_url, type, [&](google::protobuf::Enum* out) {
      return resolver_->ResolveEnumType(type_url, out);
    });
  }

 private:
  template <class Type>
  using Cache = std::map<std::string, Type, std::less<>>;

  // `cache` names messages_ or enums_.
  template <class Type, class Build>
  google::protobuf::util::Status Resolve(Cache<Type> CachingTypeResolver::*cache,
                                         const std::string& type_url, Type* type, Build build) {
    {
      ReaderMutexLock lock(&mutex_);
      auto it = (this->*cache).find(type_url);
      if (it != (this->*cache).end()) {
        *type = it->second;
        return google::protobuf::util::Status();
      }
    }
    google::protobuf::util::Status status = build(type);
    if (!status.ok()) return status;
    WriterMutexLock lock(&mutex_);
    (this->*cache).emplace(type_url, *type);
    return status;
  }

  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
  SharedMutex mutex_;
  Cache<google::protobuf::Type> messages_ ABSL_GUARDED_BY(mutex_);
  Cache<google::protobuf::Enum> enums_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

JsonCodec::JsonCodec() : resolver_(std::make_unique<CachingTypeResolver>()) {}

absl::StatusOr<std::string> JsonCodec::ToBinary(absl::string_view message_type,
                                                absl::string_view json) const {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  std::string bytes;
  // An empty body is the empty message, as for an empty protobuf body.
  const absl::string_view input = json.empty() ? absl::string_view("{}") : json;
  const auto status = google::protobuf::util::JsonToBinaryString(
      resolver_.get(), TypeUrl(message_type), std::string(input), &bytes, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request body is not a JSON ", message_type, ": ", std::string(status.message())));
  }
  return bytes;
}

absl::StatusOr<std::string> JsonCodec::ToJson(absl::string_view message_type,
                                              absl::string_view bytes) const {
  std::string json;
  const auto status = google::protobuf::util::BinaryToJsonString(
      resolver_.get(), TypeUrl(message_type), std::string(bytes), &json,
      google::protobuf::util::JsonPrintOptions());
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot write ", message_type, " as JSON: ",
                                            std::string(status.message())));
  }
  return json;
}

}  // namespace duban
