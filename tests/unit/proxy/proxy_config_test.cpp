#include "proxy/proxy_config.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "common/config_reader.hpp"
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
  void SetUp() override { ::unsetenv("SECKILL_SECRET"); }
  void TearDown() override { ::unsetenv("SECKILL_SECRET"); }
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
  EXPECT_EQ(error_of("{}"), "secret: must be set (in the config file or SECKILL_SECRET)");
  ::setenv("SECKILL_SECRET", "from-env", 1);
  EXPECT_EQ(error_of("{}"), "");
  test::TempDir dir;
  auto config = load_proxy_config(dir.write("p.json", R"({"secret":"file"})"));
  finalize_proxy_config(config);
  EXPECT_EQ(config.secret, "from-env");
}

}  // namespace
}  // namespace seckill::proxy
