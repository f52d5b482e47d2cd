#include "logic/logic_server.hpp"

#include <glog/logging.h>

namespace seckill::logic {

namespace {

LogicConfig finalized(LogicConfig config) {
  finalize_logic_config(config);  // a default id for configs built in code
  return config;
}

}  // namespace

LogicServer::LogicServer(LogicConfig config)
    : config_(finalized(std::move(config))), membership_(config_, stats_) {}

LogicServer::~LogicServer() {
  stop();
}

void LogicServer::start() {
  membership_.tick();  // announce ourselves before taking work
  membership_.start();
  for (int i = 0; i < config_.workers; ++i) {
    threads_.emplace_back([this, i] { Worker(config_, i, stopping_, stats_).run(); });
  }
  LOG(INFO) << "logic " << config_.logic_id << ": " << config_.workers << " workers on redis "
            << config_.redis.host << ":" << config_.redis.port << ", batch " << config_.batch_size;
}

void LogicServer::stop() {
  stopping_.store(true);
  for (auto& thread : threads_) thread.join();
  if (!threads_.empty()) {
    membership_.stop();
    LOG(INFO) << "logic: stopped; decided " << stats_.decided.load() << " (purchased "
              << stats_.purchased.load() << "), malformed " << stats_.malformed.load()
              << ", script errors " << stats_.script_errors.load() << ", dead letters "
              << stats_.dead_lettered.load() << ", put back " << stats_.requeued.load()
              << ", abandoned " << stats_.abandoned.load();
  }
  threads_.clear();
}

}  // namespace seckill::logic
