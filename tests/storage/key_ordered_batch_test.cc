// KeyOrdered: the batch's puts and deletes in (family, key) order, two
// writes of one key in their order, and anything else refused.
#include "storage/key_ordered_batch.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/database.h"
#include "tests/support/scratch_dir.h"

namespace duban::storage {
namespace {

// "family:key=value" or "family:key deleted", in the batch's order.
class Lister : public rocksdb::WriteBatch::Handler {
 public:
  rocksdb::Status PutCF(uint32_t family, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    ops.push_back(absl::StrCat(family, ":", key.ToString(), "=", value.ToString()));
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t family, const rocksdb::Slice& key) override {
    ops.push_back(absl::StrCat(family, ":", key.ToString(), " deleted"));
    return rocksdb::Status::OK();
  }
  std::vector<std::string> ops;
};

std::vector<std::string> Ops(const rocksdb::WriteBatch& batch) {
  Lister lister;
  EXPECT_TRUE(batch.Iterate(&lister).ok());
  return lister.ops;
}

class KeyOrderedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::Open({.path = dir_.path() + "/db"});
    ASSERT_TRUE(opened.ok()) << opened.status();
    database_ = *std::move(opened);
    tickets_ = database_->family(Family::kTickets);
    index_ = database_->family(Family::kTicketIndex);
    families_ = {tickets_, index_};
  }

  std::string Get(rocksdb::ColumnFamilyHandle* family, const std::string& key) {
    std::string value;
    rocksdb::Status read = database_->db()->Get(rocksdb::ReadOptions(), family, key, &value);
    return read.ok() ? value : read.ToString();
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Database> database_;
  rocksdb::ColumnFamilyHandle* tickets_ = nullptr;
  rocksdb::ColumnFamilyHandle* index_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
};

TEST_F(KeyOrderedTest, SortsByFamilyThenKeyAndKeepsTheOrderOfOneKeysWrites) {
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put(index_, "z", "1").ok());
  ASSERT_TRUE(batch.Put(tickets_, "b", "2").ok());
  ASSERT_TRUE(batch.Delete(index_, "c").ok());
  ASSERT_TRUE(batch.Put(tickets_, "a", "3").ok());
  ASSERT_TRUE(batch.Put(index_, "c", "4").ok());
  ASSERT_TRUE(batch.Put(tickets_, "a", "5").ok());

  rocksdb::WriteBatch ordered;
  ASSERT_TRUE(KeyOrdered(batch, families_, ordered));
  const std::string t = absl::StrCat(tickets_->GetID());
  const std::string i = absl::StrCat(index_->GetID());
  ASSERT_LT(tickets_->GetID(), index_->GetID());
  EXPECT_EQ(Ops(ordered), (std::vector<std::string>{t + ":a=3", t + ":a=5", t + ":b=2",
                                                    i + ":c deleted", i + ":c=4", i + ":z=1"}));

  // Written, it leaves what the batch as staged would have.
  ASSERT_TRUE(database_->db()->Write(rocksdb::WriteOptions(), &ordered).ok());
  EXPECT_EQ(Get(tickets_, "a"), "5");
  EXPECT_EQ(Get(tickets_, "b"), "2");
  EXPECT_EQ(Get(index_, "c"), "4");
  EXPECT_EQ(Get(index_, "z"), "1");
}

TEST_F(KeyOrderedTest, AnEmptyBatchStaysEmpty) {
  rocksdb::WriteBatch batch;
  rocksdb::WriteBatch ordered;
  ASSERT_TRUE(KeyOrdered(batch, families_, ordered));
  EXPECT_EQ(ordered.Count(), 0u);
}

TEST_F(KeyOrderedTest, RefusesWhatItCannotReorder) {
  rocksdb::WriteBatch merge;
  ASSERT_TRUE(merge.Put(tickets_, "a", "1").ok());
  ASSERT_TRUE(merge.Merge(tickets_, "a", "2").ok());
  rocksdb::WriteBatch ordered_merge;
  EXPECT_FALSE(KeyOrdered(merge, families_, ordered_merge));

  rocksdb::WriteBatch range;
  ASSERT_TRUE(range.DeleteRange(index_, "a", "b").ok());
  rocksdb::WriteBatch ordered_range;
  EXPECT_FALSE(KeyOrdered(range, families_, ordered_range));

  rocksdb::WriteBatch log_data;
  ASSERT_TRUE(log_data.Put(tickets_, "a", "1").ok());
  ASSERT_TRUE(log_data.PutLogData("note").ok());
  rocksdb::WriteBatch ordered_log_data;
  EXPECT_FALSE(KeyOrdered(log_data, families_, ordered_log_data));

  // In the default family RocksDB's own handler would take these quietly.
  rocksdb::ColumnFamilyHandle* meta = database_->family(Family::kDefault);
  std::vector<rocksdb::ColumnFamilyHandle*> with_default = {meta, tickets_};
  rocksdb::WriteBatch single_delete;
  ASSERT_TRUE(single_delete.Put(tickets_, "a", "1").ok());
  ASSERT_TRUE(single_delete.SingleDelete(meta, "m").ok());
  rocksdb::WriteBatch ordered_single_delete;
  EXPECT_FALSE(KeyOrdered(single_delete, with_default, ordered_single_delete));
  rocksdb::WriteBatch default_merge;
  ASSERT_TRUE(default_merge.Merge(meta, "m", "1").ok());
  rocksdb::WriteBatch ordered_default_merge;
  EXPECT_FALSE(KeyOrdered(default_merge, with_default, ordered_default_merge));

  rocksdb::WriteBatch unknown_family;
  ASSERT_TRUE(unknown_family.Put(database_->family(Family::kEvents), "e", "1").ok());
  rocksdb::WriteBatch ordered_unknown;
  EXPECT_FALSE(KeyOrdered(unknown_family, families_, ordered_unknown));
}

}  // namespace
}  // namespace duban::storage
