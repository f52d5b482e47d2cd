// What the Asio threads hand to the writer threads through the bounded channel.
#pragma once

#include <functional>
#include <string>
#include <variant>

#include "common/bounded_channel.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/wire.hpp"

namespace seckill::proxy {

/// An order lookup for /result, answered by the writer that runs it.
struct OrderLookup {
  ProductId product_id = 0;
  UserId user_id = 0;
  /// Gets the user's order ids for the product, comma-separated ("" when none), or an Error when
  /// Redis could not be asked. Called on a writer thread; must not block.
  std::function<void(Result<std::string>)> done;
};

/// A purchase (its completion waits in PendingRequests) or a lookup.
using OutboundJob = std::variant<PurchaseRequest, OrderLookup>;
using OutboundChannel = BoundedChannel<OutboundJob>;

}  // namespace seckill::proxy
