// What a closed and reopened database still holds, and what Open refuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/directory_rules.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/raw_store.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

constexpr char kToken[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

class ReopenTest : public StoreFixture {
 protected:
  std::string StoredFormatVersion() {
    std::string version;
    EXPECT_TRUE(database_->db()
                    ->Get(rocksdb::ReadOptions(), database_->family(Family::kDefault),
                          "format_version", &version)
                    .ok());
    return version;
  }
};

// Puts `version` under "format_version" with RocksDB alone, as another
// release of duban might have left it.
void SetFormatVersion(const std::string& path, const std::string& version) {
  duban::testing::ChangeRawStore(
      path, [&](rocksdb::DB& db, const duban::testing::RawFamilies& families) {
        EXPECT_TRUE(
            db.Put(rocksdb::WriteOptions(), families.at("default"), "format_version", version).ok());
      });
}

TEST_F(ReopenTest, EverythingSurvivesAndIdsAreNotReused) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  ASSERT_TRUE(Sign(2).ok());
  ASSERT_TRUE(Report(2, "half").ok());
  ASSERT_TRUE(Cancel(3).ok());
  ASSERT_TRUE(CreateTicket({.lead = "units/ziran", .parent = "tickets/2"}).ok());
  const RequestKey retried{
      .principal = "principals/leader", .request_id = "r-1", .fingerprint = "f"};
  ASSERT_OK_AND_ASSIGN(v1::Ticket deduplicated, CreateTicket({.lead = "units/ziran"}, retried));
  v1::Unit township;
  township.set_display_name("Xinzhen");
  township.set_kind(v1::UNIT_KIND_TOWNSHIP);
  township.set_tier(v1::TIER_FAR);
  ASSERT_TRUE(directory_
                  ->PutUnit("units/xinzhen", RequestKey{}, now_,
                            [&](const v1::Unit*) { return NewUnit("xinzhen", township, now_); })
                  .ok());
  v1::Principal principal;
  principal.set_display_name("Li");
  principal.add_roles(v1::ROLE_INSPECTOR);
  principal.set_token_sha256(kToken);
  ASSERT_TRUE(
      directory_
          ->PutPrincipal("principals/li", RequestKey{}, now_,
                         [&](const v1::Principal*) { return NewPrincipal("li", principal, now_); })
          .ok());

  std::vector<v1::Ticket> tickets;
  std::vector<std::vector<v1::TicketEvent>> events;
  for (uint64_t id = 1; id <= 5; ++id) {
    ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, tickets_->Get(id));
    tickets.push_back(ticket);
    events.push_back(AllEvents(id));
  }
  const auto index = Dump(*database_, Family::kTicketIndex);
  ASSERT_EQ(tickets_->last_ticket_id(), 5u);

  ASSERT_NO_FATAL_FAILURE(ReopenStores());

  EXPECT_EQ(tickets_->last_ticket_id(), 5u);
  for (uint64_t id = 1; id <= 5; ++id) {
    ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, tickets_->Get(id));
    EXPECT_EQ(ticket.SerializeAsString(), tickets[id - 1].SerializeAsString()) << id;
    const std::vector<v1::TicketEvent> reread = AllEvents(id);
    ASSERT_EQ(reread.size(), events[id - 1].size()) << id;
    for (size_t i = 0; i < reread.size(); ++i) {
      EXPECT_EQ(reread[i].SerializeAsString(), events[id - 1][i].SerializeAsString()) << id;
    }
  }
  EXPECT_EQ(tickets_->Get(2)->rollup().total(), 1);
  EXPECT_TRUE(Dump(*database_, Family::kTicketIndex) == index);
  EXPECT_TRUE(StoreIsConsistent(*database_));
  ASSERT_OK_AND_ASSIGN(TicketPage nongye, tickets_->List({.unit = "units/nongye"}, 10, ""));
  EXPECT_EQ(nongye.tickets.size(), 3u);

  // The next ticket gets a fresh id.
  ASSERT_OK_AND_ASSIGN(v1::Ticket next, CreateTicket({.lead = "units/nongye"}));
  EXPECT_EQ(next.name(), "tickets/6");
  // The request log survived too: the retry gets its first answer.
  ASSERT_OK_AND_ASSIGN(v1::Ticket again, CreateTicket({.lead = "units/ziran"}, retried));
  EXPECT_EQ(again.SerializeAsString(), deduplicated.SerializeAsString());
  EXPECT_EQ(tickets_->last_ticket_id(), 6u);

  std::optional<v1::Unit> unit = directory_->FindUnit("units/xinzhen");
  ASSERT_TRUE(unit.has_value());
  EXPECT_EQ(unit->tier(), v1::TIER_FAR);
  std::optional<v1::Principal> li = directory_->FindPrincipalByToken(kToken);
  ASSERT_TRUE(li.has_value());
  EXPECT_EQ(li->name(), "principals/li");
}

