// seckill-proxy: the HTTP tier. Validates, answers what it can from memory, queues purchases for
// the logic tier and routes the decisions back.
#include <iostream>

#include <glog/logging.h>

#include "common/program/config_reader.hpp"
#include "common/program/program.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_server.hpp"

namespace {

constexpr const char* kUsage =
    "seckill-proxy [--config FILE] [--port N] [--redis HOST:PORT] [--proxy-id ID] "
    "[--request-timeout-ms N] [--metrics-port N]";

// The command line; each flag overrides its key of the config file.
struct CommandLine {
  std::string config = "config/proxy.json";
  int port = -1;
  std::string redis;
  std::string proxy_id;
  int request_timeout_ms = 0;
  int metrics_port = -1;
};

seckill::proxy::ProxyConfig effective_config(const CommandLine& cli) {
  auto config = seckill::proxy::load_proxy_config(cli.config);
  if (cli.port > 65535 || cli.port < -1) throw seckill::ConfigError("--port: must be 0..65535");
  if (cli.port >= 0) config.port = cli.port;
  if (cli.metrics_port > 65535 || cli.metrics_port < -1) {
    throw seckill::ConfigError("--metrics-port: must be 0..65535");
  }
  if (cli.metrics_port >= 0) config.metrics_port = cli.metrics_port;
  if (!cli.redis.empty() && !seckill::apply_redis_address(cli.redis, config.redis)) {
    throw seckill::ConfigError("--redis: must be HOST:PORT");
  }
  if (!cli.proxy_id.empty()) config.proxy_id = cli.proxy_id;
  if (cli.request_timeout_ms < 0 || cli.request_timeout_ms > 600000) {
    throw seckill::ConfigError("--request-timeout-ms: must be 10..600000");
  }
  if (cli.request_timeout_ms > 0) {
    if (cli.request_timeout_ms < 10) {
      throw seckill::ConfigError("--request-timeout-ms: must be 10..600000");
    }
    config.request_timeout = std::chrono::milliseconds(cli.request_timeout_ms);
  }
  seckill::proxy::finalize_proxy_config(config);
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cli;
  seckill::Flags flags;
  flags.add("config", cli.config, "proxy configuration file", "FILE")
      .add("port", cli.port, "HTTP port, overrides port (0 picks a free one; -1: the file's)")
      .add("redis", cli.redis, "Redis address HOST:PORT, overrides redis.host/port", "HOST:PORT")
      .add("proxy-id", cli.proxy_id, "unique id of this proxy, overrides proxy_id", "ID")
      .add("metrics-port", cli.metrics_port,
           "serve /metrics and /healthz on this port of metrics_address instead of the public "
           "one, overrides metrics_port (-1: the file's; 0: the public port)")
      .add("request-timeout-ms", cli.request_timeout_ms,
           "purchase deadline in ms, overrides request_timeout_ms (0: the file's)");
  seckill::init_program_flags_only(argc, argv, flags, kUsage);

  seckill::proxy::ProxyConfig config;
  try {
    config = effective_config(cli);
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-proxy: bad configuration: " << error.what() << "\n";
    return 2;
  }

  seckill::block_stop_signals();
  try {
    seckill::proxy::ProxyServer server(config);
    server.start();
    // Scripts and tests read the bound port from this line (useful with --port 0).
    std::cout << "seckill-proxy listening on port " << server.port() << std::endl;
    int signal_number = seckill::wait_for_stop_signal();
    LOG(INFO) << "proxy: signal " << signal_number << ", draining";
    server.stop();
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-proxy: bad configuration: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    LOG(ERROR) << "proxy: cannot start: " << error.what();
    return 1;
  }
  return 0;
}
