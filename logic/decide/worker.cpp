#include "logic/decide/worker.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <thread>

#include <glog/logging.h>

#include "common/base/clock.hpp"
#include "common/cluster/cluster_router.hpp"
#include "common/store/redis_keys.hpp"

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
// While some groups are busy, the whole share is looked at every this many rounds.
constexpr std::uint64_t kFullRoundEvery = 8;
// The longest a worker whose groups another worker holds waits before it looks at its share
// again (a release ends the wait sooner).
constexpr std::chrono::milliseconds kWaitForHeldGroups{10};
// While its workers wait for the replicas, a logic process renews its mark on their groups
// this often; a mark it leaves behind (it died) lapses after kBehindMarkLife.
constexpr std::chrono::milliseconds kBehindMarkRenewal{1000};
constexpr std::chrono::milliseconds kBehindMarkLife{3000};
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
               WorkerStats& stats, const ServedGroups& groups, GroupClaims& claims)
    : config_(config),
      index_(index),
      stopping_(stopping),
      stats_(stats),
      served_(groups),
      claims_(claims),
      redis_(config.redis),
      decider_(config),
      take_script_(kTakeBatchScript),
      requeue_script_(kRequeueScript),
      block_seconds_(seconds_text(config.pop_block)),
      group_poll_seconds_(seconds_text(config.group_poll)),
      more_count_(std::to_string(std::max(config.batch_size - 1, 1))) {}

std::string Worker::processing_list(keys::GroupId group) const {
  return keys::processing(group, config_.logic_id, index_);
}

void Worker::follow_groups() {
  const std::uint64_t generation = served_.generation();
  if (generation == served_generation_ && !recovery_pending_) return;
  if (generation != served_generation_) {
    served_generation_ = generation;
    share_ = served_.for_worker(index_, config_.workers);
    next_blocking_group_ = 0;
  }
  // Every list of ours in a group in use, whether or not the share holds it now: a list left
  // by a previous life under another share would otherwise wait for a peer's recovery, which
  // never comes while this id lives. A group whose master cannot be reached now is tried again
  // on the next round, so one master away does not hold up the others.
  recovery_pending_ = false;
  for (keys::GroupId group : served_.all()) {
    if (std::find(recovered_.begin(), recovered_.end(), group) != recovered_.end()) continue;
    if (stopping_.load(std::memory_order_relaxed)) return;
    if (recover_own_list(group)) {
      recovered_.push_back(group);
    } else {
      recovery_pending_ = true;
    }
  }
}

void Worker::run() {
  std::vector<keys::GroupId> ready;  // queues known to hold requests
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (stats_.paused()) {
      // The heartbeat found Redis unsafe or our id taken (and logs why): decide nothing.
      std::this_thread::sleep_for(kRetryPause);
      continue;
    }
    follow_groups();
    if (share_.empty()) {
      // No product loaded yet: the heartbeat reads the directory again each interval.
      std::this_thread::sleep_for(kRetryPause);
      continue;
    }
    if (wait_failures_in_a_row_ >= config_.wait_failures_to_pause) wait_for_replicas();
    if (ready.empty()) ready = wait_for_requests();
    if (ready.empty()) continue;
    // The heartbeat may have paused the workers while this one was blocked waiting.
    if (stats_.paused()) continue;
    // Without a backlog, let the round gather more requests first (LogicConfig::batch_linger),
    // in the groups no other worker is gathering for (GroupClaims).
    const bool lingering = !last_round_full_ && config_.batch_linger.count() > 0;
    claims_.hold(held_, lingering ? ready : std::vector<keys::GroupId>{});
    if (lingering) {
      if (held_.empty()) {
        // Each is another worker's to gather for now, and its rounds take what comes
        // meanwhile. Waited for again from Redis afterwards: another group of the share may
        // have work by then.
        claims_.wait_for_release(kWaitForHeldGroups);
        ready.clear();
        continue;
      }
      std::this_thread::sleep_for(config_.batch_linger);
    }
    // The groups that had work go again at once; every kFullRoundEvery busy rounds the whole
    // share does, so a quiet group that fills up meanwhile waits a few rounds, never for the
    // busy ones to drain, and an empty one costs no script (on a cluster, no round trip to its
    // master) in the other rounds.
    std::vector<keys::GroupId> busy = decide_from_queues(lingering ? held_ : ready);
    if (busy.empty()) {
      claims_.hold(held_, {});  // back to waiting: another worker may gather for them
      ready.clear();
      busy_rounds_ = 0;
    } else {
      ready = ++busy_rounds_ % kFullRoundEvery == 0 ? share_ : std::move(busy);
    }
  }
}

