// Guard: the door checks of a purchase or lookup: the client address first, before anything of
// the request is looked at (blocklist 4003, rate limit 4029), so every request counts against
// its address whatever becomes of it (a flood of bad tokens or bad parameters is throttled and
// banned like any other); then, once a valid token names the user, the user's blocklist entry
// and rate limit. Also resolves the client address of a request (socket peer, or
// X-Forwarded-For behind a trusted front proxy).
// Thread-safe: called by every I/O thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/address_range.hpp"
#include "common/base/ids.hpp"
#include "common/base/versioned.hpp"
#include "proxy/api/api_answer.hpp"
#include "proxy/guard/ban_ledger.hpp"
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

  /// nullopt when a request from `address` may go on; else the 4003 or 4029 answer. Counts it.
  std::optional<ApiAnswer> check_address(std::string_view address);
  /// nullopt when `user` (token checked) may go on; else the 4003 or 4029 answer. Counts it.
  std::optional<ApiAnswer> check_user(UserId user);
  /// Both, address first.
  std::optional<ApiAnswer> check(UserId user, std::string_view address);

  /// Ends the temporary ban on `member` ("user:42" or "ip:198.51.100.7", as the ledger names
  /// it); false when this proxy had none on it, or the member is malformed. Counts a lift.
  bool lift_ban(std::string_view member);
  /// The bans begun here and not yet published.
  BanLedger& ban_ledger() { return bans_; }

 private:
  /// 4003 when `blocked`, else 4029 when `limiter` refuses `key`; counts the refusal, and a ban
  /// it starts (logged, at most one line a second, naming the address, or else the user).
  std::optional<ApiAnswer> verdict(bool blocked, RateLimiter& limiter, RateLimiter::Key key,
                                   const char* limited_message, std::string_view address,
                                   UserId user);

  GuardConfig config_;
  const Versioned<Blocklist>& blocklist_;
  ProxyStats& stats_;
  RateLimiter users_;
  RateLimiter addresses_;
  BanLedger bans_;
};

}  // namespace seckill::proxy
