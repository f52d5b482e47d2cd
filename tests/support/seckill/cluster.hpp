// Cluster: a whole seckill installation for end-to-end tests: a private redis-server, N logic
// processes and M proxies, all real binaries, with config files written to a temp directory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/seckill/products.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::test {

struct ClusterOptions {
  int proxies = 1;
  int logics = 1;
  int request_timeout_ms = 2000;
  int logic_workers = 2;
  /// Extra top-level keys for proxy.json, as JSON text without braces (e.g. "\"io_threads\": 4").
  std::string proxy_extra;
  /// The proxy's "guard" object. By default limits far above any test's traffic from one
  /// address and user (the guard has tests of its own).
  std::string guard_json = R"("guard":{"user_per_second":1000000,"user_per_minute":100000000,)"
                           R"("ip_per_second":1000000,"ip_per_minute":100000000})";
  /// Extra top-level keys for logic.json, as JSON text without braces.
  std::string logic_extra;
  /// Extra redis-server arguments (e.g. {"--appendonly", "yes"}).
  std::vector<std::string> redis_args;
};

class Cluster {
 public:
  static constexpr const char* kSecret = "e2e-secret";

  explicit Cluster(ClusterOptions options = {});
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;
  Cluster(Cluster&&) = delete;
  Cluster& operator=(Cluster&&) = delete;

  /// Loads a products file with the given JSON content through seckill-admin load.
  void load_products(const std::string& json);
  RunResult admin(const std::vector<std::string>& args) const;

  int proxy_port(int i) const { return proxy_ports_.at(static_cast<std::size_t>(i)); }
  ChildProcess& proxy(int i) { return proxies_.at(static_cast<std::size_t>(i)); }
  ChildProcess& logic(int i) { return logics_.at(static_cast<std::size_t>(i)); }
  /// Starts logic process `i` (again), with the same logic id each time.
  void start_logic(int i);
  RedisServer& redis() { return *redis_; }
  const TempDir& dir() const { return dir_; }
  /// The proxies' config file (for seckill-admin --config).
  const std::string& proxy_config() const { return proxy_config_; }

  /// Waits until every proxy's /healthz says 200 and has seen the loaded products.
  void wait_ready(long long product_id);
  /// Starts proxy `i` (again), on a new free port.
  void start_proxy(int i);

 private:
  ClusterOptions options_;
  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::vector<ChildProcess> logics_;
  std::vector<ChildProcess> proxies_;
  std::vector<int> proxy_ports_;
  std::string proxy_config_;
  std::string logic_config_;
};

/// The proxy's "web" key serving the source tree's sale page (for ClusterOptions::proxy_extra).
std::string sale_page_config(bool demo_login);

}  // namespace seckill::test
