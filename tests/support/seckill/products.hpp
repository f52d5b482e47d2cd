// Products for tests: as JSON for `seckill-admin load`, and as the struct AdminStore loads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/product.hpp"

namespace seckill::test {

/// One product object with an explicit window (Unix ms).
std::string product_object(long long id, long long total, long long start_ms, long long end_ms,
                           long long per_user_limit = 1);
/// Products JSON with one product on sale now: `total` units, `per_user_limit` per user.
std::string product_on_sale(long long id, long long total, long long per_user_limit = 1);
/// `product` (an object made by a function above) with a price in CNY minor units and a
/// payment step of `pay_within_s`.
std::string with_payment(std::string product, long long price, int pay_within_s);
/// Products JSON text for several products (each made by a function like product_on_sale).
std::string products_json(const std::vector<std::string>& products);

/// A product on sale now (since a second ago, for ten minutes), `total` units, one per user,
/// named after its id, in its default group (set `group` for another).
Product product_on_sale_now(ProductId id, std::int64_t total);
/// product_on_sale_now() priced `price` CNY minor units,
/// whose orders must be paid within `pay_within_s` (0: final at once).
Product payable_product(ProductId id, std::int64_t total, std::int64_t price,
                        std::int64_t pay_within_s, bool rebuy_after_expiry = false);

}  // namespace seckill::test
