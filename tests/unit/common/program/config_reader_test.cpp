#include "common/program/config_reader.hpp"

#include <gtest/gtest.h>

#include "common/redis/redis_config.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill {
namespace {

std::string error_of(const std::string& json) {
  try {
    auto document = parse_json_text(json, "test.json");
    ConfigReader reader(document, "");
    RedisConfig redis;
    read_redis_config(reader.object("redis"), redis);
    int workers = 1;
    reader.read_int("workers", workers, 1, 8);
    reader.finish();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(ConfigReader, AcceptsAGoodFile) {
  EXPECT_EQ(error_of(R"({"workers":4,"redis":{"host":"h","port":7000}})"), "");
  EXPECT_EQ(error_of("{}"), "") << "every key has a default";
}

TEST(ConfigReader, NamesTheBadKey) {
  EXPECT_EQ(error_of(R"({"workers":9})"), "workers: must be an integer in 1..8");
  EXPECT_EQ(error_of(R"({"workers":"4"})"), "workers: must be an integer in 1..8");
  EXPECT_EQ(error_of(R"({"redis":{"port":0}})"), "redis.port: must be an integer in 1..65535");
  EXPECT_EQ(error_of(R"({"redis":{"host":""}})"), "redis.host: must not be empty");
  EXPECT_EQ(error_of(R"({"redis":5})"), "redis: must be an object");
}

TEST(ConfigReader, RejectsUnknownKeys) {
  EXPECT_EQ(error_of(R"({"wrokers":4})"), "wrokers: unknown key");
  EXPECT_EQ(error_of(R"({"redis":{"prot":1}})"), "redis.prot: unknown key");
}

TEST(ConfigReader, RejectsInvalidJson) {
  EXPECT_NE(error_of("{\"workers\":").find("test.json: invalid JSON"), std::string::npos);
  // Where an editor shows it: line and column, from 1.
  EXPECT_EQ(error_of("{\n  \"workers\": 4,\n  \"redis\": {,}\n}"),
            "test.json: invalid JSON at line 3, column 13: Missing a name for object member.");
  EXPECT_EQ(error_of("[]"), "document: must be an object");
}

TEST(ConfigReader, RefusesDeepNestingWithoutRecursing) {
  for (const std::string& opening : {std::string("["), std::string("{\"a\":")}) {
    std::string deep;
    for (int i = 0; i < 200000; ++i) deep += opening;
    const std::string error = error_of(deep);
    EXPECT_NE(error.find("test.json: nested deeper than 64 levels"), std::string::npos) << error;
  }
  // 64 levels are fine as JSON (the reader then names the unknown key).
  std::string ok = std::string(63, '[') + std::string(63, ']');
  EXPECT_EQ(error_of("{\"x\":" + ok + "}"), "x: unknown key");
}

TEST(ConfigReader, RedisModes) {
  EXPECT_EQ(error_of(R"({"redis":{"mode":"shards"}})"),
            "redis.mode: must be \"single\", \"sentinel\" or \"cluster\"");
  EXPECT_EQ(error_of(R"({"redis":{"mode":"cluster"}})"),
            "redis.nodes: cluster mode needs at least one node");
  EXPECT_EQ(error_of(R"({"redis":{"mode":"cluster","nodes":["127.0.0.1"]}})"),
            "redis.nodes[0]: must be HOST:PORT");
  EXPECT_EQ(error_of(R"({"redis":{"nodes":["127.0.0.1:7000"]}})"),
            "redis.nodes: only with \"mode\": \"cluster\"");
  EXPECT_EQ(error_of(R"({"redis":{"mode":"cluster","nodes":["127.0.0.1:7000","10.0.0.2:7001"]}})"),
            "");
  EXPECT_EQ(error_of(R"({"redis":{"mode":"sentinel","master_name":"m"}})"),
            "redis.sentinels: sentinel mode needs at least one sentinel");
  EXPECT_EQ(error_of(R"({"redis":{"mode":"sentinel","sentinels":["127.0.0.1:26379"]}})"),
            "redis.master_name: sentinel mode needs the master's name");
  EXPECT_EQ(error_of(R"({"redis":{"mode":"sentinel","master_name":"m","sentinels":["x"]}})"),
            "redis.sentinels[0]: must be HOST:PORT");
  EXPECT_EQ(error_of(R"({"redis":{"sentinels":["127.0.0.1:26379"]}})"),
            "redis.sentinels: only with \"mode\": \"sentinel\"");
  EXPECT_EQ(error_of(R"({"redis":{"mode":"sentinel","master_name":"m",)"
                     R"("sentinels":["127.0.0.1:26379","[::1]:26380"]}})"),
            "");
}

TEST(RedisAddress, ParsesHostPort) {
  RedisConfig config;
  EXPECT_TRUE(apply_redis_address("10.0.0.1:7001", config));
  EXPECT_EQ(config.host, "10.0.0.1");
  EXPECT_EQ(config.port, 7001);
  for (const char* bad : {"", "host", ":1", "h:", "h:0", "h:70000", "h:12x"}) {
    EXPECT_FALSE(apply_redis_address(bad, config)) << bad;
  }
}

}  // namespace
}  // namespace seckill
