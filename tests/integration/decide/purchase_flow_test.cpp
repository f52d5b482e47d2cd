// The purchase path in one process: a real redis-server, an in-process ProxyServer on port 0
// and an in-process LogicServer, driven over HTTP. The sanitizer builds run this one.
#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/token/token.hpp"
#include "logic/logic_server.hpp"
#include "proxy/proxy_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/products.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tools/admin/admin_store.hpp"

namespace seckill {
namespace {

using namespace std::chrono_literals;
constexpr const char* kSecret = "flow-secret";

class PurchaseFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = std::make_unique<test::RedisServer>();
    proxy::ProxyConfig config;
    config.listen_address = "127.0.0.1";
    config.port = 0;
    config.secret = kSecret;
    config.proxy_id = "flow";
    config.request_timeout = 1500ms;
    config.product_refresh = 50ms;
    config.redis = redis_->config();
    config.guard.per_user.per_second = config.guard.per_address.per_second = 0;  // no limits
    config.guard.per_user.per_minute = config.guard.per_address.per_minute = 0;
    proxy_ = std::make_unique<proxy::ProxyServer>(config);
    proxy_->start();
    logic::LogicConfig logic_config;
    logic_config.redis = redis_->config();
    logic_config.workers = 2;
    logic_config.pop_block = 200ms;
    logic_ = std::make_unique<logic::LogicServer>(logic_config);
    logic_->start();
  }
  void TearDown() override {
    logic_.reset();
    proxy_.reset();
  }

  void load(ProductId id, std::int64_t total) {
    RedisClient redis(redis_->config());
    admin::AdminStore store(redis);
    ASSERT_TRUE(store.load(test::product_on_sale_now(id, total)));
    // Wait for the proxy's product cache to see it.
    test::HttpClient client(proxy_->port());
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (client.get("/secinfo?product_id=" + std::to_string(id)).code != 0) {
      ASSERT_LT(std::chrono::steady_clock::now(), give_up);
      std::this_thread::sleep_for(10ms);
    }
  }

  std::unique_ptr<test::RedisServer> redis_;
  std::unique_ptr<proxy::ProxyServer> proxy_;
  std::unique_ptr<logic::LogicServer> logic_;
};

TEST_F(PurchaseFlowTest, BuyThenLimitThenResult) {
  load(1, 5);
  test::HttpClient client(proxy_->port());
  const std::string query = test::buyer_query(1, 42, kSecret);
  auto bought = client.get("/seckill?" + query);
  ASSERT_EQ(bought.code, 0) << bought.body << bought.error;
  EXPECT_EQ(bought.status, 200);
  EXPECT_FALSE(bought.order_id.empty());
  auto again = client.get("/seckill?" + query);
  EXPECT_EQ(again.code, 1002);
  EXPECT_EQ(again.order_id, bought.order_id);
  auto result = client.get("/result?" + query);
  EXPECT_EQ(result.code, 0);
  EXPECT_EQ(result.order_id, bought.order_id);
  auto none = client.get("/result?" + test::buyer_query(1, 43, kSecret));
  EXPECT_EQ(none.code, 1006);
}

TEST_F(PurchaseFlowTest, PostFormAndCookiesWork) {
  load(1, 5);
  test::HttpClient client(proxy_->port());
  auto posted =
      client.request("POST", "/seckill", {{"Content-Type", "application/x-www-form-urlencoded"}},
                     test::buyer_query(1, 7, kSecret));
  EXPECT_EQ(posted.code, 0) << posted.body;
  auto cookied = client.request("GET", "/seckill?product_id=1",
                                {{"Cookie", "user_id=8; token=" + make_token(kSecret, 8)}});
  EXPECT_EQ(cookied.code, 0) << cookied.body;
}

TEST_F(PurchaseFlowTest, ConcurrentBuyersNeverOversell) {
  load(1, 50);
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> purchased{0}, sold_out{0}, other{0};
  std::mutex mutex;
  std::set<std::string> orders;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      test::HttpClient client(proxy_->port());
      for (int i = 0; i < kEach; ++i) {
        auto answer = client.get("/seckill?" + test::buyer_query(1, t * kEach + i + 1, kSecret));
        if (answer.code == 0) {
          purchased.fetch_add(1);
          std::lock_guard lock(mutex);
          orders.insert(answer.order_id);
        } else if (answer.code == 1001) {
          sold_out.fetch_add(1);
        } else {
          other.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(purchased.load(), 50);
  EXPECT_EQ(orders.size(), 50u);
  EXPECT_EQ(sold_out.load(), kThreads * kEach - 50);
  EXPECT_EQ(other.load(), 0);
}

TEST_F(PurchaseFlowTest, NoLogicMeansTimeoutAtTheDeadline) {
  load(1, 5);
  logic_.reset();  // nobody decides
  test::HttpClient client(proxy_->port());
  auto answer = client.get("/seckill?" + test::buyer_query(1, 9, kSecret));
  EXPECT_EQ(answer.code, 5004);
  EXPECT_EQ(answer.status, 504);
  EXPECT_GE(answer.elapsed, 1400ms);
  EXPECT_LE(answer.elapsed, 1500ms + 250ms);
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(PurchaseFlowTest, RedisDownMeans5003FastAndHealthz503) {
  load(1, 5);
  redis_->stop(/*hard=*/true);
  test::HttpClient client(proxy_->port());
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (client.get("/healthz").status != 503) {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "healthz must notice the outage";
    std::this_thread::sleep_for(10ms);
  }
  auto answer = client.get("/seckill?" + test::buyer_query(1, 9, kSecret));
  EXPECT_EQ(answer.code, 5003);
  EXPECT_LT(answer.elapsed, 500ms);
  // Redis comes back on the same port: the proxy recovers by itself.
  redis_->restart();
  load(1, 5);
  const auto recover_by = std::chrono::steady_clock::now() + 10s;
  int code = -1;
  while (code != 0 && std::chrono::steady_clock::now() < recover_by) {
    code = client.get("/seckill?" + test::buyer_query(1, 10, kSecret)).code;
    if (code != 0) std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(code, 0) << "purchases resume after the outage without a restart";
}

}  // namespace
}  // namespace seckill
