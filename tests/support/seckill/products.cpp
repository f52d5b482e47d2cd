#include "tests/support/seckill/products.hpp"

#include "common/base/clock.hpp"

namespace seckill::test {

std::string product_object(long long id, long long total, long long start_ms, long long end_ms,
                           long long per_user_limit) {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"product " + std::to_string(id) +
         "\",\"total\":" + std::to_string(total) + ",\"start\":" + std::to_string(start_ms) +
         ",\"end\":" + std::to_string(end_ms) +
         ",\"per_user_limit\":" + std::to_string(per_user_limit) + "}";
}

std::string product_on_sale(long long id, long long total, long long per_user_limit) {
  const long long now = unix_ms_now();
  return product_object(id, total, now - 60'000, now + 3'600'000, per_user_limit);
}

std::string with_payment(std::string product, long long price, int pay_within_s) {
  product.pop_back();  // the closing brace
  return product + R"(,"price":)" + std::to_string(price) + R"(,"currency":"CNY","pay_within_s":)" +
         std::to_string(pay_within_s) + "}";
}

std::string products_json(const std::vector<std::string>& products) {
  std::string json = "{\"products\":[";
  for (std::size_t i = 0; i < products.size(); ++i) {
    if (i > 0) json += ",";
    json += products[i];
  }
  return json + "]}";
}

Product product_on_sale_now(ProductId id, std::int64_t total) {
  Product product;
  product.id = id;
  product.name = "product " + std::to_string(id);
  product.total = total;
  product.start_ms = unix_ms_now() - 1000;
  product.end_ms = unix_ms_now() + 600'000;
  return product;
}

Product payable_product(ProductId id, std::int64_t total, std::int64_t price,
                        std::int64_t pay_within_s, bool rebuy_after_expiry) {
  Product product = product_on_sale_now(id, total);
  product.price = price;
  product.currency = "CNY";
  product.pay_within_s = pay_within_s;
  product.rebuy_after_expiry = rebuy_after_expiry;
  return product;
}

}  // namespace seckill::test
