#include "tools/bench/report/bench_audit.hpp"

#include "common/redis/redis_client.hpp"
#include "tools/admin/admin_store.hpp"
#include "tools/admin/audit/audit.hpp"

namespace seckill::bench {

AuditSummary run_audit(const std::string& redis_address) {
  AuditSummary summary;
  RedisConfig config;
  config.socket_timeout = std::chrono::milliseconds(30000);
  config.connect_timeout = std::chrono::milliseconds(1000);
  if (!apply_redis_address(redis_address, config)) {
    summary.breaches.push_back("--redis: not HOST:PORT");
    return summary;
  }
  RedisClient redis(config);
  admin::AdminStore store(redis);
  auto ids = store.product_ids();
  if (!ids) {
    summary.breaches.push_back("redis: " + ids.error().message);
    return summary;
  }
  summary.ran = true;
  for (auto id : *ids) {
    auto data = store.audit_data(id);
    if (!data) {
      summary.breaches.push_back("redis: " + data.error().message);
      continue;
    }
    auto result = admin::audit_product(*data);
    summary.breaches.insert(summary.breaches.end(), result.breaches.begin(), result.breaches.end());
  }
  summary.ok = summary.breaches.empty();
  return summary;
}

}  // namespace seckill::bench
