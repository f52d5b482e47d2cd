#include "logic/logic_config.hpp"

#include <gtest/gtest.h>

#include "common/program/config_reader.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::logic {
namespace {

std::string error_of(const std::string& json) {
  test::TempDir dir;
  try {
    load_logic_config(dir.write("logic.json", json));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(LogicConfig, TheShippedConfigLoads) {
  auto config = load_logic_config(test::source_path("config/logic.json"));
  EXPECT_GE(config.workers, 1);
  EXPECT_GE(config.batch_size, 1);
  EXPECT_EQ(config.batch_linger, std::chrono::microseconds(1000));
}

TEST(LogicConfig, BadKeysAreNamed) {
  EXPECT_EQ(error_of(R"({"workers":0})"), "workers: must be an integer in 1..256");
  EXPECT_EQ(error_of(R"({"batch_size":"big"})"), "batch_size: must be an integer in 1..10000");
  EXPECT_EQ(error_of(R"({"redis":{"socket_timeout_ms":0}})"),
            "redis.socket_timeout_ms: must be an integer in 1..60000");
  EXPECT_EQ(error_of(R"({"batch_linger_us":-1})"),
            "batch_linger_us: must be an integer in 0..100000");
  EXPECT_EQ(error_of(R"({"worker":2})"), "worker: unknown key");
  EXPECT_NE(error_of("{").find("invalid JSON"), std::string::npos);
}

}  // namespace
}  // namespace seckill::logic
