#include "common/store/lease_keeper.hpp"

#include <glog/logging.h>

#include "common/program/config_reader.hpp"

namespace seckill {

LeaseKeeper::LeaseKeeper(RedisConfig redis, IdLease lease, std::function<void(bool)> on_change)
    : redis_(std::move(redis)),
      lease_(std::move(lease)),
      on_change_(std::move(on_change)),
      thread_("lease", lease_.ttl() / 3, [this] { renew(); }) {}

void LeaseKeeper::claim(std::chrono::milliseconds patience) {
  switch (lease_.claim(redis_, patience)) {
    case IdLease::Claim::kClaimed:
      return;
    case IdLease::Claim::kHeldByAnother:
      throw ConfigError(lease_.what() + " is in use by a live process (" + lease_.other_holder() +
                        "): give each process its own id");
    case IdLease::Claim::kUnreachable:
      // Redis is not there yet: the renewals take the lease once it is.
      LOG(WARNING) << lease_.what() << ": Redis unreachable, the lease is taken once it answers";
      return;
  }
}

void LeaseKeeper::stop() {
  thread_.stop();
  if (held_) lease_.release(redis_);
}

void LeaseKeeper::renew() {
  const IdLease::Renewal renewal = lease_.renew(redis_);
  if (renewal == IdLease::Renewal::kUnreachable) return;
  const bool held = renewal == IdLease::Renewal::kRenewed;
  if (!held) {
    LOG_EVERY_T(ERROR, 10) << lease_.what() << " is now leased by another process ("
                           << lease_.other_holder() << "): two processes share this id";
  } else if (!held_) {
    LOG(INFO) << lease_.what() << ": the lease is ours again";
  }
  if (held != held_) {
    held_ = held;
    on_change_(held);
  }
}

}  // namespace seckill
