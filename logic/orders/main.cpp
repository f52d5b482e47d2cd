// seckill-orders: moves every order and transition from the Redis order streams into
// PostgreSQL, exactly once in effect, and trims the streams behind it (README, Orders).
//
// Exit codes: 0 stopped by a signal (or --init-schema done), 1 PostgreSQL refused the schema,
// 2 bad configuration or flags.
#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include <glog/logging.h>

#include "common/program/config_reader.hpp"
#include "common/program/metrics_listener.hpp"
#include "common/program/program.hpp"
#include "logic/orders/order_mover.hpp"
#include "logic/orders/orders_config.hpp"
#include "logic/orders/store/order_sink.hpp"

namespace {

constexpr const char* kUsage =
    "seckill-orders [--config FILE] [--redis HOST:PORT] [--dsn DSN] [--metrics-port N] "
    "[--init-schema]";

// The command line; each flag overrides its key of the config file.
struct CommandLine {
  std::string config = "config/orders.json";
  std::string redis;
  std::string dsn;
  int metrics_port = -1;
  bool init_schema = false;
};

seckill::orders::OrdersConfig effective_config(const CommandLine& cli) {
  auto config = seckill::orders::load_orders_config(cli.config);
  if (!cli.redis.empty() && !seckill::apply_redis_address(cli.redis, config.redis)) {
    throw seckill::ConfigError("--redis: must be HOST:PORT");
  }
  if (cli.metrics_port > 65535) throw seckill::ConfigError("--metrics-port: must be 0..65535");
  if (cli.metrics_port >= 0) config.metrics_port = cli.metrics_port;
  seckill::orders::finalize_orders_config(config, cli.dsn);
  return config;
}

int init_schema(const seckill::orders::OrdersConfig& config) {
  seckill::orders::PgConnection db(config.dsn);
  seckill::orders::OrderSink sink(db);
  auto before = sink.init_schema();
  if (!before) {
    std::cerr << "seckill-orders: " << before.error().message << "\n";
    return 1;
  }
  std::cout << "schema version " << seckill::orders::kSchemaVersion
            << (*before == seckill::orders::kSchemaVersion
                    ? " (already)"
                    : " (was " + std::to_string(*before) + ")")
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cli;
  seckill::Flags flags;
  flags.add("config", cli.config, "seckill-orders configuration file", "FILE")
      .add("redis", cli.redis, "Redis address HOST:PORT, overrides redis.host/port", "HOST:PORT")
      .add("dsn", cli.dsn,
           "PostgreSQL connection string, overrides SECKILL_ORDERS_DSN and the file's dsn", "DSN")
      .add("metrics-port", cli.metrics_port,
           "serve GET /metrics and /healthz on this port, overrides metrics_port (-1: the "
           "file's)")
      .add("init-schema", cli.init_schema, "create or migrate the database's tables, then exit");
  seckill::init_program_flags_only(argc, argv, flags, kUsage);
  seckill::orders::OrdersConfig config;
  try {
    config = effective_config(cli);
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-orders: bad configuration: " << error.what() << "\n";
    return 2;
  }
  if (cli.init_schema) return init_schema(config);

  seckill::block_stop_signals();
  seckill::orders::OrdersStats stats;
  std::unique_ptr<seckill::MetricsListener> metrics;
  try {
    if (config.metrics_port > 0) {
      metrics = std::make_unique<seckill::MetricsListener>(
          config.metrics_address, config.metrics_port, [&stats] { return stats.render(); },
          [&stats] { return stats.healthy.load(); });
      metrics->start();
      LOG(INFO) << "orders: metrics on " << config.metrics_address << ":" << metrics->port();
    }
  } catch (const std::exception& error) {
    LOG(ERROR) << "orders: cannot serve metrics: " << error.what();
    return 1;
  }
  {
    // The schema must be this build's: refuse to write into an older or newer one.
    seckill::orders::PgConnection db(config.dsn);
    seckill::orders::OrderSink sink(db);
    auto version = sink.schema_version();
    if (version && *version != seckill::orders::kSchemaVersion) {
      std::cerr << "seckill-orders: the database is at schema version " << *version
                << ", this build needs " << seckill::orders::kSchemaVersion
                << ": run seckill-orders --init-schema\n";
      return 2;
    }
    // Unreachable now: the mover retries until it is there.
  }
  std::atomic<bool> stopping{false};
  seckill::orders::OrderMover mover(config, stats);
  std::thread worker([&] { mover.run(stopping); });
  LOG(INFO) << "orders: moving order streams from redis " << seckill::describe(config.redis)
            << " to postgresql";
  const int signal_number = seckill::wait_for_stop_signal();
  LOG(INFO) << "orders: signal " << signal_number << ", stopping after the round in hand";
  stopping.store(true);
  worker.join();
  return 0;
}
