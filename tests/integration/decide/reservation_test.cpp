// Reservations on a real redis-server: the list fills only while the reservation is open, the
// draw is made once, by the published rule, and the decision script sells to the list only.
#include <algorithm>
#include <cstdio>
#include <set>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include "common/base/clock.hpp"
#include "common/reservation/reservation_book.hpp"
#include "common/reservation/reservation_draw.hpp"
#include "common/store/redis_keys.hpp"
#include "logic/decide/decision.hpp"
#include "logic/upkeep/reservation_drawer.hpp"
#include "tests/support/seckill/products.hpp"
#include "tests/support/servers/redis_suite.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill {
namespace {

constexpr ProductId kProduct = 12;
const keys::GroupId kGroup = keys::default_group(kProduct, keys::kDefaultGroups);

class ReservationTest : public test::RedisSuite {
 protected:
  void SetUp() override {
    RedisSuite::SetUp();
    store_ = std::make_unique<admin::AdminStore>(redis());
    book_ = std::make_unique<ReservationBook>(redis());
    groups_.replace({kGroup});
    config_.redis = server().config();
  }

  // The product with its reservation from `opens` to `closes` (ms from now) and the sale from
  // the close for ten minutes; `draw` winners (0: no draw).
  void load(ProductId id, std::int64_t opens, std::int64_t closes, std::int64_t draw) {
    const std::int64_t now = unix_ms_now();
    Product product = test::payable_product(id, 10, 100, 0);
    product.reservation_opens_ms = now + opens;
    product.reservation_closes_ms = now + closes;
    product.reservation_draw = draw;
    product.start_ms = now + closes;
    product.end_ms = now + closes + 600'000;
    auto loaded = store_->load(product);
    ASSERT_TRUE(loaded) << loaded.error().message;
  }

  ReservationStatus reserve(UserId user, ProductId id = kProduct) {
    auto status = book_->reserve(kGroup, id, user);
    EXPECT_TRUE(status) << status.error().message;
    return status ? *status : ReservationStatus{};
  }

  Code buy(UserId user) {
    PurchaseRequest request{"buy-" + std::to_string(user) + "-" + std::to_string(++requests_),
                            kProduct,
                            user,
                            "seckill:reply:{reservations}",
                            unix_ms_now() + 5000,
                            1};
    auto decisions = decider_.decide(redis(), kGroup, {request});
    if (!decisions || !decisions->front()) return Code::kTimeout;
    return decisions->front()->code;
  }

