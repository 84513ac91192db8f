// kGlibcMalloc: whether this test binary allocates with glibc's malloc.
// ThreadSanitizer and AddressSanitizer bring a malloc of their own, on
// which glibc's settings and malloc_trim do nothing; tests of those skip
// there.
//
// FreedButResident: a heap as the block cache leaves it — many small
// blocks, most of them freed between ones still in use, so that malloc
// cannot shrink the heap from its top and the freed pages stay resident.
//
//   FreedButResident heap(80 << 20);
//   const uint64_t before = ResidentBytes();
//   ReturnFreedMemory();
//   EXPECT_LE(ResidentBytes() + heap.freed_bytes() / 2, before);
#ifndef DUBAN_TESTS_SUPPORT_GLIBC_MALLOC_H_
#define DUBAN_TESTS_SUPPORT_GLIBC_MALLOC_H_

#include <cstdlib>
#include <cstring>
#include <vector>

namespace duban {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr bool kGlibcMalloc = false;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
inline constexpr bool kGlibcMalloc = false;
#else
inline constexpr bool kGlibcMalloc = true;
#endif
#else
inline constexpr bool kGlibcMalloc = true;
#endif

class FreedButResident {
 public:
  // Allocates `bytes` in blocks of 4,000 bytes, writes them all (so their
  // pages are resident), and frees fifteen in sixteen, keeping the last.
  explicit FreedButResident(size_t bytes) {
    std::vector<void*> blocks(bytes / kBlock);
    for (void*& block : blocks) {
      block = std::malloc(kBlock);
      std::memset(block, 0x5a, kBlock);
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (i % 16 == 15 || i + 1 == blocks.size()) {
        kept_.push_back(blocks[i]);
      } else {
        std::free(blocks[i]);
        freed_bytes_ += kBlock;
      }
    }
  }
  ~FreedButResident() {
    for (void* block : kept_) std::free(block);
  }
  FreedButResident(const FreedButResident&) = delete;
  FreedButResident& operator=(const FreedButResident&) = delete;

  size_t freed_bytes() const { return freed_bytes_; }

 private:
  static constexpr size_t kBlock = 4000;
  std::vector<void*> kept_;
  size_t freed_bytes_ = 0;
};

}  // namespace duban

#endif  // DUBAN_TESTS_SUPPORT_GLIBC_MALLOC_H_
