#include "logic/logic_server.hpp"

#include <glog/logging.h>

#include "common/base/thread_name.hpp"
#include "common/program/config_reader.hpp"

namespace seckill::logic {

namespace {

// How long start() waits for Redis to answer the id claim before it goes on without it (the
// heartbeat takes the lease once Redis answers).
constexpr std::chrono::milliseconds kClaimPatience{2000};

LogicConfig finalized(LogicConfig config) {
  finalize_logic_config(config);  // a default id for configs built in code
  return config;
}

}  // namespace

LogicServer::LogicServer(LogicConfig config)
    : config_(finalized(std::move(config))),
      membership_(config_, stats_, groups_),
      reaper_(config_, stats_, groups_),
      drawer_(config_, stats_, groups_) {}

LogicServer::~LogicServer() {
  stop();
}

void LogicServer::refuse_unsafe_start() {
  // Every connection checks the eviction policy before its first command; on a cluster each
  // master is asked.
  RedisClient probe(config_.redis);
  auto problem = eviction_problem(probe);
  if (!problem && problem.error().message.find("maxmemory-policy") != std::string::npos) {
    throw ConfigError("redis: " + problem.error().message);
  }
  if (membership_.claim(kClaimPatience) == IdLease::Claim::kHeldByAnother) {
    throw ConfigError(membership_.lease().what() + " is in use by a live process (" +
                      membership_.lease().other_holder() + "): give each process its own id");
  }
}

void LogicServer::start() {
  refuse_unsafe_start();
  membership_.tick();  // announce ourselves before taking work
  membership_.start();
  reaper_.start();
  drawer_.start();
  for (int i = 0; i < config_.workers; ++i) {
    threads_.emplace_back([this, i] {
      name_this_thread("worker-" + std::to_string(i));
      Worker(config_, i, stopping_, stats_, groups_, claims_).run();
    });
  }
  LOG(INFO) << "logic " << config_.logic_id << ": " << config_.workers << " workers on redis "
            << describe(config_.redis) << ", batch " << config_.batch_size;
}

void LogicServer::stop() {
  stopping_.store(true);
  for (auto& thread : threads_) thread.join();
  if (!threads_.empty()) {
    reaper_.stop();
    drawer_.stop();
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
