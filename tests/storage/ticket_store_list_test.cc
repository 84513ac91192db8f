// TicketStore::List: filters, order, pagination, scan budget, roll-up.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/time_convert.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::HasSubstr;

constexpr int kCorpusSize = 25;

bool HasUnit(const v1::Ticket& ticket, const std::string& unit) {
  return ticket.lead_unit() == unit ||
         std::find(ticket.cooperating_units().begin(), ticket.cooperating_units().end(), unit) !=
             ticket.cooperating_units().end();
}

bool Terminal(const v1::Ticket& ticket) {
  return ticket.stage() == v1::STAGE_CLOSED || ticket.stage() == v1::STAGE_CANCELLED;
}

// When the ticket's stage clock runs out; InfiniteFuture for none.
absl::Time Due(const v1::Ticket& ticket) {
  if (Terminal(ticket) || !IsSet(ticket.stage_due_time())) return absl::InfiniteFuture();
  return FromTimestamp(ticket.stage_due_time());
}

std::vector<std::string> Names(const std::vector<v1::Ticket>& tickets) {
  std::vector<std::string> names;
  for (const v1::Ticket& ticket : tickets) names.push_back(ticket.name());
  return names;
}

struct Listing {
  std::vector<v1::Ticket> tickets;
  int pages = 0;
  // Pages with a next token that held fewer than page_size tickets.
  int short_pages = 0;
  // The most tickets one page held.
  size_t largest_page = 0;
};

// Pages through `query` until the token runs out.
absl::StatusOr<Listing> ListAll(const TicketStore& store, const TicketQuery& query, int page_size,
                                int scan_budget = 5000) {
  Listing listing;
  std::string token;
  do {
    if (++listing.pages > 1000) return absl::InternalError("List never ran out of pages");
    absl::StatusOr<TicketPage> page = store.List(query, page_size, token, scan_budget);
    if (!page.ok()) return page.status();
    listing.largest_page = std::max(listing.largest_page, page->tickets.size());
    if (!page->next_page_token.empty() && static_cast<int>(page->tickets.size()) < page_size) {
      ++listing.short_pages;
    }
    for (v1::Ticket& ticket : page->tickets) listing.tickets.push_back(std::move(ticket));
    token = page->next_page_token;
  } while (!token.empty());
  return listing;
}

class TicketStoreListTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    ASSERT_NO_FATAL_FAILURE(MakeCorpus());
  }

  // 25 tickets over every dimension an index has, in every kind of stage:
  // DEPLOY, IMPLEMENT, INSPECT, FEEDBACK, CLOSED and CANCELLED, with stage
  // clocks that tie and that differ. tickets/1 and tickets/2 have
  // sub-tickets.
  void MakeCorpus() {
    const std::string leads[] = {"units/nongye", "units/ziran", "units/chengguan",
                                 "units/chengguan-dongjie"};
    const v1::Severity severities[] = {v1::SEVERITY_NORMAL, v1::SEVERITY_MAJOR,
                                       v1::SEVERITY_HARD_FLAW};
    for (int i = 0; i < kCorpusSize; ++i) {
      TicketSpec spec;
      spec.title = absl::StrCat("ticket ", i);
      spec.kind = i % 9 == 4 ? v1::TICKET_KIND_FINDING : v1::TICKET_KIND_TASK;
      spec.lead = leads[i % 4];
      if (i % 5 == 0) spec.cooperating.push_back("units/ducha");
      if (i % 7 == 3 && spec.lead != "units/nongye") spec.cooperating.push_back("units/nongye");
      spec.severity = severities[i % 3];
      if (i % 4 == 1) spec.indicator = "indicators/gengdi";
      if (i % 4 == 2) spec.indicator = "indicators/liangshi";
      if (i % 3 == 0) spec.location = "units/chengguan";
      if (i % 6 == 1) spec.location = "units/chengguan-dongjie";
      if (i >= 3 && i <= 8) spec.parent = "tickets/1";
      if (i == 20 || i == 21) spec.parent = "tickets/2";
      if (i % 4 == 3) spec.inspection_unit = "units/ziran";
      spec.stage_days = 1 + (i * 7) % 5;
      spec.due_days = 20 + i;
      spec.requires_inspection = i != 11;
      absl::StatusOr<v1::Ticket> created = CreateTicket(spec);
      ASSERT_TRUE(created.ok()) << i << ": " << created.status();
      ASSERT_EQ(TicketId(*created), static_cast<uint64_t>(i + 1));
    }
    for (int i = 0; i < kCorpusSize; ++i) {
      const uint64_t id = i + 1;
      if (i % 6 == 2 || i == 7 || i == 11) {
        ASSERT_TRUE(Sign(id).ok()) << i;
      }
      if (i == 7 || i == 11) {
        ASSERT_TRUE(Submit(id).ok()) << i;
      }
      if (i % 8 == 5) {
        ASSERT_TRUE(Cancel(id).ok()) << i;
      }
    }
    // Cards: the ladder has reached YELLOW on some tickets, REMINDER on one.
    for (uint64_t id : {1, 10, 15, 23}) {
      absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
      ASSERT_TRUE(ticket.ok()) << ticket.status();
      const v1::EscalationLevel level =
          id == 23 ? v1::ESCALATION_LEVEL_REMINDER : v1::ESCALATION_LEVEL_YELLOW;
      ASSERT_TRUE(EscalateAt(id, FireTimes(*ticket).at(level)).ok()) << id;
    }
    for (uint64_t id = 1; id <= kCorpusSize; ++id) {
      absl::StatusOr<v1::Ticket> ticket = tickets_->Get(id);
      ASSERT_TRUE(ticket.ok()) << ticket.status();
      all_.push_back(*std::move(ticket));
    }
    std::set<v1::Stage> stages;
    for (const v1::Ticket& ticket : all_) stages.insert(ticket.stage());
    ASSERT_EQ(stages.size(), 6u) << "the corpus should cover six stages";
    std::set<v1::Card> cards;
    std::set<std::string> signers;
    for (const v1::Ticket& ticket : all_) {
      cards.insert(ticket.card());
      signers.insert(ticket.responsible_principal());
    }
    ASSERT_TRUE(cards.contains(v1::CARD_YELLOW) && cards.contains(v1::CARD_REMINDER) &&
                cards.contains(v1::CARD_NONE));
    ASSERT_GE(signers.size(), 3u) << "no one, and at least two different signers";
  }

  // The tickets `matches` picks, in the order List promises: stage due time
  // (none last), then id.
  std::vector<std::string> Expected(const std::function<bool(const v1::Ticket&)>& matches) const {
    std::vector<v1::Ticket> picked;
    for (const v1::Ticket& ticket : all_) {
      if (matches(ticket)) picked.push_back(ticket);
    }
    std::stable_sort(picked.begin(), picked.end(), [](const v1::Ticket& a, const v1::Ticket& b) {
      if (Due(a) != Due(b)) return Due(a) < Due(b);
      return TicketId(a) < TicketId(b);
    });
    return Names(picked);
  }

  const v1::Ticket& Nth(int i) const { return all_[i]; }

  std::vector<v1::Ticket> all_;
};

struct QueryCase {
  const char* what;
  TicketQuery query;
  std::function<bool(const v1::Ticket&)> matches;
};

