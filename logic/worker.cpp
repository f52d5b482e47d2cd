#include "logic/worker.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include <glog/logging.h>

#include "common/clock.hpp"
#include "common/redis_keys.hpp"

namespace seckill {
extern const std::string_view kTakeBatchScript;
extern const std::string_view kRequeueScript;
}  // namespace seckill

namespace seckill::logic {
namespace {

// After this long past its deadline (by our clock) a request is abandoned even if Redis never
// answered: the script would judge it expired anyway. The margin covers clock skew.
constexpr std::int64_t kAbandonAfterDeadlineMs = 2000;
constexpr std::chrono::milliseconds kRetryPause{100};
// The dead-letter list keeps the newest this many entries, each cut to this size: a hostile
// message of megabytes must not multiply into gigabytes of Redis memory.
constexpr const char* kDeadLetterKeep = "10000";
constexpr std::size_t kDeadLetterBytes = 4096;

std::string dead_letter_of(const std::string& message) {
  if (message.size() <= kDeadLetterBytes) return message;
  return message.substr(0, kDeadLetterBytes) + "...[" + std::to_string(message.size()) +
         " bytes, cut]";
}

std::string seconds_text(std::chrono::milliseconds ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(ms.count()) / 1000.0);
  return buffer;
}

}  // namespace

Worker::Worker(const LogicConfig& config, int index, const std::atomic<bool>& stopping,
               WorkerStats& stats)
    : config_(config),
      stopping_(stopping),
      stats_(stats),
      redis_(config.redis),
      decider_(config),
      take_script_(kTakeBatchScript),
      requeue_script_(kRequeueScript),
      processing_(keys::processing(config.logic_id, index)),
      block_seconds_(seconds_text(config.pop_block)),
      more_count_(std::to_string(std::max(config.batch_size - 1, 1))) {}

void Worker::run() {
  recover_own_list();
  bool busy = false;  // the last round found requests: more are probably waiting
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (stats_.paused()) {
      // The heartbeat found Redis unsafe or our id taken (and logs why): decide nothing.
      std::this_thread::sleep_for(kRetryPause);
      continue;
    }
    if (wait_failures_in_a_row_ >= config_.wait_failures_to_pause) wait_for_replicas();
    if (!busy && !wait_for_requests()) continue;
    // The heartbeat may have paused the workers while this one was blocked waiting.
    if (stats_.paused()) continue;
    const QueueOutcome outcome = decide_from_queue();
    busy = outcome == QueueOutcome::kDecided;
    if (outcome == QueueOutcome::kHandOver) decide_one_held_batch();
  }
}

bool Worker::wait_for_requests() {
  // BLMOVE from the queue to itself, head to head, changes nothing: it only blocks until the
  // queue holds a request, then hands back the head (which stays where it is).
  auto head =
      redis_.command({"BLMOVE", keys::kRequests, keys::kRequests, "LEFT", "LEFT", block_seconds_},
                     config_.pop_block);
  if (!head) {
    LOG_EVERY_T(WARNING, 5) << "logic: waiting for requests failed: " << head.error().message;
    redis_.wait_before_retry(kRetryPause);
    return false;
  }
  if (head->is_error()) {
    refused("waiting for requests", head->str());
    return false;
  }
  backoff_.reset();
  return head->is_string();  // nil: nothing within the block time
}

void Worker::decide_one_held_batch() {
  bool complete = true;
  std::vector<std::string> messages = take_batch(complete);
  if (messages.empty()) return;
  decide_until_done(decode(messages));
  release(complete);
}

Worker::QueueOutcome Worker::decide_from_queue() {
  const auto started = std::chrono::steady_clock::now();
  auto round = decider_.decide_from_queue(redis_, config_.batch_size);
  if (!round) {
    // The script ran whole or not at all: nothing is lost. Wait for Redis to come back.
    stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
    LOG_EVERY_T(WARNING, 5) << "logic: deciding from the queue failed: " << round.error().message;
    redis_.wait_before_retry(kRetryPause);
    return QueueOutcome::kEmpty;
  }
  if (round->script_error) {
    // Nothing was taken. The held path decides request by request and dead-letters a request
    // whose decision keeps failing, so one bad request cannot stop the queue.
    stats_.script_errors.fetch_add(1, std::memory_order_relaxed);
    refused("deciding from the queue", round->error);
    return QueueOutcome::kHandOver;
  }
  backoff_.reset();
  if (round->taken > 0) {
    stats_.count_batch(round->taken, std::chrono::steady_clock::now() - started);
    for (Code code : round->codes) stats_.count_decision(code);
    if (decider_.waits_for_replicas()) deliver_after_wait(round->acked, round->unpushed);
  }
  // A message the script cannot read goes through the held path, which decodes any JSON.
  if (round->stopped) return QueueOutcome::kHandOver;
  return round->taken > 0 ? QueueOutcome::kDecided : QueueOutcome::kEmpty;
}

