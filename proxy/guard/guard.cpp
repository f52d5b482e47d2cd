#include "proxy/guard/guard.hpp"

#include <glog/logging.h>

#include "common/base/clock.hpp"

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

std::optional<ApiAnswer> Guard::verdict(bool blocked, RateLimiter& limiter, RateLimiter::Key key,
                                        const char* limited_message, std::string_view address,
                                        UserId user) {
  if (blocked) {
    stats_.blocked.fetch_add(1, std::memory_order_relaxed);
    return ApiAnswer::of(Code::kBlocked);
  }
  const RateLimiter::Verdict verdict = limiter.judge_request(key, RateLimiter::Clock::now());
  if (verdict.allowed) return std::nullopt;
  stats_.rate_limited.fetch_add(1, std::memory_order_relaxed);
  if (verdict.ban_left.count() <= 0) return ApiAnswer::of(Code::kRateLimited, limited_message);
  // Seconds, rounded up: "banned for 0 s" would be a lie.
  const std::int64_t seconds = (verdict.ban_left.count() + 999) / 1000;
  if (verdict.ban_started) {
    stats_.bans.fetch_add(1, std::memory_order_relaxed);
    bans_.record({address.empty() ? "user:" + std::to_string(user) : "ip:" + std::string(address),
                  unix_ms_now() + verdict.ban_left.count()});
    if (!address.empty()) {
      LOG_EVERY_T(WARNING, 1) << "guard: address " << address << " banned for " << seconds
                              << " s: refused too often within a minute";
    } else {
      LOG_EVERY_T(WARNING, 1) << "guard: user " << user << " banned for " << seconds
                              << " s: refused too often within a minute";
    }
  }
  return ApiAnswer::of(Code::kRateLimited, std::string(limited_message) + ": banned for " +
                                               std::to_string(seconds) + " s")
      .with_int("retry_after_s", seconds);
}

std::optional<ApiAnswer> Guard::check_address(std::string_view address) {
  const RateLimiter::Key key = addresses_.key_of(address);
  // The limiter's lookup is a likely cache miss (a table of up to max_tracked keys): start the
  // load now, so it overlaps the blocklist check.
  addresses_.prefetch(key);
  return verdict(blocklist_.current().blocks_address(address), addresses_, key,
                 "too many requests from this address", address, 0);
}

std::optional<ApiAnswer> Guard::check_user(UserId user) {
  const RateLimiter::Key key = users_.key_of(static_cast<std::uint64_t>(user));
  users_.prefetch(key);
  return verdict(blocklist_.current().blocks_user(user), users_, key,
                 "too many requests from this user", {}, user);
}

std::optional<ApiAnswer> Guard::check(UserId user, std::string_view address) {
  if (auto refused = check_address(address)) return refused;
  return check_user(user);
}

bool Guard::lift_ban(std::string_view member) {
  const auto colon = member.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view kind = member.substr(0, colon);
  const std::string_view value = member.substr(colon + 1);
  const auto now = RateLimiter::Clock::now();
  bool lifted = false;
  if (kind == "ip") {
    lifted = addresses_.lift_ban(addresses_.key_of(value), now);
  } else if (auto user = parse_id(value); kind == "user" && user) {
    lifted = users_.lift_ban(users_.key_of(static_cast<std::uint64_t>(*user)), now);
  }
  if (lifted) {
    stats_.bans_lifted.fetch_add(1, std::memory_order_relaxed);
    LOG(INFO) << "guard: ban on " << member << " lifted by seckill-admin";
  }
  return lifted;
}

}  // namespace seckill::proxy
