// What one seckill-bench run does: where it sends, what, how hard and for how long.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seckill::bench {

struct Target {
  std::string host;
  unsigned short port = 0;
};

struct BenchOptions {
  std::vector<Target> targets;  // proxies; connections are spread over them round-robin
  int connections = 256;
  int threads = 1;  // event-loop threads of the generator
  std::string path = "/seckill";
  std::int64_t product = 1;
  std::int64_t first_user = 1;
  std::int64_t users = 100000;
  std::chrono::milliseconds duration{10000};
  std::uint64_t max_requests = 0;  // 0: run for `duration`
  /// Requests per second offered in all, whatever the answers (an open loop, SendSchedule);
  /// 0: each connection sends its next request when the last is answered (a closed loop).
  double rate = 0;
  bool stop_when_sold_out = false;  // stop at the first 1001 (the sale is over)
  /// Send each user's requests with an X-Forwarded-For address of its own, as if the users came
  /// through a trusted front proxy from their own machines (so per-address limits see users).
  bool forwarded_for = false;
  /// The product asks for a challenge: fetch and solve each user's before the run.
  bool challenge = false;
  /// The token a user presents (v2 from the proxy config's keys, or v1 with --v1-tokens).
  std::function<std::string(std::int64_t user)> token_of;
  std::string redis;  // HOST:PORT for the audit after the run; empty: no audit
  std::string label = "run";
  std::string json_file;      // write the result here as JSON
  std::string markdown_file;  // append the result as one Markdown table row
};

}  // namespace seckill::bench