void Worker::recover_own_list() {
  while (!stopping_.load(std::memory_order_relaxed)) {
    auto moved = requeue_script_.run(redis_, {.keys = {keys::kRequests, processing_}, .args = {}});
    if (moved && !moved->is_error()) {
      if (moved->integer() > 0) {
        stats_.requeued.fetch_add(static_cast<std::uint64_t>(moved->integer()));
        LOG(WARNING) << "logic: put back " << moved->integer() << " requests left in "
                     << processing_ << " by an earlier run";
      }
      return;
    }
    if (moved) {
      refused("checking the processing list", moved->str());
      continue;
    }
    LOG_EVERY_T(WARNING, 5) << "logic: cannot check " << processing_
                            << " yet: " << moved.error().message;
    redis_.wait_before_retry(kRetryPause);
  }
}

std::vector<std::string> Worker::take_batch(bool& complete) {
  std::vector<std::string> messages;
  auto first = redis_.command(
      {"BLMOVE", keys::kRequests, processing_, "LEFT", "RIGHT", block_seconds_}, config_.pop_block);
  if (!first) {
    LOG_EVERY_T(WARNING, 5) << "logic: take failed: " << first.error().message;
    // The move may have happened before the connection broke: release() must put back
    // whatever the list holds rather than clear it.
    complete = !redis_.last_failure_maybe_applied();
    if (!complete) release(false);
    redis_.wait_before_retry(kRetryPause);
    return messages;
  }
  if (first->is_error()) {
    refused("taking a batch", first->str());
    return messages;
  }
  if (!first->is_string()) return messages;  // nil: nothing within the block time
  messages.emplace_back(first->str());
  if (config_.batch_size <= 1) return messages;

  // The script may have moved requests we never saw: release() must put the list back.
  complete = run_take_script(more_count_, messages);
  return messages;
}

bool Worker::run_take_script(const std::string& count, std::vector<std::string>& messages) {
  auto taken = take_script_.run(redis_, {.keys = {keys::kRequests, processing_}, .args = {count}});
  if (!taken) {
    LOG_EVERY_T(WARNING, 5) << "logic: take failed: " << taken.error().message;
    return false;
  }
  if (taken->is_error()) {
    refused("taking the rest of a batch", taken->str());
    return false;
  }
  for (std::size_t i = 0; i < taken->size(); ++i) {
    messages.emplace_back(reply_str(taken->element(i)));
  }
  return true;
}

std::vector<PurchaseRequest> Worker::decode(const std::vector<std::string>& messages) {
  std::vector<PurchaseRequest> requests;
  requests.reserve(messages.size());
  for (const auto& message : messages) {
    auto request = decode_request(message);
    if (!request) {
      stats_.malformed.fetch_add(1, std::memory_order_relaxed);
      LOG_EVERY_T(ERROR, 1) << "logic: malformed request to the dead-letter list ("
                            << request.error().message << "), " << message.size() << " bytes";
      dead_letters_.push_back(dead_letter_of(message));
      continue;
    }
    requests.push_back(std::move(*request));
  }
  return requests;
}

void Worker::decide_until_done(std::vector<PurchaseRequest> requests) {
  int attempt = 0;
  while (!requests.empty()) {
    const auto started = std::chrono::steady_clock::now();
    auto decisions = decider_.decide(redis_, requests);
    if (decisions) stats_.count_batch(requests.size(), std::chrono::steady_clock::now() - started);
    if (!decisions) {
      stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
      LOG_EVERY_T(WARNING, 5) << "logic: deciding " << requests.size()
                              << " requests failed, will retry: " << decisions.error().message;
      const std::int64_t now = unix_ms_now();
      auto expired = std::remove_if(requests.begin(), requests.end(), [now](const auto& r) {
        return now > r.deadline_ms + kAbandonAfterDeadlineMs;
      });
      stats_.abandoned.fetch_add(static_cast<std::uint64_t>(requests.end() - expired));
      requests.erase(expired, requests.end());
      redis_.wait_before_retry(kRetryPause);
      continue;
    }
    // Decided ones are done; a request Redis refused to decide is tried again, a few times.
    ++attempt;
    std::vector<PurchaseRequest> failed;
    ReplyLists unpushed;
    for (std::size_t i = 0; i < decisions->size(); ++i) {
      if ((*decisions)[i]) {
        count((*decisions)[i].value(), requests[i]);
        if ((*decisions)[i]->code == Code::kBadRequest) {
          // Refused undecided (a deadline too far ahead, a reply_to that is not a list): kept
          // for inspection, answered nowhere.
          stats_.malformed.fetch_add(1, std::memory_order_relaxed);
          LOG_EVERY_T(ERROR, 1) << "logic: req=" << requests[i].id
                                << " refused (deadline too far ahead or reply_to not a list)";
          dead_letters_.push_back(encode_request(requests[i]));
        } else if (decider_.waits_for_replicas()) {
          const std::string& list = requests[i].reply_to;
          auto it = std::find_if(unpushed.begin(), unpushed.end(),
                                 [&](const auto& entry) { return entry.first == list; });
          if (it == unpushed.end()) it = unpushed.insert(unpushed.end(), {list, {}});
          it->second.push_back(encode_reply(*(*decisions)[i]));
        }
        continue;
      }
      stats_.script_errors.fetch_add(1, std::memory_order_relaxed);
      LOG_EVERY_T(ERROR, 1) << "logic: req=" << requests[i].id << " not decided (attempt "
                            << attempt << "): " << (*decisions)[i].error().message;
      if (attempt >= config_.max_attempts) {
        dead_letters_.push_back(encode_request(requests[i]));
      } else {
        failed.push_back(std::move(requests[i]));
      }
    }
    if (decider_.waits_for_replicas()) deliver_after_wait(decider_.last_acked(), unpushed);
    requests = std::move(failed);
    if (!requests.empty()) refused("deciding held requests", "the script failed");
  }
  backoff_.reset();
}

