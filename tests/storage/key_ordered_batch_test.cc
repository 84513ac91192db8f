// KeyOrdered: the batch's puts and deletes in (family, key) order, two
// writes of one key in their order, and anything else refused.
#include "storage/key_ordered_batch.h"

#include <gtest/gtest.h>

#include <functional>
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
  rocksdb::ColumnFamilyHandle* meta = database_->family(Family::kDefault);
  rocksdb::ColumnFamilyHandle* events = database_->family(Family::kEvents);
  // Each batch after a put, and whether the families include the default
  // one (where RocksDB's own handler would take a merge or a single delete
  // quietly).
  struct Case {
    const char* what;
    std::function<rocksdb::Status(rocksdb::WriteBatch&)> add;
    bool with_default;
  };
  const std::vector<Case> cases = {
      {"merge", [&](auto& b) { return b.Merge(tickets_, "a", "2"); }, false},
      {"range delete", [&](auto& b) { return b.DeleteRange(index_, "a", "b"); }, false},
      {"log data", [&](auto& b) { return b.PutLogData("note"); }, false},
      {"single delete, default family", [&](auto& b) { return b.SingleDelete(meta, "m"); }, true},
      {"merge, default family", [&](auto& b) { return b.Merge(meta, "m", "1"); }, true},
      {"a family not given", [&](auto& b) { return b.Put(events, "e", "1"); }, false},
  };
  for (const Case& c : cases) {
    rocksdb::WriteBatch batch;
    ASSERT_TRUE(batch.Put(tickets_, "a", "1").ok());
    ASSERT_TRUE(c.add(batch).ok()) << c.what;
    std::vector<rocksdb::ColumnFamilyHandle*> families = families_;
    if (c.with_default) families.push_back(meta);
    rocksdb::WriteBatch ordered;
    EXPECT_FALSE(KeyOrdered(batch, families, ordered)) << c.what;
  }
}

}  // namespace
}  // namespace duban::storage
