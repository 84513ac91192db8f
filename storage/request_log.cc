#include "storage/request_log.h"

#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "storage/big_endian.h"
#include "storage/record.h"

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
  std::vector<absl::StatusOr<std::string>> answers = RunEach(
      absl::MakeConstSpan(&key, 1), now, [&](size_t, AuditedBatch& batch) { return stage(batch); });
  return std::move(answers.front());
}

std::vector<absl::StatusOr<std::string>> RequestLog::RunEach(
    absl::Span<const RequestKey> keys, absl::Time now,
    absl::FunctionRef<absl::StatusOr<std::string>(size_t, AuditedBatch&)> stage) {
  std::vector<absl::StatusOr<std::string>> answers(keys.size(), std::string());
  // The record key of each deduplicated request ("" for the others).
  std::vector<std::string> record_keys(keys.size());
  std::vector<uint64_t> lock_keys;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].request_id.empty()) continue;
    if (keys[i].fingerprint.size() > 255) {
      answers[i] = absl::InternalError("request fingerprint too long");
      continue;
    }
    record_keys[i] = RecordKey(keys[i]);
    lock_keys.push_back(LockTable::KeyOf(record_keys[i]));
  }
  const std::vector<std::unique_lock<std::mutex>> locks = locks_.LockAll(lock_keys);

  // The stored records, read at once.
  rocksdb::ColumnFamilyHandle* family = database_->family(Family::kRequests);
  std::vector<size_t> looked_up;
  std::vector<rocksdb::Slice> lookups;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (record_keys[i].empty()) continue;
    looked_up.push_back(i);
    lookups.emplace_back(record_keys[i]);
  }
  std::vector<std::string> stored(lookups.size());
  const std::vector<rocksdb::Status> reads = database_->db()->MultiGet(
      rocksdb::ReadOptions(), std::vector<rocksdb::ColumnFamilyHandle*>(lookups.size(), family),
      lookups, &stored);
  std::vector<std::optional<RequestRecord>> earlier(keys.size());
  for (size_t n = 0; n < looked_up.size(); ++n) {
    const size_t i = looked_up[n];
    if (reads[n].IsNotFound()) continue;
    if (!reads[n].ok()) {
      answers[i] = FromRocks(reads[n], "read request record");
      record_keys[i].clear();
      continue;
    }
    absl::StatusOr<RequestRecord> record = DecodeRequestRecord(stored[n]);
    if (!record.ok()) {
      answers[i] = record.status();
      record_keys[i].clear();
    } else if (now - record->create_time <= database_->request_retention()) {
      earlier[i] = *std::move(record);
    }
  }

  AuditedBatch batch;
  // Keys whose answer depends on the write, and the key each record key
  // was last staged for.
  std::vector<bool> carried(keys.size(), false);
  absl::flat_hash_map<absl::string_view, size_t> staged;
  // The write waits for whoever still waits for it.
  WriteOptions write_options{.deadline = absl::InfinitePast()};
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!answers[i].ok()) continue;
    const bool deduplicated = !keys[i].request_id.empty();
    if (deduplicated && record_keys[i].empty()) continue;  // failed to read
    if (deduplicated) {
      if (auto it = staged.find(record_keys[i]); it != staged.end()) {
        earlier[i] = RequestRecord{now, keys[it->second].fingerprint, *answers[it->second]};
        carried[i] = true;
      }
      if (earlier[i]) {
        if (earlier[i]->fingerprint != keys[i].fingerprint) {
          answers[i] = InvalidField("request_id", absl::StrCat("\"", keys[i].request_id,
                                                               "\" was already used for a "
                                                               "different request"));
          carried[i] = false;
        } else {
          answers[i] = std::move(earlier[i]->reply);
        }
        continue;
      }
    }
    if (absl::Now() > keys[i].deadline) {
      answers[i] = absl::DeadlineExceededError(
          "the call's deadline passed before its write: nothing written");
      continue;
    }
    batch.SetSavePoint();
    answers[i] = stage(i, batch);
    if (!answers[i].ok()) {
      batch.RollbackToSavePoint();
      continue;
    }
    batch.ReleaseSavePoint();
    carried[i] = true;
    write_options.deadline = std::max(write_options.deadline, keys[i].deadline);
    if (deduplicated) {
      batch.Put(family, record_keys[i], EncodeRequestRecord(keys[i], now, *answers[i]));
      staged[record_keys[i]] = i;
    }
  }
  if (batch.empty()) return answers;
  if (absl::Status written = database_->Write(batch, write_options); !written.ok()) {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (carried[i]) answers[i] = written;
    }
  }
  return answers;
}

}  // namespace duban::storage
