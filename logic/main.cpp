// seckill-logic: decides purchase requests from seckill:req with the atomic Lua script.
#include <iostream>

#include <gflags/gflags.h>
#include <glog/logging.h>

#include "common/config_reader.hpp"
#include "common/program.hpp"
#include "logic/logic_config.hpp"
#include "logic/logic_server.hpp"

DEFINE_string(config, "config/logic.json", "logic configuration file");
DEFINE_string(redis, "", "Redis address HOST:PORT (overrides redis.host/port)");
DEFINE_int32(workers, 0, "worker threads (overrides workers)");
DEFINE_string(logic_id, "", "id of this process; keep it across restarts (overrides logic_id)");

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
  seckill::logic::finalize_logic_config(config);
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  seckill::init_program(argc, argv,
                        "seckill-logic --config config/logic.json [--redis HOST:PORT] "
                        "[--workers N] [--logic-id ID]");

  seckill::logic::LogicConfig config;
  try {
    config = effective_config();
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-logic: bad configuration: " << error.what() << "\n";
    return 2;
  }

  seckill::block_stop_signals();
  seckill::logic::LogicServer server(config);
  server.start();
  int signal_number = seckill::wait_for_stop_signal();
  LOG(INFO) << "logic: signal " << signal_number << ", finishing the requests in hand";
  server.stop();
  return 0;
}
