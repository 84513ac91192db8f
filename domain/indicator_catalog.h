// IndicatorCatalog: how the domain looks performance indicators up.
// storage::DirectoryStore implements it.
#ifndef DUBAN_DOMAIN_INDICATOR_CATALOG_H_
#define DUBAN_DOMAIN_INDICATOR_CATALOG_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "duban/v1/performance.pb.h"

namespace duban {

class IndicatorCatalog {
 public:
  virtual ~IndicatorCatalog() = default;
  // The indicator named `name` (`indicators/{code}`), or nullopt.
  // Thread-safe.
  virtual std::optional<v1::Indicator> FindIndicator(absl::string_view name) const = 0;
};

}  // namespace duban

#endif  // DUBAN_DOMAIN_INDICATOR_CATALOG_H_
