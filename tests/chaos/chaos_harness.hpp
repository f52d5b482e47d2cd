// The chaos harness: one burst of buyers against a cluster while a fault is injected, then the
// checks every scenario shares (issue: nothing lost, nothing oversold, truthful answers, every
// answer by the deadline, the audit passes), and one line of the scenario table.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {

struct ChaosPlan {
  std::string name;
  std::string injected;     // what the fault was, for the table
  long long stock = 10000;  // sells for longer than the faults take to land
  long long users = 16000;
  int connections = 32;
  int timeout_ms = 2000;
  std::vector<int> proxies;  // which proxies the buyers use (default: proxy 0)
  int lookup_proxy = 0;      // the proxy /result is asked through afterwards (one that lives)
};

struct ChaosOutcome {
  std::map<int, int> codes;  // answer code -> count (-1: no HTTP answer)
  int holders = 0;           // users holding an order afterwards
  int transport_errors = 0;  // no HTTP answer at all (connection to a killed proxy)
};

/// Runs the burst with `inject` on a second thread, waits for the logic to drain, checks every
/// invariant with gtest assertions, prints the scenario's table row and returns the counts.
ChaosOutcome run_chaos(Cluster& cluster, const ChaosPlan& plan,
                       const std::function<void()>& inject);

}  // namespace seckill::test