std::vector<QueryCase> QueryCases(absl::Time boundary) {
  const absl::Time far = TestStart() + absl::Hours(24 * 1000);
  return {
      {"everything", {}, [](const v1::Ticket&) { return true; }},
      {"lead or cooperating unit nongye",
       {.unit = "units/nongye"},
       [](const v1::Ticket& t) { return HasUnit(t, "units/nongye"); }},
      {"cooperating-only unit ducha",
       {.unit = "units/ducha"},
       [](const v1::Ticket& t) { return HasUnit(t, "units/ducha"); }},
      {"unit chengguan, not chengguan-dongjie",
       {.unit = "units/chengguan"},
       [](const v1::Ticket& t) { return HasUnit(t, "units/chengguan"); }},
      {"stage DEPLOY",
       {.stage = v1::STAGE_DEPLOY},
       [](const v1::Ticket& t) { return t.stage() == v1::STAGE_DEPLOY; }},
      {"stage IMPLEMENT",
       {.stage = v1::STAGE_IMPLEMENT},
       [](const v1::Ticket& t) { return t.stage() == v1::STAGE_IMPLEMENT; }},
      {"stage CANCELLED",
       {.stage = v1::STAGE_CANCELLED},
       [](const v1::Ticket& t) { return t.stage() == v1::STAGE_CANCELLED; }},
      {"severity MAJOR",
       {.severity = v1::SEVERITY_MAJOR},
       [](const v1::Ticket& t) { return t.severity() == v1::SEVERITY_MAJOR; }},
      {"indicator gengdi",
       {.indicator = "indicators/gengdi"},
       [](const v1::Ticket& t) { return t.indicator() == "indicators/gengdi"; }},
      {"indicator nobody has",
       {.indicator = "indicators/none"},
       [](const v1::Ticket&) { return false; }},
      {"location chengguan-dongjie",
       {.location = "units/chengguan-dongjie"},
       [](const v1::Ticket& t) { return t.location() == "units/chengguan-dongjie"; }},
      {"parent tickets/1",
       {.parent = "tickets/1"},
       [](const v1::Ticket& t) { return t.parent() == "tickets/1"; }},
      {"unit nongye and severity HARD_FLAW",
       {.unit = "units/nongye", .severity = v1::SEVERITY_HARD_FLAW},
       [](const v1::Ticket& t) {
         return HasUnit(t, "units/nongye") && t.severity() == v1::SEVERITY_HARD_FLAW;
       }},
      {"stage DEPLOY at location chengguan",
       {.stage = v1::STAGE_DEPLOY, .location = "units/chengguan"},
       [](const v1::Ticket& t) {
         return t.stage() == v1::STAGE_DEPLOY && t.location() == "units/chengguan";
       }},
      {"signed for by staff of chengguan",
       {.responsible_principal = "principals/staff-chengguan"},
       [](const v1::Ticket& t) {
         return t.responsible_principal() == "principals/staff-chengguan";
       }},
      {"signed for by someone who signed nothing",
       {.responsible_principal = "principals/staff-ziran"},
       [](const v1::Ticket& t) { return t.responsible_principal() == "principals/staff-ziran"; }},
      {"inspected by ducha",
       {.inspection_unit = "units/ducha"},
       [](const v1::Ticket& t) { return t.inspection_unit() == "units/ducha"; }},
      {"inspected by ziran",
       {.inspection_unit = "units/ziran"},
       [](const v1::Ticket& t) { return t.inspection_unit() == "units/ziran"; }},
      {"inspected by a unit that inspects nothing",
       {.inspection_unit = "units/zuzhi"},
       [](const v1::Ticket& t) { return t.inspection_unit() == "units/zuzhi"; }},
      {"yellow card",
       {.card = v1::CARD_YELLOW},
       [](const v1::Ticket& t) { return t.card() == v1::CARD_YELLOW; }},
      {"reminder card in unit chengguan",
       {.unit = "units/chengguan", .card = v1::CARD_REMINDER},
       [](const v1::Ticket& t) {
         return HasUnit(t, "units/chengguan") && t.card() == v1::CARD_REMINDER;
       }},
      {"held by nongye",
       {.holder_unit = "units/nongye"},
       [](const v1::Ticket& t) { return t.holder_unit() == "units/nongye"; }},
      {"held by inspector ziran, signed for by staff of chengguan-dongjie",
       {.holder_unit = "units/ziran",
        .responsible_principal = "principals/staff-chengguan-dongjie"},
       [](const v1::Ticket& t) {
         return t.holder_unit() == "units/ziran" &&
                t.responsible_principal() == "principals/staff-chengguan-dongjie";
       }},
      {"overdue strictly before a stage deadline",
       {.overdue = true, .as_of = boundary},
       [boundary](const v1::Ticket& t) { return !Terminal(t) && Due(t) < boundary; }},
      {"overdue long after",
       {.overdue = true, .as_of = far},
       [far](const v1::Ticket& t) { return !Terminal(t) && Due(t) < far; }},
      {"overdue long after, unit ziran",
       {.unit = "units/ziran", .overdue = true, .as_of = far},
       [far](const v1::Ticket& t) {
         return HasUnit(t, "units/ziran") && !Terminal(t) && Due(t) < far;
       }},
  };
}

