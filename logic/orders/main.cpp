// seckill-orders: moves every order and transition from the Redis order streams into
// PostgreSQL, exactly once in effect, and trims the streams behind it (README, Orders).
//
// Exit codes: 0 stopped by a signal (or --init-schema done), 1 PostgreSQL refused the schema,
// 2 bad configuration or flags.
#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include <gflags/gflags.h>
#include <glog/logging.h>

#include "common/config_reader.hpp"
#include "common/program.hpp"
#include "logic/metrics_listener.hpp"
#include "logic/orders/order_mover.hpp"
#include "logic/orders/order_sink.hpp"
#include "logic/orders/orders_config.hpp"

DEFINE_string(config, "config/orders.json", "seckill-orders configuration file");
DEFINE_string(redis, "", "Redis address HOST:PORT (overrides redis.host/port)");
DEFINE_string(dsn, "", "PostgreSQL connection string (overrides dsn; SECKILL_ORDERS_DSN too)");
DEFINE_int32(metrics_port, -1,
             "serve GET /metrics and /healthz on this port (overrides "
             "metrics_port)");
DEFINE_bool(init_schema, false, "create or migrate the database's tables, then exit");

namespace {

seckill::orders::OrdersConfig effective_config() {
  auto config = seckill::orders::load_orders_config(FLAGS_config);
  if (!FLAGS_redis.empty() && !seckill::apply_redis_address(FLAGS_redis, config.redis)) {
    throw seckill::ConfigError("--redis: must be HOST:PORT");
  }
  if (FLAGS_metrics_port > 65535) throw seckill::ConfigError("--metrics-port: must be 0..65535");
  if (FLAGS_metrics_port >= 0) config.metrics_port = FLAGS_metrics_port;
  seckill::orders::finalize_orders_config(config, FLAGS_dsn);
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
  seckill::init_program(argc, argv,
                        "seckill-orders --config config/orders.json [--redis HOST:PORT] "
                        "[--dsn DSN] [--metrics-port N] [--init-schema]");
  seckill::orders::OrdersConfig config;
  try {
    config = effective_config();
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-orders: bad configuration: " << error.what() << "\n";
    return 2;
  }
  if (FLAGS_init_schema) return init_schema(config);

  seckill::block_stop_signals();
  seckill::orders::OrdersStats stats;
  std::unique_ptr<seckill::logic::MetricsListener> metrics;
  try {
    if (config.metrics_port > 0) {
      metrics = std::make_unique<seckill::logic::MetricsListener>(
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
