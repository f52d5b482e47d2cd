#include "tests/support/servers/redis_server.hpp"

#include <stdexcept>
#include <thread>

#include "common/redis/redis_connection.hpp"
#include "tests/support/free_port.hpp"
#include <unistd.h>

namespace seckill::test {
namespace {

std::string find_redis_server() {
  for (const char* candidate : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  throw std::runtime_error(
      "redis-server not found: install it (tools/install-deps.sh does) to run these tests");
}

}  // namespace

std::string binary_path(const std::string& name) {
  return std::string(SECKILL_BIN_DIR) + "/" + name;
}

std::string source_path(const std::string& relative) {
  return std::string(SECKILL_SOURCE_DIR) + "/" + relative;
}

RedisServer::RedisServer(std::vector<std::string> extra_args) : extra_args_(std::move(extra_args)) {
  // The port we picked may be taken by the time redis binds it: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    started_args_ = extra_args_;
    for (std::string& arg : started_args_) {
      if (arg == kFreePortArg) arg = std::to_string(free_port());
    }
    if (try_start()) return;
  }
  throw std::runtime_error("redis-server did not start; log:\n" + process_.log_tail());
}

RedisServer::~RedisServer() {
  process_.stop();
}

RedisConfig RedisServer::config() const {
  RedisConfig config;
  config.host = "127.0.0.1";
  config.port = port_;
  return config;
}

bool RedisServer::try_start() {
  // Redis logs to stdout, which ChildProcess keeps in redis.log for failure messages.
  std::vector<std::string> argv = {find_redis_server(),
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir_.path()};
  argv.insert(argv.end(), started_args_.begin(), started_args_.end());
  process_.start(argv, dir_.file("redis.log"));
  RedisConnection probe(config());
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < give_up) {
    if (!process_.running()) return false;
    auto reply = probe.command({"PING"});
    if (reply && reply->str() == "PONG") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.kill_hard();
  return false;
}

void RedisServer::stop(bool hard) {
  if (hard) {
    process_.kill_hard();
  } else {
    process_.stop();
  }
}

void RedisServer::restart() {
  if (!try_start()) {
    throw std::runtime_error("redis-server did not restart on port " + std::to_string(port_) +
                             "; log:\n" + process_.log_tail());
  }
}

std::string RedisServer::command(const std::vector<std::string>& argv) const {
  RedisConnection connection(config());
  auto reply = connection.command(argv);
  if (!reply) throw std::runtime_error("redis " + argv[0] + ": " + reply.error().message);
  if (reply->is_error())
    throw std::runtime_error("redis " + argv[0] + ": " + std::string(reply->str()));
  if (reply->is_integer()) return std::to_string(reply->integer());
  return std::string(reply->str());
}

}  // namespace seckill::test
