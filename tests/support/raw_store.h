// Changing a stopped store with RocksDB alone, as another release of duban
// or a damaged disk could have left it.
//
//   ChangeRawStore(path, [](rocksdb::DB& db, const RawFamilies& families) {
//     db.Delete(rocksdb::WriteOptions(), families.at("settings"), key);
//   });
#ifndef DUBAN_TESTS_SUPPORT_RAW_STORE_H_
#define DUBAN_TESTS_SUPPORT_RAW_STORE_H_

#include <functional>
#include <map>
#include <string>

#include "rocksdb/db.h"

namespace duban::testing {

using RawFamilies = std::map<std::string, rocksdb::ColumnFamilyHandle*>;

// Opens the store at `path` (no server may have it open) with every column
// family, calls `change`, flushes the WAL synced and closes it. Test
// failures for a store that does not open.
void ChangeRawStore(const std::string& path,
                    const std::function<void(rocksdb::DB&, const RawFamilies&)>& change);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_RAW_STORE_H_
