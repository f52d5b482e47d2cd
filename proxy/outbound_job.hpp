// What the Asio threads hand to the writer threads through the bounded channel.
#pragma once

#include <functional>
#include <string>
#include <variant>

#include "common/bounded_channel.hpp"
#include "common/ids.hpp"
#include "common/redis_keys.hpp"
#include "common/result.hpp"
#include "common/wire.hpp"

namespace seckill::proxy {

/// An order lookup for /result, answered by the writer that runs it.
struct OrderLookup {
  ProductId product_id = 0;
  keys::GroupId group = 0;  // the product's group: where its buyers hash lives
  UserId user_id = 0;
  /// Gets the user's order ids for the product, comma-separated ("" when none), or an Error when
  /// Redis could not be asked. Called on a writer thread; must not block.
  std::function<void(Result<std::string>)> done;
};

/// A purchase for the queue of its product's group; its completion waits in PendingRequests.
struct QueuedPurchase {
  PurchaseRequest request;
  keys::GroupId group = 0;
};

/// A purchase or a lookup.
using OutboundJob = std::variant<QueuedPurchase, OrderLookup>;
using OutboundChannel = BoundedChannel<OutboundJob>;

}  // namespace seckill::proxy
