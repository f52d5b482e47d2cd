// OrderActions: what happens to an order after its purchase, each step one atomic script in the
// product's group (common/orders/*.lua): a payment, a cancellation. Used by seckill-admin and by
// the proxy's payment callback; the expiry of unpaid orders is the logic tier's (its reaper).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/ids.hpp"
#include "common/base/result.hpp"
#include "common/orders/order_ids.hpp"
#include "common/redis/redis_client.hpp"
#include "common/redis/redis_config.hpp"
#include "common/store/lua_script.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill {

struct Payment {
  std::string order_id;
  std::string payment_id;
  std::int64_t amount = 0;  // minor units
  std::string currency;
};

/// What became of a payment or a cancellation.
struct OrderOutcome {
  /// paid, duplicate, refund_due, mismatch, unknown_order, payment_reused (payments);
  /// cancelled, not_pending, unknown_order (cancellations).
  std::string outcome;
  std::string state;  // the order's state afterwards ("" when there is no such order)
  std::int64_t version = 0;
  /// mismatch: "amount <expected>" or "currency <expected>"; duplicate: the first outcome;
  /// payment_reused: the order the payment id paid.
  std::string detail;
  /// With redis.ack_replicas: false when WAIT did not confirm the step reached the replicas.
  bool confirmed = true;
};

class OrderActions {
 public:
  /// With `redis.ack_replicas` N > 0 in `config` every step is followed by WAIT N on the order's
  /// master: a step the replicas did not confirm in time is reported as not_confirmed (it may
  /// have happened; each step is idempotent, so the caller may send it again).
  explicit OrderActions(RedisClient& redis, const RedisConfig& config = {});

  /// Applies a payment to an order of a product in `group`. Idempotent by payment id.
  Result<OrderOutcome> pay(keys::GroupId group, const Payment& payment);
  /// Cancels an order awaiting payment: its unit goes back on sale.
  Result<OrderOutcome> cancel(keys::GroupId group, const std::string& order_id);

 private:
  Result<OrderOutcome> run(LuaScript& script, keys::GroupId group, const std::string& order_id,
                           std::vector<std::string> args);

  RedisClient& redis_;
  int ack_replicas_ = 0;
  std::chrono::milliseconds wait_timeout_{};
  LuaScript pay_script_;
  LuaScript cancel_script_;
};

}  // namespace seckill
