// DrawStore (storage/draw_store.h): spot-check draws stored once, listed
// newest first, kept across reopening, and retried safely.
#include "storage/draw_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/errors.h"
#include "base/time_convert.h"
#include "tests/storage/store_fixture.h"

namespace duban::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class DrawStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    OpenDraws();
  }

  void OpenDraws() {
    absl::StatusOr<std::unique_ptr<DrawStore>> draws = DrawStore::Open(database_.get());
    ASSERT_TRUE(draws.ok()) << draws.status();
    draws_ = *std::move(draws);
  }

  void Reopen() {
    draws_.reset();
    ReopenStores();
    OpenDraws();
  }

  // A draw with the next id, drawn with `seed`.
  v1::Draw NextDraw(int64_t seed) {
    v1::Draw draw;
    draw.set_name(DrawName(draws_->NewDrawId()));
    draw.set_seed(seed);
    draw.set_per_tier(1);
    draw.set_villages_per_township(2);
    v1::DrawnTownship& township = *draw.add_townships();
    township.set_township("units/chengguan");
    township.set_tier(v1::TIER_NEAR);
    township.add_villages("units/chengguan-dongjie");
    draw.set_directory_fingerprint(std::string(64, 'a'));
    draw.set_actor("principals/inspector");
    *draw.mutable_create_time() = ToTimestamp(now_);
    return draw;
  }

  std::vector<std::string> AllNames(int page_size) {
    std::vector<std::string> names;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<DrawPage> page = draws_->List(page_size, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->draws.size(), static_cast<size_t>(page_size));
      for (const v1::Draw& draw : page->draws) names.push_back(draw.name());
      token = page->next_page_token;
      if (token.empty()) return names;
    }
    ADD_FAILURE() << "List never ran out of pages";
    return names;
  }

  std::unique_ptr<DrawStore> draws_;
};

TEST_F(DrawStoreTest, PutStoresTheDrawAndGetReadsIt) {
  const v1::Draw draw = NextDraw(2023);
  ASSERT_EQ(draw.name(), "draws/1");
  ASSERT_OK_AND_ASSIGN(v1::Draw stored, draws_->Put(RequestKey{}, now_, draw));
  EXPECT_EQ(stored.SerializeAsString(), draw.SerializeAsString());
  ASSERT_OK_AND_ASSIGN(v1::Draw read, draws_->Get(1));
  EXPECT_EQ(read.SerializeAsString(), draw.SerializeAsString());

  absl::StatusOr<v1::Draw> missing = draws_->Get(2);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReason(missing.status()), "DRAW_NOT_FOUND");
}

TEST_F(DrawStoreTest, AnEmptyStoreListsNothing) {
  ASSERT_OK_AND_ASSIGN(DrawPage page, draws_->List(10, ""));
  EXPECT_THAT(page.draws, IsEmpty());
  EXPECT_EQ(page.next_page_token, "");
}

TEST_F(DrawStoreTest, ListIsNewestFirstAcrossPages) {
  for (int64_t seed = 1; seed <= 5; ++seed) {
    ASSERT_TRUE(draws_->Put(RequestKey{}, now_, NextDraw(seed)).ok());
  }
  for (int page_size : {1, 2, 5, 50}) {
    EXPECT_THAT(AllNames(page_size),
                ElementsAre("draws/5", "draws/4", "draws/3", "draws/2", "draws/1"))
        << "pages of " << page_size;
  }
  absl::StatusOr<DrawPage> garbage = draws_->List(2, "not-a-token");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(DrawStoreTest, DrawsAndIdsSurviveAReopen) {
  for (int64_t seed = 1; seed <= 3; ++seed) {
    ASSERT_TRUE(draws_->Put(RequestKey{}, now_, NextDraw(seed)).ok());
  }
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(v1::Draw second, draws_->Get(2));
  EXPECT_EQ(second.seed(), 2);
  const v1::Draw next = NextDraw(4);
  EXPECT_EQ(next.name(), "draws/4");
  ASSERT_TRUE(draws_->Put(RequestKey{}, now_, next).ok());
  EXPECT_THAT(AllNames(2), ElementsAre("draws/4", "draws/3", "draws/2", "draws/1"));
}

TEST_F(DrawStoreTest, AnEmptyStoreStartsAtOneAfterAReopen) {
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(NextDraw(1).name(), "draws/1");
}

TEST_F(DrawStoreTest, ARetryReturnsTheFirstDraw) {
  const RequestKey key{
      .principal = "principals/inspector", .request_id = "draw-1", .fingerprint = "seed 7"};
  const v1::Draw first = NextDraw(7);
  ASSERT_OK_AND_ASSIGN(v1::Draw stored, draws_->Put(key, now_, first));
  // The retry would draw again under a new id; it gets the first answer.
  ASSERT_OK_AND_ASSIGN(v1::Draw retried, draws_->Put(key, now_, NextDraw(7)));
  EXPECT_EQ(retried.SerializeAsString(), stored.SerializeAsString());
  EXPECT_THAT(AllNames(10), ElementsAre("draws/1"));
}

TEST_F(DrawStoreTest, NamesRoundTrip) {
  EXPECT_EQ(DrawName(12), "draws/12");
  ASSERT_OK_AND_ASSIGN(uint64_t id, ParseDrawName("draws/12", "name"));
  EXPECT_EQ(id, 12u);
  for (const char* bad : {"", "draws/", "draws/0", "draws/x", "draw/1", "draws/01"}) {
    absl::StatusOr<uint64_t> refused = ParseDrawName(bad, "name");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace duban::storage