std::vector<keys::GroupId> Worker::wait_for_requests() {
  // BLMOVE from a queue to itself, head to head, changes nothing: it only blocks until the
  // queue holds a request, then hands back the head (which stays where it is). A blocking
  // command watches one slot, so with several groups it blocks briefly on one of them and
  // the others are looked at with LLEN in the same round trip. It blocks on the group
  // that last had work until that one stays empty for a whole block: under a sale one group is
  // busy, and blocking on a quiet one would hold each of its rounds back by up to the block time.
  const bool one_group = share_.size() == 1;
  const std::size_t blocking_index = next_blocking_group_ % share_.size();
  const keys::GroupId blocking = share_[blocking_index];
  const std::string queue = keys::requests(blocking);
  std::vector<std::vector<std::string>> commands = {
      {"BLMOVE", queue, queue, "LEFT", "LEFT", one_group ? block_seconds_ : group_poll_seconds_}};
  for (std::size_t index = 0; index < share_.size(); ++index) {
    if (index != blocking_index) commands.push_back({"LLEN", keys::requests(share_[index])});
  }
  auto replies = redis_.pipeline(commands, config_.pop_block);
  std::vector<keys::GroupId> ready;
  if (!replies || replies->front().is_error()) ++next_blocking_group_;  // try another in turn
  if (!replies) {
    LOG_EVERY_T(WARNING, 5) << "logic: waiting for requests failed: " << replies.error().message;
    redis_.wait_before_retry(kRetryPause);
    // On a cluster one master away fails the wait for all: look at every queue instead, so the
    // groups of the other masters go on selling (their rounds find out which is which).
    if (redis_.is_cluster()) ready = share_;
    return ready;
  }
  const RedisReply& head = replies->front();
  if (head.is_error()) {
    refused("waiting for requests", head.str());
    return ready;
  }
  backoff_.reset();
  if (head.is_string()) ready.push_back(blocking);  // nil: nothing within the block time
  std::size_t at = 1;
  std::optional<std::size_t> first_other_ready;
  for (std::size_t index = 0; index < share_.size(); ++index) {
    if (index == blocking_index) continue;
    const RedisReply& length = (*replies)[at++];
    if (length.is_integer() && length.integer() > 0) {
      ready.push_back(share_[index]);
      if (!first_other_ready) first_other_ready = index;
    }
  }
  // The next wait blocks on this group again if it had work, else on one that had, else on the
  // next in turn.
  if (!head.is_string()) next_blocking_group_ = first_other_ready.value_or(blocking_index + 1);
  return ready;
}

void Worker::decide_one_held_batch(keys::GroupId group) {
  bool complete = true;
  std::vector<std::string> messages = take_batch(group, complete);
  if (messages.empty()) return;
  decide_until_done(group, decode(messages));
  release(group, complete);
}