void Worker::release(bool complete) {
  while (true) {
    std::vector<std::vector<std::string>> commands;
    if (!dead_letters_.empty()) {
      std::vector<std::string> push = {"RPUSH", keys::kDeadLetters};
      push.insert(push.end(), dead_letters_.begin(), dead_letters_.end());
      commands.push_back(std::move(push));
      commands.push_back({"LTRIM", keys::kDeadLetters, std::string("-") + kDeadLetterKeep, "-1"});
    }
    if (complete) commands.push_back({"DEL", processing_});
    auto done = redis_.pipeline(commands);
    bool ok = static_cast<bool>(done);
    if (ok && !complete) {
      auto moved =
          requeue_script_.run(redis_, {.keys = {keys::kRequests, processing_}, .args = {}});
      ok = moved && !moved->is_error();
      if (ok) stats_.requeued.fetch_add(static_cast<std::uint64_t>(moved->integer()));
    }
    if (ok) {
      stats_.dead_lettered.fetch_add(dead_letters_.size(), std::memory_order_relaxed);
      dead_letters_.clear();
      return;
    }
    // Nothing is lost by giving up here: the list is put back by the next run or by a peer.
    if (stopping_.load(std::memory_order_relaxed)) return;
    LOG_EVERY_T(WARNING, 5) << "logic: cannot release " << processing_ << " yet";
    redis_.wait_before_retry(kRetryPause);
  }
}

void Worker::deliver_after_wait(std::optional<std::int64_t> acked, const ReplyLists& lists) {
  std::size_t count = 0;
  for (const auto& [list, replies] : lists) count += replies.size();
  if (count == 0) return;
  if (acked.value_or(0) < config_.redis.ack_replicas) {
    // Not on enough replicas yet: a failover now could lose these decisions, so nobody is told
    // 0. The decisions stand on the master; /result tells the buyers what happened.
    ++wait_failures_in_a_row_;
    stats_.wait_failures.fetch_add(1, std::memory_order_relaxed);
    stats_.withheld.fetch_add(count, std::memory_order_relaxed);
    LOG_EVERY_T(WARNING, 5) << "logic: WAIT reached " << acked.value_or(0) << " of "
                            << config_.redis.ack_replicas << " replicas; withholding " << count
                            << " replies";
    return;
  }
  wait_failures_in_a_row_ = 0;
  std::vector<std::vector<std::string>> pushes;
  const std::string ttl = std::to_string(config_.reply_ttl.count());
  for (const auto& [list, replies] : lists) {
    std::vector<std::string> push = {"RPUSH", list};
    push.insert(push.end(), replies.begin(), replies.end());
    pushes.push_back(std::move(push));
    pushes.push_back({"PEXPIRE", list, ttl});
  }
  // Not retried: a push that may have happened must not be doubled, and a lost one only means
  // 5004 for its buyers, which /result resolves.
  if (auto pushed = redis_.pipeline(pushes); !pushed) {
    LOG_EVERY_T(WARNING, 5) << "logic: pushing " << count
                            << " replies failed: " << pushed.error().message;
  }
}

void Worker::wait_for_replicas() {
  LOG(WARNING) << "logic: " << wait_failures_in_a_row_
               << " WAITs in a row missed the replicas; taking no work until one reaches "
               << config_.redis.ack_replicas;
  const std::vector<std::string> wait = {"WAIT", std::to_string(config_.redis.ack_replicas),
                                         std::to_string(config_.redis.wait_timeout.count())};
  while (!stopping_.load(std::memory_order_relaxed)) {
    auto acked = redis_.command(wait);
    if (acked && acked->is_integer() && acked->integer() >= config_.redis.ack_replicas) break;
    std::this_thread::sleep_for(kRetryPause);
  }
  wait_failures_in_a_row_ = 0;
  LOG(INFO) << "logic: the replicas are back; taking work again";
}

void Worker::refused(std::string_view what, std::string_view error) {
  stats_.refusals.fetch_add(1, std::memory_order_relaxed);
  LOG_EVERY_T(WARNING, 5) << "logic: " << what << " refused by Redis: " << error;
  backoff_.pause(stopping_);
}

void Worker::count(const PurchaseReply& reply, const PurchaseRequest& request) {
  stats_.count_decision(reply.code);
  VLOG(1) << "logic: req=" << request.id << " code=" << static_cast<int>(reply.code);
}

}  // namespace seckill::logic
