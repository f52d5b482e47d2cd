// libFuzzer target: the whole HTTP request path of the proxy short of the socket: Beast's parser
// with the session's limits, the request view (combined Cookie and X-Forwarded-For lines), and
// the Router with its guard, token check, sale-state answers and purchase queueing, over an
// in-memory product cache (no Redis). Every request must be answered exactly once, with a code
// the API lists. Input: raw bytes as a client would send them on a connection.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "common/base/clock.hpp"
#include "proxy/api/router.hpp"
#include "proxy/http/request_view.hpp"
#include "proxy/purchase/pending_requests.hpp"
#include "proxy/purchase/purchase_service.hpp"
#include "proxy/state/product_cache.hpp"

namespace {

namespace http = boost::beast::http;
using namespace seckill;
using namespace seckill::proxy;

// Everything a Router needs, built once: limits small enough that the fuzzer hits them.
struct Stack {
  Stack() : guard(config.guard, blocklist, stats), channel(16), pending(16, "fuzz-") {
    config.secret = "fuzz-secret";
    config.proxy_id = "fuzz";
    config.guard.per_address.per_second = 50;
    auto products = std::make_shared<ProductMap>();
    const std::int64_t now = unix_ms_now();
    ProductState open;
    open.id = 1;
    open.name = "open";
    open.total = open.left = 10;
    open.start_ms = now - 1000;
    open.end_ms = now + 86'400'000;
    products->emplace(1, open);
    ProductState later = open;
    later.id = 2;
    later.start_ms = now + 86'400'000;
    later.end_ms = now + 2 * 86'400'000;
    products->emplace(2, later);
    cache.replace(products);
    blocklist.replace(std::make_shared<const Blocklist>(
        make_blocklist({{"7", "0"}}, {{"10.0.0.0/8", "0"}}, now)));
    health.report(true);
  }
  ProxyConfig config;
  ProxyStats stats;
  ProxyMetrics metrics;
  RedisHealth health;
  ProductCache cache;
  Versioned<Blocklist> blocklist;
  Guard guard;
  OutboundChannel channel;
  PendingRequests pending;
  PurchaseService purchases{config, cache, health, channel, pending, stats, guard};
  Router router{cache, health, purchases, metrics, [] { return std::string("m 1\n"); }, 0.5};
};

bool listed_code(Code code) {
  const int value = static_cast<int>(code);
  return value == 0 || (value >= 1001 && value <= 1008) || (value >= 4000 && value <= 4005) ||
         value == 4029 || value == 5003 || value == 5004;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static Stack stack;
  // Queued purchases would stay queued for ever here: drain them, so the bounds are hit again.
  std::vector<OutboundJob> drained;
  stack.channel.pop_batch(drained, 64, std::chrono::milliseconds(0));
  for (auto& job : drained) {
    if (auto* purchase = std::get_if<QueuedPurchase>(&job)) {
      (void)stack.pending.take(purchase->request.id);
    }
  }

  boost::beast::flat_buffer buffer;
  auto writable = buffer.prepare(size);
  std::memcpy(writable.data(), data, size);
  buffer.commit(size);
  http::request_parser<http::string_body> parser;
  parser.header_limit(8192);
  parser.body_limit(4096);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(buffer.data(), ec);
  if (ec || !parser.is_done()) return 0;
  const auto request = parser.release();

  CombinedFields storage;
  const RequestView view = make_request_view(request, "127.0.0.1", storage);
  int answers = 0;
  Code code = Code::kOk;
  auto ticket = stack.router.begin(view);
  stack.router.route(view, [&](ApiAnswer answer) {
    ++answers;
    code = answer.code;
  });
  // A purchase that reached the channel is answered later (here: never); everything else now.
  const bool queued = answers == 0 && stack.channel.size() > 0;
  if (!queued && answers != 1) std::abort();
  if (answers == 1 && !listed_code(code)) std::abort();
  if (answers == 1) stack.router.finish(ticket, code);
  return 0;
}
