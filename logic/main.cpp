// seckill-logic: decides purchase requests from seckill:req with the atomic Lua script.
#include <iostream>
#include <memory>

#include <glog/logging.h>

#include "common/program/config_reader.hpp"
#include "common/program/metrics_listener.hpp"
#include "common/program/program.hpp"
#include "logic/logic_config.hpp"
#include "logic/logic_server.hpp"
#include "logic/logic_stats.hpp"

namespace {

constexpr const char* kUsage =
    "seckill-logic [--config FILE] [--redis HOST:PORT] [--workers N] [--logic-id ID] "
    "[--metrics-port N]";

// The command line; each flag overrides its key of the config file.
struct CommandLine {
  std::string config = "config/logic.json";
  std::string redis;
  int workers = 0;
  std::string logic_id;
  int metrics_port = -1;
};

seckill::logic::LogicConfig effective_config(const CommandLine& cli) {
  auto config = seckill::logic::load_logic_config(cli.config);
  if (!cli.redis.empty() && !seckill::apply_redis_address(cli.redis, config.redis)) {
    throw seckill::ConfigError("--redis: must be HOST:PORT");
  }
  if (cli.workers < 0 || cli.workers > 256) {
    throw seckill::ConfigError("--workers: must be in 1..256");
  }
  if (cli.workers > 0) config.workers = cli.workers;
  if (!cli.logic_id.empty()) config.logic_id = cli.logic_id;
  if (cli.metrics_port > 65535) throw seckill::ConfigError("--metrics-port: must be 0..65535");
  if (cli.metrics_port >= 0) config.metrics_port = cli.metrics_port;
  seckill::logic::finalize_logic_config(config);
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cli;
  seckill::Flags flags;
  flags.add("config", cli.config, "logic configuration file", "FILE")
      .add("redis", cli.redis, "Redis address HOST:PORT, overrides redis.host/port", "HOST:PORT")
      .add("workers", cli.workers, "worker threads, overrides workers (0: the file's)")
      .add("logic-id", cli.logic_id,
           "id of this process, overrides logic_id; keep it across restarts", "ID")
      .add("metrics-port", cli.metrics_port,
           "serve GET /metrics on this port, overrides metrics_port (-1: the file's)");
  seckill::init_program_flags_only(argc, argv, flags, kUsage);

  seckill::logic::LogicConfig config;
  try {
    config = effective_config(cli);
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-logic: bad configuration: " << error.what() << "\n";
    return 2;
  }

  seckill::block_stop_signals();
  seckill::logic::LogicServer server(config);
  std::unique_ptr<seckill::MetricsListener> metrics;
  try {
    if (config.metrics_port > 0) {
      metrics = std::make_unique<seckill::MetricsListener>(
          config.metrics_address, config.metrics_port,
          [&server] { return seckill::logic::render_logic_metrics(server.stats()); });
      metrics->start();
      LOG(INFO) << "logic: metrics on " << config.metrics_address << ":" << metrics->port();
    }
  } catch (const std::exception& error) {
    LOG(ERROR) << "logic: cannot serve metrics: " << error.what();
    return 1;
  }
  try {
    server.start();
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-logic: cannot start: " << error.what() << "\n";
    return 2;
  }
  int signal_number = seckill::wait_for_stop_signal();
  LOG(INFO) << "logic: signal " << signal_number << ", finishing the requests in hand";
  server.stop();
  return 0;
}
