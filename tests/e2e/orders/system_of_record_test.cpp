// The system of record with the real binaries: seckill-orders moves a sale with payments,
// expiries and final orders into a real PostgreSQL while it is killed -9 three times and
// PostgreSQL restarts once; afterwards every order is in PostgreSQL once, in its Redis state
// (seckill-admin audit --orders-db), and every transition was stored once.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "common/store/redis_keys.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"
#include "tests/support/servers/postgres_server.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

constexpr long long kPayable = 1;  // 1999 minor units, 3 s to pay
constexpr long long kFinal = 2;    // no payment step: orders are confirmed when bought

class SystemOfRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.load_products(products_json({with_payment(product_on_sale(kPayable, 300), 1999, 3),
                                          with_payment(product_on_sale(kFinal, 150), 500, 0)}));
    cluster_.wait_ready(kPayable);
    config_ = cluster_.dir().write("orders.json",
                                   R"({"dsn":")" + postgres_.dsn() +
                                       R"(","batch_size":25,"poll_ms":20,"metrics_port":)" +
                                       std::to_string(metrics_port_) + R"(,"redis":{"port":)" +
                                       std::to_string(cluster_.redis().port()) + "}}");
    auto schema =
        run_program({binary_path("seckill-orders"), "--config", config_, "--init-schema"});
    ASSERT_EQ(schema.status, 0) << schema.output;
  }

  void start_orders() {
    orders_.start({binary_path("seckill-orders"), "--config", config_},
                  cluster_.dir().path() + "/orders.log");
  }

  // audit --orders-db, until it passes or 20 s went by (seckill-orders backs off up to 1 s
  // between failed rounds and then catches up); the last run.
  RunResult audit_until_caught_up() {
    return rerun_until_success(
        [this] {
          return cluster_.admin({"audit", "--orders-db", postgres_.dsn()});
        },
        20s);
  }

  Cluster cluster_;
  PostgresServer postgres_;
  int metrics_port_ = free_port();
  std::string config_;
  ChildProcess orders_;
};

TEST_F(SystemOfRecord, EveryOrderArrivesOnceThroughKillsAndAPostgresRestart) {
  start_orders();
  std::atomic<bool> selling{true};
  std::vector<std::string> payable_orders;
  std::thread buyers([&] {
    // Waves of buyers, so orders keep arriving while the faults land.
    for (long long wave = 0; wave < 8; ++wave) {
      const long long first = 1 + wave * 100;
      for (const auto& bought : buy_concurrently({cluster_.proxy_port(0)}, kPayable,
                                                 user_range(first, 100), 8, Cluster::kSecret)) {
        if (bought.answer.code == 0) payable_orders.push_back(bought.answer.order_id);
      }
      buy_concurrently({cluster_.proxy_port(0)}, kFinal, user_range(first, 50), 8,
                       Cluster::kSecret);
      std::this_thread::sleep_for(150ms);
    }
    selling.store(false);
  });
  for (int kill = 0; kill < 3; ++kill) {
    std::this_thread::sleep_for(250ms);
    orders_.kill_hard();
    if (kill == 1) postgres_.restart();  // and seckill-orders finds it gone, then back
    std::this_thread::sleep_for(100ms);
    start_orders();
  }
  buyers.join();
  ASSERT_FALSE(selling.load());
  ASSERT_GE(payable_orders.size(), 100U);

  // Every third order is paid; the rest expire within 3 s (or had, and the payment is late).
  int paid = 0;
  int late = 0;  // the order had expired: a refund is due
  for (std::size_t i = 0; i < payable_orders.size(); i += 3) {
    auto pay = cluster_.admin(
        {"pay", payable_orders[i], "--payment-id", "pay-" + std::to_string(i), "--amount", "1999"});
    paid += pay.status == 0 ? 1 : 0;
    late += pay.output.find("refund due") != std::string::npos ? 1 : 0;
  }
  EXPECT_GT(paid, 0);
  orders_.kill_hard();  // once more, with payments in the streams
  start_orders();
  std::this_thread::sleep_for(3500ms);  // every unpaid order is past its pay-by time

  auto audit = audit_until_caught_up();
  EXPECT_EQ(audit.status, 0) << audit.output << "\n" << orders_.log_tail();
  EXPECT_NE(audit.output.find("every order in Redis is in PostgreSQL"), std::string::npos)
      << audit.output;

  // Each transition stored once, and the states a sale goes through all arrived.
  // (A late payment's refund_due carries the version of the expiry it came after.)
  EXPECT_EQ(postgres_.query("SELECT count(*) FROM (SELECT order_id, version, event FROM "
                            "order_events GROUP BY 1, 2, 3 HAVING count(*) > 1) AS twice"),
            "0\n");
  EXPECT_EQ(postgres_.query("SELECT count(*) FROM order_events WHERE event = 'refund_due'"),
            std::to_string(late) + "\n");
  EXPECT_EQ(postgres_.query("SELECT count(*) FROM order_conflicts"), "0\n");
  EXPECT_EQ(postgres_.query("SELECT count(*) FROM orders WHERE state = 'paid'"),
            std::to_string(paid) + "\n");
  EXPECT_NE(postgres_.query("SELECT count(*) FROM orders WHERE state = 'expired'"), "0\n");
  EXPECT_EQ(postgres_.query("SELECT count(*) FROM orders WHERE product_id = 2"), "150\n");
  EXPECT_EQ(postgres_.query("SELECT DISTINCT state FROM orders WHERE product_id = 2"),
            "confirmed\n");
  // The streams were trimmed behind the commits, and the Redis audit still balances.
  auto plain = cluster_.admin({"audit"});
  EXPECT_EQ(plain.status, 0) << plain.output;
  const auto stream = keys::orders(keys::default_group(kPayable, keys::kDefaultGroups), kPayable);
  EXPECT_EQ(cluster_.redis().command({"XLEN", stream}), "0");

  HttpClient metrics(metrics_port_);
  EXPECT_EQ(metrics.get("/healthz").status, 200);
  orders_.stop();
}

TEST_F(SystemOfRecord, PostgresAwayAtStartIsWaitedFor) {
  postgres_.stop();
  start_orders();
  ASSERT_EQ(
      buy_concurrently({cluster_.proxy_port(0)}, kFinal, user_range(1, 20), 4, Cluster::kSecret)
          .size(),
      20U);
  std::this_thread::sleep_for(500ms);
  ASSERT_TRUE(orders_.running()) << orders_.log_tail();
  HttpClient metrics(metrics_port_);
  EXPECT_EQ(metrics.get("/healthz").status, 503) << "unhealthy while PostgreSQL is away";
  postgres_.start();
  auto audit = audit_until_caught_up();
  EXPECT_EQ(audit.status, 0) << audit.output << "\n" << orders_.log_tail();
  EXPECT_EQ(postgres_.query("SELECT count(*) FROM orders WHERE product_id = 2"), "20\n");
}

}  // namespace
}  // namespace seckill::test
