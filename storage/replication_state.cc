#include "storage/replication_state.h"

#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "storage/big_endian.h"
#include "storage/database.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

constexpr absl::string_view kEpochMarkTag = "duban.epoch";

}  // namespace

absl::StatusOr<v1::ReplicationState> ReadReplicationState(rocksdb::DB& db,
                                                          rocksdb::ColumnFamilyHandle* family) {
  std::string value;
  rocksdb::Status read = db.Get(rocksdb::ReadOptions(), family, kReplicationStateKey, &value);
  RETURN_IF_ERROR(FromRocks(read, "read the replication state"));
  v1::ReplicationState state;
  RETURN_IF_ERROR(DecodeRecord(value, state));
  return state;
}

v1::ReplicationState NewReplicationState() {
  std::random_device random;
  std::string id(16, '\0');
  for (char& byte : id) byte = static_cast<char>(random());
  v1::ReplicationState state;
  state.set_store_id(absl::BytesToHexString(id));
  state.set_epoch(1);
  return state;
}

v1::ReplicationState NextEpoch(v1::ReplicationState state, int64_t first_sequence) {
  state.set_epoch(state.epoch() + 1);
  v1::EpochStart* start = state.add_history();
  start->set_epoch(state.epoch());
  start->set_first_sequence(first_sequence);
  state.set_fenced_by_epoch(0);
  return state;
}

std::string EpochMark(int64_t epoch) {
  std::string mark(kEpochMarkTag);
  AppendBigEndian64(mark, static_cast<uint64_t>(epoch));
  return mark;
}

std::optional<int64_t> ReadEpochMark(absl::string_view blob) {
  if (blob.size() != kEpochMarkTag.size() + 8 || !absl::StartsWith(blob, kEpochMarkTag)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(ReadBigEndian64(blob, kEpochMarkTag.size()));
}

absl::Status CheckFollows(const v1::ReplicationState& primary, int64_t primary_latest,
                          absl::string_view copy_store_id, int64_t copy_epoch,
                          int64_t copy_next) {
  if (copy_store_id != primary.store_id()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the replica holds store ", copy_store_id, " but this primary serves store ",
        primary.store_id(), ": another county's record; give the replica an empty data "
        "directory to copy this one"));
  }
  if (copy_epoch > primary.epoch()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the replica is at epoch ", copy_epoch, ", newer than this primary's ",
                     primary.epoch(), ": this server was superseded"));
  }
  if (copy_next - 1 > primary_latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the replica holds writes up to sequence ", copy_next - 1, ", past this primary's ",
        primary_latest, ": its history diverged (a former primary?); move its data directory "
        "aside and start it empty to copy this one"));
  }
  // The copy's epoch ended where the next one began: it must hold nothing
  // written after that.
  for (const v1::EpochStart& start : primary.history()) {
    if (start.epoch() == copy_epoch + 1 && copy_next > start.first_sequence()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the replica holds writes of epoch ", copy_epoch, " up to sequence ", copy_next - 1,
          ", but epoch ", start.epoch(), " began at sequence ", start.first_sequence(),
          ": its history diverged (a former primary?); move its data directory aside and "
          "start it empty to copy this one"));
    }
  }
  return absl::OkStatus();
}

}  // namespace duban::storage
