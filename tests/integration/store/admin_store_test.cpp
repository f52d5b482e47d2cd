#include "tools/admin/admin_store.hpp"

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"
#include "logic/decide/decision.hpp"
#include "tests/support/servers/redis_suite.hpp"

namespace seckill::admin {
namespace {

// The product of these tests is not pinned: it lives in the group its id hashes to.
const keys::GroupId kGroup = keys::default_group(5, keys::kDefaultGroups);

class AdminStoreTest : public test::RedisSuite {
 protected:
  void SetUp() override {
    RedisSuite::SetUp();
    store_ = std::make_unique<AdminStore>(redis());
  }

  Product product(std::int64_t total) {
    Product p;
    p.id = 5;
    p.name = "five";
    p.total = total;
    p.start_ms = unix_ms_now() - 1000;
    p.end_ms = unix_ms_now() + 60000;
    return p;
  }

  void buy(UserId user) {
    logic::LogicConfig config;
    logic::Decider decider(config);
    PurchaseRequest r{"buy-" + std::to_string(user), 5, user, "seckill:reply:{admin}",
                      unix_ms_now() + 5000};
    auto decisions = decider.decide(redis(), kGroup, {r});
    ASSERT_TRUE(decisions && decisions->front());
    ASSERT_EQ(decisions->front()->code, Code::kPurchased);
  }

  std::unique_ptr<AdminStore> store_;
};

TEST_F(AdminStoreTest, LoadCreatesTheProduct) {
  auto outcome = store_->load(product(10));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->left, 10);
  auto status = store_->status(5);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->name, "five");
  EXPECT_EQ(status->total, 10);
  auto ids = store_->product_ids();
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, std::vector<ProductId>{5});
}

// The first load writes the layout; products go to the group their id hashes to, or to the one
// they pin; the directory names each product's group; a product never moves.
TEST_F(AdminStoreTest, ProductsGoToTheirGroupsAndStayThere) {
  ASSERT_TRUE(store_->load(product(10)));
  EXPECT_EQ(server().command({"HGET", keys::kLayout, "groups"}), "16");
  EXPECT_EQ(server().command({"HGET", keys::kProducts, "5"}), std::to_string(kGroup));
  EXPECT_EQ(server().command({"EXISTS", keys::product(kGroup, 5)}), "1");

  Product pinned = product(7);
  pinned.id = 6;
  pinned.group = 900;
  auto outcome = store_->load(pinned);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->group, 900);
  EXPECT_EQ(server().command({"HGET", keys::product(900, 6), "left"}), "7");
  EXPECT_EQ(store_->group_of(6).value(), 900);

  pinned.group = 901;
  auto moved = store_->load(pinned);
  ASSERT_FALSE(moved) << "its sales would be stranded in group 900";
  EXPECT_NE(moved.error().message.find("group 900"), std::string::npos) << moved.error().message;
  EXPECT_EQ(server().command({"EXISTS", keys::product(901, 6)}), "0");
  pinned.group.reset();
  ASSERT_TRUE(store_->load(pinned)) << "unpinned, it keeps the group it has";
  EXPECT_EQ(store_->group_of(6).value(), 900);
  EXPECT_FALSE(store_->group_of(77)) << "not listed";
}

// A store laid out over 4 groups stays so, whatever a later admin is told by default.
TEST_F(AdminStoreTest, LaterLoadsFollowTheStoredLayout) {
  AdminStore four(redis(), 4);
  Product first = product(1);
  first.id = 1000;
  ASSERT_TRUE(four.load(first));
  Product second = product(1);
  second.id = 1001;
  auto outcome = store_->load(second);  // made with the default of 16
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->group, keys::default_group(1001, 4));
  EXPECT_EQ(store_->stored_groups().value(), 4);
}

TEST_F(AdminStoreTest, ReloadNeverResetsWhatWasSold) {
  ASSERT_TRUE(store_->load(product(10)));
  buy(1);
  buy(2);
  auto reloaded = store_->load(product(10));
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->sold, 2);
  EXPECT_EQ(reloaded->left, 8);
  auto grown = store_->load(product(20));
  EXPECT_EQ(grown->left, 18);
  auto shrunk = store_->load(product(1));
  EXPECT_TRUE(shrunk->total_raised);
  EXPECT_EQ(shrunk->total, 2);
  EXPECT_EQ(shrunk->left, 0);
  auto data = store_->audit_data(5);
  ASSERT_TRUE(data);
  EXPECT_TRUE(audit_product(*data).ok());
}

