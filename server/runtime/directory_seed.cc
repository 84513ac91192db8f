#include "server/runtime/directory_seed.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/text_file.h"
#include "domain/demo_county.h"
#include "domain/directory_rules.h"
#include "domain/indicator_rules.h"
#include "domain/resource_names.h"
#include "google/protobuf/util/json_util.h"

namespace duban {

absl::Status SeedDemoCounty(storage::DirectoryStore& directory, absl::Time now) {
  if (!directory.empty()) return absl::OkStatus();
  DemoCounty county = MakeDemoCounty();
  std::vector<v1::Unit> units;
  for (const auto& [id, unit] : county.units) units.push_back(NewUnit(id, unit, now));
  std::vector<v1::Principal> principals;
  for (const auto& [id, principal] : county.principals) {
    principals.push_back(NewPrincipal(id, principal, now));
  }
  std::vector<v1::Indicator> indicators;
  for (const auto& [code, indicator] : county.indicators) {
    indicators.push_back(NewIndicator(code, indicator, now));
  }
  return directory.PutAll(units, principals, indicators);
}

absl::Status LoadPrincipalsFile(const std::string& path, storage::DirectoryStore& directory,
                                absl::Time now) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return absl::NotFoundError(absl::StrCat("cannot read principals file ", path));
  v1::PrincipalsFile file;
  if (auto parsed = google::protobuf::util::JsonStringToMessage(*text, &file); !parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a principals file: ", parsed.message().as_string()));
  }
  for (int i = 0; i < file.principals_size(); ++i) {
    const v1::Principal& entry = file.principals(i);
    const std::string where = absl::StrCat(path, ": principals[", i, "]");
    if (!IsValidName(entry.name(), kPrincipalsPrefix)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".name must be a principal name like principals/li"));
    }
    if (absl::Status valid = ValidatePrincipal(absl::StrCat("principals[", i, "]."), entry,
                                               /*token_required=*/true, directory);
        !valid.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", valid.message()));
    }
    absl::StatusOr<v1::Principal> stored = directory.PutPrincipal(
        entry.name(), storage::RequestKey{}, now,
        [&](const v1::Principal* current) -> absl::StatusOr<v1::Principal> {
          if (current != nullptr) return UpdatedPrincipal(*current, entry, now);
          return NewPrincipal(IdOf(entry.name(), kPrincipalsPrefix), entry, now);
        });
    if (!stored.ok())
      return absl::Status(stored.status().code(),
                          absl::StrCat(where, ": ", stored.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace duban
