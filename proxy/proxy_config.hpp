// Configuration of seckill-proxy (config/proxy.json), with the defaults a demo runs on.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/redis/redis_config.hpp"
#include "common/token/token_config.hpp"
#include "proxy/guard/guard.hpp"

namespace seckill::proxy {

struct HttpLimits {
  /// Budget for reading one request or writing one response; idle keep-alive connections close.
  /// At least the request timeout: a connection waiting for its answer is never cut.
  std::chrono::milliseconds io_timeout{15000};
  std::size_t header_limit = 8192;
  std::size_t body_limit = 4096;
  /// Listen backlog: a burst arrives faster than accept() runs.
  int backlog = 4096;
};

/// The sale page (GET /) and its demo sign-in.
struct WebConfig {
  /// Folder of the page's files; a relative path is relative to the config file's folder.
  /// Empty: no page (GET / answers 404).
  std::string static_dir;
  /// POST /demo/login signs a browser in as any user: for demos only, never in production.
  bool demo_login = false;
};

/// The payment provider's callback (POST /payments/notify).
struct PaymentsConfig {
  /// The provider's HMAC secret, shared with it alone; SECKILL_PAYMENTS_SECRET overrides it,
  /// and `secret_file` (read at start) may hold it instead of the config.
  /// Empty: the callback is off (404). Never logged.
  std::string secret;
  std::string secret_file;
  /// A callback whose timestamp is further than this from now is refused (a replay).
  std::chrono::seconds window{300};
  /// POST /demo/pay signs a callback as the provider would, for the demo's Pay button: only
  /// with web.demo_login, never in production.
  bool demo = false;
};

struct ProxyConfig {
  std::string listen_address = "0.0.0.0";
  int port = 8080;
  /// > 0: /metrics and /healthz are served on this port of `metrics_address` (an admin
  /// listener for scrapers and health checks) and no longer on the public port.
  int metrics_port = 0;
  std::string metrics_address = "127.0.0.1";
  /// Unique among proxies sharing a Redis; names the reply list, and is leased in Redis while
  /// the proxy lives (a second live proxy with the same id is refused). Empty: host-pid-random.
  std::string proxy_id;
  /// HMAC secret of v1 tokens, and of v2 tokens (key "main") unless tokens.keys are given;
  /// SECKILL_SECRET overrides it, and `secret_file` (read at start, so the config file can be
  /// public) may hold it instead. Never logged.
  std::string secret;
  std::string secret_file;
  /// The keys of v2 tokens, and whether v1 tokens still work.
  TokenConfig tokens;
  int io_threads = 2;
  /// Redis threads pushing requests / popping replies. One of each moves tens of thousands of
  /// requests a second (in batches); more only add context switches on a small machine.
  int writer_threads = 1;
  int reader_threads = 1;
  /// Purchases waiting for a writer; when full the proxy answers 5003 at once.
  std::size_t channel_capacity = 20000;
  /// Requests waiting for a decision; when full the proxy answers 5003 at once.
  std::size_t max_pending = 100000;
  /// Most messages one Redis round trip carries (writers and readers).
  int batch_size = 256;
  /// How long a writer that finds fewer than batch_size purchases waits for more before it
  /// pushes them: at moderate rates a push of one or two costs a wake-up and a round trip each
  /// (measured at 10k purchases/s: 17 µs of proxy CPU per purchase in the writers alone).
  /// Purchases wait this much longer at most; a full batch goes at once. 0: none.
  std::chrono::microseconds writer_linger{1000};
  /// After this a purchase is answered 5004 and can no longer become an order.
  std::chrono::milliseconds request_timeout{3000};
  /// Share of requests written to the access log through glog (0: none, 1: every one).
  double access_log_sample = 0.001;
  /// How often product state (window, stock left) is re-read from Redis.
  std::chrono::milliseconds product_refresh{200};
  HttpLimits http;
  WebConfig web;
  PaymentsConfig payments;
  GuardConfig guard;
  RedisConfig redis;
};

/// Reads `file` into a ProxyConfig; throws ConfigError naming the bad key.
ProxyConfig load_proxy_config(const std::string& file);

/// The secrets of the shipped demo config (config/proxy.json): public, so refused outside a demo.
inline constexpr const char* kDemoSecret = "demo-secret-change-me";
inline constexpr const char* kDemoPaymentsSecret = "demo-payments-secret-change-me";

/// Fills what the file may leave out: the secret from SECKILL_SECRET, the token keys from their
/// files, a default proxy id. Throws ConfigError when the result is unusable (no token key, a
/// demo secret outside a demo, bad proxy id, an idle timeout shorter than the request timeout).
void finalize_proxy_config(ProxyConfig& config);

}  // namespace seckill::proxy
