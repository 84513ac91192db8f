// FakeDirectory: a UnitDirectory over a map, for domain tests. Comes with a
// few units: county (LEADERSHIP), ducha (INSPECTION), nongye and ziran
// (DEPARTMENT), chengguan (TOWNSHIP), chengguan-dongjie (VILLAGE), jiwei
// (DISCIPLINE) and zuzhi (ORGANIZATION).
#ifndef DUBAN_TESTS_SUPPORT_FAKE_DIRECTORY_H_
#define DUBAN_TESTS_SUPPORT_FAKE_DIRECTORY_H_

#include <map>
#include <string>

#include "server/domain/unit_directory.h"

namespace duban::testing {

class FakeDirectory : public UnitDirectory {
 public:
  FakeDirectory();
  std::optional<v1::Unit> FindUnit(absl::string_view name) const override;
  std::vector<v1::Unit> UnitsOfKind(v1::UnitKind kind) const override;
  void Add(const std::string& id, v1::UnitKind kind, const std::string& parent_id = "");

 private:
  std::map<std::string, v1::Unit, std::less<>> units_;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_FAKE_DIRECTORY_H_