std::vector<keys::GroupId> Worker::decide_from_queues(const std::vector<keys::GroupId>& groups) {
  const auto started = std::chrono::steady_clock::now();
  auto rounds = decider_.decide_from_queues(redis_, groups, config_.batch_size);
  if (!rounds) {
    // Each script ran whole or not at all: nothing is lost. Wait for Redis to come back.
    stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
    LOG_EVERY_T(WARNING, 5) << "logic: deciding from the queues failed: " << rounds.error().message;
    redis_.wait_before_retry(kRetryPause);
    return {};
  }
  bool decided = false;
  last_round_full_ = false;
  std::vector<keys::GroupId> busy;
  bool refused_once = false;
  bool unavailable_once = false;
  std::vector<keys::GroupId> hand_over;
  std::vector<const QueueRound*> with_replies;
  const auto took = std::chrono::steady_clock::now() - started;
  for (QueueRound& round : *rounds) {
    if (round.unavailable) {
      // That group's master is away (a cluster fails over one master at a time): the other
      // groups go on; this one is tried again next round, after the node's backoff.
      stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
      if (!unavailable_once) {
        LOG_EVERY_T(WARNING, 5) << "logic: group " << round.group
                                << " cannot be reached: " << round.error;
      }
      unavailable_once = true;
      continue;
    }
    if (round.script_error) {
      stats_.script_errors.fetch_add(1, std::memory_order_relaxed);
      if (!refused_once) refused("deciding from the queue", round.error);
      refused_once = true;
      // A slot on the move (ASK, TRYAGAIN) or a cluster not serving it: nothing was taken,
      // and the held path would meet the same. The script goes again once the slot settled.
      if (!is_slot_unsettled(round.error)) {
        // The held path decides request by request and dead-letters a request whose decision
        // keeps failing, so one bad request cannot stop the queue.
        hand_over.push_back(round.group);
      }
      continue;
    }
    if (round.taken >= static_cast<std::size_t>(config_.batch_size)) last_round_full_ = true;
    if (round.taken > 0) {
      decided = true;
      busy.push_back(round.group);
      stats_.count_batch(round.taken, took);
      for (Code code : round.codes) stats_.count_decision(code);
      if (!round.unpushed.empty()) with_replies.push_back(&round);
    }
    // A message the script cannot read goes through the held path, which decodes any JSON.
    if (round.stopped) hand_over.push_back(round.group);
  }
  if (!refused_once) backoff_.reset();
  if (!decider_.pushes_in_script()) {
    ReplyLists confirmed;
    bool missed = false;
    for (const QueueRound* round : with_replies) {
      if (replicas_have(round->acked)) {
        confirmed.insert(confirmed.end(), round->unpushed.begin(), round->unpushed.end());
      } else {
        missed = true;
        withhold(round->unpushed);
      }
    }
    if (!with_replies.empty()) note_wait(missed);
    push_replies(confirmed);
  }
  if (unavailable_once && hand_over.empty() && !decided) redis_.wait_before_retry(kRetryPause);
  for (keys::GroupId group : hand_over) decide_one_held_batch(group);
  for (keys::GroupId group : hand_over) {
    if (std::find(busy.begin(), busy.end(), group) == busy.end()) busy.push_back(group);
  }
  return busy;
}

bool Worker::recover_own_list(keys::GroupId group) {
  const std::string processing = processing_list(group);
  auto moved =
      requeue_script_.run(redis_, {.keys = {keys::requests(group), processing}, .args = {}});
  if (moved && !moved->is_error()) {
    if (moved->integer() > 0) {
      stats_.requeued.fetch_add(static_cast<std::uint64_t>(moved->integer()));
      LOG(WARNING) << "logic: put back " << moved->integer() << " requests left in " << processing
                   << " by an earlier run";
    }
    return true;
  }
  if (moved) {
    refused("checking the processing list", moved->str());
  } else {
    LOG_EVERY_T(WARNING, 5) << "logic: cannot check " << processing
                            << " yet: " << moved.error().message;
    redis_.wait_before_retry(kRetryPause);
  }
  return false;
}

