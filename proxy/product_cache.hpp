// ProductCache: the proxy's in-memory view of every product, replaced whole on each refresh.
//
// Readers (I/O threads, per request) use the current immutable map; the refresher thread builds
// a new map and swaps it in. So a reader never sees half an update and never waits for Redis.
// current() keeps a per-thread copy of the shared_ptr and only takes the lock when the version
// has moved on, so the per-request path shares no lock and no reference count between threads.
// `left` may lag the truth by one refresh interval: the proxy uses it only to answer "sold out"
// early, which is safe because stock never comes back by itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/ids.hpp"

namespace seckill::proxy {

struct ProductState {
  ProductId id = 0;
  std::string name;
  std::int64_t total = 0;
  std::int64_t left = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  bool enabled = true;
};

enum class SaleState { kUpcoming, kActive, kSoldOut, kEnded, kPaused };

/// Where a product's sale stands at `now_ms`.
SaleState sale_state(const ProductState& product, std::int64_t now_ms);
std::string_view sale_state_name(SaleState state);

using ProductMap = std::unordered_map<ProductId, ProductState>;

class ProductCache {
 public:
  ProductCache() : products_(std::make_shared<const ProductMap>()) {}

  /// The current map, shared: callers may keep it as long as they like.
  std::shared_ptr<const ProductMap> snapshot() const {
    std::lock_guard lock(mutex_);
    return products_;
  }

  /// The current map as seen by this thread: valid until this thread's next call of current().
  const ProductMap& current() const;

  void replace(std::shared_ptr<const ProductMap> products);

  /// Records that `id` has no stock left, learnt from a decision, so the flood after sell-out is
  /// answered from memory at once instead of after the next refresh. Copies the map, but only
  /// once per product: later calls find it sold out already.
  void mark_sold_out(ProductId id);

 private:
  /// Installs `products` under a version no other cache has ever used (so a thread's copy can
  /// never be mistaken for another cache's). Call with mutex_ held.
  void install(std::shared_ptr<const ProductMap> products);

  mutable std::mutex mutex_;
  std::shared_ptr<const ProductMap> products_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace seckill::proxy