TEST_F(TicketStoreListTest, EveryPageSizeReturnsEachMatchOnceInOrder) {
  // tickets/2 is in DEPLOY on a 3-working-day clock, like others.
  ASSERT_EQ(Nth(1).stage(), v1::STAGE_DEPLOY);
  const absl::Time boundary = FromTimestamp(Nth(1).stage_due_time());
  for (const QueryCase& c : QueryCases(boundary)) {
    const std::vector<std::string> expected = Expected(c.matches);
    for (int page_size : {1, 2, 7, 1000}) {
      absl::StatusOr<Listing> listing = ListAll(*tickets_, c.query, page_size);
      ASSERT_TRUE(listing.ok()) << c.what << ": " << listing.status();
      EXPECT_EQ(Names(listing->tickets), expected) << c.what << ", page_size " << page_size;
      EXPECT_LE(listing->largest_page, static_cast<size_t>(page_size)) << c.what;
    }
  }
}

TEST_F(TicketStoreListTest, ForEachVisitsEveryMatchOnceInOrder) {
  const absl::Time boundary = FromTimestamp(Nth(1).stage_due_time());
  for (const QueryCase& c : QueryCases(boundary)) {
    std::vector<v1::Ticket> visited;
    ASSERT_TRUE(
        tickets_->ForEach(c.query, [&](const v1::Ticket& ticket) { visited.push_back(ticket); })
            .ok())
        << c.what;
    EXPECT_EQ(Names(visited), Expected(c.matches)) << c.what;
    // Whole tickets, roll-up included, as Get returns them.
    for (const v1::Ticket& ticket : visited) {
      ASSERT_OK_AND_ASSIGN(v1::Ticket got, tickets_->Get(TicketId(ticket), c.query.as_of));
      EXPECT_EQ(ticket.SerializeAsString(), got.SerializeAsString()) << c.what;
    }
  }
}

TEST_F(TicketStoreListTest, CorpusExercisesTheInterestingCases) {
  // Guards the cases above against a corpus that makes them trivial.
  const absl::Time boundary = FromTimestamp(Nth(1).stage_due_time());
  const std::vector<std::string> everything = Expected([](const v1::Ticket&) { return true; });
  ASSERT_EQ(everything.size(), static_cast<size_t>(kCorpusSize));
  // Terminal tickets come last.
  EXPECT_TRUE(Terminal(*std::find_if(all_.begin(), all_.end(), [&](const v1::Ticket& t) {
    return t.name() == everything.back();
  })));
  const size_t overdue =
      Expected([&](const v1::Ticket& t) { return !Terminal(t) && Due(t) < boundary; }).size();
  const size_t at_boundary =
      Expected([&](const v1::Ticket& t) { return !Terminal(t) && Due(t) == boundary; }).size();
  EXPECT_GT(overdue, 0u);
  EXPECT_GE(at_boundary, 2u) << "tickets due exactly at as_of must be there to be left out";
  EXPECT_GT(
      Expected([](const v1::Ticket& t) { return HasUnit(t, "units/chengguan-dongjie"); }).size(),
      0u);
  // Every case but those meant to find nothing finds something, and none
  // finds everything but "everything".
  for (const QueryCase& c : QueryCases(boundary)) {
    const std::string what = c.what;
    const size_t found = Expected(c.matches).size();
    if (what.find("nobody") == std::string::npos && what.find("nothing") == std::string::npos) {
      EXPECT_GT(found, 0u) << what;
    }
    if (what != "everything" && what.find("long after") == std::string::npos) {
      EXPECT_LT(found, static_cast<size_t>(kCorpusSize)) << what;
    }
  }
}

