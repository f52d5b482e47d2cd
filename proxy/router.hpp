// Router: maps a request's method and path onto the handler that answers it.
//
// Independent of Beast: it sees a RequestView and answers through Respond, so the whole API is
// testable without a socket. Synchronous answers (/secinfo, /healthz, every rejection) are given
// before handle() returns; purchases and lookups are answered later from another thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "proxy/metrics.hpp"
#include "proxy/product_cache.hpp"
#include "proxy/purchase_service.hpp"
#include "proxy/redis_health.hpp"

namespace seckill::proxy {

struct RequestView {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;
  std::string_view content_type;
  std::string_view body;
  std::string_view cookie;
  std::string_view peer;           // the socket peer's address
  std::string_view forwarded_for;  // X-Forwarded-For, empty when absent
};

class Router {
 public:
  /// `render_metrics` produces the /metrics page.
  Router(ProductCache& products, RedisHealth& health, PurchaseService& purchases,
         ProxyMetrics& metrics, std::function<std::string()> render_metrics);

  /// Answers `request` through `respond`, and counts and times the answer.
  void handle(const RequestView& request, Respond respond);

 private:
  void route(const RequestView& request, std::string_view path, Respond respond);
  ApiAnswer secinfo(const RequestParams& params) const;
  ApiAnswer healthz() const;

  ProductCache& products_;
  RedisHealth& health_;
  PurchaseService& purchases_;
  ProxyMetrics& metrics_;
  std::function<std::string()> render_metrics_;
};

}  // namespace seckill::proxy
