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

// Temporary bans through the real proxy and seckill-admin: listed while in force, lifted by
// unblock on the proxy that made them.
class BanTest : public GuardTest {
 protected:
  static void SetUpTestSuite() {
    ClusterOptions options;
    options.guard_json =
        R"("guard":{"user_per_second":2,"user_per_minute":1000,"user_ban_after":3,)"
        R"("ip_per_second":5,"ip_per_minute":100000,"ip_ban_after":3,"ban_ms":60000})";
    cluster_ = new Cluster(options);
    cluster_->load_products(products_json({product_on_sale(1, 1000, 1)}));
    cluster_->wait_ready(1);
  }

  /// `admin bans` mentions `text` within 2 s (a proxy publishes its bans every 200 ms).
  static bool listed_soon(const std::string& text) {
    for (int i = 0; i < 20; ++i) {
      auto bans = cluster_->admin({"bans"});
      EXPECT_EQ(bans.status, 0) << bans.output;
      if (bans.output.find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }
  /// Fires at the proxy from `from`, each time as another user from `first_user` on, until a
  /// 4029 says "banned".
  static bool hammer_until_banned(long long first_user, const std::string& from) {
    for (int i = 0; i < 40; ++i) {
      HttpAnswer answer = buy(first_user + i, from);
      if (answer.code == 4029 && answer.body.find("banned for") != std::string::npos) return true;
    }
    return false;
  }
};

TEST_F(BanTest, ABannedUserIsListedAndUnblockLiftsTheBan) {
  EXPECT_EQ(cluster_->admin({"bans"}).output, "nobody is banned\n");
  // Each request from its own address: only the user's limit is hit.
  int address = 0;
  auto next_address = [&address] { return "203.0.113." + std::to_string(++address % 250 + 1); };
  bool banned = false;
  for (int i = 0; i < 40 && !banned; ++i) {
    HttpAnswer answer = buy(900, next_address());
    banned = answer.code == 4029 && answer.body.find("banned for") != std::string::npos;
  }
  ASSERT_TRUE(banned);
  EXPECT_TRUE(listed_soon("user 900 banned until")) << cluster_->admin({"bans"}).output;
  std::this_thread::sleep_for(1100ms);  // a new second: only the ban refuses now
  EXPECT_EQ(buy(900, next_address()).code, 4029) << "the ban holds";

  auto unblocked = cluster_->admin({"unblock", "user", "900"});
  ASSERT_EQ(unblocked.status, 0);
  EXPECT_NE(unblocked.output.find("temporary ban is lifted"), std::string::npos)
      << unblocked.output;
  EXPECT_EQ(cluster_->admin({"bans"}).output.find("user 900"), std::string::npos);
  const std::string from = next_address();
  EXPECT_TRUE(let_through(ask_until(900, let_through, from))) << "lifted within a second";
}

TEST_F(BanTest, ABannedAddressIsListedAndUnblockLiftsTheBan) {
  ASSERT_TRUE(hammer_until_banned(3001, "198.51.100.9"));
  EXPECT_TRUE(listed_soon("ip 198.51.100.9 banned until"));
  EXPECT_EQ(buy(3100, "198.51.100.9").code, 4029) << "another user from the banned address";
  auto unblocked = cluster_->admin({"unblock", "ip", "198.51.100.9"});
  ASSERT_EQ(unblocked.status, 0);
  EXPECT_NE(unblocked.output.find("ip 198.51.100.9 was not blocked; its temporary ban is lifted"),
            std::string::npos)
      << unblocked.output;
  std::this_thread::sleep_for(1100ms);  // the address's second is over
  EXPECT_TRUE(let_through(ask_until(3101, let_through, "198.51.100.9")));
}

}  // namespace
}  // namespace seckill::test
