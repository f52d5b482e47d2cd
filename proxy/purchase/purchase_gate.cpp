#include "proxy/purchase/purchase_gate.hpp"

#include "common/product.hpp"
#include "common/token/token.hpp"

namespace seckill::proxy {

std::variant<std::int64_t, ApiAnswer> required_id(const RequestParams& params,
                                                  std::string_view name) {
  auto text = params.get(name);
  if (!text || text->empty()) {
    return ApiAnswer::of(Code::kBadRequest, "missing parameter " + std::string(name));
  }
  auto id = parse_id(*text);
  if (!id) {
    return ApiAnswer::of(Code::kBadRequest, "malformed parameter " + std::string(name) +
                                                ": must be an integer in 1..2^63-1");
  }
  return *id;
}

std::variant<Buyer, ApiAnswer> identify_buyer(const RequestParams& params,
                                              const TokenKeyring& tokens, std::int64_t now_s) {
  auto product = required_id(params, "product_id");
  if (auto* answer = std::get_if<ApiAnswer>(&product)) return std::move(*answer);
  auto user = required_id(params, "user_id");
  if (auto* answer = std::get_if<ApiAnswer>(&user)) return std::move(*answer);
  auto token = params.get("token");
  if (!token || token->empty()) return ApiAnswer::of(Code::kBadToken, "missing token");
  switch (tokens.check(std::get<std::int64_t>(user), *token, now_s)) {
    case TokenCheck::kValid:
      break;
    case TokenCheck::kExpired:
      return ApiAnswer::of(Code::kBadToken, "token expired");
    case TokenCheck::kBad:
      return ApiAnswer::of(Code::kBadToken, "bad token");
  }
  return Buyer{std::get<std::int64_t>(product), std::get<std::int64_t>(user)};
}

std::variant<std::int64_t, ApiAnswer> purchase_quantity(const RequestParams& params) {
  static_assert(kMaxPurchaseQuantity == 1'000'000, "the message below names the bound");
  auto text = params.get("quantity");
  if (!text) return std::int64_t{1};
  auto quantity = parse_id(*text);
  if (!quantity || *quantity > kMaxPurchaseQuantity) {
    return ApiAnswer::of(Code::kBadRequest,
                         "malformed parameter quantity: must be an integer in 1..1000000");
  }
  return *quantity;
}

std::optional<ApiAnswer> answer_over_limit(const ProductState& product, std::int64_t quantity) {
  if (quantity <= product.per_user_limit) return std::nullopt;
  return ApiAnswer::of(Code::kLimitReached, "per-user limit reached: at most " +
                                                std::to_string(product.per_user_limit) +
                                                " per user")
      .with_int("product_id", product.id)
      .with_int("per_user_limit", product.per_user_limit);
}

ApiAnswer not_loaded_answer() {
  return ApiAnswer::of(Code::kUnavailable, "products not read from Redis yet, try again");
}

std::optional<ApiAnswer> answer_from_cache(const ProductMap& products, ProductId product_id,
                                           std::int64_t now_ms) {
  auto it = products.find(product_id);
  if (it == products.end()) return ApiAnswer::of(Code::kNotFound, "unknown product");
  const ProductState& product = it->second;
  // Every answer about a product names it, as a decision's answer does.
  switch (sale_state(product, now_ms)) {
    case SaleState::kEnded:
      return ApiAnswer::of(Code::kEnded).with_int("product_id", product_id);
    case SaleState::kPaused:
      return ApiAnswer::of(Code::kPaused).with_int("product_id", product_id);
    case SaleState::kUpcoming:
      return ApiAnswer::of(Code::kNotStarted)
          .with_int("product_id", product_id)
          .with_int("start_ms", product.start_ms)
          .with_string("start", format_iso8601_ms(product.start_ms));
    case SaleState::kSoldOut:
      return ApiAnswer::of(Code::kSoldOut).with_int("product_id", product_id);
    case SaleState::kActive:
      return std::nullopt;
  }
  return std::nullopt;
}

ApiAnswer answer_for_reply(const PurchaseReply& reply, ProductId product_id) {
  ApiAnswer answer = ApiAnswer::of(reply.code);
  if (reply.code == Code::kNotFound) answer.message = "unknown product";
  if (reply.code == Code::kTryLater && reply.lost_draw) {
    // Not busy: the sale lets only a share of attempts through (buy_rate), and this one lost.
    answer.message = "not drawn this time: only a share of attempts go through, try again";
    answer.with_string("draw", "lost");
  }
  if (!reply.order_id.empty()) answer.with_string("order_id", reply.order_id);
  // Every decision names its product; a failure to decide (5003, 5004) is about no product.
  if (reply.code != Code::kUnavailable && reply.code != Code::kTimeout) {
    answer.with_int("product_id", product_id);
  }
  if (reply.code == Code::kSoldOut && reply.left > 0) {
    // All or nothing: fewer units are left than this purchase asked for.
    answer.message = "not enough left for this quantity";
  }
  if (reply.left >= 0 && (reply.code == Code::kPurchased || reply.code == Code::kSoldOut)) {
    answer.with_int("left", reply.left);
  }
  return answer;
}

ApiAnswer answer_for_orders(const Result<std::vector<OrderView>>& orders, ProductId product_id) {
  if (!orders) return ApiAnswer::of(Code::kUnavailable);
  if (orders->empty()) return ApiAnswer::of(Code::kNoOrder).with_int("product_id", product_id);
  std::string ids = "[";
  std::string list = "[";
  for (const OrderView& order : *orders) {
    if (ids.size() > 1) {
      ids.push_back(',');
      list.push_back(',');
    }
    ids += json_quote(order.order_id);
    list += "{\"order_id\":" + json_quote(order.order_id);
    if (!order.state.empty()) list += ",\"state\":" + json_quote(order.state);
    if (order.pay_by_ms > 0) list += ",\"pay_by_ms\":" + std::to_string(order.pay_by_ms);
    list += ",\"quantity\":";
    list += std::to_string(order.quantity);
    list.push_back('}');
  }
  ids.push_back(']');
  list.push_back(']');
  const OrderView& first = orders->front();
  ApiAnswer answer = ApiAnswer::of(Code::kOk, "order found")
                         .with_string("order_id", first.order_id)
                         .with_json("order_ids", std::move(ids))
                         .with_int("product_id", product_id);
  if (!first.state.empty()) answer.with_string("state", first.state);
  answer.with_int("quantity", first.quantity);
  if (first.pay_by_ms > 0) {
    answer.with_int("pay_by_ms", first.pay_by_ms)
        .with_string("pay_by", format_iso8601_ms(first.pay_by_ms));
  }
  return answer.with_json("orders", std::move(list));
}

namespace {

// null for a sale without a reservation; the seed appears once the draw is made, so anyone
// holding the list can redo it (common/reservation/reservation_draw.hpp).
std::string reservation_json(const ReservationState& reservation, std::int64_t now_ms) {
  const ReservationPhase phase = reservation_phase(reservation, now_ms);
  if (phase == ReservationPhase::kNone) return "null";
  std::string json = "{\"state\":" + json_quote(reservation_phase_name(phase));
  json += ",\"opens\":" + json_quote(format_iso8601_ms(reservation.opens_ms));
  json += ",\"closes\":" + json_quote(format_iso8601_ms(reservation.closes_ms));
  json += ",\"opens_ms\":" + std::to_string(reservation.opens_ms);
  json += ",\"closes_ms\":" + std::to_string(reservation.closes_ms);
  json += ",\"draw\":" + std::to_string(reservation.draw);
  json += ",\"reserved\":" + std::to_string(reservation.reserved);
  if (phase == ReservationPhase::kDrawn) {
    json += ",\"drawn\":" + std::to_string(reservation.drawn);
    json += ",\"seed\":" + json_quote(reservation.seed);
  }
  json += "}";
  return json;
}

}  // namespace

namespace {

ApiAnswer reservation_refused(Code code, ProductId product_id) {
  ApiAnswer answer = ApiAnswer::of(code).with_int("product_id", product_id);
  if (code == Code::kNotStarted) answer.message = "reservations are not open yet";
  if (code == Code::kEnded) answer.message = "reservations are closed";
  if (code == Code::kNotFound) answer.message = "this sale takes no reservations";
  return answer;
}

}  // namespace

std::optional<ApiAnswer> answer_reservation_from_cache(const ProductState& product, bool reserving,
                                                       std::int64_t now_ms) {
  const ReservationState& reservation = product.reservation;
  if (reservation.closes_ms <= 0) return reservation_refused(Code::kNotFound, product.id);
  if (!reserving) return std::nullopt;
  if (now_ms < reservation.opens_ms) {
    return reservation_refused(Code::kNotStarted, product.id)
        .with_int("opens_ms", reservation.opens_ms);
  }
  if (now_ms >= reservation.closes_ms) return reservation_refused(Code::kEnded, product.id);
  return std::nullopt;
}

ApiAnswer answer_for_reservation(const Result<ReservationStatus>& status, ProductId product_id) {
  if (!status) return ApiAnswer::of(Code::kUnavailable);
  if (!status->confirmed) {
    // It may be on the list: reserving again is harmless, and tells.
    return ApiAnswer::of(Code::kUnavailable,
                         "reservation not confirmed by the replicas, try again");
  }
  if (status->code != Code::kOk) return reservation_refused(status->code, product_id);
  std::string message = status->reserved ? "on the list" : "not on the list";
  if (status->drawn) message = *status->drawn ? "drawn: you may buy" : "not drawn";
  ApiAnswer answer = ApiAnswer::of(Code::kOk, message)
                         .with_int("product_id", product_id)
                         .with_json("reserved", status->reserved ? "true" : "false")
                         .with_int("listed", status->listed);
  if (status->drawn) answer.with_json("drawn", *status->drawn ? "true" : "false");
  return answer;
}

std::string product_info_json(const ProductState& product, std::int64_t now_ms) {
  return "{\"id\":" + std::to_string(product.id) + ",\"name\":" + json_quote(product.name) +
         ",\"start\":" + json_quote(format_iso8601_ms(product.start_ms)) +
         ",\"end\":" + json_quote(format_iso8601_ms(product.end_ms)) +
         ",\"start_ms\":" + std::to_string(product.start_ms) +
         ",\"end_ms\":" + std::to_string(product.end_ms) +
         ",\"total\":" + std::to_string(product.total) +
         ",\"price\":" + std::to_string(product.price) +
         ",\"currency\":" + json_quote(product.currency) +
         ",\"pay_within_s\":" + std::to_string(product.pay_within_s) +
         ",\"per_user_limit\":" + std::to_string(product.per_user_limit) +
         ",\"description\":" + json_quote(product.description) +
         ",\"image_url\":" + json_quote(product.image_url) +
         ",\"challenge\":" + (product.challenge ? "true" : "false") +
         ",\"pow_bits\":" + std::to_string(product.pow_bits) +
         ",\"challenge_lead_ms\":" + std::to_string(product.challenge_lead_ms) +
         ",\"reservation\":" + reservation_json(product.reservation, now_ms) +
         ",\"left\":" + std::to_string(std::max<std::int64_t>(product.left, 0)) +
         ",\"state\":" + json_quote(sale_state_name(sale_state(product, now_ms))) +
         ",\"now_ms\":" + std::to_string(now_ms) + "}";
}

}  // namespace seckill::proxy
