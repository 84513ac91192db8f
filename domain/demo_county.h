// The demo county that `duband --dev` seeds on an empty store (PRODUCT.md,
// "Demo county"): the county leadership and inspection office, the
// departments the source names, the discipline commission, the organization
// department, the performance office, 13 townships in three tiers and two
// areas (南路, 东路) with three villages each, and principals for every role.
//
// Every principal's token is its id: `leader`, `inspector`, `discipline`,
// `organization`, `performance`, `escalator`, `admin`, and one UNIT_STAFF
// principal per unit whose id (and token) is the unit id, e.g. `nongye`.
//
// Indicators: the six one-vote-veto indicators of the source (防规模性返贫,
// 粮食播面和产量, 能繁母猪存栏, 大豆扩种, 耕地保护, 农村居民可支配收入增幅)
// and 巩固脱贫成果后评估 (10 points) and 人居环境整治.
#ifndef DUBAN_DOMAIN_DEMO_COUNTY_H_
#define DUBAN_DOMAIN_DEMO_COUNTY_H_

#include <string>
#include <utility>
#include <vector>

#include "duban/v1/directory.pb.h"
#include "duban/v1/performance.pb.h"

namespace duban {

struct DemoCounty {
  // (unit id, unit), parents before children. Names, times and etags unset.
  std::vector<std::pair<std::string, v1::Unit>> units;
  // (principal id, principal) with token_sha256 set.
  std::vector<std::pair<std::string, v1::Principal>> principals;
  // (indicator code, indicator): the six veto indicators of the source and
  // two scored ones.
  std::vector<std::pair<std::string, v1::Indicator>> indicators;
};

DemoCounty MakeDemoCounty();

}  // namespace duban

#endif  // DUBAN_DOMAIN_DEMO_COUNTY_H_
