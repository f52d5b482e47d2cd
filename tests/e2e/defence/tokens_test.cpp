// v2 tokens through the real proxy: expiry, forgeries, another user's token, a key rotation
// with nobody logged out, and v1 tokens switched off.
#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/token/token.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

// The rotation's middle: the old key still checks, the new one signs; v1 tokens are off.
constexpr const char* kRotatingKeys =
    R"("tokens":{"keys":{"old":"the-old-key","new":"the-new-key"},"sign_with":"new",)"
    R"("accept_v1":false})";

TokenKeyring keyring(std::vector<std::pair<std::string, std::string>> keys, std::string sign_with) {
  TokenConfig config;
  config.keys = std::move(keys);
  config.sign_with = std::move(sign_with);
  config.accept_v1 = false;
  return TokenKeyring(config, "");
}

std::int64_t now_s() {
  return unix_ms_now() / 1000;
}

HttpAnswer buy(HttpClient& client, long long user, const std::string& token) {
  return client.get("/seckill?product_id=1&user_id=" + std::to_string(user) + "&token=" + token);
}

TEST(Tokens, V2TokensExpireCannotBeForgedAndSurviveARotation) {
  ClusterOptions options;
  options.proxy_extra = kRotatingKeys;
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));

  // Minted by seckill-admin from the proxy's own config: signed with the new key.
  auto minted = run_program({binary_path("seckill-admin"), "--config", cluster.proxy_config(),
                             "token", "5", "--ttl", "300"});
  ASSERT_EQ(minted.status, 0) << minted.output;
  const std::string admin_token = minted.output.substr(0, minted.output.find('\n'));
  EXPECT_NE(admin_token.find(".new."), std::string::npos) << admin_token;
  EXPECT_EQ(buy(client, 5, admin_token).code, 0);

  // A user signed in before the rotation keeps buying: the old key still checks.
  const TokenKeyring old_keys = keyring({{"old", "the-old-key"}}, "old");
  EXPECT_EQ(buy(client, 6, old_keys.issue(6, now_s() + 300)).code, 0);

  auto expired = buy(client, 7, old_keys.issue(7, now_s() - 1));
  EXPECT_EQ(expired.code, 4001);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.message, "token expired");

  auto someone_elses = buy(client, 8, admin_token);
  EXPECT_EQ(someone_elses.code, 4001);
  EXPECT_EQ(someone_elses.message, "bad token");
  const TokenKeyring forger = keyring({{"new", "a-guess"}}, "new");
  EXPECT_EQ(buy(client, 9, forger.issue(9, now_s() + 300)).message, "bad token");
  // The expiry of a genuine token pushed back by hand breaks its signature.
  std::string stretched = old_keys.issue(10, now_s() - 1);
  stretched.replace(stretched.find('.', 3) + 1, 1, "9");
  EXPECT_EQ(buy(client, 10, stretched).message, "bad token");
  EXPECT_EQ(buy(client, 11, make_token(Cluster::kSecret, 11)).message, "bad token")
      << "v1 tokens are off";
  EXPECT_EQ(buy(client, 12, "v2.12.abc").message, "bad token");
}

// After the rotation the old key is gone: its tokens stop working, the new ones keep going.
// /result of an unknown product tells a token accepted (4004) from one refused (4001) with no
// logic tier running.
TEST(Tokens, DroppingTheOldKeyEndsOnlyItsTokens) {
  ClusterOptions options;
  options.logics = 0;
  options.proxy_extra = R"("tokens":{"keys":{"new":"the-new-key"},"accept_v1":true})";
  Cluster cluster(options);
  HttpClient client(cluster.proxy_port(0));
  const TokenKeyring old_keys = keyring({{"old", "the-old-key"}}, "old");
  const TokenKeyring new_keys = keyring({{"new", "the-new-key"}}, "new");
  auto result = [&](long long user, const std::string& token) {
    return client.get("/result?product_id=99&user_id=" + std::to_string(user) + "&token=" + token);
  };
  EXPECT_EQ(result(5, new_keys.issue(5, now_s() + 60)).code, 4004);
  EXPECT_EQ(result(5, old_keys.issue(5, now_s() + 60)).code, 4001);
  EXPECT_EQ(result(5, make_token(Cluster::kSecret, 5)).code, 4004) << "accept_v1 is on here";
}

}  // namespace
}  // namespace seckill::test
