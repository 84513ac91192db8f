// KeyOrdered: a write batch's puts and deletes reordered by column family
// and key, the order RocksDB's memtables keep them in.
//
// A memtable insert starts its search where the previous insert into the
// same memtable ended (for a batch in a write group with others, when the
// write sets WriteOptions::memtable_insert_hint_per_batch); a batch that
// moves through each family in key order — rather than ticket by ticket,
// jumping between index prefixes — makes most inserts short. Reordering
// does not change what a batch does: it is applied atomically either way,
// and two writes of one key keep their order (the sort is stable). The
// order is bytewise, the order of every family here (none has a comparator
// of its own).
//
//   rocksdb::WriteBatch ordered;
//   rocksdb::WriteBatch* write = &batch;
//   if (KeyOrdered(batch, families, ordered)) write = &ordered;
#ifndef DUBAN_STORAGE_KEY_ORDERED_BATCH_H_
#define DUBAN_STORAGE_KEY_ORDERED_BATCH_H_

#include "absl/types/span.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace duban::storage {

// Fills `ordered` (which must be empty) with `batch`'s puts and deletes in
// (column family id, key) order. `families` must hold a handle for every
// family `batch` writes. False — `ordered` then unusable — when `batch`
// holds anything else (single deletes, merges, range deletes, log data) or
// a family not in `families`.
bool KeyOrdered(const rocksdb::WriteBatch& batch,
                absl::Span<rocksdb::ColumnFamilyHandle* const> families,
                rocksdb::WriteBatch& ordered);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_KEY_ORDERED_BATCH_H_
