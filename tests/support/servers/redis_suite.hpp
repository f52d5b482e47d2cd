// RedisSuite: a gtest fixture base with one private redis-server per suite, emptied before each
// test, and a connection to it.
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "common/redis/redis_client.hpp"
#include "tests/support/servers/redis_server.hpp"

namespace seckill::test {

class RedisSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<RedisServer>(); }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    server_->flushall();
    redis_ = std::make_unique<RedisClient>(server_->config());
  }

  static RedisServer& server() { return *server_; }
  RedisClient& redis() { return *redis_; }

 private:
  static inline std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
};

}  // namespace seckill::test
