// RedisServer: a private redis-server for one test suite, on a free loopback port in a
// temporary directory. Started with no persistence unless asked; stopped and removed with the
// object. No redis-server on the machine is a test failure with a clear message, never a skip.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/redis/redis_config.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::test {

class RedisServer {
 public:
  /// `extra_args` are appended to the command line (e.g. {"--appendonly", "yes"}); each
  /// kFreePortArg among them becomes a free port, a new one at each attempt to start (a
  /// cluster bus port taken meanwhile is retried like the main port).
  explicit RedisServer(std::vector<std::string> extra_args = {});
  static constexpr const char* kFreePortArg = "{free-port}";
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  RedisServer(RedisServer&&) = delete;
  RedisServer& operator=(RedisServer&&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  RedisConfig config() const;

  /// Stops the server (SIGTERM, or SIGKILL when `hard`), keeping the port and the directory.
  void stop(bool hard = false);
  /// Starts it again on the same port and directory (AOF, if enabled, is replayed).
  void restart();
  ChildProcess& process() { return process_; }

  /// Runs one command on a fresh connection; throws on failure. Returns the reply as text.
  std::string command(const std::vector<std::string>& argv) const;
  void flushall() const { command({"FLUSHALL"}); }

 private:
  bool try_start();

  std::vector<std::string> extra_args_;
  std::vector<std::string> started_args_;  // extra_args_ with the free ports of the last start
  TempDir dir_;
  int port_ = 0;
  ChildProcess process_;
};

/// The absolute path of a binary built by this project (build/bin/NAME).
std::string binary_path(const std::string& name);
/// The absolute path of a file in the source tree.
std::string source_path(const std::string& relative);

}  // namespace seckill::test