std::vector<std::string> Worker::take_batch(keys::GroupId group, bool& complete) {
  std::vector<std::string> messages;
  const std::string queue = keys::requests(group);
  const std::string processing = processing_list(group);
  if (std::find(registered_.begin(), registered_.end(), group) == registered_.end()) {
    // Registered before its first use, so that a peer finds it should this process die.
    auto registered = redis_.command({"SADD", keys::logic_lists(config_.logic_id), processing});
    if (!registered || registered->is_error()) {
      if (registered) refused("registering a processing list", registered->str());
      if (!registered) redis_.wait_before_retry(kRetryPause);
      return messages;
    }
    registered_.push_back(group);
  }
  // Not blocking: the queue was just seen to hold the message the held path is for.
  auto first = redis_.command({"LMOVE", queue, processing, "LEFT", "RIGHT"});
  if (!first) {
    LOG_EVERY_T(WARNING, 5) << "logic: take failed: " << first.error().message;
    // The move may have happened before the connection broke: release() must put back
    // whatever the list holds rather than clear it.
    complete = !redis_.last_failure_maybe_applied();
    if (!complete) release(group, false);
    redis_.wait_before_retry(kRetryPause);
    return messages;
  }
  if (first->is_error()) {
    refused("taking a batch", first->str());
    return messages;
  }
  if (!first->is_string()) return messages;  // nil: another worker took it
  messages.emplace_back(first->str());
  if (config_.batch_size <= 1) return messages;

  // The script may have moved requests we never saw: release() must put the list back.
  complete = run_take_script(group, more_count_, messages);
  return messages;
}

bool Worker::run_take_script(keys::GroupId group, const std::string& count,
                             std::vector<std::string>& messages) {
  auto taken = take_script_.run(
      redis_, {.keys = {keys::requests(group), processing_list(group)}, .args = {count}});
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

void Worker::decide_until_done(keys::GroupId group, std::vector<PurchaseRequest> requests) {
  int attempt = 0;
  while (!requests.empty()) {
    const auto started = std::chrono::steady_clock::now();
    auto decisions = decider_.decide(redis_, group, requests);
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
        } else if (!decider_.pushes_in_script()) {
          const std::string& list = requests[i].reply_to;
          auto it = std::find_if(unpushed.begin(), unpushed.end(),
                                 [&](const auto& entry) { return entry.first == list; });
          if (it == unpushed.end()) it = unpushed.insert(unpushed.end(), {list, {}});
          it->second.push_back(encode_reply(*(*decisions)[i]));
        }
        continue;
      }
      stats_.script_errors.fetch_add(1, std::memory_order_relaxed);
      const std::string& why = (*decisions)[i].error().message;
      LOG_EVERY_T(ERROR, 1) << "logic: req=" << requests[i].id << " not decided (attempt "
                            << attempt << "): " << why;
      // A slot on the move is no fault of the request: it waits (until its deadline has long
      // passed) for the slot to settle instead of using up its attempts.
      std::string_view reply = why;
      if (reply.starts_with(kScriptFailed)) reply.remove_prefix(kScriptFailed.size());
      if (is_slot_unsettled(reply)) {
        if (unix_ms_now() > requests[i].deadline_ms + kAbandonAfterDeadlineMs) {
          stats_.abandoned.fetch_add(1, std::memory_order_relaxed);
        } else {
          failed.push_back(std::move(requests[i]));
        }
      } else if (attempt >= config_.max_attempts) {
        dead_letters_.push_back(encode_request(requests[i]));
      } else {
        failed.push_back(std::move(requests[i]));
      }
    }
    if (!unpushed.empty()) {
      const bool confirmed = replicas_have(decider_.last_acked());
      if (confirmed) push_replies(unpushed);
      if (!confirmed) withhold(unpushed);
      note_wait(!confirmed);
    }
    requests = std::move(failed);
    if (!requests.empty()) refused("deciding held requests", "the script failed");
  }
  backoff_.reset();
}

