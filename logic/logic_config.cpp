#include "logic/logic_config.hpp"

#include "common/config_reader.hpp"

namespace seckill::logic {

LogicConfig load_logic_config(const std::string& file) {
  rapidjson::Document document = parse_json_file(file);
  ConfigReader reader(document, "");
  LogicConfig config;
  read_redis_config(reader.object("redis"), config.redis);
  reader.read_int("workers", config.workers, 1, 256);
  reader.read_int("batch_size", config.batch_size, 1, 10000);
  reader.read_ms("pop_block_ms", config.pop_block, 10, 60000);
  reader.read_ms("reply_ttl_ms", config.reply_ttl, 1000, 86400000);
  reader.read_ms("decision_retention_ms", config.decision_retention, 1000, 3600000);
  reader.finish();
  return config;
}

}  // namespace seckill::logic
