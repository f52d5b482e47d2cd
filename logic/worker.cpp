#include "logic/worker.hpp"

#include <algorithm>
#include <cstdio>

#include <glog/logging.h>

#include "common/clock.hpp"
#include "common/redis_keys.hpp"

namespace seckill::logic {
namespace {

// After this long past its deadline (by our clock) a request is abandoned even if Redis never
// answered: the script would judge it expired anyway. The margin covers clock skew.
constexpr std::int64_t kAbandonAfterDeadlineMs = 2000;
constexpr std::chrono::milliseconds kRetryPause{100};

std::string seconds_text(std::chrono::milliseconds ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(ms.count()) / 1000.0);
  return buffer;
}

}  // namespace

Worker::Worker(const LogicConfig& config, const std::atomic<bool>& stopping, WorkerStats& stats)
    : config_(config),
      stopping_(stopping),
      stats_(stats),
      redis_(config.redis),
      decider_(config),
      block_seconds_(seconds_text(config.pop_block)),
      more_count_(std::to_string(std::max(config.batch_size - 1, 1))) {}

void Worker::run() {
  while (!stopping_.load(std::memory_order_relaxed)) {
    std::vector<std::string> messages = pop_messages();
    if (messages.empty()) continue;
    decide_until_done(decode(messages));
  }
}

std::vector<std::string> Worker::pop_messages() {
  std::vector<std::string> messages;
  auto first = redis_.command({"BLPOP", keys::kRequests, block_seconds_}, config_.pop_block);
  if (!first) {
    LOG_EVERY_T(WARNING, 5) << "logic: pop failed: " << first.error().message;
    redis_.wait_before_retry(kRetryPause);
    return messages;
  }
  if (!first->is_array() || first->size() != 2) return messages;  // timed out: nil
  messages.emplace_back(reply_str(first->element(1)));
  if (config_.batch_size <= 1) return messages;

  // Redis 6.2+: LPOP with a count takes the rest of a burst in the same round trip.
  auto more = redis_.command({"LPOP", keys::kRequests, more_count_});
  if (more && more->is_array()) {
    for (std::size_t i = 0; i < more->size(); ++i)
      messages.emplace_back(reply_str(more->element(i)));
  }
  return messages;
}

std::vector<PurchaseRequest> Worker::decode(const std::vector<std::string>& messages) {
  std::vector<PurchaseRequest> requests;
  requests.reserve(messages.size());
  for (const auto& message : messages) {
    auto request = decode_request(message);
    if (!request) {
      stats_.malformed.fetch_add(1, std::memory_order_relaxed);
      LOG_EVERY_T(ERROR, 1) << "logic: dropping malformed request (" << request.error().message
                            << "), " << message.size() << " bytes";
      continue;
    }
    requests.push_back(std::move(*request));
  }
  return requests;
}

void Worker::decide_until_done(std::vector<PurchaseRequest> requests) {
  while (!requests.empty()) {
    auto decisions = decider_.decide(redis_, requests);
    if (decisions) {
      count(*decisions, requests);
      return;
    }
    LOG_EVERY_T(WARNING, 5) << "logic: deciding " << requests.size()
                            << " requests failed, will retry: " << decisions.error().message;
    const std::int64_t now = unix_ms_now();
    auto expired = std::remove_if(requests.begin(), requests.end(), [now](const auto& request) {
      return now > request.deadline_ms + kAbandonAfterDeadlineMs;
    });
    stats_.abandoned.fetch_add(static_cast<std::uint64_t>(requests.end() - expired),
                               std::memory_order_relaxed);
    requests.erase(expired, requests.end());
    redis_.wait_before_retry(kRetryPause);
  }
}

void Worker::count(const std::vector<Result<PurchaseReply>>& decisions,
                   const std::vector<PurchaseRequest>& requests) {
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    if (!decisions[i]) {
      stats_.script_errors.fetch_add(1, std::memory_order_relaxed);
      LOG_EVERY_T(ERROR, 1) << "logic: req=" << requests[i].id
                            << " not decided: " << decisions[i].error().message;
      continue;
    }
    stats_.decided.fetch_add(1, std::memory_order_relaxed);
    if (decisions[i]->code == Code::kPurchased) {
      stats_.purchased.fetch_add(1, std::memory_order_relaxed);
    }
    VLOG(1) << "logic: req=" << requests[i].id << " code=" << static_cast<int>(decisions[i]->code);
  }
}

}  // namespace seckill::logic