TEST_F(TicketStoreListTest, OverdueIsStrictlyBeforeAsOfAndNeverTerminal) {
  const absl::Time boundary = FromTimestamp(Nth(1).stage_due_time());
  struct Case {
    absl::Time as_of;
    bool includes_tickets_2;
  };
  const Case cases[] = {{boundary, false},
                        {boundary + absl::Microseconds(1), true},
                        {boundary - absl::Microseconds(1), false}};
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(Listing listing,
                         ListAll(*tickets_, {.overdue = true, .as_of = c.as_of}, 100));
    const std::vector<std::string> names = Names(listing.tickets);
    EXPECT_EQ(std::count(names.begin(), names.end(), "tickets/2") == 1, c.includes_tickets_2)
        << absl::FormatTime(c.as_of);
    for (const v1::Ticket& ticket : listing.tickets) {
      EXPECT_FALSE(Terminal(ticket)) << ticket.name();
      EXPECT_LT(Due(ticket), c.as_of) << ticket.name();
    }
  }
}

// Stage clocks run out on whole seconds; an as_of a few nanoseconds later
// is strictly after them, so those tickets are overdue.
TEST_F(TicketStoreListTest, OverdueCountsAsOfWithinTheSameMicrosecond) {
  const absl::Time boundary = FromTimestamp(Nth(1).stage_due_time());
  const std::vector<std::string> expected =
      Expected([&](const v1::Ticket& t) { return !Terminal(t) && Due(t) <= boundary; });
  ASSERT_GE(expected.size(), 3u);
  for (absl::Duration after : {absl::Nanoseconds(1), absl::Nanoseconds(999)}) {
    const TicketQuery query{.overdue = true, .as_of = boundary + after};
    // The query itself says these tickets are overdue...
    EXPECT_TRUE(query.Matches(Nth(1))) << absl::FormatDuration(after);
    // ...and List must return them.
    ASSERT_OK_AND_ASSIGN(Listing listing, ListAll(*tickets_, query, 100));
    EXPECT_EQ(Names(listing.tickets), expected) << "as_of = due + " << absl::FormatDuration(after);
  }
}

TEST_F(TicketStoreListTest, SmallScanBudgetStillFindsEveryMatch) {
  const absl::Time far = TestStart() + absl::Hours(24 * 1000);
  struct Case {
    const char* what;
    TicketQuery query;
    std::function<bool(const v1::Ticket&)> matches;
  };
  const Case cases[] = {
      {"everything", {}, [](const v1::Ticket&) { return true; }},
      {"stage DEPLOY and severity MAJOR",
       {.stage = v1::STAGE_DEPLOY, .severity = v1::SEVERITY_MAJOR},
       [](const v1::Ticket& t) {
         return t.stage() == v1::STAGE_DEPLOY && t.severity() == v1::SEVERITY_MAJOR;
       }},
      {"severity HARD_FLAW and overdue",
       {.severity = v1::SEVERITY_HARD_FLAW, .overdue = true, .as_of = far},
       [far](const v1::Ticket& t) {
         return t.severity() == v1::SEVERITY_HARD_FLAW && !Terminal(t) && Due(t) < far;
       }},
      {"unit chengguan and stage CLOSED",
       {.unit = "units/chengguan", .stage = v1::STAGE_CLOSED},
       [](const v1::Ticket& t) {
         return HasUnit(t, "units/chengguan") && t.stage() == v1::STAGE_CLOSED;
       }},
  };
  for (const Case& c : cases) {
    const std::vector<std::string> expected = Expected(c.matches);
    for (int page_size : {1, 2, 100}) {
      ASSERT_OK_AND_ASSIGN(Listing listing, ListAll(*tickets_, c.query, page_size, 3));
      EXPECT_EQ(Names(listing.tickets), expected) << c.what << ", page_size " << page_size;
      EXPECT_LE(listing.largest_page, 3u) << c.what;
    }
  }
  // The budget caps each page even with room to spare.
  ASSERT_OK_AND_ASSIGN(Listing everything, ListAll(*tickets_, {}, 100, 3));
  EXPECT_GE(everything.pages, (kCorpusSize + 2) / 3);
  // A selective filter leaves some pages short (or empty) with a token.
  ASSERT_OK_AND_ASSIGN(
      Listing selective,
      ListAll(*tickets_, {.stage = v1::STAGE_DEPLOY, .severity = v1::SEVERITY_MAJOR}, 100, 3));
  EXPECT_GT(selective.short_pages, 0);
}

