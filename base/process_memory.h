// The process's memory: how much it holds in RAM now (Linux's RSS,
// /proc/self/statm), for the server's own metrics and `duban admin stats`;
// and how glibc's malloc gives memory back.
#ifndef DUBAN_BASE_PROCESS_MEMORY_H_
#define DUBAN_BASE_PROCESS_MEMORY_H_

#include <cstdint>

namespace duban {

// 0 when /proc cannot be read.
uint64_t ResidentBytes();

// Has glibc's malloc serve every allocation of 128 KiB or more with a
// mapping of its own, unmapped when freed. By default glibc raises that
// threshold to the size of the first such block freed; RocksDB's memtable
// arena blocks (a family's memtable size / 8) then come from the heap, and
// a flushed memtable's memory stays in malloc's free lists and in the
// resident memory. Call at the start of main, before any thread.
void ReturnLargeBlocksWhenFreed();

// Has glibc's malloc keep one arena per core instead of eight. Every thread
// that allocates a block cache entry allocates it in its arena, and an entry
// evicted leaves a hole there; with eight arenas a core the holes spread over
// more heaps and the memory outside the cache grows with the cache (the
// soak, docs/performance.md). Call at the start of main, before any thread.
void OneMallocArenaPerCore();

// Gives the kernel back the pages of every arena that hold only freed
// blocks (glibc's malloc_trim). Blocks of a few KiB, the block cache's
// entries, come from the arenas' heaps, and a heap shrinks only from its
// top: the pages of entries evicted below a live one stay resident until
// this is called. Takes each arena's lock in turn while it walks that
// arena's free blocks; thread-safe.
void ReturnFreedMemory();

}  // namespace duban

#endif  // DUBAN_BASE_PROCESS_MEMORY_H_
