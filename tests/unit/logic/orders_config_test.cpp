#include "logic/orders/orders_config.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "common/program/config_reader.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::orders {
namespace {

std::string error_of(const std::string& json) {
  test::TempDir dir;
  try {
    auto config = load_orders_config(dir.write("orders.json", json));
    finalize_orders_config(config);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(OrdersConfig, TheShippedConfigLoads) {
  auto config = load_orders_config(test::source_path("config/orders.json"));
  EXPECT_FALSE(config.dsn.empty());
  EXPECT_EQ(config.batch_size, 500);
  EXPECT_TRUE(config.trim);
}

TEST(OrdersConfig, BadKeysAreNamed) {
  ::unsetenv("SECKILL_ORDERS_DSN");
  EXPECT_EQ(error_of(R"({"dsn":"x","batch_size":0})"),
            "batch_size: must be an integer in 1..100000");
  EXPECT_EQ(error_of(R"({"dsn":"x","poll_ms":"soon"})"), "poll_ms: must be an integer in 1..60000");
  EXPECT_EQ(error_of(R"({"dsn":"x","trim":1})"), "trim: must be true or false");
  EXPECT_EQ(error_of(R"({"dsn":"x","dns":"y"})"), "dns: unknown key");
  EXPECT_EQ(error_of(R"({"batch_size":10})"),
            "dsn: must be set (in the config file or SECKILL_ORDERS_DSN)");
}

TEST(OrdersConfig, TheFlagBeatsTheEnvironmentWhichBeatsTheFile) {
  ::setenv("SECKILL_ORDERS_DSN", "dbname=environment", 1);
  test::TempDir dir;
  const auto file = dir.write("orders.json", R"({"dsn":"dbname=file"})");
  auto from_environment = load_orders_config(file);
  finalize_orders_config(from_environment);
  auto from_flag = load_orders_config(file);
  finalize_orders_config(from_flag, "dbname=flag");
  ::unsetenv("SECKILL_ORDERS_DSN");
  auto from_file = load_orders_config(file);
  finalize_orders_config(from_file);
  EXPECT_EQ(from_environment.dsn, "dbname=environment");
  EXPECT_EQ(from_flag.dsn, "dbname=flag");
  EXPECT_EQ(from_file.dsn, "dbname=file");
}

}  // namespace
}  // namespace seckill::orders
