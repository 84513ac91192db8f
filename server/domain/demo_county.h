// The demo county that `duband --dev` seeds on an empty store (PRODUCT.md,
// "Demo county"): the county leadership and inspection office, the
// departments the source names, the discipline commission, the organization
// department, the performance office, 13 townships in three tiers and two
// areas (南路, 东路) with three villages each, and principals for every role.
//
// Every principal's token is its id: `leader`, `inspector`, `discipline`,
// `organization`, `performance`, `escalator`, `admin`, and one UNIT_STAFF
// principal per unit whose id (and token) is the unit id, e.g. `nongye`.
#ifndef DUBAN_SERVER_DOMAIN_DEMO_COUNTY_H_
#define DUBAN_SERVER_DOMAIN_DEMO_COUNTY_H_

#include <string>
#include <utility>
#include <vector>

#include "duban/v1/directory.pb.h"

namespace duban {

struct DemoCounty {
  // (unit id, unit), parents before children. Names, times and etags unset.
  std::vector<std::pair<std::string, v1::Unit>> units;
  // (principal id, principal) with token_sha256 set.
  std::vector<std::pair<std::string, v1::Principal>> principals;
};

DemoCounty MakeDemoCounty();

}  // namespace duban

#endif  // DUBAN_SERVER_DOMAIN_DEMO_COUNTY_H_
