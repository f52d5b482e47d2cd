// PostgresServer: a private PostgreSQL (Debian's postgresql package) for one test: initdb in a
// temporary directory, a free loopback port, trust authentication, fsync off; stopped and
// removed afterwards. initdb refuses root, so as root the server runs as the postgres user.
#pragma once

#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace seckill::test {

class PostgresServer {
 public:
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  PostgresServer(PostgresServer&&) = delete;
  PostgresServer& operator=(PostgresServer&&) = delete;

  int port() const { return port_; }
  /// A libpq connection string for the server's postgres database.
  std::string dsn() const;
  /// Stops the server (fast shutdown) and starts it again on the same port and data.
  void restart();
  void stop();
  void start();
  /// Runs one SQL statement through psql; its output, rows unaligned, '|' between columns.
  std::string query(const std::string& sql) const;

 private:
  // Runs `argv` as the server's user; throws with the output when it fails.
  std::string run_as_owner(const std::vector<std::string>& argv) const;

  TempDir dir_;
  std::string bin_;
  std::string data_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace seckill::test
