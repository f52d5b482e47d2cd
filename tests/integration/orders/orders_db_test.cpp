// seckill-orders' parts against a real redis-server and a real PostgreSQL (started by the
// fixtures): the schema, every order and transition moved once, trimming that keeps the audit
// exact, redelivered and reordered events, conflicts, and PostgreSQL going away mid-run.
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/orders/order_actions.hpp"
#include "common/program/config_reader.hpp"
#include "common/store/redis_keys.hpp"
#include "logic/decide/decision.hpp"
#include "logic/orders/order_mover.hpp"
#include "logic/orders/store/order_sink.hpp"
#include "tests/support/seckill/products.hpp"
#include "tests/support/servers/postgres_server.hpp"
#include "tests/support/servers/redis_suite.hpp"
#include "tools/admin/admin_store.hpp"
#include <signal.h>

namespace seckill::orders {
namespace {

constexpr ProductId kProduct = 9;
const keys::GroupId kGroup = keys::default_group(kProduct, keys::kDefaultGroups);

class OrdersDbTest : public test::RedisSuite {
 protected:
  static void SetUpTestSuite() {
    RedisSuite::SetUpTestSuite();
    postgres_ = std::make_unique<test::PostgresServer>();
  }
  static void TearDownTestSuite() {
    postgres_.reset();
    RedisSuite::TearDownTestSuite();
  }

  void SetUp() override {
    RedisSuite::SetUp();
    postgres().query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    db_ = std::make_unique<PgConnection>(postgres().dsn());
    sink_ = std::make_unique<OrderSink>(*db_);
    ASSERT_TRUE(sink_->init_schema());
    config_.dsn = postgres().dsn();
    config_.redis = server().config();
    config_.batch_size = 40;
    store_ = std::make_unique<admin::AdminStore>(redis());
  }

  static test::PostgresServer& postgres() { return *postgres_; }

  // Two units per user, so an order of two can be bought.
  void load(std::int64_t total, std::int64_t pay_within_s) {
    Product product = test::payable_product(kProduct, total, 500, pay_within_s);
    product.per_user_limit = 2;
    ASSERT_TRUE(store_->load(product));
  }

  std::vector<std::string> buy(UserId first, int count, std::int64_t quantity = 1) {
    logic::LogicConfig config;
    logic::Decider decider(config);
    std::vector<PurchaseRequest> requests;
    for (int i = 0; i < count; ++i) {
      requests.push_back({"r-" + std::to_string(first + i), kProduct, first + i,
                          "seckill:reply:{db}", unix_ms_now() + 5000, quantity});
    }
    auto decisions = decider.decide(redis(), kGroup, requests);
    std::vector<std::string> orders;
    if (!decisions) return orders;
    for (const auto& decision : *decisions) {
      if (decision && decision->code == Code::kPurchased) orders.push_back(decision->order_id);
    }
    return orders;
  }

  // Rounds until one commits nothing.
  void move_all(OrderMover& mover) {
    for (int i = 0; i < 100; ++i) {
      auto moved = mover.round();
      ASSERT_TRUE(moved) << moved.error().message;
      if (*moved == 0) return;
    }
    FAIL() << "the streams never ran dry";
  }

  // Every order record in Redis, as "order_id|state|version" lines, sorted; and the same of
  // PostgreSQL's orders table.
  std::string redis_orders() {
    std::vector<std::string> lines;
    EXPECT_TRUE(store_->scan_hash(keys::order_records(kGroup, kProduct),
                                  [&](std::string_view order, std::string_view record) {
                                    const std::string text(record);
                                    const auto bar = text.find('|');
                                    const auto version_end = text.find('|', bar + 1);
                                    lines.push_back(std::string(order) + "|" + text.substr(0, bar) +
                                                    "|" +
                                                    text.substr(bar + 1, version_end - bar - 1));
                                  }));
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
  }
  std::string db_orders() {
    return postgres().query(
        "SELECT line FROM (SELECT order_id || '|' || state || '|' || version::text AS line "
        "FROM orders) AS o ORDER BY line COLLATE \"C\"");
  }

  void expect_audit_ok() {
    auto data = store_->audit_data(kProduct);
    ASSERT_TRUE(data) << data.error().message;
    for (const auto& breach : admin::audit_product(*data).breaches) ADD_FAILURE() << breach;
  }

