// seckill-proxy: the HTTP tier. Validates, answers what it can from memory, queues purchases for
// the logic tier and routes the decisions back.
#include <iostream>

#include <gflags/gflags.h>
#include <glog/logging.h>

#include "common/config_reader.hpp"
#include "common/program.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_server.hpp"

DEFINE_string(config, "config/proxy.json", "proxy configuration file");
DEFINE_int32(port, -1, "HTTP port (overrides port; 0 picks a free one)");
DEFINE_string(redis, "", "Redis address HOST:PORT (overrides redis.host/port)");
DEFINE_string(proxy_id, "", "unique id of this proxy (overrides proxy_id)");
DEFINE_int32(request_timeout_ms, 0, "purchase deadline in ms (overrides request_timeout_ms)");

namespace {

seckill::proxy::ProxyConfig effective_config() {
  auto config = seckill::proxy::load_proxy_config(FLAGS_config);
  if (FLAGS_port > 65535 || FLAGS_port < -1) throw seckill::ConfigError("--port: must be 0..65535");
  if (FLAGS_port >= 0) config.port = FLAGS_port;
  if (!FLAGS_redis.empty() && !seckill::apply_redis_address(FLAGS_redis, config.redis)) {
    throw seckill::ConfigError("--redis: must be HOST:PORT");
  }
  if (!FLAGS_proxy_id.empty()) config.proxy_id = FLAGS_proxy_id;
  if (FLAGS_request_timeout_ms < 0 || FLAGS_request_timeout_ms > 600000) {
    throw seckill::ConfigError("--request-timeout-ms: must be 10..600000");
  }
  if (FLAGS_request_timeout_ms > 0) {
    if (FLAGS_request_timeout_ms < 10) {
      throw seckill::ConfigError("--request-timeout-ms: must be 10..600000");
    }
    config.request_timeout = std::chrono::milliseconds(FLAGS_request_timeout_ms);
  }
  seckill::proxy::finalize_proxy_config(config);
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  seckill::init_program(argc, argv,
                        "seckill-proxy --config config/proxy.json [--port N] [--redis HOST:PORT] "
                        "[--proxy-id ID] [--request-timeout-ms N]");

  seckill::proxy::ProxyConfig config;
  try {
    config = effective_config();
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
