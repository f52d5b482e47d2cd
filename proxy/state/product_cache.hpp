// ProductCache: the proxy's in-memory view of every product, replaced whole on each refresh.
//
// Readers (I/O threads, per request) use the current immutable map; the refresher thread builds
// a new map and swaps it in. So a reader never sees half an update and never waits for Redis.
// `left` may lag the truth by one refresh interval: the proxy uses it only to answer "sold out"
// early, which is safe because stock never comes back by itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/base/ids.hpp"
#include "common/base/versioned.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill::proxy {

/// A sale's reservation (common/product.hpp), as the proxy last read it.
struct ReservationState {
  std::int64_t opens_ms = 0;
  std::int64_t closes_ms = 0;  // 0: the sale takes no reservation
  std::int64_t draw = 0;       // winners to draw; 0: every listed user may buy
  std::int64_t reserved = 0;   // users on the list
  std::string seed{};          // the draw's seed, once it is made
  std::int64_t drawn = 0;      // users the draw picked
};

enum class ReservationPhase { kNone, kUpcoming, kOpen, kClosed, kDrawn };

/// Where a reservation stands at `now_ms`.
ReservationPhase reservation_phase(const ReservationState& reservation, std::int64_t now_ms);
std::string_view reservation_phase_name(ReservationPhase phase);

struct ProductState {
  ProductId id = 0;
  std::string name;
  std::int64_t total = 0;
  std::int64_t left = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  bool enabled = true;
  std::int64_t price = 0;  // minor units
  std::string currency{};
  std::int64_t pay_within_s = 0;    // 0: no payment step
  std::int64_t per_user_limit = 1;  // shown to the sale page; the script enforces it
  std::string description{};        // for the sale page
  std::string image_url{};
  bool challenge = false;  // purchases must carry the challenge (GET /challenge)
  int pow_bits = 0;        // its proof of work: leading zero bits of SHA-256(nonce + proof)
  std::int64_t challenge_lead_ms = 0;  // handed out from this long before the start
  ReservationState reservation{};
  keys::GroupId group = 0;  // where the product's keys and queue live
  /// The logic reports that decisions in the product's group are not reaching the replicas
  /// (redis.ack_replicas): it takes no work there, so a purchase is answered 5003 at once.
  bool replicas_behind = false;
};

enum class SaleState { kUpcoming, kActive, kSoldOut, kEnded, kPaused };

/// Where a product's sale stands at `now_ms`.
SaleState sale_state(const ProductState& product, std::int64_t now_ms);
std::string_view sale_state_name(SaleState state);

using ProductMap = std::unordered_map<ProductId, ProductState>;

class ProductCache {
 public:
  std::shared_ptr<const ProductMap> snapshot() const { return products_.snapshot(); }
  /// The current map as seen by this thread: valid until this thread's next call of current().
  const ProductMap& current() const { return products_.current(); }
  void replace(std::shared_ptr<const ProductMap> products) {
    products_.replace(std::move(products));
    loaded_.store(true, std::memory_order_release);
  }
  /// Whether the products have been read from Redis at least once. Until then an empty map
  /// means "not known yet", not "no products": nothing may be answered 4004 from it.
  bool loaded() const { return loaded_.load(std::memory_order_acquire); }

  /// Records that `id` has no stock left, learnt from a decision, so the flood after sell-out is
  /// answered from memory at once instead of after the next refresh. Copies the map, but only
  /// once per product: later calls find it sold out already.
  void mark_sold_out(ProductId id);

 private:
  Versioned<ProductMap> products_;
  std::atomic<bool> loaded_{false};
};

}  // namespace seckill::proxy
