// Bringing a store written by an earlier format up to the current one, at
// open, before anything else reads it (Database::Open calls it).
//
//   version 2 → 3: the ticket index gains the accountability entries
//   (charges by subject, closed tickets by answerer, ended tickets) and its
//   summaries the creation and stage-entry times and the progress. The
//   whole index is derived from the tickets, so it is rebuilt from them.
//   version 3 → 4: the `auth` family (passwords, sessions, security
//   events) is added; opening creates it empty, so only the version moves.
//
// Crash-safe: the new version is stored in the synced write that ends the
// rebuild; an upgrade cut short leaves the old version, and the next open
// starts it over. Records (tickets, events, …) are never rewritten, so the
// audit chain is untouched.
#ifndef DUBAN_STORAGE_FORMAT_UPGRADE_H_
#define DUBAN_STORAGE_FORMAT_UPGRADE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"

namespace duban::storage {

// Whether UpgradeFormat can bring `version` to the current one.
bool CanUpgradeFrom(absl::string_view version);

// Rebuilds what the stored format `version` (one CanUpgradeFrom accepts)
// lacks, then stores `current` under
// `version_key` in `meta`. `tickets` and `index` are the column families of
// the tickets and their index.
[[nodiscard]] absl::Status UpgradeFormat(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta,
                                         rocksdb::ColumnFamilyHandle* tickets,
                                         rocksdb::ColumnFamilyHandle* index,
                                         absl::string_view version_key,
                                         absl::string_view version, absl::string_view current);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_FORMAT_UPGRADE_H_
