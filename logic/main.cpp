// seckill-logic: decides purchase requests from seckill:req with the atomic Lua script.
#include <iostream>
#include <memory>

#include <gflags/gflags.h>
#include <glog/logging.h>

#include "common/config_reader.hpp"
#include "common/program.hpp"
#include "logic/logic_config.hpp"
#include "logic/logic_server.hpp"
#include "logic/logic_stats.hpp"
#include "logic/metrics_listener.hpp"

DEFINE_string(config, "config/logic.json", "logic configuration file");
DEFINE_string(redis, "", "Redis address HOST:PORT (overrides redis.host/port)");
DEFINE_int32(workers, 0, "worker threads (overrides workers)");
DEFINE_string(logic_id, "", "id of this process; keep it across restarts (overrides logic_id)");
DEFINE_int32(metrics_port, -1, "serve GET /metrics on this port (overrides metrics_port)");

namespace {

seckill::logic::LogicConfig effective_config() {
  auto config = seckill::logic::load_logic_config(FLAGS_config);
  if (!FLAGS_redis.empty() && !seckill::apply_redis_address(FLAGS_redis, config.redis)) {
    throw seckill::ConfigError("--redis: must be HOST:PORT");
  }
  if (FLAGS_workers < 0 || FLAGS_workers > 256) {
    throw seckill::ConfigError("--workers: must be in 1..256");
  }
  if (FLAGS_workers > 0) config.workers = FLAGS_workers;
  if (!FLAGS_logic_id.empty()) config.logic_id = FLAGS_logic_id;
  if (FLAGS_metrics_port > 65535) throw seckill::ConfigError("--metrics-port: must be 0..65535");
  if (FLAGS_metrics_port >= 0) config.metrics_port = FLAGS_metrics_port;
  seckill::logic::finalize_logic_config(config);
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  seckill::init_program(argc, argv,
                        "seckill-logic --config config/logic.json [--redis HOST:PORT] "
                        "[--workers N] [--logic-id ID] [--metrics-port N]");

  seckill::logic::LogicConfig config;
  try {
    config = effective_config();
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-logic: bad configuration: " << error.what() << "\n";
    return 2;
  }

  seckill::block_stop_signals();
  seckill::logic::LogicServer server(config);
  std::unique_ptr<seckill::logic::MetricsListener> metrics;
  try {
    if (config.metrics_port > 0) {
      metrics = std::make_unique<seckill::logic::MetricsListener>(
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
