#include "proxy/api/router.hpp"

#include <glog/logging.h>

#include "common/base/clock.hpp"
#include "proxy/purchase/purchase_gate.hpp"

namespace seckill::proxy {
namespace {

// Media types are case-insensitive (RFC 9110 8.3.1): "Application/X-WWW-Form-URLEncoded" is a
// form too. Parameters (";charset=utf-8") may follow.
bool is_form(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  while (!content_type.empty() && (content_type.front() == ' ' || content_type.front() == '\t')) {
    content_type.remove_prefix(1);
  }
  if (content_type.size() < kForm.size()) return false;
  for (std::size_t i = 0; i < kForm.size(); ++i) {
    const char c = content_type[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kForm[i]) return false;
  }
  const std::string_view rest = content_type.substr(kForm.size());
  return rest.empty() || rest.front() == ';' || rest.front() == ' ' || rest.front() == '\t';
}

}  // namespace

Router::Router(ProductCache& products, RedisHealth& health, PurchaseService& purchases,
               ProxyMetrics& metrics, std::function<std::string()> render_metrics,
               double access_log_sample, WebRoutes web, PaymentService* payments)
    : access_log_every_(access_log_sample <= 0
                            ? 0
                            : static_cast<std::uint64_t>(std::max(1.0, 1.0 / access_log_sample))),
      products_(products),
      health_(health),
      purchases_(purchases),
      metrics_(metrics),
      render_metrics_(std::move(render_metrics)),
      web_(std::move(web)),
      payments_(payments) {}

Router::Ticket Router::begin(const RequestView& request) const {
  const std::string_view path = target_path(request.target);
  Ticket ticket;
  ticket.endpoint = endpoint_of(path);
  ticket.started = std::chrono::steady_clock::now();
  // One request in every `access_log_every_` is logged, with who asked for what and the answer.
  // Counted per thread: a counter shared by the I/O threads would bounce between their cores
  // on every request, for a sample that needs no precision.
  thread_local std::uint64_t seen = 0;
  if (access_log_every_ > 0 && seen++ % access_log_every_ == 0) {
    ticket.access = access_line(request, path);
  }
  return ticket;
}

void Router::finish(const Ticket& ticket, Code code) const {
  const auto latency = std::chrono::steady_clock::now() - ticket.started;
  metrics_.record(ticket.endpoint, code, latency);
  if (ticket.access) log_access(*ticket.access, code, latency);
}

Router::AccessLine Router::access_line(const RequestView& request, std::string_view path) const {
  // Never the token: only the ids and the address are kept.
  auto params = RequestParams::parse(request.target, "", request.cookie);
  AccessLine line;
  line.path = path;
  line.client = purchases_.client_address(request.peer, request.forwarded_for);
  line.user = std::string(params.get("user_id").value_or("-"));
  line.product = std::string(params.get("product_id").value_or("-"));
  return line;
}

void Router::log_access(const AccessLine& line, Code code, std::chrono::nanoseconds latency) {
  LOG(INFO) << "access path=" << line.path << " ip=" << line.client << " user=" << line.user
            << " product=" << line.product << " code=" << static_cast<int>(code) << " latency_us="
            << std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
}

void Router::route(const RequestView& request, Respond respond) {
  const std::string_view path = target_path(request.target);
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  // HEAD is GET without the body (the session leaves it out) on the read-only endpoints; never
  // on /seckill, where it would buy.
  const bool read = get || request.method == "HEAD";
  const std::string_view form = post && is_form(request.content_type) ? request.body : "";
  RequestParams params = RequestParams::parse(request.target, form, request.cookie);

  if ((path == "/seckill" || path == "/result" || path == "/challenge" || path == "/reserve") &&
      (get || post)) {
    const std::string client = purchases_.client_address(request.peer, request.forwarded_for);
    if (path == "/reserve") return purchases_.reserve(params, client, post, std::move(respond));
    if (path == "/seckill") return purchases_.buy(params, client, std::move(respond));
    if (path == "/challenge") return purchases_.challenge(params, client, std::move(respond));
    return purchases_.lookup(params, client, std::move(respond));
  }
  if (path == "/payments/notify" && payments_ != nullptr && payments_->enabled()) {
    if (!post) return respond(method_not_allowed(request.method));
    // The raw body, whatever its type: the signature covers exactly these bytes.
    return payments_->notify({request.payment_signature, request.payment_timestamp}, request.body,
                             std::move(respond));
  }
  if (path == "/demo/pay" && payments_ != nullptr && payments_->demo()) {
    // GET tells the sale page that it may show a Pay button.
    if (read) return respond(ApiAnswer::of(Code::kOk, "demo payments are on"));
    if (!post) return respond(method_not_allowed(request.method));
    return payments_->demo_pay(params, std::move(respond));
  }
  if (path == "/secinfo" && read) return respond(secinfo(params));
  const bool admin_paths = static_cast<bool>(render_metrics_);
  if (admin_paths && path == "/healthz" && read) return respond(healthz());
  if (admin_paths && path == "/metrics" && read) {
    return respond(ApiAnswer::raw(render_metrics_(), "text/plain; version=0.0.4; charset=utf-8"));
  }
  if (path == "/seckill" || path == "/result" || path == "/challenge" || path == "/reserve" ||
      path == "/secinfo" || (admin_paths && (path == "/healthz" || path == "/metrics"))) {
    return respond(method_not_allowed(request.method));
  }
  const WebRequest web_request{request.method, path, request.if_none_match, params};
  if (auto answer = web_.answer(web_request)) return respond(std::move(*answer));
  respond(ApiAnswer::of(Code::kNotFound, "unknown path"));
}

ApiAnswer Router::secinfo(const RequestParams& params) const {
  if (!products_.loaded()) return not_loaded_answer();
  const ProductMap* products = &products_.current();
  const std::int64_t now = unix_ms_now();
  if (params.get("product_id")) {
    auto id = required_id(params, "product_id");
    if (auto* answer = std::get_if<ApiAnswer>(&id)) return std::move(*answer);
    auto it = products->find(std::get<std::int64_t>(id));
    if (it == products->end()) return ApiAnswer::of(Code::kNotFound, "unknown product");
    return ApiAnswer::of(Code::kOk, "ok").with_json("product", product_info_json(it->second, now));
  }
  std::vector<const ProductState*> sorted;
  for (const auto& [id, product] : *products) sorted.push_back(&product);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->id < b->id; });
  std::string list = "[";
  for (const ProductState* product : sorted) {
    if (list.size() > 1) list.push_back(',');
    list += product_info_json(*product, now);
  }
  list.push_back(']');
  // The server's clock, for the sale page's countdowns (also in each product).
  return ApiAnswer::of(Code::kOk, "ok")
      .with_json("products", std::move(list))
      .with_int("now_ms", now);
}

ApiAnswer Router::healthz() const {
  if (health_.up()) return ApiAnswer::of(Code::kOk, "ok").with_string("redis", "up");
  if (!health_.id_held()) {
    return ApiAnswer::of(Code::kUnavailable, "another live proxy uses this proxy id")
        .with_string("redis", "up");
  }
  if (health_.reachable()) {
    return ApiAnswer::of(Code::kUnavailable,
                         "redis maxmemory-policy may evict orders: it must be noeviction")
        .with_string("redis", "unsafe");
  }
  return ApiAnswer::of(Code::kUnavailable, "redis unreachable").with_string("redis", "down");
}

}  // namespace seckill::proxy
