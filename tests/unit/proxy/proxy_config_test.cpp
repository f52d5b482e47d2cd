#include "proxy/proxy_config.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "common/program/config_reader.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::proxy {
namespace {

std::string error_of(const std::string& json) {
  test::TempDir dir;
  try {
    auto config = load_proxy_config(dir.write("proxy.json", json));
    finalize_proxy_config(config);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

class ProxyConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { TearDown(); }
  void TearDown() override {
    ::unsetenv("SECKILL_SECRET");
    ::unsetenv("SECKILL_PAYMENTS_SECRET");
  }
};

TEST_F(ProxyConfigTest, TheShippedConfigLoads) {
  auto config = load_proxy_config(test::source_path("config/proxy.json"));
  finalize_proxy_config(config);
  EXPECT_FALSE(config.secret.empty());
  EXPECT_FALSE(config.proxy_id.empty());
  EXPECT_EQ(config.request_timeout, std::chrono::milliseconds(3000));
}

TEST_F(ProxyConfigTest, BadKeysAreNamed) {
  EXPECT_EQ(error_of(R"({"secret":"s","port":-1})"), "port: must be an integer in 0..65535");
  EXPECT_EQ(error_of(R"({"secret":"s","request_timeout_ms":0})"),
            "request_timeout_ms: must be an integer in 10..600000");
  EXPECT_EQ(error_of(R"({"secret":"s","writer_linger_us":100001})"),
            "writer_linger_us: must be an integer in 0..100000");
  EXPECT_EQ(error_of(R"({"secret":"s","http":{"backlog":0}})"),
            "http.backlog: must be an integer in 1..65535");
  EXPECT_EQ(error_of(R"({"secret":"s","http":{"keepalive":1}})"), "http.keepalive: unknown key");
  EXPECT_EQ(error_of(R"({"secret":"s","proxy_id":"has space"})"),
            "proxy_id: 1..64 characters of letters, digits, '-', '_' or '.'");
  EXPECT_EQ(error_of(R"({"secret":"s","channel_capacity":0})"),
            "channel_capacity: must be an integer in 1..10000000");
}

// An idle timeout shorter than the request timeout would cut every slow purchase.
TEST_F(ProxyConfigTest, IdleTimeoutMustCoverTheRequestTimeout) {
  EXPECT_EQ(error_of(R"({"secret":"s","request_timeout_ms":3000,"http":{"io_timeout_ms":2000}})"),
            "http.io_timeout_ms: must be at least request_timeout_ms (3000)");
  EXPECT_EQ(error_of(R"({"secret":"s","request_timeout_ms":3000,"http":{"io_timeout_ms":3000}})"),
            "");
}

TEST_F(ProxyConfigTest, DefaultIdsDifferEvenInOneProcess) {
  ProxyConfig first;
  first.secret = "s";
  ProxyConfig second = first;
  finalize_proxy_config(first);
  finalize_proxy_config(second);
  EXPECT_NE(first.proxy_id, second.proxy_id) << "containers may share a hostname and a pid";
}

TEST_F(ProxyConfigTest, GuardKeys) {
  test::TempDir dir;
  auto config = load_proxy_config(dir.write(
      "p.json", R"({"secret":"s","guard":{"user_per_second":7,"ip_per_minute":9,"ban_ms":5000,)"
                R"("trusted_proxies":["10.0.0.0/8"]}})"));
  EXPECT_EQ(config.guard.per_user.per_second, 7);
  EXPECT_EQ(config.guard.per_address.per_minute, 9);
  EXPECT_EQ(config.guard.per_address.ban, std::chrono::milliseconds(5000));
  ASSERT_EQ(config.guard.trusted_proxies.size(), 1u);
  EXPECT_EQ(error_of(R"({"secret":"s","guard":{"trusted_proxies":["nope"]}})"),
            "guard.trusted_proxies[0]: must be an address or CIDR range");
  EXPECT_EQ(error_of(R"({"secret":"s","guard":{"ban_ms":0}})"),
            "guard.ban_ms: must be an integer in 1000..86400000");
  EXPECT_EQ(error_of(R"({"secret":"s","guard":{"user_per_sec":1}})"),
            "guard.user_per_sec: unknown key");
}

TEST_F(ProxyConfigTest, SecretIsRequiredAndEnvironmentWins) {
  EXPECT_EQ(error_of("{}"),
            "secret: must be set (SECKILL_SECRET, secret_file or secret), or tokens.keys");
  ::setenv("SECKILL_SECRET", "from-env", 1);
  EXPECT_EQ(error_of("{}"), "");
  test::TempDir dir;
  auto config = load_proxy_config(dir.write("p.json", R"({"secret":"file"})"));
  finalize_proxy_config(config);
  EXPECT_EQ(config.secret, "from-env");
}

// A secret may live in a file of its own, named relative to the config file, so the config can
// be public; the environment still wins; a file that is missing or empty is named.
TEST_F(ProxyConfigTest, SecretsFromFiles) {
  test::TempDir dir;
  dir.write("secret", "from-file\n");
  dir.write("pay", "provider\n");
  auto config = load_proxy_config(
      dir.write("p.json", R"({"secret_file":"secret","payments":{"secret_file":"pay"}})"));
  finalize_proxy_config(config);
  EXPECT_EQ(config.secret, "from-file");
  EXPECT_EQ(config.payments.secret, "provider");
  EXPECT_EQ(error_of(R"({"secret":"a","secret_file":"b"})"),
            "secret: set secret or secret_file, not both");
  const std::string missing = error_of(R"({"secret_file":"nowhere"})");
  EXPECT_EQ(missing.rfind("secret_file: ", 0), 0u) << missing;
  EXPECT_NE(missing.find("nowhere: cannot open"), std::string::npos) << missing;
  dir.write("empty", "\n");
  auto empty = load_proxy_config(dir.write("e.json", R"({"secret_file":"empty"})"));
  EXPECT_THROW(finalize_proxy_config(empty), ConfigError);
  ::setenv("SECKILL_SECRET", "from-env", 1);
  auto overridden = load_proxy_config(dir.write("o.json", R"({"secret_file":"nowhere"})"));
  finalize_proxy_config(overridden);
  EXPECT_EQ(overridden.secret, "from-env") << "the file is not even read";
}

// The shipped demo secrets are public: a proxy that is not a demo (demo sign-in off) refuses
// them instead of letting anyone mint tokens or sign payments.
TEST_F(ProxyConfigTest, TheDemoSecretsNeedTheDemo) {
  EXPECT_EQ(error_of(R"({"secret":"demo-secret-change-me","web":{"demo_login":false}})"),
            "secret: the demo's secret with web.demo_login off: set a secret of your own "
            "(SECKILL_SECRET, secret_file or tokens.key_files)");
  EXPECT_NE(error_of(R"({"secret":"s","tokens":{"keys":{"a":"demo-secret-change-me"},)"
                     R"("sign_with":"a"}})")
                .find("the demo's secret"),
            std::string::npos)
      << "nor as a v2 key";
  EXPECT_EQ(error_of(R"({"secret":"s","payments":{"secret":"demo-payments-secret-change-me"}})"),
            "payments.secret: the demo's secret with payments.demo off: set the provider's "
            "(SECKILL_PAYMENTS_SECRET or payments.secret_file)");
  EXPECT_EQ(error_of(R"({"secret":"demo-secret-change-me","web":{"demo_login":true}})"), "");
}

// v2 keys: the rotation's settings are read, and the proxy refuses what could not work.
TEST_F(ProxyConfigTest, TokenKeys) {
  test::TempDir dir;
  dir.write("k2", "second\n");
  auto config = load_proxy_config(dir.write(
      "p.json", R"({"tokens":{"keys":{"k1":"first"},"key_files":{"k2":"k2"},"sign_with":"k2",)"
                R"("accept_v1":false,"lifetime_s":600}})"));
  finalize_proxy_config(config);
  ASSERT_EQ(config.tokens.keys.size(), 2u);
  EXPECT_EQ(config.tokens.keys[1].second, "second");
  EXPECT_EQ(config.tokens.sign_with, "k2");
  EXPECT_EQ(config.tokens.lifetime_s, 600);
  EXPECT_TRUE(config.secret.empty()) << "no v1 secret needed once v1 tokens are off";
  EXPECT_NE(error_of(R"({"tokens":{"keys":{"k1":"first"}}})").find("tokens.accept_v1"),
            std::string::npos);
  EXPECT_EQ(error_of(R"({"secret":"s","tokens":{"keys":{"a":"x","b":"y"}}})"),
            "tokens.sign_with: must name the key new tokens are signed with");
  EXPECT_EQ(error_of(R"({"secret":"s","payments":{"secret":"x"},)"
                     R"("tokens":{"keys":{"a":"x"}}})"),
            "payments.secret: must differ from secret and every tokens key");
  EXPECT_EQ(error_of(R"({"secret":"s","tokens":{"ttl":1}})"), "tokens.ttl: unknown key");
}

// The production example: no secret in it, demo sign-in and demo payments off, and it starts
// once the secrets are given (here through the environment).
TEST_F(ProxyConfigTest, TheProductionExample) {
  const std::string file = test::source_path("config/proxy.production.json");
  auto without = load_proxy_config(file);
  EXPECT_TRUE(without.secret.empty()) << "no secret in the file";
  EXPECT_FALSE(without.web.demo_login);
  EXPECT_FALSE(without.payments.demo);
  EXPECT_THROW(finalize_proxy_config(without), ConfigError) << "its secret file does not exist";
  ::setenv("SECKILL_SECRET", "a-real-secret", 1);
  ::setenv("SECKILL_PAYMENTS_SECRET", "the-provider-secret", 1);
  auto config = load_proxy_config(file);
  finalize_proxy_config(config);
  EXPECT_EQ(config.secret, "a-real-secret");
  EXPECT_EQ(config.listen_address, "0.0.0.0");
}

}  // namespace
}  // namespace seckill::proxy
