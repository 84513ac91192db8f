#include "storage/draw_store.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "domain/resource_names.h"
#include "storage/big_endian.h"
#include "storage/paged_scan.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"
#include "storage/ticket_keys.h"

namespace duban::storage {
namespace {

constexpr absl::string_view kDrawsPrefix = "draws/";

std::string DrawKey(uint64_t id) { return TicketKey(~id); }

}  // namespace

absl::StatusOr<uint64_t> ParseDrawName(absl::string_view name, absl::string_view field) {
  return ParseNumberedName(name, kDrawsPrefix, field);
}

std::string DrawName(uint64_t id) { return absl::StrCat(kDrawsPrefix, id); }

absl::StatusOr<std::unique_ptr<DrawStore>> DrawStore::Open(Database* database) {
  // Newest first: the first key is the highest id.
  PrefixScan scan(*database, Family::kDraws, "");
  scan.Seek();
  RETURN_IF_ERROR(scan.status());
  const uint64_t next_id = scan.Valid() ? ~ReadBigEndian64(scan.key()) + 1 : 1;
  return std::unique_ptr<DrawStore>(new DrawStore(database, next_id));
}

absl::StatusOr<v1::Draw> DrawStore::Get(uint64_t id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(rocksdb::ReadOptions(),
                                                database_->family(Family::kDraws), DrawKey(id), &value);
  if (status.IsNotFound()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "DRAW_NOT_FOUND",
                           absl::StrCat("no draw ", DrawName(id)));
  }
  RETURN_IF_ERROR(FromRocks(status, "read draw"));
  v1::Draw draw;
  RETURN_IF_ERROR(DecodeRecord(value, draw));
  return draw;
}

absl::StatusOr<DrawPage> DrawStore::List(int page_size, absl::string_view page_token) const {
  PrefixScan scan(*database_, Family::kDraws, "");
  DrawPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      ScanPage(scan, {.scope = "draws", .page_size = page_size, .page_token = page_token},
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 RETURN_IF_ERROR(DecodeRecord(value, page.draws.emplace_back()));
                 return true;
               }));
  return page;
}

void DrawStore::Stage(AuditedBatch& batch, const v1::Draw& draw) const {
  absl::StatusOr<uint64_t> id = ParseDrawName(draw.name(), "name");
  batch.PutRecord(AuditKind::kDraw, database_->family(Family::kDraws), DrawKey(id.ok() ? *id : 0),
                  EncodeRecord(draw));
}

absl::StatusOr<v1::Draw> DrawStore::Put(const RequestKey& request, absl::Time now,
                                        const v1::Draw& draw) {
  ASSIGN_OR_RETURN(std::string reply,
                   requests_.Run(request, now,
                                 [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
                                   Stage(batch, draw);
                                   return draw.SerializeAsString();
                                 }));
  v1::Draw stored;
  if (!stored.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return stored;
}

}  // namespace duban::storage
