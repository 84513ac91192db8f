#include "domain/demo_county.h"

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "domain/resource_names.h"

namespace duban {
namespace {

struct CountyUnit {
  const char* id;
  const char* display_name;
  v1::UnitKind kind;
};

constexpr CountyUnit kCountyUnits[] = {
    {"county", "县委县政府", v1::UNIT_KIND_LEADERSHIP},
    {"ducha", "县委县政府督查室", v1::UNIT_KIND_INSPECTION},
    {"nongban", "县委农办", v1::UNIT_KIND_DEPARTMENT},
    {"nongye", "农业农村局", v1::UNIT_KIND_DEPARTMENT},
    {"ziran", "自然资源局", v1::UNIT_KIND_DEPARTMENT},
    {"zhenxing", "乡村振兴服务中心", v1::UNIT_KIND_DEPARTMENT},
    {"tongji", "统计局", v1::UNIT_KIND_DEPARTMENT},
    {"jiwei", "县纪委监委", v1::UNIT_KIND_DISCIPLINE},
    {"zuzhi", "县委组织部", v1::UNIT_KIND_ORGANIZATION},
    {"jixiao", "县委目标绩效办", v1::UNIT_KIND_PERFORMANCE_OFFICE},
};

struct Village {
  const char* id;
  const char* display_name;
};

struct Township {
  const char* id;
  const char* display_name;
  v1::Tier tier;
  const char* area;
  Village villages[3];
};

constexpr Township kTownships[] = {
    {"chengguan",
     "城关镇",
     v1::TIER_NEAR,
     "东路",
     {{"dongjie", "东街村"}, {"xiguan", "西关村"}, {"nanyuan", "南苑村"}}},
    {"longquan",
     "龙泉镇",
     v1::TIER_NEAR,
     "南路",
     {{"shuikou", "水口村"}, {"songlin", "松林村"}, {"yangliu", "杨柳村"}}},
    {"baima",
     "白马镇",
     v1::TIER_NEAR,
     "东路",
     {{"hetan", "河滩村"}, {"shangba", "上坝村"}, {"xiaba", "下坝村"}}},
    {"shiqiao",
     "石桥镇",
     v1::TIER_NEAR,
     "南路",
     {{"qiaotou", "桥头村"}, {"huayuan", "花园村"}, {"liangfeng", "凉风村"}}},
    {"qingshui",
     "清水镇",
     v1::TIER_MIDDLE,
     "南路",
     {{"baiyan", "白岩村"}, {"zhuba", "竹坝村"}, {"xinglong", "兴隆村"}}},
    {"liushu",
     "柳树镇",
     v1::TIER_MIDDLE,
     "东路",
     {{"liujia", "刘家村"}, {"wangjia", "王家村"}, {"chenjia", "陈家村"}}},
    {"jinshan",
     "金山镇",
     v1::TIER_MIDDLE,
     "南路",
     {{"jinping", "金坪村"}, {"yinping", "银坪村"}, {"tonggu", "铜鼓村"}}},
    {"shuanghe",
     "双河镇",
     v1::TIER_MIDDLE,
     "东路",
     {{"hekou", "河口村"}, {"qiaobian", "桥边村"}, {"fengshou", "丰收村"}}},
    {"qinglong",
     "青龙乡",
     v1::TIER_FAR,
     "南路",
     {{"longtan", "龙潭村"}, {"shiban", "石板村"}, {"yunwu", "云雾村"}}},
    {"gaofeng",
     "高峰乡",
     v1::TIER_FAR,
     "东路",
     {{"fenghuang", "凤凰村"}, {"pingan", "平安村"}, {"gaoshan", "高山村"}}},
    {"daping",
     "大坪乡",
     v1::TIER_FAR,
     "南路",
     {{"pingba", "坪坝村"}, {"dawan", "大湾村"}, {"xiaowan", "小湾村"}}},
    {"taoyuan",
     "桃源乡",
     v1::TIER_FAR,
     "东路",
     {{"taohua", "桃花村"}, {"lihua", "梨花村"}, {"xingfu", "幸福村"}}},
    {"maan",
     "马鞍乡",
     v1::TIER_FAR,
     "南路",
     {{"anzi", "鞍子村"}, {"majia", "马家村"}, {"heping", "和平村"}}},
};

struct RolePrincipal {
  const char* id;
  const char* display_name;
  v1::Role role;
  const char* unit;  // "" for none
};

constexpr RolePrincipal kRolePrincipals[] = {
    {"leader", "张书记", v1::ROLE_LEADER, "county"},
    {"inspector", "李督查", v1::ROLE_INSPECTOR, "ducha"},
    {"discipline", "赵纪检", v1::ROLE_DISCIPLINE, "jiwei"},
    {"organization", "钱组织", v1::ROLE_ORGANIZATION, "zuzhi"},
    {"performance", "孙绩效", v1::ROLE_PERFORMANCE_OFFICE, "jixiao"},
    {"escalator", "督办升级任务", v1::ROLE_ESCALATOR, ""},
    {"admin", "系统管理员", v1::ROLE_ADMIN, ""},
    {"replica", "副本服务器", v1::ROLE_REPLICA, ""},
};

struct CountyIndicator {
  const char* code;
  const char* display_name;
  const char* points;
  bool veto;
  const char* lead;
  std::initializer_list<const char*> cooperating;
};

const CountyIndicator kIndicators[] = {
    {"fanpin", "防规模性返贫", "10", true, "zhenxing", {"nongye", "nongban"}},
    {"liangshi", "粮食播面和产量", "5", true, "nongye", {"tongji", "ziran"}},
    {"muzhu", "能繁母猪存栏", "5", true, "nongye", {"tongji"}},
    {"dadou", "大豆扩种", "5", true, "nongye", {"nongban"}},
    {"gengdi", "耕地保护", "5", true, "ziran", {"nongye"}},
    {"shouru", "农村居民可支配收入增幅", "5", true, "tongji", {"zhenxing", "nongban"}},
    {"houpinggu", "巩固脱贫成果后评估", "10", false, "zhenxing", {"nongban", "nongye"}},
    {"renju", "人居环境整治", "8", false, "nongban", {"ziran", "zhenxing"}},
};

v1::Principal MakePrincipal(absl::string_view id, std::string display_name, v1::Role role,
                            absl::string_view unit_id) {
  v1::Principal principal;
  principal.set_display_name(std::move(display_name));
  principal.add_roles(role);
  if (!unit_id.empty()) principal.set_unit(UnitName(unit_id));
  principal.set_token_sha256(Sha256Hex(id));
  return principal;
}

}  // namespace

DemoCounty MakeDemoCounty() {
  DemoCounty county;
  for (const CountyUnit& spec : kCountyUnits) {
    v1::Unit unit;
    unit.set_display_name(spec.display_name);
    unit.set_kind(spec.kind);
    county.units.emplace_back(spec.id, unit);
  }
  for (const Township& spec : kTownships) {
    v1::Unit township;
    township.set_display_name(spec.display_name);
    township.set_kind(v1::UNIT_KIND_TOWNSHIP);
    township.set_tier(spec.tier);
    township.set_area(spec.area);
    county.units.emplace_back(spec.id, township);
    for (const Village& village_spec : spec.villages) {
      v1::Unit village;
      village.set_display_name(village_spec.display_name);
      village.set_kind(v1::UNIT_KIND_VILLAGE);
      village.set_parent(UnitName(spec.id));
      county.units.emplace_back(absl::StrCat(spec.id, "-", village_spec.id), village);
    }
  }
  for (const RolePrincipal& spec : kRolePrincipals) {
    county.principals.emplace_back(spec.id,
                                   MakePrincipal(spec.id, spec.display_name, spec.role, spec.unit));
  }
  for (const CountyIndicator& spec : kIndicators) {
    v1::Indicator indicator;
    indicator.set_display_name(spec.display_name);
    indicator.set_points(spec.points);
    indicator.set_veto(spec.veto);
    indicator.set_lead_unit(UnitName(spec.lead));
    for (const char* unit : spec.cooperating) indicator.add_cooperating_units(UnitName(unit));
    county.indicators.emplace_back(spec.code, indicator);
  }
  for (const auto& [unit_id, unit] : county.units) {
    county.principals.emplace_back(
        unit_id, MakePrincipal(unit_id, absl::StrCat(unit.display_name(), "经办人"),
                               v1::ROLE_UNIT_STAFF, unit_id));
  }
  return county;
}

}  // namespace duban
