#include "proxy/state/product_cache.hpp"

namespace seckill::proxy {

SaleState sale_state(const ProductState& product, std::int64_t now_ms) {
  if (now_ms >= product.end_ms) return SaleState::kEnded;
  if (!product.enabled) return SaleState::kPaused;
  if (now_ms < product.start_ms) return SaleState::kUpcoming;
  if (product.left <= 0) return SaleState::kSoldOut;
  return SaleState::kActive;
}

void ProductCache::mark_sold_out(ProductId id) {
  // Cheap check first: after the first call the product is sold out and nothing is copied.
  const ProductMap& seen = products_.current();
  auto known = seen.find(id);
  if (known == seen.end() || known->second.left <= 0) return;
  products_.update([id](ProductMap& products) {
    auto it = products.find(id);
    if (it == products.end() || it->second.left <= 0) return false;
    it->second.left = 0;
    return true;
  });
}

std::string_view sale_state_name(SaleState state) {
  switch (state) {
    case SaleState::kUpcoming:
      return "upcoming";
    case SaleState::kActive:
      return "active";
    case SaleState::kSoldOut:
      return "sold_out";
    case SaleState::kEnded:
      return "ended";
    case SaleState::kPaused:
      return "paused";
  }
  return "unknown";
}

ReservationPhase reservation_phase(const ReservationState& reservation, std::int64_t now_ms) {
  if (reservation.closes_ms <= 0) return ReservationPhase::kNone;
  if (!reservation.seed.empty()) return ReservationPhase::kDrawn;
  if (now_ms < reservation.opens_ms) return ReservationPhase::kUpcoming;
  if (now_ms < reservation.closes_ms) return ReservationPhase::kOpen;
  return ReservationPhase::kClosed;
}

std::string_view reservation_phase_name(ReservationPhase phase) {
  switch (phase) {
    case ReservationPhase::kNone:
      return "none";
    case ReservationPhase::kUpcoming:
      return "upcoming";
    case ReservationPhase::kOpen:
      return "open";
    case ReservationPhase::kClosed:
      return "closed";
    case ReservationPhase::kDrawn:
      return "drawn";
  }
  return "unknown";
}

}  // namespace seckill::proxy
