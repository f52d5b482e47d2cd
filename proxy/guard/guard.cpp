#include "proxy/guard/guard.hpp"

namespace seckill::proxy {

Guard::Guard(GuardConfig config, const Versioned<Blocklist>& blocklist, ProxyStats& stats)
    : config_(std::move(config)),
      blocklist_(blocklist),
      stats_(stats),
      users_(config_.per_user),
      addresses_(config_.per_address) {}

std::string Guard::client_address(std::string_view peer, std::string_view forwarded_for) const {
  return seckill::client_address(peer, forwarded_for, config_.trusted_proxies);
}

std::optional<ApiAnswer> Guard::check(UserId user, std::string_view address) {
  // Each limiter's lookup is a likely cache miss (tables of up to max_tracked keys): start both
  // loads now, so they overlap each other and the blocklist checks.
  const RateLimiter::Key user_key = users_.key_of(static_cast<std::uint64_t>(user));
  const RateLimiter::Key address_key = addresses_.key_of(address);
  users_.prefetch(user_key);
  addresses_.prefetch(address_key);
  const Blocklist& blocklist = blocklist_.current();
  if (blocklist.blocks_user(user) || blocklist.blocks_address(address)) {
    stats_.blocked.fetch_add(1, std::memory_order_relaxed);
    return ApiAnswer::of(Code::kBlacklisted);
  }
  const auto now = RateLimiter::Clock::now();
  // Both limiters count every request, so a user cannot hide behind many addresses or the
  // other way round.
  const bool user_ok = users_.allow(user_key, now);
  const bool address_ok = addresses_.allow(address_key, now);
  if (user_ok && address_ok) return std::nullopt;
  stats_.rate_limited.fetch_add(1, std::memory_order_relaxed);
  return ApiAnswer::of(Code::kRateLimited, user_ok ? "too many requests from this address"
                                                   : "too many requests from this user");
}

}  // namespace seckill::proxy