  static inline std::unique_ptr<test::PostgresServer> postgres_;
  std::unique_ptr<PgConnection> db_;
  std::unique_ptr<OrderSink> sink_;
  std::unique_ptr<admin::AdminStore> store_;
  OrdersConfig config_;
  OrdersStats stats_;
};

TEST_F(OrdersDbTest, TheSchemaIsCreatedOnceAndThenKept) {
  EXPECT_EQ(sink_->schema_version().value(), kSchemaVersion);
  auto again = sink_->init_schema();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, kSchemaVersion) << "already there: nothing applied";
  EXPECT_EQ(postgres().query("SELECT count(*) FROM seckill_schema"),
            std::to_string(kSchemaVersion) + "\n")
      << "one row per migration";
}

// A database at schema version 1, holding orders, is migrated in place: its orders keep their
// rows and are of one unit each.
TEST_F(OrdersDbTest, AVersionOneDatabaseIsMigratedAndKeepsItsOrders) {
  postgres().query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  postgres().query(read_text_file(test::source_path("config/orders-schema/0001_orders.sql")) +
                   "\nINSERT INTO seckill_schema (version) VALUES (1);"
                   "INSERT INTO orders (order_id, product_id, user_id, state, version, created_ms,"
                   " updated_ms) VALUES ('9-1', 9, 7, 'paid', 2, 1, 2);");
  auto before = sink_->init_schema();
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(*before, 1);
  EXPECT_EQ(sink_->schema_version().value(), kSchemaVersion);
  EXPECT_EQ(postgres().query("SELECT state, quantity FROM orders WHERE order_id = '9-1'"),
            "paid|1\n");
}

TEST_F(OrdersDbTest, EveryOrderAndTransitionArrivesOnceAndTheStreamsAreTrimmed) {
  load(100, 900);
  auto orders = buy(1, 30);
  ASSERT_EQ(orders.size(), 30u);
  OrderActions actions(redis());
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(actions.pay(kGroup, {orders[i], "p" + std::to_string(i), 500, "CNY"})->outcome,
              "paid");
  }
  for (int i = 10; i < 15; ++i) ASSERT_EQ(actions.cancel(kGroup, orders[i])->outcome, "cancelled");
  ASSERT_EQ(actions.pay(kGroup, {orders[12], "late", 500, "CNY"})->outcome, "refund_due");

  OrderMover mover(config_, stats_);
  move_all(mover);
  EXPECT_EQ(db_orders(), redis_orders());
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders"), "30\n");
  EXPECT_EQ(postgres().query("SELECT count(*) FROM order_events"), "46\n");
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders WHERE state = 'paid' AND amount = 500 "
                             "AND payment_id <> ''"),
            "10\n");
  EXPECT_EQ(stats_.events.load(), 46u);
  EXPECT_EQ(stats_.conflicts.load(), 0u);
  // Trimmed below the committed position; the audit still balances.
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, kProduct)}), "0");
  EXPECT_EQ(server().command({"HGET", keys::product(kGroup, kProduct), "trimmed_created"}), "30");
  expect_audit_ok();

  // More sales later, one of two units: only they are added, with their units.
  ASSERT_EQ(buy(100, 5).size(), 5u);
  ASSERT_EQ(buy(200, 1, 2).size(), 1u);
  move_all(mover);
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders"), "36\n");
  EXPECT_EQ(postgres().query("SELECT sum(quantity) FROM orders"), "37\n");
  EXPECT_EQ(postgres().query("SELECT quantity FROM orders WHERE user_id = 200"), "2\n");
  EXPECT_EQ(db_orders(), redis_orders());
  expect_audit_ok();
}

TEST_F(OrdersDbTest, RedeliveredAndLateEventsChangeNothing) {
  OrderBatch created;
  created.add("s1", 1,
              {{"1-1",
                {{"event", "created"},
                 {"order_id", "1-1"},
                 {"version", "1"},
                 {"state", "pending_payment"},
                 {"user_id", "7"},
                 {"request_id", "r7"},
                 {"time_ms", "1000"}}}});
  OrderBatch paid;
  paid.add("s1", 1,
           {{"2-1",
             {{"event", "paid"},
              {"order_id", "1-1"},
              {"version", "2"},
              {"user_id", "7"},
              {"payment_id", "p"},
              {"amount", "500"},
              {"time_ms", "2000"}}}});
  ASSERT_TRUE(sink_->write(created));
  ASSERT_TRUE(sink_->write(paid));
  // Both again, the older last: the row stays paid at version 2, no event is stored twice.
  auto twice = sink_->write(paid);
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->rows, 0);
  EXPECT_EQ(twice->events, 0);
  ASSERT_TRUE(sink_->write(created));
  EXPECT_EQ(postgres().query("SELECT state, version, request_id, payment_id FROM orders"),
            "paid|2|r7|p\n");
  EXPECT_EQ(postgres().query("SELECT count(*) FROM order_events"), "2\n");
  EXPECT_EQ(postgres().query("SELECT last_id FROM read_positions WHERE stream = 's1'"), "1-1\n");
}

