#include "common/orders/order_ids.hpp"

#include <algorithm>

namespace seckill {

std::optional<ProductId> product_of_order(std::string_view order_id) {
  const auto dash = order_id.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto product = parse_id(order_id.substr(0, dash));
  auto seq = parse_id(order_id.substr(dash + 1));
  if (!product || !seq || *product < 1 || *seq < 1) return std::nullopt;
  return *product;
}

bool is_payment_id(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

}  // namespace seckill
