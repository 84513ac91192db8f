#include "domain/spot_check.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

namespace duban {
namespace {

constexpr int kMaxPerTier = 20;
constexpr v1::Tier kTierOrder[] = {v1::TIER_FAR, v1::TIER_MIDDLE, v1::TIER_NEAR};

std::string TierLabel(v1::Tier tier) {
  const std::string name = v1::Tier_Name(tier);
  return name.substr(name.find('_') + 1);
}

// The SHA-256 of every candidate — "TIER township" and "township village"
// lines, sorted — so two draws can be shown to have chosen from the same
// county.
std::string CandidateFingerprint(const std::vector<v1::Unit>& townships,
                                 const std::vector<v1::Unit>& villages,
                                 const std::set<std::string>& excluded) {
  std::vector<std::string> lines;
  for (const v1::Unit& township : townships) {
    if (excluded.contains(township.name())) continue;
    lines.push_back(absl::StrCat(TierLabel(township.tier()), " ", township.name()));
  }
  for (const v1::Unit& village : villages) {
    if (excluded.contains(village.name())) continue;
    lines.push_back(absl::StrCat(village.parent(), " ", village.name()));
  }
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
  return Sha256Hex(text);
}

}  // namespace

uint64_t DrawRandom::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t DrawRandom::Below(uint64_t n) {
  // Values below `threshold` would make some results likelier; skip them.
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    const uint64_t value = Next();
    if (value >= threshold) return value % n;
  }
}

std::vector<std::string> Choose(std::vector<std::string> candidates, int count,
                                DrawRandom& random) {
  std::vector<std::string> chosen;
  for (int i = 0; i < count; ++i) {
    const size_t pick = i + random.Below(candidates.size() - i);
    std::swap(candidates[i], candidates[pick]);
    chosen.push_back(candidates[i]);
  }
  return chosen;
}

absl::StatusOr<v1::Draw> DrawSpotCheck(const v1::DrawSpotCheckRequest& request,
                                       const std::vector<v1::Unit>& townships,
                                       const std::vector<v1::Unit>& villages) {
  const int per_tier = request.per_tier() == 0 ? 1 : request.per_tier();
  const int per_township =
      request.villages_per_township() == 0 ? 2 : request.villages_per_township();
  FieldViolations violations;
  if (per_tier < 1 || per_tier > kMaxPerTier) {
    violations.Add("per_tier", absl::StrCat("must be between 1 and ", kMaxPerTier));
  }
  if (per_township < 1 || per_township > kMaxPerTier) {
    violations.Add("villages_per_township", absl::StrCat("must be between 1 and ", kMaxPerTier));
  }
  std::set<std::string> known;
  for (const v1::Unit& unit : townships) known.insert(unit.name());
  for (const v1::Unit& unit : villages) known.insert(unit.name());
  for (int i = 0; i < request.exclude_size(); ++i) {
    if (!known.contains(request.exclude(i))) {
      violations.Add(absl::StrCat("exclude[", i, "]"),
                     absl::StrCat(request.exclude(i), " is not a township or village"));
    }
  }
  CheckText(violations, "request_id", request.request_id(), kRequestId);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::set<std::string> excluded(request.exclude().begin(), request.exclude().end());
  v1::Draw draw;
  draw.set_directory_fingerprint(CandidateFingerprint(townships, villages, excluded));
  draw.set_seed(request.seed());
  draw.set_per_tier(per_tier);
  draw.set_villages_per_township(per_township);
  *draw.mutable_exclude() = request.exclude();
  DrawRandom random(static_cast<uint64_t>(request.seed()));
  for (v1::Tier tier : kTierOrder) {
    std::vector<std::string> candidates;
    for (const v1::Unit& township : townships) {
      if (township.tier() == tier && !excluded.contains(township.name())) {
        candidates.push_back(township.name());
      }
    }
    std::sort(candidates.begin(), candidates.end());
    if (static_cast<int>(candidates.size()) < per_tier) {
      return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NOT_ENOUGH_TOWNSHIPS",
                             absl::StrCat("tier ", TierLabel(tier), " has ", candidates.size(),
                                          " townships to draw from; ", per_tier, " asked"),
                             {{"tier", TierLabel(tier)}});
    }
    for (const std::string& name : Choose(candidates, per_tier, random)) {
      v1::DrawnTownship& drawn = *draw.add_townships();
      drawn.set_township(name);
      drawn.set_tier(tier);
      std::vector<std::string> in_township;
      for (const v1::Unit& village : villages) {
        if (village.parent() == name && !excluded.contains(village.name())) {
          in_township.push_back(village.name());
        }
      }
      std::sort(in_township.begin(), in_township.end());
      if (static_cast<int>(in_township.size()) < per_township) {
        return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NOT_ENOUGH_VILLAGES",
                               absl::StrCat(name, " has ", in_township.size(),
                                            " villages to draw from; ", per_township, " asked"),
                               {{"township", name}});
      }
      for (std::string& village : Choose(in_township, per_township, random)) {
        drawn.add_villages(std::move(village));
      }
    }
  }
  return draw;
}

absl::Status Validate(const v1::DrawSpotCheckRequest& request, const LoopContext& context) {
  if (!request.open_tickets() || !context.caller.unit.empty()) return absl::OkStatus();
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "NO_INSPECTION_UNIT",
      absl::StrCat(context.caller.principal, " acts for no unit that could take the tickets"));
}

absl::StatusOr<Deadline> InspectionDue(const v1::DrawSpotCheckRequest& request,
                                       const LoopContext& context) {
  ASSIGN_OR_RETURN(std::optional<Deadline> due,
                   ResolveDeadline("due_in", google::protobuf::Timestamp(), "due_in",
                                   request.due_in(), context));
  return due ? *due : WorkingDaysFromNow(context, kDefaultInspectionDays);
}

}  // namespace duban
