#include "tests/support/raw_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace duban::testing {

void ChangeRawStore(const std::string& path,
                    const std::function<void(rocksdb::DB&, const RawFamilies&)>& change) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok()) << path;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  RawFamilies families;
  for (size_t i = 0; i < names.size(); ++i) families[names[i]] = handles[i];
  change(*db, families);
  EXPECT_TRUE(db->FlushWAL(/*sync=*/true).ok());
  for (rocksdb::ColumnFamilyHandle* handle : handles) db->DestroyColumnFamilyHandle(handle);
  EXPECT_TRUE(db->Close().ok());
}

}  // namespace duban::testing
