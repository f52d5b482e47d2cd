// What the Asio threads hand to the writer threads through the bounded channel.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "common/base/bounded_channel.hpp"
#include "common/base/ids.hpp"
#include "common/base/result.hpp"
#include "common/orders/order_actions.hpp"
#include "common/reservation/reservation_book.hpp"
#include "common/store/redis_keys.hpp"
#include "common/wire.hpp"

namespace seckill::proxy {

/// One order a user holds, as /result shows it.
struct OrderView {
  std::string order_id;
  std::string state;           // pending_payment, paid, confirmed, expired, cancelled; "" unknown
  std::int64_t pay_by_ms = 0;  // 0: no payment step
  std::int64_t quantity = 1;   // units
};

/// Reads the flat {order id, record, ...} list the lookup script returns (a record is
/// "state|version|user|pay_by_ms|payment_id[|units]", or "" for an order bought before records).
std::vector<OrderView> order_views(const std::vector<std::string>& flat);

/// An order lookup for /result, answered by the writer that runs it.
struct OrderLookup {
  ProductId product_id = 0;
  keys::GroupId group = 0;  // the product's group: where its buyers hash lives
  UserId user_id = 0;
  /// Gets the user's orders of the product (none: empty), or an Error when Redis could not be
  /// asked. Called on a writer thread; must not block.
  std::function<void(Result<std::vector<OrderView>>)> done;
};

/// A payment from the provider's callback, for the writer to apply (one script, idempotent by
/// payment id).
struct PaymentJob {
  Payment payment;
  keys::GroupId group = 0;  // the order's product's group
  /// Gets what became of it, or an Error when Redis could not be asked. Called on a writer
  /// thread; must not block.
  std::function<void(Result<OrderOutcome>)> done;
};

/// A reservation (POST /reserve) or a look at one (GET /reserve), for the writer to run (one
/// script in the product's group).
struct ReservationJob {
  ProductId product_id = 0;
  keys::GroupId group = 0;
  UserId user_id = 0;
  bool reserve = false;  // false: only look
  /// Gets where the user stands, or an Error when Redis could not be asked. Called on a writer
  /// thread; must not block.
  std::function<void(Result<ReservationStatus>)> done;
};

/// A purchase for the queue of its product's group; its completion waits in PendingRequests.
struct QueuedPurchase {
  PurchaseRequest request;
  keys::GroupId group = 0;
};

/// A purchase, a lookup, a payment or a reservation.
using OutboundJob = std::variant<QueuedPurchase, OrderLookup, PaymentJob, ReservationJob>;
using OutboundChannel = BoundedChannel<OutboundJob>;

}  // namespace seckill::proxy
