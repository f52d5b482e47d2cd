// libFuzzer target: the products loader and the config reader behind every config file. Bad
// input must be a ConfigError naming the key, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/product.hpp"
#include "common/program/config_reader.hpp"
#include "common/redis/redis_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    seckill::parse_products(text, "fuzz.json");
  } catch (const seckill::ConfigError&) {
  }
  try {
    auto document = seckill::parse_json_text(text, "fuzz.json");
    seckill::ConfigReader reader(document, "");
    seckill::RedisConfig redis;
    seckill::read_redis_config(reader.object("redis"), redis);
    reader.finish();
  } catch (const seckill::ConfigError&) {
  }
  (void)seckill::parse_iso8601_ms(text);
  return 0;
}