TEST_F(AdminStoreTest, AuditDataReadsEveryOrder) {
  ASSERT_TRUE(store_->load(product(3000)));
  for (UserId user = 1; user <= 2500; ++user) buy(user);  // more than one page of each
  auto data = store_->audit_data(5);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->stream.size(), 2500u);
  EXPECT_EQ(data->orders.size(), 2500u);
  EXPECT_EQ(data->buyers.size(), 2500u);
  EXPECT_TRUE(audit_product(*data).ok());
}

TEST_F(AdminStoreTest, AuditCatchesATamperedProduct) {
  ASSERT_TRUE(store_->load(product(10)));
  buy(1);
  server().command({"HINCRBY", keys::product(kGroup, 5), "left", "1"});
  auto data = store_->audit_data(5);
  ASSERT_TRUE(data);
  EXPECT_FALSE(audit_product(*data).ok());
}

// Past 2^53 - 1 units a Lua number no longer counts exactly: add-stock refuses to get there.
TEST_F(AdminStoreTest, AddStockNeverPassesWhatLuaCountsExactly) {
  ASSERT_TRUE(store_->load(product(kMaxExactUnits - 10)));
  auto over = store_->add_stock(5, 11);
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().message.find("9007199254740991"), std::string::npos)
      << over.error().message;
  EXPECT_FALSE(store_->add_stock(5, kMaxExactUnits + 1));
  auto up_to = store_->add_stock(5, 10);
  ASSERT_TRUE(up_to) << up_to.error().message;
  EXPECT_EQ(*up_to, kMaxExactUnits);
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, 5), "total"}), "9007199254740991");
  auto data = store_->audit_data(5);
  ASSERT_TRUE(data);
  EXPECT_TRUE(audit_product(*data).ok());
}

TEST_F(AdminStoreTest, ResetRefillsAndForgets) {
  ASSERT_TRUE(store_->load(product(10)));
  buy(1);
  auto left = store_->reset(5);
  ASSERT_TRUE(left);
  EXPECT_EQ(*left, 10);
  EXPECT_EQ(server().command({"EXISTS", keys::buyers(kGroup, 5)}), "0");
  EXPECT_EQ(server().command({"EVAL", "return #redis.call('KEYS', ARGV[1])", "0",
                              keys::group_prefix(kGroup) + "decided:5:*"}),
            "0");
  buy(1);  // the same user can buy again, and order ids keep counting up
  EXPECT_EQ(server().command({"HGET", keys::buyers(kGroup, 5), "1"}), "5-2");
  EXPECT_FALSE(store_->reset(77));
}

TEST_F(AdminStoreTest, SaleControlsChangeARunningSale) {
  ASSERT_TRUE(store_->load(product(1)));
  ASSERT_TRUE(store_->set_enabled(5, false));
  logic::LogicConfig config;
  logic::Decider decider(config);
  auto decide = [&](UserId user) {
    PurchaseRequest r{"ctl-" + std::to_string(user), 5, user, "seckill:reply:{admin}",
                      unix_ms_now() + 5000};
    auto decisions = decider.decide(redis(), kGroup, {r});
    return decisions && decisions->front() ? decisions->front()->code : Code::kUnavailable;
  };
  EXPECT_EQ(decide(1), Code::kPaused);
  ASSERT_TRUE(store_->set_enabled(5, true));
  EXPECT_EQ(decide(2), Code::kPurchased);
  EXPECT_EQ(decide(3), Code::kSoldOut);
  auto left = store_->add_stock(5, 2);
  ASSERT_TRUE(left);
  EXPECT_EQ(*left, 2);
  EXPECT_EQ(decide(4), Code::kPurchased);
  EXPECT_EQ(decide(5), Code::kPurchased);
  EXPECT_EQ(decide(6), Code::kSoldOut) << "exactly the added units";
  ASSERT_TRUE(store_->set_window(5, unix_ms_now() + 60000, unix_ms_now() + 120000));
  EXPECT_EQ(decide(7), Code::kNotStarted);
  auto data = store_->audit_data(5);
  ASSERT_TRUE(data);
  EXPECT_TRUE(audit_product(*data).ok());
  EXPECT_EQ(data->total, 3);
  EXPECT_EQ(server().command({"XLEN", keys::stock_log(kGroup, 5)}), "1");
  EXPECT_FALSE(store_->set_enabled(77, false)) << "unknown product";
  EXPECT_FALSE(store_->add_stock(5, 0)) << "only adds";
  EXPECT_FALSE(store_->set_window(5, 10, 5));
  EXPECT_EQ(server().command({"EXISTS", keys::product(kGroup, 77)}), "0") << "nothing created";
}

}  // namespace
}  // namespace seckill::admin
