#include "storage/request_log.h"

#include "absl/strings/str_cat.h"
#include "server/domain/errors.h"
#include "server/domain/status_macros.h"
#include "storage/keys.h"

namespace duban::storage {
namespace {

constexpr size_t kHeaderBytes = 1 + 8 + 1;

std::string RecordKey(const RequestKey& key) {
  return absl::StrCat(key.principal, absl::string_view("\0", 1), key.request_id);
}

std::string EncodeRequestRecord(const RequestKey& key, absl::Time now, absl::string_view reply) {
  std::string value(1, kRecordV1);
  AppendBigEndian64(value, static_cast<uint64_t>(absl::ToUnixMicros(now)));
  value.push_back(static_cast<char>(key.fingerprint.size()));
  value.append(key.fingerprint);
  value.append(reply.data(), reply.size());
  return value;
}

struct RequestRecord {
  absl::Time create_time;
  std::string fingerprint;
  std::string reply;
};

absl::StatusOr<RequestRecord> DecodeRequestRecord(absl::string_view value) {
  if (value.size() < kHeaderBytes || value[0] != kRecordV1) {
    return absl::DataLossError("stored request record is malformed");
  }
  const size_t fingerprint_size = static_cast<unsigned char>(value[9]);
  if (value.size() < kHeaderBytes + fingerprint_size) {
    return absl::DataLossError("stored request record is truncated");
  }
  RequestRecord record;
  record.create_time = absl::FromUnixMicros(static_cast<int64_t>(ReadBigEndian64(value, 1)));
  record.fingerprint = std::string(value.substr(kHeaderBytes, fingerprint_size));
  record.reply = std::string(value.substr(kHeaderBytes + fingerprint_size));
  return record;
}

class RequestRetentionFilter : public rocksdb::CompactionFilter {
 public:
  bool Filter(int /*level*/, const rocksdb::Slice& /*key*/, const rocksdb::Slice& value,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    absl::StatusOr<RequestRecord> record =
        DecodeRequestRecord(absl::string_view(value.data(), value.size()));
    return record.ok() && absl::Now() - record->create_time > kRequestRetention;
  }
  const char* Name() const override { return "duban.RequestRetentionFilter"; }
};

}  // namespace

std::unique_ptr<rocksdb::CompactionFilter> NewRequestRetentionFilter() {
  return std::make_unique<RequestRetentionFilter>();
}

absl::StatusOr<std::string> RequestLog::Run(
    const RequestKey& key, absl::Time now,
    absl::FunctionRef<absl::StatusOr<std::string>(AuditedBatch&)> stage) {
  AuditedBatch batch;
  if (key.request_id.empty()) {
    ASSIGN_OR_RETURN(std::string reply, stage(batch));
    if (!batch.empty()) RETURN_IF_ERROR(database_->Write(batch));
    return reply;
  }
  if (key.fingerprint.size() > 255) return absl::InternalError("request fingerprint too long");

  const std::string record_key = RecordKey(key);
  std::unique_lock<std::mutex> lock = locks_.Lock(record_key);
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kRequests);
  std::string stored;
  rocksdb::Status read = database_->db()->Get(rocksdb::ReadOptions(), family, record_key, &stored);
  if (read.ok()) {
    ASSIGN_OR_RETURN(RequestRecord record, DecodeRequestRecord(stored));
    if (now - record.create_time <= kRequestRetention) {
      if (record.fingerprint != key.fingerprint) {
        return InvalidField(
            "request_id",
            absl::StrCat("\"", key.request_id, "\" was already used for a different request"));
      }
      return record.reply;
    }
  } else if (!read.IsNotFound()) {
    return FromRocks(read, "read request record");
  }

  ASSIGN_OR_RETURN(std::string reply, stage(batch));
  batch.Put(family, record_key, EncodeRequestRecord(key, now, reply));
  RETURN_IF_ERROR(database_->Write(batch));
  return reply;
}

}  // namespace duban::storage