void Worker::release(keys::GroupId group, bool complete) {
  const std::string processing = processing_list(group);
  while (true) {
    std::vector<std::vector<std::string>> commands;
    if (!dead_letters_.empty()) {
      std::vector<std::string> push = {"RPUSH", keys::kDeadLetters};
      push.insert(push.end(), dead_letters_.begin(), dead_letters_.end());
      commands.push_back(std::move(push));
      commands.push_back({"LTRIM", keys::kDeadLetters, std::string("-") + kDeadLetterKeep, "-1"});
    }
    if (complete) commands.push_back({"DEL", processing});
    auto done = redis_.pipeline(commands);
    bool ok = static_cast<bool>(done);
    if (ok && !complete) {
      auto moved =
          requeue_script_.run(redis_, {.keys = {keys::requests(group), processing}, .args = {}});
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
    LOG_EVERY_T(WARNING, 5) << "logic: cannot release " << processing << " yet";
    redis_.wait_before_retry(kRetryPause);
  }
}

bool Worker::replicas_have(std::optional<std::int64_t> acked) const {
  return !decider_.waits_for_replicas() || acked.value_or(0) >= config_.redis.ack_replicas;
}

void Worker::withhold(const ReplyLists& lists) {
  // Not on enough replicas yet: a failover now could lose these decisions, so nobody is told
  // 0. The decisions stand on the master; /result tells the buyers what happened.
  std::size_t count = 0;
  for (const auto& [list, replies] : lists) count += replies.size();
  stats_.withheld.fetch_add(count, std::memory_order_relaxed);
  LOG_EVERY_T(WARNING, 5) << "logic: WAIT missed " << config_.redis.ack_replicas
                          << " replicas; withholding " << count << " replies";
}

void Worker::note_wait(bool missed) {
  if (!decider_.waits_for_replicas()) return;
  if (!missed) {
    wait_failures_in_a_row_ = 0;
    return;
  }
  ++wait_failures_in_a_row_;
  stats_.wait_failures.fetch_add(1, std::memory_order_relaxed);
}

void Worker::push_replies(const ReplyLists& lists) {
  if (lists.empty()) return;
  std::size_t count = 0;
  std::vector<std::vector<std::string>> pushes;
  const std::string ttl = std::to_string(config_.reply_ttl.count());
  for (const auto& [list, replies] : lists) {
    count += replies.size();
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
  // A WAIT counts the replicas of the node it runs on: one per master of the share.
  std::vector<std::string> beside;  // a queue on each of those masters
  std::vector<std::string> nodes;
  for (keys::GroupId group : share_) {
    std::string queue = keys::requests(group);
    std::string node = redis_.node_of(queue);
    if (std::find(nodes.begin(), nodes.end(), node) != nodes.end()) continue;
    nodes.push_back(std::move(node));
    beside.push_back(std::move(queue));
  }
  auto next_mark = std::chrono::steady_clock::now();
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (std::chrono::steady_clock::now() >= next_mark) {
      // Tells the proxies to answer 5003 for these groups rather than let buyers wait for a
      // deadline; the mark lapses by itself should this process die.
      mark_groups_behind(true);
      next_mark = std::chrono::steady_clock::now() + kBehindMarkRenewal;
    }
    const bool every_node_acked = std::all_of(beside.begin(), beside.end(), [&](const auto& key) {
      auto acked = redis_.command_beside(key, wait);
      return acked && acked->is_integer() && acked->integer() >= config_.redis.ack_replicas;
    });
    if (every_node_acked) break;
    std::this_thread::sleep_for(kRetryPause);
  }
  wait_failures_in_a_row_ = 0;
  mark_groups_behind(false);
  LOG(INFO) << "logic: the replicas are back; taking work again";
}

void Worker::mark_groups_behind(bool behind) {
  if (share_.empty()) return;
  std::vector<std::string> command = {behind ? "HSET" : "HDEL", keys::kUnreplicatedGroups};
  const std::string until = std::to_string(unix_ms_now() + kBehindMarkLife.count());
  for (keys::GroupId group : share_) {
    command.push_back(std::to_string(group));
    if (behind) command.push_back(until);
  }
  // Best effort: the replicas' lag is the problem here, not the master, which takes the write.
  if (auto marked = redis_.command(command); !marked || marked->is_error()) {
    LOG_EVERY_T(WARNING, 5) << "logic: could not " << (behind ? "set" : "clear") << " "
                            << keys::kUnreplicatedGroups;
  }
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
