// BanSync: a thread that makes this proxy's temporary bans visible to seckill-admin and lets
// the admin lift them, every interval, in one round trip:
//   - publishes the bans begun since the last round (BanLedger) into the bans set, scored by
//     when each ends, and prunes the ones that have ended;
//   - reads the lifts seckill-admin unblock wrote since the last round and ends those bans here.
// Each lift is applied once: the lifts are read from a few seconds before the newest one seen
// (two admins writing at once may land out of order) and the ones already applied are skipped.
// The first round after start only notes the lifts already there: they are for bans of
// earlier processes, and must not end a ban this proxy begins later.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "common/base/periodic_thread.hpp"
#include "common/redis/redis_client.hpp"
#include "proxy/guard/guard.hpp"

namespace seckill::proxy {

class BanSync {
 public:
  BanSync(RedisConfig redis, std::chrono::milliseconds interval, Guard& guard);
  /// One round now (so the lifts already written are noted before any ban begins), then the
  /// thread.
  void start();
  void stop() { thread_.stop(); }

  /// One round; false when Redis could not be reached (the bans wait for the next one).
  bool sync_once();

 private:
  void apply_lifts(const RedisReply& lifts);

  RedisClient redis_;
  Guard& guard_;
  bool primed_ = false;      // the first round has noted the lifts already there
  std::int64_t newest_ = 0;  // the newest lift seen, Redis's Unix ms
  std::set<std::pair<std::int64_t, std::string>> applied_;  // (when, member), recent ones
  PeriodicThread thread_;  // last: it stops first, while the members it uses still exist
};

}  // namespace seckill::proxy