TEST_F(OrdersDbTest, AnOrderIdWithAnotherUserIsAConflictNeverAnOverwrite) {
  OrderBatch first;
  first.add("s1", 1,
            {{"1-1",
              {{"event", "created"},
               {"order_id", "1-1"},
               {"version", "1"},
               {"state", "confirmed"},
               {"user_id", "7"},
               {"request_id", "r7"},
               {"time_ms", "1000"}}}});
  ASSERT_TRUE(sink_->write(first));
  // After a failover that lost a tail, the id is sold again to someone else.
  OrderBatch reissued;
  reissued.add("s1", 1,
               {{"9-1",
                 {{"event", "created"},
                  {"order_id", "1-1"},
                  {"version", "1"},
                  {"state", "confirmed"},
                  {"user_id", "8"},
                  {"request_id", "r8"},
                  {"time_ms", "9000"}}}});
  auto outcome = sink_->write(reissued);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->conflicts, 1);
  EXPECT_EQ(postgres().query("SELECT user_id, request_id FROM orders"), "7|r7\n");
  EXPECT_EQ(postgres().query("SELECT stored_user_id, arrived_user_id, arrived_request "
                             "FROM order_conflicts"),
            "7|8|r8\n");
}

TEST_F(OrdersDbTest, PostgresAwayKeepsThePositionAndItCatchesUpAfterwards) {
  load(100, 0);
  ASSERT_EQ(buy(1, 20).size(), 20u);
  OrderMover mover(config_, stats_);
  move_all(mover);
  postgres().stop();
  ASSERT_EQ(buy(50, 20).size(), 20u);
  auto failed = mover.round();
  EXPECT_FALSE(failed);
  EXPECT_GT(stats_.postgres_errors.load(), 0u);
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, kProduct)}), "20")
      << "nothing trimmed that is not committed";
  postgres().start();
  move_all(mover);
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders"), "40\n");
  EXPECT_EQ(db_orders(), redis_orders());
  expect_audit_ok();
}

// read_from_replica: what PostgreSQL gets comes from a replica, so an entry no replica has
// (the tail a failover of the master would lose) never reaches it; no replica, no round.
TEST_F(OrdersDbTest, WithReadFromReplicaOnlyWhatAReplicaHasReachesPostgres) {
  load(100, 0);
  test::RedisServer replica({"--replicaof", "127.0.0.1", std::to_string(server().port())});
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server().command({"INFO", "replication"}).find("state=online") == std::string::npos) {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "the replica never came online";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Until the replica has everything the master has (WAIT, in steps shorter than a command's
  // timeout).
  auto wait_replicated = [&] {
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (server().command({"WAIT", "1", "200"}) == "1") return;
    }
    FAIL() << "the replica never caught up";
  };
  config_.read_from_replica = true;
  config_.redis.socket_timeout = std::chrono::milliseconds(300);
  OrderMover mover(config_, stats_);
  ASSERT_EQ(buy(1, 20).size(), 20u);
  wait_replicated();
  move_all(mover);
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders"), "20\n");

  // A replica that stopped answering: the round fails, and the master is not read instead.
  replica.process().signal(SIGSTOP);
  ASSERT_EQ(buy(50, 10).size(), 10u);
  EXPECT_FALSE(mover.round());
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders"), "20\n");
  replica.process().signal(SIGCONT);
  wait_replicated();
  // The timed-out connection is replaced after its reconnect backoff, as in run().
  for (int attempt = 0; attempt < 50 && !mover.round(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  move_all(mover);
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders"), "30\n");
  EXPECT_EQ(server().command({"XLEN", keys::orders(kGroup, kProduct)}), "0")
      << "trimmed on the master";

  // No replica at all: rounds fail (and retry) until one is back.
  replica.command({"REPLICAOF", "NO", "ONE"});
  ASSERT_EQ(buy(80, 5).size(), 5u);
  auto alone = mover.round();
  ASSERT_FALSE(alone);
  EXPECT_NE(alone.error().message.find("no online replica"), std::string::npos)
      << alone.error().message;
  EXPECT_EQ(postgres().query("SELECT count(*) FROM orders"), "30\n");
  config_.read_from_replica = false;
  OrderMover from_master(config_, stats_);
  move_all(from_master);
  EXPECT_EQ(db_orders(), redis_orders());
  expect_audit_ok();
}

}  // namespace
}  // namespace seckill::orders