TEST_F(TicketStoreListTest, RefusesTokensOfOtherQueriesAndGarbage) {
  const absl::Time far = TestStart() + absl::Hours(24 * 1000);
  struct Case {
    const char* what;
    TicketQuery first;
    TicketQuery second;
  };
  const Case cases[] = {
      {"another unit", {.unit = "units/nongye"}, {.unit = "units/ziran"}},
      {"same index, one more term",
       {.stage = v1::STAGE_DEPLOY},
       {.stage = v1::STAGE_DEPLOY, .severity = v1::SEVERITY_MAJOR}},
      {"one term fewer",
       {.unit = "units/nongye", .severity = v1::SEVERITY_MAJOR},
       {.unit = "units/nongye"}},
      {"another as_of",
       {.overdue = true, .as_of = far},
       {.overdue = true, .as_of = far + absl::Seconds(1)}},
      {"overdue dropped", {.overdue = true, .as_of = far}, {}},
      {"whole store to a unit", {}, {.unit = "units/nongye"}},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(TicketPage page, tickets_->List(c.first, 1, ""));
    ASSERT_FALSE(page.next_page_token.empty()) << c.what;
    absl::StatusOr<TicketPage> reused = tickets_->List(c.second, 1, page.next_page_token);
    EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument) << c.what;
    EXPECT_THAT(std::string(reused.status().message()), HasSubstr("page_token")) << c.what;
  }

  ASSERT_OK_AND_ASSIGN(EventPage events, tickets_->ListEvents(8, 1, ""));
  ASSERT_FALSE(events.next_page_token.empty());
  const std::string garbage[] = {"garbage!", "dGVzdA", "AAAAAAAAAAAAAAAAAAAA", "%%",
                                 events.next_page_token};
  for (const std::string& token : garbage) {
    absl::StatusOr<TicketPage> listed = tickets_->List({}, 5, token);
    EXPECT_EQ(listed.status().code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_THAT(std::string(listed.status().message()), HasSubstr("page_token")) << token;
  }
}

TEST_F(TicketStoreListTest, TokensSurviveAReopen) {
  const TicketQuery query{.unit = "units/nongye"};
  const std::vector<std::string> expected =
      Expected([](const v1::Ticket& t) { return HasUnit(t, "units/nongye"); });
  ASSERT_GE(expected.size(), 3u);
  ASSERT_OK_AND_ASSIGN(TicketPage first, tickets_->List(query, 2, ""));
  ASSERT_FALSE(first.next_page_token.empty());
  ASSERT_NO_FATAL_FAILURE(ReopenStores());
  std::vector<std::string> names = Names(first.tickets);
  std::string token = first.next_page_token;
  while (!token.empty()) {
    ASSERT_OK_AND_ASSIGN(TicketPage page, tickets_->List(query, 2, token));
    for (const std::string& name : Names(page.tickets)) names.push_back(name);
    token = page.next_page_token;
  }
  EXPECT_EQ(names, expected);
}

