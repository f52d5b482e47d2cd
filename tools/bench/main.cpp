// seckill-bench: the load generator. Keep-alive connections over one or more proxies, users with
// valid tokens, a closed loop per connection or a fixed offered rate (--rate); prints throughput,
// latency percentiles, answer codes, transport errors and its own CPU use, then runs the audit.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "common/base/clock.hpp"
#include "common/program/config_reader.hpp"
#include "common/program/program.hpp"
#include "common/redis/redis_config.hpp"
#include "common/token/token.hpp"
#include "tools/bench/load/challenge_solver.hpp"
#include "tools/bench/load/load_shard.hpp"
#include "tools/bench/report/bench_audit.hpp"
#include <sys/resource.h>

namespace {

using seckill::bench::BenchOptions;

constexpr const char* kUsage =
    "seckill-bench [--targets HOST:PORT,...] [--connections C] [--path P] [--users U] "
    "[--duration-s S | --requests N | --until-sold-out] [--rate R] [--redis HOST:PORT] "
    "[--json FILE] "
    "[--markdown FILE]";

// What the flags fill: the options themselves where a flag names one as it is, and the rest
// as typed, converted and checked by options_from().
struct CommandLine {
  BenchOptions options;
  std::string targets = "127.0.0.1:8080";
  double duration_s = 10;
  std::int64_t requests = 0;
  std::string proxy_config = "config/proxy.json";
  bool v1_tokens = false;

