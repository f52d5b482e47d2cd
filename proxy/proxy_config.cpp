#include "proxy/proxy_config.hpp"

#include <cstdlib>

#include "common/program/config_reader.hpp"
#include "common/store/id_lease.hpp"

namespace seckill::proxy {
namespace {

void read_http_limits(ConfigReader reader, HttpLimits& http) {
  reader.read_duration("io_timeout_ms", http.io_timeout, 100, 600000);
  std::int64_t header_limit = static_cast<std::int64_t>(http.header_limit);
  reader.read_int("header_limit", header_limit, 512, 1 << 20);
  http.header_limit = static_cast<std::size_t>(header_limit);
  std::int64_t body_limit = static_cast<std::int64_t>(http.body_limit);
  reader.read_int("body_limit", body_limit, 0, 1 << 20);
  http.body_limit = static_cast<std::size_t>(body_limit);
  reader.read_int("backlog", http.backlog, 1, 65535);
  reader.finish();
}

void read_size(ConfigReader& reader, const char* key, std::size_t& out, std::int64_t max) {
  std::int64_t value = static_cast<std::int64_t>(out);
  reader.read_int(key, value, 1, max);
  out = static_cast<std::size_t>(value);
}

void read_limits(ConfigReader& reader, const char* prefix, RateLimits& limits) {
  const std::string p(prefix);
  reader.read_int((p + "_per_second").c_str(), limits.per_second, 0, 1'000'000'000);
  reader.read_int((p + "_per_minute").c_str(), limits.per_minute, 0, 1'000'000'000);
  reader.read_int((p + "_ban_after").c_str(), limits.ban_after, 0, 1'000'000'000);
}

void read_guard(ConfigReader reader, GuardConfig& guard) {
  read_limits(reader, "user", guard.per_user);
  read_limits(reader, "ip", guard.per_address);
  std::chrono::milliseconds ban = guard.per_user.ban;
  reader.read_duration("ban_ms", ban, 1000, 86'400'000);  // a ban always ends: at most a day
  guard.per_user.ban = guard.per_address.ban = ban;
  std::int64_t tracked = static_cast<std::int64_t>(guard.per_user.max_keys);
  reader.read_int("max_tracked", tracked, 16, 100'000'000);
  guard.per_user.max_keys = guard.per_address.max_keys = static_cast<std::size_t>(tracked);
  if (reader.has("trusted_proxies")) {
    const rapidjson::Value& list = reader.take("trusted_proxies");
    if (!list.IsArray()) throw ConfigError(reader.name("trusted_proxies") + ": must be an array");
    guard.trusted_proxies.clear();
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      auto range = list[i].IsString() ? AddressRange::parse(list[i].GetString()) : std::nullopt;
      if (!range) {
        throw ConfigError(reader.name("trusted_proxies") + "[" + std::to_string(i) +
                          "]: must be an address or CIDR range");
      }
      guard.trusted_proxies.push_back(*range);
    }
  }
  reader.finish();
}

void read_web(ConfigReader reader, WebConfig& web, const std::string& config_file) {
  reader.read_string("static_dir", web.static_dir);
  reader.read_bool("demo_login", web.demo_login);
  reader.finish();
  web.static_dir = path_beside_config(config_file, web.static_dir);
}

// A secret given three ways: the environment wins, then the file named, then the config's own.
void resolve_secret(std::string& secret, const std::string& file, const char* env,
                    const std::string& key) {
  if (const char* value = std::getenv(env); value != nullptr && *value != '\0') {
    secret = value;
    return;
  }
  if (!file.empty()) secret = read_secret_file(file, key + "_file");
}

void read_secret(ConfigReader& reader, const std::string& config_file, std::string& secret,
                 std::string& secret_file) {
  reader.read_string("secret", secret);
  reader.read_string("secret_file", secret_file);
  if (!secret.empty() && !secret_file.empty()) {
    throw ConfigError(reader.name("secret") + ": set secret or secret_file, not both");
  }
  secret_file = path_beside_config(config_file, secret_file);
}

void read_payments(ConfigReader reader, PaymentsConfig& payments, const std::string& file) {
  read_secret(reader, file, payments.secret, payments.secret_file);
  std::int64_t window = payments.window.count();
  reader.read_int("window_s", window, 1, 86400);
  payments.window = std::chrono::seconds(window);
  reader.read_bool("demo", payments.demo);
  reader.finish();
}

// Whether `secret` signs or checks user tokens (the v1 secret or a v2 key).
bool uses_token_secret(const ProxyConfig& config, const std::string& secret) {
  if (config.secret == secret) return true;
  for (const auto& key : config.tokens.keys) {
    if (key.second == secret) return true;
  }
  return false;
}

bool valid_proxy_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

ProxyConfig load_proxy_config(const std::string& file) {
  rapidjson::Document document = parse_json_file(file);
  ConfigReader reader(document, "");
  ProxyConfig config;
  reader.read_string("listen_address", config.listen_address, false);
  reader.read_int("port", config.port, 0, 65535);
  reader.read_int("metrics_port", config.metrics_port, 0, 65535);
  reader.read_string("metrics_address", config.metrics_address, false);
  reader.read_string("proxy_id", config.proxy_id);
  read_secret(reader, file, config.secret, config.secret_file);
  read_token_config(reader.object("tokens"), config.tokens, file);
  reader.read_int("io_threads", config.io_threads, 1, 256);
  reader.read_int("writer_threads", config.writer_threads, 1, 256);
  reader.read_int("reader_threads", config.reader_threads, 1, 256);
  read_size(reader, "channel_capacity", config.channel_capacity, 10'000'000);
  read_size(reader, "max_pending", config.max_pending, 10'000'000);
  reader.read_int("batch_size", config.batch_size, 1, 10000);
  reader.read_duration("writer_linger_us", config.writer_linger, 0, 100000);
  reader.read_duration("request_timeout_ms", config.request_timeout, 10, 600000);
  reader.read_duration("product_refresh_ms", config.product_refresh, 10, 1000);
  reader.read_double("access_log_sample", config.access_log_sample, 0.0, 1.0);
  read_http_limits(reader.object("http"), config.http);
  read_web(reader.object("web"), config.web, file);
  read_payments(reader.object("payments"), config.payments, file);
  read_guard(reader.object("guard"), config.guard);
  read_redis_config(reader.object("redis"), config.redis);
  reader.finish();
  return config;
}

void finalize_proxy_config(ProxyConfig& config) {
  resolve_secret(config.secret, config.secret_file, "SECKILL_SECRET", "secret");
  finalize_token_config(config.tokens, config.secret);
  resolve_secret(config.payments.secret, config.payments.secret_file, "SECKILL_PAYMENTS_SECRET",
                 "payments.secret");
  // The shipped demo config's secrets are public: anyone could mint tokens or sign payments.
  // The demo sign-in shows that the proxy is a demo; without it, it is meant to be real.
  if (!config.web.demo_login && uses_token_secret(config, kDemoSecret)) {
    throw ConfigError(
        "secret: the demo's secret with web.demo_login off: set a secret of your own "
        "(SECKILL_SECRET, secret_file or tokens.key_files)");
  }
  if (!config.payments.demo && config.payments.secret == kDemoPaymentsSecret) {
    throw ConfigError(
        "payments.secret: the demo's secret with payments.demo off: set the provider's "
        "(SECKILL_PAYMENTS_SECRET or payments.secret_file)");
  }
  if (!config.payments.secret.empty() && uses_token_secret(config, config.payments.secret)) {
    // A provider that knew the token secret could sign in as any user.
    throw ConfigError("payments.secret: must differ from secret and every tokens key");
  }
  if (config.payments.demo && (!config.web.demo_login || config.payments.secret.empty())) {
    throw ConfigError("payments.demo: needs web.demo_login and payments.secret");
  }
  if (config.http.io_timeout < config.request_timeout) {
    // An idle timeout shorter than the request timeout would cut a slow purchase's connection
    // before its answer (or its 5004) could be written.
    throw ConfigError("http.io_timeout_ms: must be at least request_timeout_ms (" +
                      std::to_string(config.request_timeout.count()) + ")");
  }
  if (config.proxy_id.empty()) config.proxy_id = default_process_id();
  if (!valid_proxy_id(config.proxy_id)) {
    throw ConfigError("proxy_id: 1..64 characters of letters, digits, '-', '_' or '.'");
  }
}

}  // namespace seckill::proxy
