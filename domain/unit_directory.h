// UnitDirectory: how the domain looks units up, without knowing where they
// are kept. storage::DirectoryStore implements it; tests use a map.
#ifndef DUBAN_DOMAIN_UNIT_DIRECTORY_H_
#define DUBAN_DOMAIN_UNIT_DIRECTORY_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "duban/v1/directory.pb.h"

namespace duban {

class UnitDirectory {
 public:
  virtual ~UnitDirectory() = default;
  // The unit named `name` (`units/{id}`), or nullopt. Thread-safe.
  virtual std::optional<v1::Unit> FindUnit(absl::string_view name) const = 0;
  // The units of `kind`, ordered by name. Thread-safe.
  virtual std::vector<v1::Unit> UnitsOfKind(v1::UnitKind kind) const = 0;
};

}  // namespace duban

#endif  // DUBAN_DOMAIN_UNIT_DIRECTORY_H_
