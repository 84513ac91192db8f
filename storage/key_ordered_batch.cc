#include "storage/key_ordered_batch.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace duban::storage {
namespace {

struct Op {
  uint32_t family;
  rocksdb::Slice key;
  rocksdb::Slice value;
  bool is_delete;
};

// Collects the batch's operations; the slices point into the batch.
class OpCollector : public rocksdb::WriteBatch::Handler {
 public:
  explicit OpCollector(std::vector<Op>& ops) : ops_(ops) {}
  rocksdb::Status PutCF(uint32_t family, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    ops_.push_back({family, key, value, false});
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t family, const rocksdb::Slice& key) override {
    ops_.push_back({family, key, rocksdb::Slice(), true});
    return rocksdb::Status::OK();
  }
  // Everything else marks the batch as not reorderable (some of RocksDB's
  // defaults would accept it, in the default family, and drop it).
  rocksdb::Status SingleDeleteCF(uint32_t, const rocksdb::Slice&) override { return Other(); }
  rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Other();
  }
  rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Other();
  }
  rocksdb::Status PutBlobIndexCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Other();
  }
  rocksdb::Status PutEntityCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Other();
  }
  void LogData(const rocksdb::Slice& /*blob*/) override { other_ = true; }
  bool other() const { return other_; }

 private:
  rocksdb::Status Other() {
    other_ = true;
    return rocksdb::Status::NotSupported("not reordered");
  }

  std::vector<Op>& ops_;
  bool other_ = false;
};

}  // namespace

bool KeyOrdered(const rocksdb::WriteBatch& batch,
                absl::Span<rocksdb::ColumnFamilyHandle* const> families,
                rocksdb::WriteBatch& ordered) {
  std::vector<Op> ops;
  ops.reserve(static_cast<size_t>(batch.Count()));
  OpCollector collector(ops);
  if (!batch.Iterate(&collector).ok() || collector.other()) return false;
  std::stable_sort(ops.begin(), ops.end(), [](const Op& a, const Op& b) {
    if (a.family != b.family) return a.family < b.family;
    return a.key.compare(b.key) < 0;
  });
  auto handle_of = [&](uint32_t id) -> rocksdb::ColumnFamilyHandle* {
    for (rocksdb::ColumnFamilyHandle* handle : families) {
      if (handle->GetID() == id) return handle;
    }
    return nullptr;
  };
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  for (const Op& op : ops) {
    if (handle == nullptr || handle->GetID() != op.family) handle = handle_of(op.family);
    if (handle == nullptr) return false;
    rocksdb::Status staged =
        op.is_delete ? ordered.Delete(handle, op.key) : ordered.Put(handle, op.key, op.value);
    if (!staged.ok()) return false;
  }
  // Whatever the handler may not have seen (a kind RocksDB adds later).
  return ordered.Count() == batch.Count();
}

}  // namespace duban::storage
