#include "proxy/product_cache.hpp"

namespace seckill::proxy {

SaleState sale_state(const ProductState& product, std::int64_t now_ms) {
  if (now_ms >= product.end_ms) return SaleState::kEnded;
  if (!product.enabled) return SaleState::kPaused;
  if (now_ms < product.start_ms) return SaleState::kUpcoming;
  if (product.left <= 0) return SaleState::kSoldOut;
  return SaleState::kActive;
}

namespace {

std::atomic<std::uint64_t> next_version{1};

// One per thread: the last map this thread saw, and which cache and version it came from.
struct ThreadCopy {
  const ProductCache* owner = nullptr;
  std::uint64_t version = 0;
  std::shared_ptr<const ProductMap> products;
};
thread_local ThreadCopy thread_copy;

}  // namespace

void ProductCache::install(std::shared_ptr<const ProductMap> products) {
  products_ = std::move(products);
  version_.store(next_version.fetch_add(1), std::memory_order_release);
}

void ProductCache::replace(std::shared_ptr<const ProductMap> products) {
  std::lock_guard lock(mutex_);
  install(std::move(products));
}

const ProductMap& ProductCache::current() const {
  const std::uint64_t version = version_.load(std::memory_order_acquire);
  if (thread_copy.owner != this || thread_copy.version != version) {
    std::lock_guard lock(mutex_);
    thread_copy = {this, version_.load(std::memory_order_relaxed), products_};
  }
  return *thread_copy.products;
}

void ProductCache::mark_sold_out(ProductId id) {
  std::lock_guard lock(mutex_);
  auto it = products_->find(id);
  if (it == products_->end() || it->second.left <= 0) return;
  auto updated = std::make_shared<ProductMap>(*products_);
  (*updated)[id].left = 0;
  install(std::move(updated));
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
