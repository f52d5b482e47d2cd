#include "logic/logic_config.hpp"

#include "common/program/config_reader.hpp"
#include "common/store/id_lease.hpp"
#include "common/wire.hpp"

namespace seckill::logic {

LogicConfig load_logic_config(const std::string& file) {
  rapidjson::Document document = parse_json_file(file);
  ConfigReader reader(document, "");
  LogicConfig config;
  read_redis_config(reader.object("redis"), config.redis);
  reader.read_string("logic_id", config.logic_id);
  reader.read_duration("heartbeat_ms", config.heartbeat, 100, 60000);
  reader.read_duration("dead_after_ms", config.dead_after, 500, 600000);
  reader.read_int("max_attempts", config.max_attempts, 1, 100);
  reader.read_int("workers", config.workers, 1, 256);
  reader.read_int("metrics_port", config.metrics_port, 0, 65535);
  reader.read_string("metrics_address", config.metrics_address, false);
  reader.read_int("batch_size", config.batch_size, 1, 10000);
  reader.read_duration("pop_block_ms", config.pop_block, 10, 60000);
  reader.read_duration("group_poll_ms", config.group_poll, 1, 1000);
  reader.read_duration("batch_linger_us", config.batch_linger, 0, 100000);
  reader.read_duration("reaper_interval_ms", config.reaper_interval, 10, 60000);
  reader.read_duration("reply_ttl_ms", config.reply_ttl, 1000, 86400000);
  reader.read_duration("decision_retention_ms", config.decision_retention, 1000, 3600000);
  reader.read_duration("max_deadline_ahead_ms", config.max_deadline_ahead, 1000, 86400000);
  reader.read_int("wait_failures_to_pause", config.wait_failures_to_pause, 1, 1000);
  reader.finish();
  if (config.dead_after <= config.heartbeat) {
    throw ConfigError("dead_after_ms: must be longer than heartbeat_ms");
  }
  return config;
}

void finalize_logic_config(LogicConfig& config) {
  if (config.logic_id.empty()) config.logic_id = default_process_id();
  // Every logic connection checks, before its first command, that Redis never evicts a key.
  config.redis.require_noeviction = true;
  if (!is_safe_name(config.logic_id, 64)) {
    throw ConfigError("logic_id: 1..64 characters of letters, digits, '-', '_', '.' or ':'");
  }
}

}  // namespace seckill::logic
