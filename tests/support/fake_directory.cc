#include "tests/support/fake_directory.h"

#include "server/domain/resource_names.h"

namespace duban::testing {

FakeDirectory::FakeDirectory() {
  Add("county", v1::UNIT_KIND_LEADERSHIP);
  Add("ducha", v1::UNIT_KIND_INSPECTION);
  Add("nongye", v1::UNIT_KIND_DEPARTMENT);
  Add("ziran", v1::UNIT_KIND_DEPARTMENT);
  Add("chengguan", v1::UNIT_KIND_TOWNSHIP);
  Add("chengguan-dongjie", v1::UNIT_KIND_VILLAGE, "chengguan");
  Add("jiwei", v1::UNIT_KIND_DISCIPLINE);
  Add("zuzhi", v1::UNIT_KIND_ORGANIZATION);
}

std::vector<v1::Unit> FakeDirectory::UnitsOfKind(v1::UnitKind kind) const {
  std::vector<v1::Unit> units;
  for (const auto& [name, unit] : units_) {
    if (unit.kind() == kind) units.push_back(unit);
  }
  return units;
}

void FakeDirectory::Add(const std::string& id, v1::UnitKind kind, const std::string& parent_id) {
  v1::Unit unit;
  unit.set_name(UnitName(id));
  unit.set_display_name(id);
  unit.set_kind(kind);
  if (!parent_id.empty()) unit.set_parent(UnitName(parent_id));
  units_[unit.name()] = unit;
}

std::optional<v1::Unit> FakeDirectory::FindUnit(absl::string_view name) const {
  auto it = units_.find(name);
  if (it == units_.end()) return std::nullopt;
  return it->second;
}

}  // namespace duban::testing
