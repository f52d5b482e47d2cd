#include "proxy/purchase/purchase_service.hpp"

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"
#include "proxy/purchase/purchase_gate.hpp"

namespace seckill::proxy {
namespace {

// The secret challenges are signed with: the token signing key's, so every proxy of a sale
// hands out the same nonces. (Before finalize_proxy_config, as in some tests: the secret.)
std::string_view challenge_secret(const ProxyConfig& config) {
  for (const auto& [id, secret] : config.tokens.keys) {
    if (id == config.tokens.sign_with) return secret;
  }
  return config.secret;
}

}  // namespace

PurchaseService::PurchaseService(const ProxyConfig& config, ProductCache& products,
                                 RedisHealth& health, OutboundChannel& channel,
                                 PendingRequests& pending, ProxyStats& stats, Guard& guard)
    : config_(config),
      products_(products),
      health_(health),
      channel_(channel),
      pending_(pending),
      stats_(stats),
      guard_(guard),
      tokens_(config.tokens, config.secret),
      challenges_(challenge_secret(config)),
      reply_list_(keys::reply_list(config.proxy_id)) {}

void PurchaseService::buy(const RequestParams& params, std::string_view client, Respond respond) {
  // The address is checked before the token: refusals of every kind count against it.
  if (auto refused = guard_.check_address(client)) return respond(std::move(*refused));
  auto identified = identify_buyer(params, tokens_, unix_ms_now() / 1000);
  if (auto* answer = std::get_if<ApiAnswer>(&identified)) return respond(std::move(*answer));
  const Buyer buyer = std::get<Buyer>(identified);
  auto units = purchase_quantity(params);
  if (auto* answer = std::get_if<ApiAnswer>(&units)) return respond(std::move(*answer));
  const std::int64_t quantity = std::get<std::int64_t>(units);
  if (auto refused = guard_.check_user(buyer.user_id)) return respond(std::move(*refused));
  if (!products_.loaded()) return respond(not_loaded_answer());

  const ProductMap& products = products_.current();
  if (auto early = answer_from_cache(products, buyer.product_id, unix_ms_now())) {
    return respond(std::move(*early));
  }
  const ProductState& product = products.at(buyer.product_id);  // known: not answered early
  if (auto over = answer_over_limit(product, quantity)) return respond(std::move(*over));
  if (auto failed = check_challenge(product, params, buyer.user_id, challenges_)) {
    stats_.challenges_failed.fetch_add(1, std::memory_order_relaxed);
    return respond(std::move(*failed));
  }
  if (product.replicas_behind) {
    stats_.overloaded.fetch_add(1, std::memory_order_relaxed);
    return respond(
        ApiAnswer::of(Code::kUnavailable, "orders cannot be replicated right now, try again"));
  }
  const keys::GroupId group = product.group;
  if (!health_.up() || !health_.group_reachable(group, unix_ms_now())) {
    stats_.overloaded.fetch_add(1, std::memory_order_relaxed);
    return respond(ApiAnswer::of(Code::kUnavailable, "storage unavailable, try again"));
  }
  if (!accepting_.load(std::memory_order_relaxed)) {
    return respond(ApiAnswer::of(Code::kUnavailable, "shutting down, try another proxy"));
  }

  const auto deadline = PendingRequests::Clock::now() + config_.request_timeout;
  auto completion = [this, respond, product_id = buyer.product_id,
                     quantity](const PurchaseReply& reply) {
    // A 1001 for several units may leave fewer units on sale (its data.left): not sold out.
    if ((reply.code == Code::kSoldOut && reply.left <= 0) ||
        (reply.code == Code::kPurchased && reply.left == 0)) {
      products_.mark_sold_out(product_id);
    }
    ApiAnswer answer = answer_for_reply(reply, product_id);
    if (quantity != 1 && reply.code == Code::kPurchased) answer.with_int("quantity", quantity);
    respond(std::move(answer));
  };
  auto id = pending_.add(deadline, std::move(completion));
  if (!id) {
    stats_.overloaded.fetch_add(1, std::memory_order_relaxed);
    return respond(ApiAnswer::of(Code::kUnavailable, "too many requests in flight, try again"));
  }
  OutboundJob job(std::in_place_type<QueuedPurchase>);
  auto& purchase = std::get<QueuedPurchase>(job);
  purchase.group = group;
  auto& request = purchase.request;
  request.id = std::move(*id);
  request.product_id = buyer.product_id;
  request.user_id = buyer.user_id;
  request.quantity = quantity;
  request.reply_to = reply_list_;
  request.deadline_ms = unix_ms_now() + config_.request_timeout.count();
  if (!channel_.try_push(std::move(job))) {
    // Taken back before any writer saw it: nobody else can answer it. (A refused job is left
    // as it was, so its id is still there.)
    if (pending_.take(request.id)) {
      stats_.overloaded.fetch_add(1, std::memory_order_relaxed);
      respond(ApiAnswer::of(Code::kUnavailable, "queue full, try again"));
    }
  }
}

void PurchaseService::lookup(const RequestParams& params, std::string_view client,
                             Respond respond) {
  auto known = known_buyer(params, client, respond);
  if (!known) return;
  if (!health_.up()) return respond(ApiAnswer::of(Code::kUnavailable));
  const Buyer buyer = known->buyer;

  OrderLookup job;
  job.product_id = buyer.product_id;
  job.group = known->product.group;
  job.user_id = buyer.user_id;
  job.done = [respond, product_id = buyer.product_id](Result<std::vector<OrderView>> orders) {
    respond(answer_for_orders(orders, product_id));
  };
  if (!channel_.try_push(OutboundJob(std::move(job)))) {
    respond(ApiAnswer::of(Code::kUnavailable, "queue full, try again"));
  }
}

void PurchaseService::challenge(const RequestParams& params, std::string_view client,
                                Respond respond) {
  // No Redis involved: the nonce is derived from the product's window and the proxy's key.
  auto known = known_buyer(params, client, respond);
  if (!known) return;
  respond(challenge_answer(known->product, known->buyer.user_id, unix_ms_now(), challenges_));
}

void PurchaseService::reserve(const RequestParams& params, std::string_view client, bool reserving,
                              Respond respond) {
  auto known = known_buyer(params, client, respond);
  if (!known) return;
  const ProductId product_id = known->buyer.product_id;
  if (auto refused = answer_reservation_from_cache(known->product, reserving, unix_ms_now())) {
    return respond(std::move(*refused));
  }
  if (!health_.up()) return respond(ApiAnswer::of(Code::kUnavailable));
  ReservationJob job;
  job.product_id = product_id;
  job.group = known->product.group;
  job.user_id = known->buyer.user_id;
  job.reserve = reserving;
  job.done = [respond, product_id](Result<ReservationStatus> status) {
    respond(answer_for_reservation(status, product_id));
  };
  if (!channel_.try_push(OutboundJob(std::move(job)))) {
    respond(ApiAnswer::of(Code::kUnavailable, "queue full, try again"));
  }
}

std::optional<PurchaseService::KnownBuyer> PurchaseService::known_buyer(const RequestParams& params,
                                                                        std::string_view client,
                                                                        const Respond& respond) {
  if (auto refused = guard_.check_address(client)) {
    respond(std::move(*refused));
    return std::nullopt;
  }
  auto identified = identify_buyer(params, tokens_, unix_ms_now() / 1000);
  if (auto* answer = std::get_if<ApiAnswer>(&identified)) {
    respond(std::move(*answer));
    return std::nullopt;
  }
  const Buyer buyer = std::get<Buyer>(identified);
  if (auto refused = guard_.check_user(buyer.user_id)) {
    respond(std::move(*refused));
    return std::nullopt;
  }
  if (!products_.loaded()) {
    respond(not_loaded_answer());
    return std::nullopt;
  }
  const ProductMap& products = products_.current();
  auto product = products.find(buyer.product_id);
  if (product == products.end()) {
    respond(ApiAnswer::of(Code::kNotFound, "unknown product"));
    return std::nullopt;
  }
  return KnownBuyer{buyer, product->second};
}

}  // namespace seckill::proxy
