#include "tests/support/fake_directory.h"

#include "domain/resource_names.h"

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
  v1::Indicator gengdi;
  gengdi.set_name("indicators/gengdi");
  gengdi.set_display_name("耕地保护");
  gengdi.set_points("5");
  gengdi.set_veto(true);
  gengdi.set_lead_unit("units/ziran");
  gengdi.add_cooperating_units("units/nongye");
  AddIndicator(gengdi);
  v1::Indicator renju;
  renju.set_name("indicators/renju");
  renju.set_display_name("人居环境整治");
  renju.set_points("8");
  renju.set_lead_unit("units/nongye");
  renju.add_cooperating_units("units/ziran");
  renju.add_cooperating_units("units/chengguan");
  AddIndicator(renju);
}

void FakeDirectory::AddIndicator(v1::Indicator indicator) {
  indicators_[indicator.name()] = std::move(indicator);
}

std::optional<v1::Indicator> FakeDirectory::FindIndicator(absl::string_view name) const {
  auto it = indicators_.find(name);
  if (it == indicators_.end()) return std::nullopt;
  return it->second;
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
