// OrderMover: seckill-orders' loop. Each round it reads every product's order stream from the
// committed position on (XRANGE, one pipelined round trip; on a replica with
// read_from_replica), writes what it read to PostgreSQL
// in one statement together with the new positions, then trims the streams below them.
//
// Exactly once in effect: the positions are committed with the rows, so a crash anywhere
// resumes at the committed position, and what is read twice (a crash between the commit and
// the trim, say) is written twice harmlessly: an event is stored once per stream entry and a
// row moves only to a newer version. PostgreSQL away: the round fails, nothing moves, and the
// next round (after a backoff) reads from the committed position again.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "common/redis/redis_client.hpp"
#include "common/store/lua_script.hpp"
#include "logic/orders/orders_config.hpp"
#include "logic/orders/orders_stats.hpp"
#include "logic/orders/source/replica_reader.hpp"
#include "logic/orders/store/order_sink.hpp"
#include "logic/orders/store/pg_connection.hpp"

namespace seckill::orders {

class OrderMover {
 public:
  OrderMover(const OrdersConfig& config, OrdersStats& stats);

  /// Rounds until `stopping`; backs off after a failure.
  void run(const std::atomic<bool>& stopping);
  /// One round; how many stream entries it committed, or an Error (nothing committed).
  Result<std::size_t> round();

 private:
  Status trim(const std::map<std::string, std::string>& committed);

  const OrdersConfig& config_;
  OrdersStats& stats_;
  RedisClient redis_;
  PgConnection db_;
  OrderSink sink_;
  LuaScript trim_script_;
  std::unique_ptr<ReplicaReader> replica_reader_;  // with read_from_replica only
  std::map<std::string, std::string> positions_;   // committed, as last read or written
  bool positions_known_ = false;
};

}  // namespace seckill::orders
