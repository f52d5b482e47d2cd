// PaymentService: the payment provider's callback (POST /payments/notify) and, in demo mode,
// the sale page's Pay button (POST /demo/pay), which signs a callback as a provider would and
// sends it down the same path.
//
// The callback is checked on the I/O thread (signature, replay window, body: no Redis), then
// handed to a writer thread, which applies it with one script (common/orders/pay_order.lua).
#pragma once

#include <string>
#include <string_view>

#include "common/token/token.hpp"
#include "proxy/api/request_params.hpp"
#include "proxy/payments/payment_notice.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/purchase/purchase_service.hpp"
#include "proxy/queue/outbound_job.hpp"
#include "proxy/state/product_cache.hpp"
#include "proxy/state/redis_health.hpp"

namespace seckill::proxy {

class PaymentService {
 public:
  PaymentService(const ProxyConfig& config, ProductCache& products, RedisHealth& health,
                 OutboundChannel& channel);

  /// Whether the callback is on (payments.secret is set).
  bool enabled() const { return !config_.payments.secret.empty(); }
  /// Whether POST /demo/pay is on (payments.demo).
  bool demo() const { return config_.payments.demo; }

  /// POST /payments/notify
  void notify(const NoticeHeaders& headers, std::string_view body, Respond respond);
  /// POST /demo/pay with product_id, order_id, user_id and token: the order paid in full, with
  /// a payment id of the order's and the user's (pressing Pay twice pays once).
  void demo_pay(const RequestParams& params, Respond respond);

 private:
  void apply(Payment payment, Respond respond);

  const ProxyConfig& config_;
  ProductCache& products_;
  RedisHealth& health_;
  OutboundChannel& channel_;
  const TokenKeyring tokens_;
};

}  // namespace seckill::proxy
