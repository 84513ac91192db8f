// DrawStore: spot-check draws, stored once and never changed.
//
// Column family `draws`: key = ~id (8 bytes BE, newest first) → record(Draw).
//
// A draw that opens tickets is written with them (TicketStore::CreateMany,
// staging the draw with Stage); a draw without tickets with Put. Thread-safe.
#ifndef DUBAN_STORAGE_DRAW_STORE_H_
#define DUBAN_STORAGE_DRAW_STORE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "duban/v1/draw.pb.h"
#include "storage/audited_batch.h"
#include "storage/database.h"
#include "storage/request_log.h"

namespace duban::storage {

struct DrawPage {
  std::vector<v1::Draw> draws;
  std::string next_page_token;
};

class DrawStore {
 public:
  // `database` is not owned and must outlive the store.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<DrawStore>> Open(Database* database);

  DrawStore(const DrawStore&) = delete;
  DrawStore& operator=(const DrawStore&) = delete;

  uint64_t NewDrawId() { return next_id_.fetch_add(1); }
  // NOT_FOUND naming it if absent.
  absl::StatusOr<v1::Draw> Get(uint64_t id) const;
  // Newest first.
  absl::StatusOr<DrawPage> List(int page_size, absl::string_view page_token) const;

  // Adds `draw` (named `draws/{id}`) to `batch`.
  void Stage(AuditedBatch& batch, const v1::Draw& draw) const;
  // Stores `draw` alone, in one synced write with the request record;
  // returns the first answer to a retried request.
  absl::StatusOr<v1::Draw> Put(const RequestKey& request, absl::Time now, const v1::Draw& draw);

 private:
  DrawStore(Database* database, uint64_t next_id)
      : database_(database), requests_(database->requests()), next_id_(next_id) {}

  Database* database_;
  // The database's one request log (Database::requests()), shared by every store.
  RequestLog& requests_;
  std::atomic<uint64_t> next_id_;
};

// `draws/{n}` → n; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<uint64_t> ParseDrawName(absl::string_view name, absl::string_view field);
std::string DrawName(uint64_t id);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_DRAW_STORE_H_
