#include "logic/logic_server.hpp"

#include <glog/logging.h>

namespace seckill::logic {

LogicServer::LogicServer(LogicConfig config) : config_(std::move(config)) {}

LogicServer::~LogicServer() {
  stop();
}

void LogicServer::start() {
  for (int i = 0; i < config_.workers; ++i) {
    threads_.emplace_back([this] { Worker(config_, stopping_, stats_).run(); });
  }
  LOG(INFO) << "logic: " << config_.workers << " workers on redis " << config_.redis.host << ":"
            << config_.redis.port << ", batch " << config_.batch_size;
}

void LogicServer::stop() {
  stopping_.store(true);
  for (auto& thread : threads_) thread.join();
  if (!threads_.empty()) {
    LOG(INFO) << "logic: stopped; decided " << stats_.decided.load() << " (purchased "
              << stats_.purchased.load() << "), malformed " << stats_.malformed.load()
              << ", script errors " << stats_.script_errors.load() << ", abandoned "
              << stats_.abandoned.load();
  }
  threads_.clear();
}

}  // namespace seckill::logic
