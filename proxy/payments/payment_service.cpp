#include "proxy/payments/payment_service.hpp"

#include <glog/logging.h>

#include "common/base/clock.hpp"
#include "proxy/purchase/purchase_gate.hpp"

namespace seckill::proxy {

PaymentService::PaymentService(const ProxyConfig& config, ProductCache& products,
                               RedisHealth& health, OutboundChannel& channel)
    : config_(config),
      products_(products),
      health_(health),
      channel_(channel),
      tokens_(config.tokens, config.secret) {}

void PaymentService::notify(const NoticeHeaders& headers, std::string_view body, Respond respond) {
  auto read = read_payment_notice(config_.payments.secret, config_.payments.window, headers, body,
                                  unix_ms_now() / 1000);
  if (auto* refused = std::get_if<ApiAnswer>(&read)) {
    LOG_EVERY_T(WARNING, 1) << "payments: callback refused: " << refused->message;
    return respond(std::move(*refused));
  }
  apply(std::move(std::get<Payment>(read)), std::move(respond));
}

void PaymentService::demo_pay(const RequestParams& params, Respond respond) {
  auto identified = identify_buyer(params, tokens_, unix_ms_now() / 1000);
  if (auto* answer = std::get_if<ApiAnswer>(&identified)) return respond(std::move(*answer));
  const Buyer buyer = std::get<Buyer>(identified);
  const auto order_id = params.get("order_id");
  const auto product_id = order_id ? product_of_order(*order_id) : std::nullopt;
  if (!product_id || *product_id != buyer.product_id) {
    return respond(
        ApiAnswer::of(Code::kBadRequest, "order_id: missing, malformed or another product's"));
  }
  const ProductMap& products = products_.current();
  auto product = products.find(*product_id);
  if (product == products.end()) return respond(ApiAnswer::of(Code::kNotFound, "unknown order"));
  // The shop tells the provider the order's total: the page sends the order's units (as
  // /result gave them); a wrong one is refused by the payment script as an amount mismatch.
  auto units = purchase_quantity(params);
  if (auto* answer = std::get_if<ApiAnswer>(&units)) return respond(std::move(*answer));
  const std::int64_t amount = product->second.price * std::get<std::int64_t>(units);
  // Signed and checked like any provider's callback, so the demo runs the path production runs.
  // The payment id is the order's own: pressing Pay twice pays once.
  const std::string body =
      R"({"order_id":")" + std::string(*order_id) + R"(","payment_id":"demo-)" +
      std::string(*order_id) + "-" + std::to_string(buyer.user_id) + R"(","amount":)" +
      std::to_string(amount) + R"(,"currency":")" + product->second.currency + R"("})";
  const std::string timestamp = std::to_string(unix_ms_now() / 1000);
  const std::string signature = sign_payment_notice(config_.payments.secret, timestamp, body);
  notify({signature, timestamp}, body, std::move(respond));
}

void PaymentService::apply(Payment payment, Respond respond) {
  if (!health_.up()) return respond(ApiAnswer::of(Code::kUnavailable));
  const ProductMap& products = products_.current();
  auto product = products.find(*product_of_order(payment.order_id));
  if (product == products.end()) return respond(ApiAnswer::of(Code::kNotFound, "unknown order"));
  PaymentJob job;
  job.group = product->second.group;
  job.payment = std::move(payment);
  job.done = [respond, payment = job.payment](Result<OrderOutcome> outcome) {
    if (!outcome) return respond(ApiAnswer::of(Code::kUnavailable));
    if (!outcome->confirmed) {
      // Applied on the master, not yet confirmed on its replicas: a failover could lose it.
      // The provider sends it again; by payment id that changes nothing once it held.
      return respond(ApiAnswer::of(Code::kTimeout, "not yet confirmed by the replicas: resend"));
    }
    if (outcome->outcome == "mismatch" || outcome->outcome == "payment_reused" ||
        outcome->outcome == "refund_due") {
      LOG(WARNING) << "payments: order " << payment.order_id << " payment " << payment.payment_id
                   << ": " << outcome->outcome << " " << outcome->detail << " (order "
                   << outcome->state << ")";
    }
    respond(answer_for_payment(payment, *outcome));
  };
  if (!channel_.try_push(OutboundJob(std::move(job)))) {
    respond(ApiAnswer::of(Code::kUnavailable, "queue full, try again"));
  }
}

}  // namespace seckill::proxy
