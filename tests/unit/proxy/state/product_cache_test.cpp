#include "proxy/state/product_cache.hpp"

#include <gtest/gtest.h>

namespace seckill::proxy {
namespace {

TEST(ProductCache, MarkSoldOutChangesOnlyThatProductAndKeepsOldSnapshots) {
  ProductCache cache;
  auto products = std::make_shared<ProductMap>();
  (*products)[1] = ProductState{1, "a", 10, 3, 0, 100, true};
  (*products)[2] = ProductState{2, "b", 10, 5, 0, 100, true};
  cache.replace(products);
  auto before = cache.snapshot();
  cache.mark_sold_out(1);
  auto after = cache.snapshot();
  EXPECT_EQ(after->at(1).left, 0);
  EXPECT_EQ(after->at(2).left, 5);
  EXPECT_EQ(before->at(1).left, 3) << "a reader's snapshot never changes under it";
  EXPECT_EQ(sale_state(after->at(1), 50), SaleState::kSoldOut);
  cache.mark_sold_out(1);
  EXPECT_EQ(cache.snapshot(), after) << "already sold out: no new copy";
  cache.mark_sold_out(99);  // unknown: ignored
  EXPECT_EQ(cache.snapshot()->size(), 2u);
}

TEST(ProductCache, CurrentFollowsEveryChange) {
  ProductCache cache;
  EXPECT_TRUE(cache.current().empty());
  auto products = std::make_shared<ProductMap>();
  (*products)[1] = ProductState{1, "a", 10, 3, 0, 100, true};
  cache.replace(products);
  EXPECT_EQ(cache.current().at(1).left, 3);
  cache.mark_sold_out(1);
  EXPECT_EQ(cache.current().at(1).left, 0);
  // A second cache is never confused with the first, in the same thread.
  ProductCache other;
  EXPECT_TRUE(other.current().empty());
  EXPECT_EQ(cache.current().size(), 1u);
}

TEST(SaleState, FollowsWindowPauseAndStock) {
  ProductState product{1, "a", 10, 5, 100, 200, true};
  EXPECT_EQ(sale_state(product, 99), SaleState::kUpcoming);
  EXPECT_EQ(sale_state(product, 100), SaleState::kActive);
  EXPECT_EQ(sale_state(product, 200), SaleState::kEnded);
  product.enabled = false;
  EXPECT_EQ(sale_state(product, 150), SaleState::kPaused);
  EXPECT_EQ(sale_state_name(SaleState::kSoldOut), "sold_out");
}

}  // namespace
}  // namespace seckill::proxy
