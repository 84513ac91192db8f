// FreedMemoryListener: gives malloc's freed pages back to the kernel
// (ReturnFreedMemory, base/process_memory.h) each time RocksDB finishes a
// flush or a compaction, so that the memory outside the block cache does
// not creep up over months (docs/performance.md, "Memory").
//
// The block cache's entries are blocks of a few KiB from malloc's heaps.
// The cache evicts them all the time, and the heaps hold on to the pages of
// the evicted ones; a flush or a compaction is when RocksDB has just
// replaced many of them, and it runs on a background thread, off every
// call's path.
//
//   rocks.listeners.push_back(FreedMemoryListener());
#ifndef DUBAN_STORAGE_FREED_MEMORY_LISTENER_H_
#define DUBAN_STORAGE_FREED_MEMORY_LISTENER_H_

#include <memory>

#include "rocksdb/listener.h"

namespace duban::storage {

// Stateless; one may serve any number of databases.
std::shared_ptr<rocksdb::EventListener> FreedMemoryListener();

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_FREED_MEMORY_LISTENER_H_