  void add_to(seckill::Flags& flags) {
    flags.add("targets", targets, "proxies to load, HOST:PORT[,HOST:PORT...]", "HOST:PORT,...")
        .add("connections", options.connections, "keep-alive connections in all")
        .add("threads", options.threads, "generator threads")
        .add("path", options.path, "path: /seckill, /result or /healthz (no query)", "PATH")
        .add("product", options.product, "product to buy")
        .add("first-user", options.first_user, "first user id")
        .add("users", options.users, "distinct users, cycled through")
        .add("duration-s", duration_s,
             "how long to run (unless --requests or --until-sold-out ends it)")
        .add("requests", requests, "stop after this many requests (0: run for --duration-s)")
        .add("until-sold-out", options.stop_when_sold_out, "stop at the first sold-out answer")
        .add("rate", options.rate,
             "offer this many requests per second in all, open loop, latency counted from each "
             "request's due time (0: closed loop, each connection waits for its answer)")
        .add("forwarded-for", options.forwarded_for,
             "give every user an X-Forwarded-For address of its own")
        .add("challenge", options.challenge,
             "the product asks for a challenge: fetch and solve every user's before the run")
        .add("proxy-config", proxy_config,
             "where the token keys are (SECKILL_SECRET gives the top-level secret)", "FILE")
        .add("v1-tokens", v1_tokens, "send v1 tokens (no expiry) instead of v2 ones")
        .add("redis", options.redis, "HOST:PORT: run the audit there after the run", "HOST:PORT")
        .add("label", options.label, "name of this run in the outputs", "NAME")
        .add("json", options.json_file, "write the result as JSON to this file", "FILE")
        .add("markdown", options.markdown_file,
             "append the result as a Markdown table row to this file", "FILE");
  }
};

std::vector<seckill::bench::Target> parse_targets(const std::string& text) {
  std::vector<seckill::bench::Target> targets;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    std::string item =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    seckill::RedisConfig parsed;  // reuse the HOST:PORT parser
    if (!seckill::apply_redis_address(item, parsed)) {
      throw seckill::ConfigError("--targets: '" + item + "' is not HOST:PORT");
    }
    targets.push_back({parsed.host, static_cast<unsigned short>(parsed.port)});
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return targets;
}

BenchOptions options_from(const CommandLine& cli) {
  BenchOptions options = cli.options;
  options.targets = parse_targets(cli.targets);
  if (options.connections < 1) throw seckill::ConfigError("--connections: must be >= 1");
  if (options.threads < 1 || options.threads > 64) throw seckill::ConfigError("--threads: 1..64");
  if (options.users < 1) throw seckill::ConfigError("--users: must be >= 1");
  if (cli.duration_s <= 0) throw seckill::ConfigError("--duration-s: must be > 0");
  options.duration = std::chrono::milliseconds(static_cast<std::int64_t>(cli.duration_s * 1000));
  if (cli.requests < 0) throw seckill::ConfigError("--requests: must be >= 0");
  if (!(options.rate >= 0 && options.rate <= 10'000'000)) {
    throw seckill::ConfigError("--rate: must be 0..10000000 requests per second");
  }
  options.max_requests = static_cast<std::uint64_t>(cli.requests);
  if (options.path != "/healthz") {
    // An absent file is no error while SECKILL_SECRET gives the secret.
    rapidjson::Document config;
    config.SetObject();
    if (std::filesystem::exists(cli.proxy_config))
      config = seckill::parse_json_file(cli.proxy_config);
    if (cli.v1_tokens) {
      std::string secret = seckill::token_secret_of_proxy_config(config, cli.proxy_config);
      if (secret.empty()) throw seckill::ConfigError(cli.proxy_config + ": secret: not set");
      options.token_of = [secret](std::int64_t user) { return seckill::make_token(secret, user); };
    } else {
      auto tokens = std::make_shared<const seckill::TokenKeyring>(
          seckill::token_keyring_of_proxy_config(config, cli.proxy_config));
      // Valid for a day from now: longer than any run.
      const std::int64_t expires = seckill::unix_ms_now() / 1000 + 86400;
      options.token_of = [tokens, expires](std::int64_t user) {
        return tokens->issue(user, expires);
      };
    }
  }
  return options;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// 10.x.y.z from the user number: distinct for the first 16 million users.
std::string forwarded_address(std::int64_t user) {
  std::string address = "10.";
  address += std::to_string((user >> 16) & 255);
  address += '.';
  address += std::to_string((user >> 8) & 255);
  address += '.';
  address += std::to_string(user & 255);
  return address;
}

seckill::bench::BenchResult run(const BenchOptions& options) {
  seckill::bench::SharedLoad shared(options);
  if (options.path == "/healthz") {
    shared.requests.push_back("GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n");
  } else {
    shared.requests.reserve(static_cast<std::size_t>(options.users));
    const std::string product = "?product_id=" + std::to_string(options.product) + "&user_id=";
    for (std::int64_t i = 0; i < options.users; ++i) {
      const std::int64_t user = options.first_user + i;
      const std::string token = options.token_of(user);
      const std::string address = options.forwarded_for ? forwarded_address(user) : "";
      std::string text = "GET " + options.path + product + std::to_string(user) + "&token=" + token;
      if (options.challenge) {
        // Asked of the first proxy: every proxy hands out the same challenge.
        text += seckill::bench::challenge_suffix(options.targets.front(), options.product, user,
                                                 token, address);
      }
      text += " HTTP/1.1\r\nHost: bench\r\n";
      if (!address.empty()) text += "X-Forwarded-For: " + address + "\r\n";
      shared.requests.push_back(text + "\r\n");
    }
  }
  std::vector<std::unique_ptr<seckill::bench::LoadShard>> shards;
  for (int t = 0; t < options.threads; ++t) {
    const int share =
        options.connections / options.threads + (t < options.connections % options.threads ? 1 : 0);
    shards.push_back(std::make_unique<seckill::bench::LoadShard>(shared, share, t));
  }

  const double cpu_before = cpu_seconds();
  shared.started = std::chrono::steady_clock::now();
  shared.schedule = seckill::bench::SendSchedule(options.rate, shared.started);
  std::atomic<int> running{static_cast<int>(shards.size())};
  std::vector<std::thread> threads;
  for (auto& shard : shards) {
    threads.emplace_back([&shard, &running] {
      shard->run();
      running.fetch_sub(1);
    });
  }
  // Wait out the duration (or an earlier stop), then give in-flight answers a bounded time.
  const auto end = shared.started + options.duration;
  while (!shared.stopping && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  shared.stopping = true;
  const auto stopped_at = std::chrono::steady_clock::now();
  const auto drain_deadline = stopped_at + std::chrono::seconds(15);
  while (running.load() > 0 && std::chrono::steady_clock::now() < drain_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& shard : shards) shard->stop();
  for (auto& thread : threads) thread.join();
  const auto finished_at = std::chrono::steady_clock::now();

  seckill::bench::BenchResult result;
  result.options = options;
  // Throughput over the time requests were being issued: the drain adds no new work.
  result.elapsed_s = std::chrono::duration<double>(stopped_at - shared.started).count();
  result.cpu_percent = 100.0 * (cpu_seconds() - cpu_before) /
                       std::chrono::duration<double>(finished_at - shared.started).count();
  for (auto& shard : shards) result.counters.merge(shard->counters());
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cli;
  seckill::Flags flags;
  cli.add_to(flags);
  seckill::init_program_flags_only(argc, argv, flags, kUsage);
  BenchOptions options;
  try {
    options = options_from(cli);
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-bench: " << error.what() << "\n";
    return 2;
  }
  seckill::bench::BenchResult result;
  try {
    result = run(options);
  } catch (const std::exception& error) {
    // A challenge that could not be fetched (a proxy away, the sale not started): no load.
    std::cerr << "seckill-bench: " << error.what() << "\n";
    return 3;
  }
  if (!options.redis.empty()) result.audit = seckill::bench::run_audit(options.redis);
  std::cout << result.text() << std::flush;
  if (!options.json_file.empty()) std::ofstream(options.json_file) << result.json() << "\n";
  if (!options.markdown_file.empty()) {
    std::ofstream table(options.markdown_file, std::ios::app);
    if (table.tellp() == 0) table << seckill::bench::BenchResult::markdown_header();
    table << result.markdown_row();
  }
  return result.audit.ran && !result.audit.ok ? 1 : 0;
}
