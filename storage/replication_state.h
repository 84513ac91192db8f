// The store's place in a county's replication (docs/replication.md): its
// id, its epoch and where each epoch began, kept under one key of the
// default column family:
//
//   default family: "replication" → v1::ReplicationState
//
// and the epoch every write batch carries in the write-ahead log (as
// RocksDB log data, which is replicated with the batch and stored nowhere
// else):
//
//   log data: "duban.epoch" | epoch (8 bytes big-endian)
#ifndef DUBAN_STORAGE_REPLICATION_STATE_H_
#define DUBAN_STORAGE_REPLICATION_STATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "duban/v1/replication.pb.h"
#include "rocksdb/db.h"

namespace duban::storage {

inline constexpr char kReplicationStateKey[] = "replication";

// The state stored in `family` (the default one); NOT_FOUND when none is.
absl::StatusOr<v1::ReplicationState> ReadReplicationState(rocksdb::DB& db,
                                                          rocksdb::ColumnFamilyHandle* family);

// A new store's state: a random id, epoch 1.
v1::ReplicationState NewReplicationState();

// `state` with the next epoch begun at `first_sequence`.
v1::ReplicationState NextEpoch(v1::ReplicationState state, int64_t first_sequence);

// The log data that marks a batch as written in `epoch`, and back (nullopt
// for log data that is not an epoch mark).
std::string EpochMark(int64_t epoch);
std::optional<int64_t> ReadEpochMark(absl::string_view blob);

// Whether a copy of the store at `copy_epoch`, whose next sequence would be
// `copy_next`, holds only history that `primary` (whose newest sequence is
// `primary_latest`) holds too — so it can follow `primary` from
// `copy_next`. OK when it can; FAILED_PRECONDITION, saying why, when the
// copy is another store, is ahead of the primary, or went on in an epoch
// past the point where the primary's history left it.
absl::Status CheckFollows(const v1::ReplicationState& primary, int64_t primary_latest,
                          absl::string_view copy_store_id, int64_t copy_epoch,
                          int64_t copy_next);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_REPLICATION_STATE_H_
