// Router: maps a request's method and path onto the handler that answers it.
//
// Independent of Beast: it sees a RequestView and answers through Respond, so the whole API is
// testable without a socket. Synchronous answers (/secinfo, /healthz, every rejection) are given
// before route() returns; purchases and lookups are answered later from another thread.
//
// Counting and timing are the caller's two calls around it: begin() when the request arrives,
// finish() with the answer. The caller (HttpSession) keeps the Ticket, so route() needs no
// wrapper around `respond`: a wrapper would be one more allocation on every request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "proxy/metrics.hpp"
#include "proxy/payments/payment_service.hpp"
#include "proxy/purchase/purchase_service.hpp"
#include "proxy/site/web_routes.hpp"
#include "proxy/state/product_cache.hpp"
#include "proxy/state/redis_health.hpp"

namespace seckill::proxy {

struct RequestView {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;
  std::string_view content_type;
  std::string_view body;
  std::string_view cookie;
  std::string_view peer;               // the socket peer's address
  std::string_view forwarded_for;      // X-Forwarded-For, empty when absent
  std::string_view if_none_match;      // If-None-Match, empty when absent
  std::string_view payment_signature;  // X-Seckill-Signature (payment callbacks)
  std::string_view payment_timestamp;  // X-Seckill-Timestamp
};

class Router {
 public:
  /// `render_metrics` produces the /metrics page; `access_log_sample` is the share of requests
  /// written to the access log (0: none, 1: all); `web` answers the paths outside the API.
  /// `payments` (none: no payment routes) answers the provider's callback and the demo's Pay.
  /// Without `render_metrics`, /metrics and /healthz are not served (an admin listener has them).
  Router(ProductCache& products, RedisHealth& health, PurchaseService& purchases,
         ProxyMetrics& metrics, std::function<std::string()> render_metrics,
         double access_log_sample = 0, WebRoutes web = {}, PaymentService* payments = nullptr);

  struct AccessLine {
    std::string path, client, user, product;
  };
  /// One request on its way through: what its answer is counted under.
  struct Ticket {
    Endpoint endpoint = Endpoint::kOther;
    std::chrono::steady_clock::time_point started{};
    std::optional<AccessLine> access;  // set for the requests the access log samples
  };

  /// Starts counting `request`.
  Ticket begin(const RequestView& request) const;
  /// Answers `request` through `respond`, at once or later from another thread.
  void route(const RequestView& request, Respond respond);
  /// Counts and times the answer with `code` to the request `ticket` was begun for.
  void finish(const Ticket& ticket, Code code) const;

 private:
  AccessLine access_line(const RequestView& request, std::string_view path) const;
  static void log_access(const AccessLine& line, Code code, std::chrono::nanoseconds latency);
  ApiAnswer secinfo(const RequestParams& params) const;
  ApiAnswer healthz() const;

  const std::uint64_t access_log_every_;  // 0: no access log
  ProductCache& products_;
  RedisHealth& health_;
  PurchaseService& purchases_;
  ProxyMetrics& metrics_;
  std::function<std::string()> render_metrics_;
  const WebRoutes web_;
  PaymentService* const payments_;
};

}  // namespace seckill::proxy
