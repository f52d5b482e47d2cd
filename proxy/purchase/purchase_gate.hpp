// The pure checks in front of a purchase, in the order the API fixes (README, HTTP API):
// parameters (4000) -> token (4001) -> product known (4004) -> sale window and sold-out (from the
// product cache: 1007/1003/1004/1001). Plus the mapping of a logic reply or an order lookup to
// the client's answer. No I/O: everything here is tested without sockets or Redis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/base/ids.hpp"
#include "common/base/result.hpp"
#include "common/token/token.hpp"
#include "common/wire.hpp"
#include "proxy/api/api_answer.hpp"
#include "proxy/api/request_params.hpp"
#include "proxy/queue/outbound_job.hpp"
#include "proxy/state/product_cache.hpp"

namespace seckill::proxy {

struct Buyer {
  ProductId product_id = 0;
  UserId user_id = 0;
};

/// Reads product_id, user_id and token and checks the token at `now_s` (Unix seconds); or the
/// 4000/4001 answer.
std::variant<Buyer, ApiAnswer> identify_buyer(const RequestParams& params,
                                              const TokenKeyring& tokens, std::int64_t now_s);

/// Reads a required id parameter; or the 4000 answer naming it.
std::variant<std::int64_t, ApiAnswer> required_id(const RequestParams& params,
                                                  std::string_view name);

/// Reads the optional `quantity` (default 1); or the 4000 answer naming it.
std::variant<std::int64_t, ApiAnswer> purchase_quantity(const RequestParams& params);

/// 1002 when `quantity` units are more than `product` lets one user hold at all (the decision
/// script checks what the user holds already).
std::optional<ApiAnswer> answer_over_limit(const ProductState& product, std::int64_t quantity);

/// 5003 for a request about products before they were read from Redis once (the proxy started
/// while Redis was away): "unknown product" or an empty list would be wrong answers.
ApiAnswer not_loaded_answer();

/// The answer the proxy can give from memory (unknown product, paused, not started, ended, sold
/// out), or nullopt when only the logic tier can decide.
std::optional<ApiAnswer> answer_from_cache(const ProductMap& products, ProductId product_id,
                                           std::int64_t now_ms);

/// The client's answer for a logic reply (or a synthesized 5003/5004).
ApiAnswer answer_for_reply(const PurchaseReply& reply, ProductId product_id);

/// The client's answer for /result: the user's orders of the product, each with its state and
/// pay-by time (the first also at the top level, for the usual single order).
ApiAnswer answer_for_orders(const Result<std::vector<OrderView>>& orders, ProductId product_id);

/// The public description of a product (for /secinfo), as a JSON object.
/// The answer to /reserve: where the user stands (data.reserved, data.listed, and data.drawn once
/// the draw is made), or why the reservation was refused.
ApiAnswer answer_for_reservation(const Result<ReservationStatus>& status, ProductId product_id);

/// The refusal /reserve gives from memory: a sale without a reservation, or (`reserving`) one
/// outside its window by the proxy's clock. Redis's clock decides at the edges.
std::optional<ApiAnswer> answer_reservation_from_cache(const ProductState& product, bool reserving,
                                                       std::int64_t now_ms);

std::string product_info_json(const ProductState& product, std::int64_t now_ms);

}  // namespace seckill::proxy
