// The guard through the real proxy: rate limits, blocklists from seckill-admin, and the client
// address behind a trusted front proxy.
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

class GuardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ClusterOptions options;
    options.guard_json =
        R"("guard":{"user_per_second":5,"user_per_minute":1000,"user_ban_after":0,)"
        R"("ip_per_second":2000,"ip_per_minute":100000})";
    cluster_ = new Cluster(options);
    cluster_->load_products(products_json({product_on_sale(1, 1000, 1)}));
    cluster_->wait_ready(1);
  }
  static void TearDownTestSuite() {
    auto audit = cluster_->admin({"audit"});
    EXPECT_EQ(audit.status, 0) << audit.output;
    delete cluster_;
    cluster_ = nullptr;
  }

  static HttpAnswer buy(long long user, const std::string& forwarded_for = "") {
    HttpClient client(cluster_->proxy_port(0));
    std::map<std::string, std::string> headers;
    if (!forwarded_for.empty()) headers["X-Forwarded-For"] = forwarded_for;
    return client.request("GET", "/seckill?" + buyer_query(1, user, Cluster::kSecret), headers);
  }

  /// Asks as `user` (4 times a second, under the user limit of 5) until `done` holds for the
  /// answer or 1.2 s have passed (a proxy re-reads the blocklists every 200 ms).
  template <class Done>
  static int ask_until(long long user, Done done, const std::string& from = "") {
    const auto give_up = std::chrono::steady_clock::now() + 1200ms;
    int last = -1;
    while (std::chrono::steady_clock::now() < give_up) {
      last = buy(user, from).code;
      if (done(last)) return last;
      std::this_thread::sleep_for(250ms);
    }
    return last;
  }
  static int code_within_a_second(long long user, int code, const std::string& from = "") {
    return ask_until(
        user, [code](int got) { return got == code; }, from);
  }
  /// The user is let through again: bought now (0), or already held an order (1002).
  static bool let_through(int code) { return code == 0 || code == 1002; }

  static Cluster* cluster_;
};

Cluster* GuardTest::cluster_ = nullptr;

TEST_F(GuardTest, AHammeringUserIsLimitedAndNeverBuysTwice) {
  auto answers = buy_concurrently({cluster_->proxy_port(0)}, 1, std::vector<long long>(40, 42), 8,
                                  Cluster::kSecret);
  EXPECT_GE(count_code(answers, 4029), 30) << "5 a second are let through, 40 were fired";
  EXPECT_EQ(count_code(answers, 0), 1);
  std::this_thread::sleep_for(1100ms);  // a new second: the user may ask again
  HttpClient client(cluster_->proxy_port(0));
  auto result = client.get("/result?" + buyer_query(1, 42, Cluster::kSecret));
  EXPECT_EQ(result.code, 0);
}

TEST_F(GuardTest, AnOfficeBehindOneAddressIsNotLockedOut) {
  auto answers =
      buy_concurrently({cluster_->proxy_port(0)}, 1, user_range(1000, 300), 16, Cluster::kSecret);
  EXPECT_EQ(count_code(answers, 0), 300) << "300 colleagues on 127.0.0.1, once each";
}

TEST_F(GuardTest, BlockedUserAndUnblock) {
  ASSERT_EQ(cluster_->admin({"block", "user", "777"}).status, 0);
  EXPECT_EQ(code_within_a_second(777, 4003), 4003);
  auto listed = cluster_->admin({"blocklist"});
  EXPECT_NE(listed.output.find("user 777"), std::string::npos) << listed.output;
  ASSERT_EQ(cluster_->admin({"unblock", "user", "777"}).status, 0);
  EXPECT_TRUE(let_through(ask_until(777, let_through)));
}

TEST_F(GuardTest, BlockedRangeBehindTheTrustedProxy) {
  ASSERT_EQ(cluster_->admin({"block", "ip", "198.51.100.0/24", "--ttl", "60"}).status, 0);
  EXPECT_EQ(code_within_a_second(2001, 4003, "198.51.100.77"), 4003);
  EXPECT_EQ(buy(2002, "203.0.113.9").code, 0) << "another address is not blocked";
  EXPECT_EQ(buy(2003, "198.51.100.77, 203.0.113.9").code, 0)
      << "the right-most untrusted hop is the client, not what it claims";
  ASSERT_EQ(cluster_->admin({"unblock", "ip", "198.51.100.0/24"}).status, 0);
  EXPECT_TRUE(let_through(ask_until(2001, let_through, "198.51.100.77")));
  EXPECT_EQ(cluster_->admin({"block", "ip", "not-an-address"}).status, 2);
}

}  // namespace
}  // namespace seckill::test