// The roll-up of `parent` computed from the corpus.
std::map<v1::Stage, int> ChildStages(const std::vector<v1::Ticket>& tickets,
                                     const std::string& parent) {
  std::map<v1::Stage, int> counts;
  for (const v1::Ticket& ticket : tickets) {
    if (ticket.parent() == parent) ++counts[ticket.stage()];
  }
  return counts;
}

std::map<v1::Stage, int> RollupStages(const v1::Ticket& ticket) {
  std::map<v1::Stage, int> counts;
  v1::Stage previous = v1::STAGE_UNSPECIFIED;
  for (const v1::StageCount& count : ticket.rollup().by_stage()) {
    EXPECT_GT(count.stage(), previous) << ticket.name() << ": by_stage out of stage order";
    EXPECT_GT(count.count(), 0) << ticket.name();
    previous = count.stage();
    counts[count.stage()] = count.count();
  }
  int total = 0;
  for (const auto& [stage, count] : counts) total += count;
  EXPECT_EQ(ticket.rollup().total(), total) << ticket.name();
  return counts;
}

TEST_F(TicketStoreListTest, RollupCountsSubTicketsByStage) {
  struct Case {
    uint64_t parent;
    int total;
  };
  for (const Case& c : {Case{1, 6}, Case{2, 2}, Case{3, 0}, Case{25, 0}}) {
    const std::string name = TicketName(c.parent);
    ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, tickets_->Get(c.parent));
    EXPECT_EQ(ticket.rollup().total(), c.total) << name;
    EXPECT_EQ(RollupStages(ticket), ChildStages(all_, name)) << name;
  }
  // tickets/1's sub-tickets are in four different stages.
  EXPECT_GE(ChildStages(all_, "tickets/1").size(), 4u);

  // List carries the same roll-ups.
  ASSERT_OK_AND_ASSIGN(Listing listing, ListAll(*tickets_, {}, 4));
  for (const v1::Ticket& ticket : listing.tickets) {
    EXPECT_EQ(RollupStages(ticket), ChildStages(all_, ticket.name())) << ticket.name();
  }
}

TEST_F(TicketStoreListTest, RollupFollowsSubTicketChanges) {
  ASSERT_OK_AND_ASSIGN(const v1::Ticket parent_before, tickets_->Get(1));
  // tickets/4 (a sub-ticket of tickets/1) is signed; a new sub-ticket comes.
  ASSERT_EQ(Nth(3).stage(), v1::STAGE_DEPLOY);
  ASSERT_TRUE(Sign(4).ok());
  ASSERT_OK_AND_ASSIGN(v1::Ticket child,
                       CreateTicket({.lead = "units/ziran", .parent = "tickets/1"}));
  EXPECT_FALSE(child.has_rollup());

  std::map<v1::Stage, int> expected = ChildStages(all_, "tickets/1");
  --expected[v1::STAGE_DEPLOY];
  ++expected[v1::STAGE_IMPLEMENT];
  ++expected[v1::STAGE_DEPLOY];
  std::erase_if(expected, [](const auto& entry) { return entry.second == 0; });

  ASSERT_OK_AND_ASSIGN(v1::Ticket parent_after, tickets_->Get(1));
  EXPECT_EQ(parent_after.rollup().total(), parent_before.rollup().total() + 1);
  EXPECT_EQ(RollupStages(parent_after), expected);
  // The roll-up is computed on read: the parent itself was not written.
  EXPECT_EQ(parent_after.etag(), parent_before.etag());

  ASSERT_OK_AND_ASSIGN(TicketPage page, tickets_->List({.stage = v1::STAGE_DEPLOY}, 100, ""));
  auto listed = std::find_if(page.tickets.begin(), page.tickets.end(),
                             [](const v1::Ticket& t) { return t.name() == "tickets/1"; });
  ASSERT_NE(listed, page.tickets.end());
  EXPECT_EQ(RollupStages(*listed), expected);
  EXPECT_TRUE(StoreIsConsistent(*database_));
}

}  // namespace
}  // namespace duban::storage
