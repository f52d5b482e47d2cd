// A product with a challenge, through the real proxy and logic: nothing before the start, the
// buyer's own nonce and proof buy, anything else is 4005 and counted.
#include <regex>

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include "common/base/clock.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/prometheus_text.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

std::string field_of(const std::string& body, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex("\"" + name + "\":\"?([0-9a-f]+)"))) return "";
  return match[1];
}

std::string solve(const std::string& nonce, int bits) {
  for (long long x = 0;; ++x) {
    const std::string text = nonce + std::to_string(x);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    const unsigned top = (unsigned{digest[0]} << 24) | (unsigned{digest[1]} << 16) |
                         (unsigned{digest[2]} << 8) | digest[3];
    if ((top >> (32 - bits)) == 0) return std::to_string(x);
  }
}

std::string challenge_product(long long id, long long start_ms, int pow_bits) {
  std::string product = product_object(id, 10, start_ms, start_ms + 600'000, 1);
  product.pop_back();  // the closing brace
  return product + R"(,"challenge":true,"pow_bits":)" + std::to_string(pow_bits) + "}";
}

TEST(Challenges, OnlyTheBuyersOwnSolvedChallengeBuys) {
  Cluster cluster;
  const long long now = unix_ms_now();
  cluster.load_products(
      products_json({challenge_product(1, now - 1000, 8), challenge_product(2, now + 600'000, 0)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  auto query = [](long long product, long long user) {
    return buyer_query(product, user, Cluster::kSecret);
  };

  auto early = client.get("/challenge?" + query(2, 5));
  EXPECT_EQ(early.code, 1003) << "not handed out before the start";
  EXPECT_EQ(field_of(early.body, "nonce"), "");

  auto challenge = client.get("/challenge?" + query(1, 5));
  ASSERT_EQ(challenge.code, 0) << challenge.body;
  const std::string nonce = field_of(challenge.body, "nonce");
  ASSERT_EQ(nonce.size(), 64u) << challenge.body;
  EXPECT_EQ(client.get("/challenge?" + query(1, 5)).body, challenge.body) << "the same each time";

  auto bare = client.get("/seckill?" + query(1, 5));
  EXPECT_EQ(bare.code, 4005);
  EXPECT_EQ(bare.status, 403);
  EXPECT_EQ(client.get("/seckill?" + query(1, 5) + "&nonce=" + nonce).code, 4005) << "no proof";
  const std::string proof = solve(nonce, 8);
  EXPECT_EQ(client.get("/seckill?" + query(1, 6) + "&nonce=" + nonce + "&proof=" + proof).code,
            4005)
      << "another user's challenge";
  auto bought = client.get("/seckill?" + query(1, 5) + "&nonce=" + nonce + "&proof=" + proof);
  EXPECT_EQ(bought.code, 0) << bought.body;

  auto metrics = client.get("/metrics");
  EXPECT_EQ(parse_prometheus_text(metrics.body).samples["seckill_proxy_challenges_failed_total"], 3)
      << metrics.body;
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
