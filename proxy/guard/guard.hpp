// Guard: the door checks between a valid token and the sale: blocklists (4003), then the rate
// limits per user and per client address (4029). Also resolves the client address of a
// request (socket peer, or X-Forwarded-For behind a trusted front proxy).
// Thread-safe: called by every I/O thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/address_range.hpp"
#include "common/ids.hpp"
#include "common/versioned.hpp"
#include "proxy/api_answer.hpp"
#include "proxy/guard/blocklist.hpp"
#include "proxy/guard/rate_limiter.hpp"
#include "proxy/proxy_stats.hpp"

namespace seckill::proxy {

struct GuardConfig {
  /// A real buyer clicks a few times a second at most; a script firing 40 a second is stopped.
  RateLimits per_user{20, 300, 200, std::chrono::milliseconds(60000), 100'000};
  /// Generous: a whole office or campus behind one NAT address must still get through.
  RateLimits per_address{500, 20000, 2000, std::chrono::milliseconds(60000), 100'000};
  /// Front proxies whose X-Forwarded-For is believed (default: this host).
  std::vector<AddressRange> trusted_proxies = default_trusted();

  static std::vector<AddressRange> default_trusted() {
    return {*AddressRange::parse("127.0.0.0/8"), *AddressRange::parse("::1")};
  }
};

class Guard {
 public:
  Guard(GuardConfig config, const Versioned<Blocklist>& blocklist, ProxyStats& stats);

  std::string client_address(std::string_view peer, std::string_view forwarded_for) const;

  /// nullopt when `user` from `address` may go on; else the 4003 or 4029 answer.
  std::optional<ApiAnswer> check(UserId user, std::string_view address);

 private:
  GuardConfig config_;
  const Versioned<Blocklist>& blocklist_;
  ProxyStats& stats_;
  RateLimiter users_;
  RateLimiter addresses_;
};

}  // namespace seckill::proxy
