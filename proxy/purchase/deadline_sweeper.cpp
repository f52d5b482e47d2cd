#include "proxy/purchase/deadline_sweeper.hpp"

namespace seckill::proxy {

DeadlineSweeper::DeadlineSweeper(PendingRequests& pending, ProxyStats& stats,
                                 std::chrono::milliseconds tick)
    : pending_(pending),
      stats_(stats),
      thread_("sweeper", tick, [this] { sweep(PendingRequests::Clock::now()); }) {}

std::size_t DeadlineSweeper::sweep(PendingRequests::Clock::time_point now) {
  auto expired = pending_.take_expired(now);
  for (auto& [id, completion] : expired) {
    PurchaseReply reply;
    reply.id = id;
    reply.code = Code::kTimeout;
    completion(reply);
  }
  stats_.timeouts.fetch_add(expired.size(), std::memory_order_relaxed);
  return expired.size();
}

}  // namespace seckill::proxy
