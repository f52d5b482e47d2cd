// The flash sale itself, with the real binaries: far more buyers than stock at one instant.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

TEST(Burst, TwoThousandUsersOnStockHundred) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);

  auto answers =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 2000), 64, Cluster::kSecret);
  std::set<std::string> orders;
  for (const auto& a : answers) {
    if (a.answer.code == 0) orders.insert(a.answer.order_id);
  }
  EXPECT_EQ(count_code(answers, 0), 100);
  EXPECT_EQ(orders.size(), 100u) << "every purchase has its own order id";
  EXPECT_EQ(count_code(answers, 1001), 1900);

  // Every buyer answered 0 holds exactly that order; nobody else holds one.
  HttpClient client(cluster.proxy_port(0));
  for (const auto& a : answers) {
    auto result = client.get("/result?" + buyer_query(1, a.user, Cluster::kSecret));
    if (a.answer.code == 0) {
      EXPECT_EQ(result.order_id, a.answer.order_id) << "user " << a.user;
    } else {
      EXPECT_EQ(result.code, 1006) << "user " << a.user;
    }
  }
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

TEST(Burst, OneUserThirtyTimesAtOnceBuysOnce) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);

  auto answers = buy_concurrently({cluster.proxy_port(0)}, 1, std::vector<long long>(30, 77), 30,
                                  Cluster::kSecret);
  EXPECT_EQ(count_code(answers, 0), 1);
  EXPECT_EQ(count_code(answers, 1002), 29);
  std::string bought;
  for (const auto& a : answers) {
    if (a.answer.code == 0) bought = a.answer.order_id;
  }
  for (const auto& a : answers) {
    if (a.answer.code == 1002) {
      EXPECT_EQ(a.answer.order_id, bought);
    }
  }
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
  auto status = cluster.admin({"status", "1"});
  EXPECT_NE(status.output.find("sold 1,"), std::string::npos) << status.output;
}

// seckill-bench --rate offers exactly rate x duration requests whatever the answers (an open
// loop): a closed loop on 16 connections would send many times more in the same time.
TEST(Burst, BenchAtAFixedRateOffersThatRateAndTheSaleStaysExact) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);

  const std::string result_file = cluster.dir().file("bench.json");
  auto bench = run_program({binary_path("seckill-bench"), "--targets",
                            "127.0.0.1:" + std::to_string(cluster.proxy_port(0)), "--connections",
                            "16", "--rate", "400", "--duration-s", "1.5", "--users", "1000",
                            "--product", "1", "--proxy-config", cluster.proxy_config(), "--redis",
                            cluster.redis().address(), "--json", result_file});
  ASSERT_EQ(bench.status, 0) << bench.output;
  EXPECT_NE(bench.output.find("offered      400 req/s (open loop"), std::string::npos)
      << bench.output;
  rapidjson::Document result;
  std::stringstream text;
  text << std::ifstream(result_file).rdbuf();
  result.Parse(text.str().c_str());
  ASSERT_TRUE(result.IsObject()) << bench.output;
  // Requests 0..599 are due within the 1.5 s: 600 sent, 600 distinct users, each answered.
  EXPECT_EQ(result["answers"].GetUint64(), 600u) << bench.output;
  EXPECT_EQ(result["transport_errors"].GetUint64(), 0u);
  EXPECT_DOUBLE_EQ(result["offered_rps"].GetDouble(), 400.0);
  EXPECT_EQ(result["codes"]["0"].GetUint64(), 100u) << bench.output;
  EXPECT_EQ(result["codes"]["1001"].GetUint64(), 500u) << bench.output;
  EXPECT_STREQ(result["audit"].GetString(), "passed");
  // Sent late only while all 16 connections waited for answers: never more than were sent.
  EXPECT_LE(result["late_sends"].GetUint64(), 600u) << bench.output;

  auto bad = run_program({binary_path("seckill-bench"), "--rate", "-5"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.output.find("--rate: must be"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace seckill::test
