// FakeDirectory: a UnitDirectory over a map, for domain tests. Comes with a
// few units: county (LEADERSHIP), ducha (INSPECTION), nongye and ziran
// (DEPARTMENT), chengguan (TOWNSHIP), chengguan-dongjie (VILLAGE), jiwei
// (DISCIPLINE) and zuzhi (ORGANIZATION); and, as an IndicatorCatalog, the
// indicators gengdi (veto, 5 points, lead ziran, cooperating nongye) and
// renju (8 points, lead nongye, cooperating ziran and chengguan).
#ifndef DUBAN_TESTS_SUPPORT_FAKE_DIRECTORY_H_
#define DUBAN_TESTS_SUPPORT_FAKE_DIRECTORY_H_

#include <map>
#include <string>

#include "domain/indicator_catalog.h"
#include "domain/unit_directory.h"

namespace duban::testing {

class FakeDirectory : public UnitDirectory, public IndicatorCatalog {
 public:
  FakeDirectory();
  std::optional<v1::Unit> FindUnit(absl::string_view name) const override;
  std::vector<v1::Unit> UnitsOfKind(v1::UnitKind kind) const override;
  std::optional<v1::Indicator> FindIndicator(absl::string_view name) const override;
  void Add(const std::string& id, v1::UnitKind kind, const std::string& parent_id = "");
  void AddIndicator(v1::Indicator indicator);

 private:
  std::map<std::string, v1::Unit, std::less<>> units_;
  std::map<std::string, v1::Indicator, std::less<>> indicators_;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_FAKE_DIRECTORY_H_
