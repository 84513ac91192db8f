// Spot-check draws (抽签): townships stratified by tier (远中近), villages
// inside each, reproducible from a seed.
//
//   ASSIGN_OR_RETURN(v1::Draw draw, DrawSpotCheck(request, townships, villages));
//   RETURN_IF_ERROR(Validate(request, context));  // before opening its tickets
//   ASSIGN_OR_RETURN(Deadline due, InspectionDue(request, context));
//
// The draw depends only on the seed and the candidates, never on the
// machine: the generator is SplitMix64 and the choice a partial
// Fisher–Yates shuffle with rejection sampling, both specified in
// docs/draws.md so anyone can redo a draw by hand or in another language.
#ifndef DUBAN_DOMAIN_SPOT_CHECK_H_
#define DUBAN_DOMAIN_SPOT_CHECK_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/deadlines.h"
#include "domain/loop_context.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/draw.pb.h"
#include "duban/v1/draw_service.pb.h"

namespace duban {

// SplitMix64 (Steele, Lea & Flood, 2014).
class DrawRandom {
 public:
  explicit DrawRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n), n ≥ 1, without modulo bias.
  uint64_t Below(uint64_t n);

 private:
  uint64_t state_;
};

// `count` of `candidates` (names), chosen in order: the partial
// Fisher–Yates shuffle of docs/draws.md.
std::vector<std::string> Choose(std::vector<std::string> candidates, int count, DrawRandom& random);

// Draws from `townships` and `villages` (all of the county's; excluded and
// untiered ones are left out here). Fills seed, counts, exclude, townships
// and directory_fingerprint; the caller names and stamps the draw.
// INVALID_ARGUMENT for bad counts or exclusions; FAILED_PRECONDITION naming
// a tier or township with fewer candidates than asked.
absl::StatusOr<v1::Draw> DrawSpotCheck(const v1::DrawSpotCheckRequest& request,
                                       const std::vector<v1::Unit>& townships,
                                       const std::vector<v1::Unit>& villages);

// Working days a drawn village's inspection is given when the request names
// no due_in.
inline constexpr int kDefaultInspectionDays = 10;

// Whether a draw may open a ticket per drawn village (open_tickets): the
// caller must act for a unit, which inspects them. FAILED_PRECONDITION with
// reason NO_INSPECTION_UNIT when it acts for none; OK when the draw opens
// no tickets.
[[nodiscard]] absl::Status Validate(const v1::DrawSpotCheckRequest& request,
                                    const LoopContext& context);

// When the inspection of each drawn village is due: `due_in` from now, or
// kDefaultInspectionDays working days when it is not given.
// INVALID_ARGUMENT naming due_in for a span ResolveDeadline refuses.
absl::StatusOr<Deadline> InspectionDue(const v1::DrawSpotCheckRequest& request,
                                       const LoopContext& context);

}  // namespace duban

#endif  // DUBAN_DOMAIN_SPOT_CHECK_H_
