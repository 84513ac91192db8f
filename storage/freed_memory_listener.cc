#include "storage/freed_memory_listener.h"

#include "base/process_memory.h"

namespace duban::storage {
namespace {

class ReturnFreedMemoryOnCompletion : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "ReturnFreedMemoryOnCompletion"; }

  void OnFlushCompleted(rocksdb::DB*, const rocksdb::FlushJobInfo&) override {
    ReturnFreedMemory();
  }

  void OnCompactionCompleted(rocksdb::DB*, const rocksdb::CompactionJobInfo&) override {
    ReturnFreedMemory();
  }
};

}  // namespace

std::shared_ptr<rocksdb::EventListener> FreedMemoryListener() {
  return std::make_shared<ReturnFreedMemoryOnCompletion>();
}

}  // namespace duban::storage
