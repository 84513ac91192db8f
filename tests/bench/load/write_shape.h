// WriteShape: what one CreateTicket writes to RocksDB — how many keys and
// how many key + value bytes in each column family — measured by creating
// tickets through the real ticket store (county_store.h) in a scratch
// directory and diffing the families' contents.
//
//   ASSIGN_OR_RETURN(WriteShape shape, MeasureCreateShape(scratch_dir, 200));
//   std::cout << shape.Describe();   // "1 ticket 612 B, 1 event ..., total 2310 B in 14 keys"
#ifndef DUBAN_TESTS_BENCH_LOAD_WRITE_SHAPE_H_
#define DUBAN_TESTS_BENCH_LOAD_WRITE_SHAPE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/database.h"

namespace duban::load {

struct FamilyWrites {
  storage::Family family;
  std::string name;
  // Per operation: keys put and their mean key and value sizes.
  double keys = 0;
  double key_bytes = 0;
  double value_bytes = 0;
};

struct WriteShape {
  std::vector<FamilyWrites> families;

  double TotalBytes() const;
  double TotalKeys() const;
  std::string Describe() const;
};

// Creates `tickets` tickets one by one (synced, with request ids) in a new
// store at `path` and returns the mean write of one.
absl::StatusOr<WriteShape> MeasureCreateShape(const std::string& path, int tickets);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_WRITE_SHAPE_H_
