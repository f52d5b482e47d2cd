// Names of every Redis key seckill uses, in one place.
//
// A product's keys share the hash tag {P}, so the decision script touches one cluster slot.
#pragma once

#include <string>

#include "common/ids.hpp"

namespace seckill::keys {

inline constexpr const char* kProducts = "seckill:products";  // set of product ids
inline constexpr const char* kRequests = "seckill:req";       // list of purchase requests

inline std::string product(ProductId id) {
  return "seckill:product:{" + std::to_string(id) + "}";
}
inline std::string buyers(ProductId id) {
  return "seckill:buyers:{" + std::to_string(id) + "}";
}
inline std::string orders(ProductId id) {
  return "seckill:orders:{" + std::to_string(id) + "}";
}
/// The remembered decision of one request, for idempotent redelivery.
inline std::string decision(ProductId id, const std::string& request_id) {
  return "seckill:decided:{" + std::to_string(id) + "}:" + request_id;
}
inline std::string reply_list(const std::string& proxy_id) {
  return "seckill:reply:" + proxy_id;
}

}  // namespace seckill::keys
