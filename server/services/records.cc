#include "server/services/records.h"

#include "base/status_macros.h"
#include "domain/accountability_records.h"

namespace duban {

absl::StatusOr<Period> ResolveCallPeriod(const Backend& backend, absl::string_view year) {
  return ResolvePeriod("period", year, backend.Now(), backend.settings->calendar()->zone());
}

absl::StatusOr<v1::AccountabilityRecord> RecordOf(const Backend& backend,
                                                  absl::string_view subject,
                                                  const Period& period) {
  ASSIGN_OR_RETURN(RecordSources sources, backend.tickets->RecordSourcesOf(subject, period));
  return BuildRecord(subject, period.year, sources);
}

absl::StatusOr<v1::AccountabilityRecord> RecordOf(const Backend& backend,
                                                  absl::string_view subject,
                                                  absl::string_view year) {
  ASSIGN_OR_RETURN(Period period, ResolveCallPeriod(backend, year));
  return RecordOf(backend, subject, period);
}

}  // namespace duban