TEST_F(ReopenTest, OpenWritesFormatVersionFour) { EXPECT_EQ(StoredFormatVersion(), "4"); }

// Format 3 lacked only the `auth` family, which opening creates: the store
// opens as it is, and says it is format 4.
TEST_F(ReopenTest, FormatThreeIsUpgradedInPlace) {
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  CloseStores();
  ASSERT_NO_FATAL_FAILURE(SetFormatVersion(path_, "3"));
  ASSERT_NO_FATAL_FAILURE(OpenStores());
  EXPECT_EQ(StoredFormatVersion(), "4");
  EXPECT_TRUE(tickets_->Get(1).ok());
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

TEST_F(ReopenTest, OtherFormatVersionIsFailedPrecondition) {
  ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  for (const char* version : {"1", "5", "0", ""}) {
    ASSERT_TRUE(database_->db()
                    ->Put(rocksdb::WriteOptions(), database_->family(Family::kDefault),
                          "format_version", version)
                    .ok());
    CloseStores();
    absl::StatusOr<std::unique_ptr<Database>> reopened = Database::Open({.path = path_});
    EXPECT_EQ(reopened.status().code(), absl::StatusCode::kFailedPrecondition)
        << "version \"" << version << "\": " << reopened.status();
    EXPECT_THAT(std::string(reopened.status().message()), HasSubstr(path_));
    reopened = absl::UnknownError("closed");
    // With the right version back, the database opens again.
    ASSERT_NO_FATAL_FAILURE(SetFormatVersion(path_, "4"));
    ASSERT_NO_FATAL_FAILURE(OpenStores());
    EXPECT_TRUE(tickets_->Get(1).ok());
  }
}

TEST_F(ReopenTest, SecondOpenOfAnOpenPathIsUnavailable) {
  absl::StatusOr<std::unique_ptr<Database>> second = Database::Open({.path = path_});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
  // The first is unharmed, and once it closes the path opens again.
  EXPECT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  CloseStores();
  absl::StatusOr<std::unique_ptr<Database>> third = Database::Open({.path = path_});
  EXPECT_TRUE(third.ok()) << third.status();
}

// Only a path another process holds is worth retrying; a path that can
// never be a database is not UNAVAILABLE, whatever its name.
TEST_F(ReopenTest, PathThatCannotBeADatabaseIsNotUnavailable) {
  for (const char* name : {"plain", "blocklist", "clock"}) {
    const std::string file = absl::StrCat(scratch_.path(), "/", name);
    std::FILE* created = std::fopen(file.c_str(), "w");
    ASSERT_NE(created, nullptr);
    std::fclose(created);
    absl::StatusOr<std::unique_ptr<Database>> opened = Database::Open({.path = file + "/db"});
    EXPECT_FALSE(opened.ok()) << name;
    EXPECT_NE(opened.status().code(), absl::StatusCode::kUnavailable) << opened.status();
  }
}

// A store of format 2 had no accountability entries in its ticket index:
// opening it rebuilds the whole index from the tickets, as the tickets
// themselves would index it, and stores format 3.
TEST_F(ReopenTest, FormatTwoIsUpgradedByRebuildingTheTicketIndex) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(CreateTicket({.lead = "units/nongye"}).ok());
  ASSERT_TRUE(Sign(1).ok());
  ASSERT_TRUE(Submit(1).ok());
  ASSERT_TRUE(Review(1, true).ok());
  ASSERT_TRUE(EscalateAt(2, now_ + absl::Hours(24 * 30)).ok());
  ASSERT_TRUE(CreateTicket({.lead = "units/ziran", .parent = "tickets/3"}).ok());
  const auto index = Dump(*database_, Family::kTicketIndex);
  std::map<char, int> tags;
  for (const auto& [key, value] : index) ++tags[key[0]];
  ASSERT_GT(tags['c'], 0) << "the escalations of tickets/2 are charged";
  ASSERT_GT(tags['k'], 0) << "tickets/1 is closed";
  ASSERT_EQ(tags['t'], 1);

  // What an older release left: only part of the index (here: nothing of
  // the accountability entries, and a stray entry of no ticket's).
  rocksdb::WriteBatch older;
  for (const auto& [key, value] : index) {
    if (key[0] == 'c' || key[0] == 'k' || key[0] == 't') {
      older.Delete(database_->family(Family::kTicketIndex), key);
    }
  }
  older.Put(database_->family(Family::kTicketIndex), std::string("a\xff\xff"), "stray");
  ASSERT_TRUE(database_->db()->Write(rocksdb::WriteOptions(), &older).ok());
  CloseStores();
  ASSERT_NO_FATAL_FAILURE(SetFormatVersion(path_, "2"));

  ASSERT_NO_FATAL_FAILURE(OpenStores());
  EXPECT_TRUE(Dump(*database_, Family::kTicketIndex) == index);
  EXPECT_EQ(StoredFormatVersion(), "4");
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
