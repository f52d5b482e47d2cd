// PurchaseService: takes a checked purchase or /result lookup and gets it answered.
//
// buy(): the gate checks run first (purchase_gate.hpp); if only the logic tier can decide, the
// request gets a proxy-unique id and a deadline, waits in PendingRequests and goes into the
// bounded channel. Any bound hit (pending full, channel full) or a Redis outage already known
// answers 5003 at once; nothing on an Asio thread ever blocks. The answer arrives later through
// `respond`, from a reader thread (the decision), the sweeper (5004) or a writer (5003).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/token/token.hpp"
#include "proxy/api/api_answer.hpp"
#include "proxy/api/request_params.hpp"
#include "proxy/guard/guard.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_stats.hpp"
#include "proxy/purchase/challenge.hpp"
#include "proxy/purchase/pending_requests.hpp"
#include "proxy/purchase/purchase_gate.hpp"
#include "proxy/queue/outbound_job.hpp"
#include "proxy/state/product_cache.hpp"
#include "proxy/state/redis_health.hpp"

namespace seckill::proxy {

/// Delivers an answer; callable once, from any thread.
using Respond = std::function<void(ApiAnswer)>;

class PurchaseService {
 public:
  PurchaseService(const ProxyConfig& config, ProductCache& products, RedisHealth& health,
                  OutboundChannel& channel, PendingRequests& pending, ProxyStats& stats,
                  Guard& guard);

  /// The address a request counts against (peer, or X-Forwarded-For behind a trusted proxy).
  std::string client_address(std::string_view peer, std::string_view forwarded_for) const {
    return guard_.client_address(peer, forwarded_for);
  }
  /// /seckill from `client`
  void buy(const RequestParams& params, std::string_view client, Respond respond);
  /// /result from `client`
  void lookup(const RequestParams& params, std::string_view client, Respond respond);
  /// /challenge from `client`
  void challenge(const RequestParams& params, std::string_view client, Respond respond);
  /// /reserve: `reserving` (POST) puts the user on the product's list; GET only looks.
  void reserve(const RequestParams& params, std::string_view client, bool reserving,
               Respond respond);
  /// From now on purchases are refused with 5003 (the proxy is shutting down).
  void stop_accepting() { accepting_.store(false); }

 private:
  struct KnownBuyer {
    Buyer buyer;
    const ProductState& product;  // valid until this thread's next ProductCache::current()
  };
  /// The checks /result and /challenge share: the address, the token, the user and a product
  /// this proxy knows. Answers the request and returns nothing when one of them fails.
  std::optional<KnownBuyer> known_buyer(const RequestParams& params, std::string_view client,
                                        const Respond& respond);

  const ProxyConfig& config_;
  ProductCache& products_;
  RedisHealth& health_;
  OutboundChannel& channel_;
  PendingRequests& pending_;
  ProxyStats& stats_;
  Guard& guard_;
  const TokenKeyring tokens_;
  const ChallengeKey challenges_;
  std::string reply_list_;
  std::atomic<bool> accepting_{true};
};

}  // namespace seckill::proxy
