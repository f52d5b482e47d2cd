// Names of every Redis key seckill uses, in one place.
//
// A product's keys share the hash tag {P}, so the decision script touches one cluster slot.
#pragma once

#include <cstdint>
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
/// Decisions of the requests whose deadline falls in one second (request id -> reply), kept a
/// little past those deadlines for idempotent redelivery.
inline std::string decisions(ProductId id, std::int64_t deadline_second) {
  return "seckill:decided:{" + std::to_string(id) + "}:" + std::to_string(deadline_second);
}
inline std::string reply_list(const std::string& proxy_id) {
  return "seckill:reply:" + proxy_id;
}

}  // namespace seckill::keys
