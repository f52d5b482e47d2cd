// A sale with a reservation and a draw, through the real proxy, logic and seckill-admin: users
// reserve while it is open, the logic tier draws at the close, /secinfo publishes the seed,
// seckill-admin verify-draw redoes the draw, and only the users drawn may buy.
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

using namespace std::chrono_literals;

std::string reserved_product(long long id, long long opens_ms, long long closes_ms, int draw) {
  std::string product = product_object(id, 10, closes_ms, closes_ms + 600'000, 1);
  product.pop_back();  // the closing brace
  return product + R"(,"reservation":{"opens":)" + std::to_string(opens_ms) + R"(,"closes":)" +
         std::to_string(closes_ms) + R"(,"draw":)" + std::to_string(draw) + "}}";
}

std::string text_field(const std::string& body, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex("\"" + name + "\":\"?([0-9a-z_]+)"))) return "";
  return match[1];
}

TEST(Reservations, OnlyTheUsersDrawnAtTheCloseMayBuy) {
  Cluster cluster;
  const long long now = unix_ms_now();
  const long long closes = now + 3000;
  cluster.load_products(products_json({reserved_product(1, now - 1000, closes, 2),
                                       reserved_product(2, now + 600'000, now + 700'000, 0),
                                       product_object(3, 5, now - 1000, now + 600'000)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  auto query = [](long long product, long long user) {
    return buyer_query(product, user, Cluster::kSecret);
  };
  auto reserve = [&](long long product, long long user) {
    return client.request("POST", "/reserve",
                          {{"Content-Type", "application/x-www-form-urlencoded"}},
                          query(product, user));
  };

  EXPECT_EQ(reserve(2, 1).code, 1003) << "not open yet";
  EXPECT_EQ(reserve(3, 1).code, 4004) << "a sale without a reservation";
  for (long long user = 1; user <= 4; ++user) {
    auto reserved = reserve(1, user);
    ASSERT_EQ(reserved.code, 0) << reserved.body;
    EXPECT_EQ(text_field(reserved.body, "reserved"), "true") << reserved.body;
  }
  auto looked = client.get("/reserve?" + query(1, 5));
  EXPECT_EQ(looked.code, 0);
  EXPECT_EQ(text_field(looked.body, "reserved"), "false") << "user 5 never reserved";
  EXPECT_EQ(text_field(looked.body, "listed"), "4") << looked.body;
  EXPECT_EQ(client.get("/seckill?" + query(1, 1)).code, 1003) << "the sale opens at the close";

  // The draw is made at the close; the proxy publishes it within its refresh.
  std::string info;
  while (unix_ms_now() < closes + 10'000) {
    info = client.get("/secinfo?product_id=1").body;
    if (text_field(info, "state") == "drawn") break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_NE(info.find(R"("reservation":{"state":"drawn")"), std::string::npos) << info;
  EXPECT_EQ(text_field(info, "seed").size(), 32u) << info;
  EXPECT_EQ(text_field(info, "drawn"), "2") << info;
  EXPECT_EQ(reserve(1, 6).code, 1004) << "closed";

  std::set<long long> winners;
  for (long long user = 1; user <= 4; ++user) {
    auto status = client.get("/reserve?" + query(1, user));
    ASSERT_EQ(status.code, 0) << status.body;
    const std::string drawn = text_field(status.body, "drawn");
    ASSERT_TRUE(drawn == "true" || drawn == "false") << status.body;
    if (drawn == "true") winners.insert(user);
  }
  EXPECT_EQ(winners.size(), 2u);
  for (long long user = 1; user <= 5; ++user) {
    auto bought = client.get("/seckill?" + query(1, user));
    EXPECT_EQ(bought.code, winners.contains(user) ? 0 : 1008) << "user " << user << bought.body;
  }
  EXPECT_EQ(client.get("/seckill?" + query(1, 5)).message, "not on the list for this sale");

  auto verified = cluster.admin({"verify-draw", "1"});
  EXPECT_EQ(verified.status, 0) << verified.output;
  EXPECT_NE(verified.output.find("verified"), std::string::npos) << verified.output;
  EXPECT_EQ(cluster.admin({"verify-draw", "3"}).status, 1) << "no draw made";
  EXPECT_EQ(cluster.admin({"draw", "2", "--seed", "XYZ"}).status, 2);
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