  std::vector<std::string> members(const std::string& key) {
    auto reply = redis().command({"SMEMBERS", key});
    std::vector<std::string> out;
    if (!reply || !reply->is_array()) return out;
    for (std::size_t i = 0; i < reply->size(); ++i) out.emplace_back(reply_str(reply->element(i)));
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string field(ProductId id, const char* name) {
    return server().command({"HGET", keys::product(kGroup, id), name});
  }

  logic::LogicConfig config_;
  logic::Decider decider_{config_};
  logic::LogicStats stats_;
  logic::ServedGroups groups_;
  std::unique_ptr<admin::AdminStore> store_;
  std::unique_ptr<ReservationBook> book_;
  int requests_ = 0;
};

TEST_F(ReservationTest, TheListFillsOnlyWhileTheReservationIsOpen) {
  load(kProduct, 60'000, 120'000, 0);
  EXPECT_EQ(reserve(1).code, Code::kNotStarted);
  EXPECT_FALSE(reserve(1).reserved);

  load(kProduct, -1000, 60'000, 0);
  ReservationStatus first = reserve(1);
  EXPECT_EQ(first.code, Code::kOk);
  EXPECT_TRUE(first.reserved);
  EXPECT_EQ(first.listed, 1);
  EXPECT_FALSE(first.drawn) << "no draw";
  EXPECT_EQ(reserve(1).listed, 1) << "reserving twice lists once";
  EXPECT_EQ(reserve(2).listed, 2);
  EXPECT_EQ(field(kProduct, "reserved"), "2");
  auto looked = book_->status(kGroup, kProduct, 3);
  ASSERT_TRUE(looked);
  EXPECT_FALSE(looked->reserved) << "looking reserves nothing";
  EXPECT_EQ(looked->listed, 2);

  load(kProduct, -2000, -1, 0);
  EXPECT_EQ(reserve(3).code, Code::kEnded);
  EXPECT_EQ(members(keys::reserved(kGroup, kProduct)), (std::vector<std::string>{"1", "2"}));
  auto none = book_->reserve(kGroup, 99, 1);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->code, Code::kNotFound) << "an unknown product takes no reservations";
}

TEST_F(ReservationTest, WithoutADrawEveryListedUserMayBuyAndNobodyElse) {
  load(kProduct, -1000, 60'000, 0);
  reserve(1);
  reserve(2);
  EXPECT_EQ(buy(1), Code::kNotStarted) << "the sale starts at the close";
  load(kProduct, -2000, -1, 0);
  EXPECT_EQ(buy(1), Code::kPurchased);
  EXPECT_EQ(buy(2), Code::kPurchased);
  EXPECT_EQ(buy(3), Code::kNotOnList);
  EXPECT_EQ(buy(1), Code::kLimitReached) << "the other rules still hold";
  EXPECT_EQ(field(kProduct, "sold"), "2");
}

TEST_F(ReservationTest, TheDrawPicksExactlyNOnceAndOnlyTheWinnersBuy) {
  load(kProduct, -1000, 60'000, 5);
  for (UserId user = 1; user <= 30; ++user) reserve(user);
  logic::ReservationDrawer drawer(config_, stats_, groups_);
  EXPECT_EQ(drawer.draw_once(), 0) << "not closed yet";

  load(kProduct, -2000, -1, 5);
  EXPECT_EQ(buy(1), Code::kUnavailable) << "before the draw nobody buys: try again";
  EXPECT_EQ(drawer.draw_once(), 1);
  EXPECT_EQ(stats_.draws_made.load(), 1u);
  const std::string seed = field(kProduct, "draw_seed");
  ASSERT_TRUE(valid_draw_seed(seed)) << seed;
  EXPECT_EQ(field(kProduct, "drawn"), "5");
  const std::vector<std::string> drawn = members(keys::drawn(kGroup, kProduct));
  std::vector<std::string> expected =
      draw_winners(members(keys::reserved(kGroup, kProduct)), seed, 5);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(drawn, expected) << "the published seed redoes the draw";
  EXPECT_EQ(server().command({"ZCARD", keys::pending_draws(kGroup)}), "0");

  EXPECT_EQ(drawer.draw_once(), 0) << "made once";
  auto again = book_->draw(kGroup, kProduct);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, "already");
  EXPECT_EQ(field(kProduct, "draw_seed"), seed);
  EXPECT_EQ(members(keys::drawn(kGroup, kProduct)), drawn);
  load(kProduct, -2000, -1, 7);
  EXPECT_EQ(drawer.draw_once(), 0) << "a reload does not draw again";
  EXPECT_EQ(members(keys::drawn(kGroup, kProduct)), drawn);

  int bought = 0;
  for (UserId user = 1; user <= 31; ++user) {
    const bool winner = std::find(drawn.begin(), drawn.end(), std::to_string(user)) != drawn.end();
    const Code code = buy(user);
    EXPECT_EQ(code, winner ? Code::kPurchased : Code::kNotOnList) << "user " << user;
    bought += code == Code::kPurchased;
    auto status = book_->status(kGroup, kProduct, user);
    ASSERT_TRUE(status);
    ASSERT_TRUE(status->drawn.has_value());
    EXPECT_EQ(*status->drawn, winner);
  }
  EXPECT_EQ(bought, 5);
}

// draw.lua, inside Redis, applies the rule reservation_draw.hpp documents, for any seed.
TEST_F(ReservationTest, TheScriptDrawsByThePublishedRule) {
  for (ProductId id = 20; id < 28; ++id) {
    Product product = test::payable_product(id, 10, 100, 0);
    product.reservation_opens_ms = unix_ms_now() - 1000;
    product.reservation_closes_ms = unix_ms_now() + 60'000;
    product.reservation_draw = 1 + id % 4;
    product.start_ms = product.reservation_closes_ms;
    product.end_ms = product.start_ms + 600'000;
    product.group = kGroup;
    ASSERT_TRUE(store_->load(product));
    for (UserId user = 1; user <= 12; ++user) reserve(user * 7 + id, id);
    EXPECT_EQ(book_->draw(kGroup, id)->outcome, "not_closed");
    product.reservation_closes_ms = unix_ms_now() - 1;
    product.reservation_opens_ms = product.reservation_closes_ms - 1000;
    product.start_ms = product.reservation_closes_ms;
    ASSERT_TRUE(store_->load(product));
    char seed_text[33];
    std::snprintf(seed_text, sizeof seed_text, "%032llx", 0x9e3779b97f4a7c15ULL * id);
    const std::string seed = seed_text;
    auto outcome = book_->draw(kGroup, id, seed);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->outcome, "drawn");
    EXPECT_EQ(outcome->winners, product.reservation_draw);
    EXPECT_EQ(outcome->listed, 12);
    std::vector<std::string> expected =
        draw_winners(members(keys::reserved(kGroup, id)), seed, product.reservation_draw);
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(members(keys::drawn(kGroup, id)), expected) << "seed " << seed;
  }
  EXPECT_FALSE(book_->draw(kGroup, 20, "not-hex"));
}

}  // namespace
}  // namespace seckill
