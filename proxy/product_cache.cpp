#include "proxy/product_cache.hpp"

namespace seckill::proxy {

SaleState sale_state(const ProductState& product, std::int64_t now_ms) {
  if (now_ms >= product.end_ms) return SaleState::kEnded;
  if (!product.enabled) return SaleState::kPaused;
  if (now_ms < product.start_ms) return SaleState::kUpcoming;
  if (product.left <= 0) return SaleState::kSoldOut;
  return SaleState::kActive;
}

void ProductCache::mark_sold_out(ProductId id) {
  std::lock_guard lock(mutex_);
  auto it = products_->find(id);
  if (it == products_->end() || it->second.left <= 0) return;
  auto updated = std::make_shared<ProductMap>(*products_);
  (*updated)[id].left = 0;
  products_ = std::move(updated);
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

}  // namespace seckill::proxy
