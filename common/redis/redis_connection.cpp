#include "common/redis/redis_connection.hpp"

#include <cerrno>
#include <charconv>
#include <thread>

#include <glog/logging.h>
#include <hiredis/hiredis.h>

#include "common/redis/redis_counters.hpp"
#include "common/redis/resp_command.hpp"
#include <poll.h>

namespace seckill {
namespace {

constexpr std::chrono::milliseconds kMinBackoff{50};
constexpr std::chrono::milliseconds kMaxBackoff{1000};
// A connection unused for longer than this is probed before use. Redis's idle `timeout` counts
// whole seconds, so a connection used within the last half second cannot have been closed by it.
constexpr std::chrono::milliseconds kProbeAfterIdle{500};
// Sentinel mode: how often a connection in use asks whether the master has moved.
constexpr std::chrono::milliseconds kMasterCheckEvery{1000};

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

std::string_view maxmemory_policy(std::string_view info) {
  constexpr std::string_view kField = "maxmemory_policy:";
  const auto at = info.find(kField);
  if (at == std::string_view::npos) return {};
  std::string_view rest = info.substr(at + kField.size());
  return rest.substr(0, rest.find_first_of("\r\n"));
}

void RedisReply::Free::operator()(redisReply* reply) const {
  freeReplyObject(reply);
}

RedisReply::RedisReply(redisReply* reply) : reply_(reply) {}

bool RedisReply::is_error() const {
  return reply_->type == REDIS_REPLY_ERROR;
}
bool RedisReply::is_nil() const {
  return reply_->type == REDIS_REPLY_NIL;
}
bool RedisReply::is_string() const {
  return reply_->type == REDIS_REPLY_STRING || reply_->type == REDIS_REPLY_STATUS;
}
bool RedisReply::is_integer() const {
  return reply_->type == REDIS_REPLY_INTEGER;
}
bool RedisReply::is_array() const {
  return reply_->type == REDIS_REPLY_ARRAY;
}

std::string_view RedisReply::str() const {
  return reply_str(reply_.get());
}
std::int64_t RedisReply::integer() const {
  return reply_->integer;
}
std::size_t RedisReply::size() const {
  return is_array() ? reply_->elements : 0;
}
const redisReply* RedisReply::element(std::size_t i) const {
  return reply_->element[i];
}

std::string_view reply_str(const redisReply* element) {
  if (element == nullptr || element->str == nullptr) return {};
  return {element->str, element->len};
}

bool reply_is_nil(const redisReply* element) {
  return element == nullptr || element->type == REDIS_REPLY_NIL;
}

std::int64_t reply_integer(const redisReply* element) {
  return element != nullptr && element->type == REDIS_REPLY_INTEGER ? element->integer : 0;
}

std::int64_t reply_score(const redisReply* element) {
  const std::string_view text = reply_str(element);
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return static_cast<std::int64_t>(value);
}

RedisConnection::RedisConnection(RedisConfig config)
    : config_(std::move(config)),
      jitter_(static_cast<unsigned>(
          std::hash<std::thread::id>{}(std::this_thread::get_id()) ^
          static_cast<std::size_t>(std::chrono::steady_clock::now().time_since_epoch().count()))) {}

RedisConnection::~RedisConnection() {
  if (context_ != nullptr) redisFree(context_);
}

Error RedisConnection::fail(RedisErrc kind, std::string message) {
  redis_counters().failures.fetch_add(1, std::memory_order_relaxed);
  last_error_kind_ = kind;
  if (context_ != nullptr) {
    // hiredis: a context that saw an error cannot be used again.
    redisFree(context_);
    context_ = nullptr;
  }
  backoff_ = backoff_.count() == 0 ? kMinBackoff : std::min(backoff_ * 2, kMaxBackoff);
  // Jitter spreads the reconnects of many threads and processes after an outage.
  auto jitter = std::chrono::milliseconds(jitter_() % (backoff_.count() / 2 + 1));
  next_attempt_ = std::chrono::steady_clock::now() + backoff_ / 2 + jitter;
  last_error_ = message;
  return Error{std::move(message)};
}

Error RedisConnection::fail_from_context(std::string_view what) {
  // hiredis 0.14 reports a socket timeout as REDIS_ERR_IO with errno EAGAIN.
  RedisErrc kind = RedisErrc::kUnavailable;
  std::string message = std::string(what) + ": ";
  if (context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    kind = RedisErrc::kTimeout;
    message += "timeout";
  } else if (context_->err == REDIS_ERR_PROTOCOL || context_->err == REDIS_ERR_OOM) {
    kind = RedisErrc::kProtocol;
    message += context_->errstr;
  } else {
    message += context_->errstr;
  }
  return fail(kind, std::move(message));
}

std::optional<NodeAddress> RedisConnection::target() {
  if (!uses_sentinels(config_)) return NodeAddress{config_.host, config_.port};
  const std::size_t count = config_.sentinels.size();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t index = (next_sentinel_ + i) % count;
    const NodeAddress& sentinel = config_.sentinels[index];
    redisContext* context = redisConnectWithTimeout(sentinel.host.c_str(), sentinel.port,
                                                    to_timeval(config_.connect_timeout));
    if (context == nullptr || context->err != 0) {
      if (context != nullptr) redisFree(context);
      continue;
    }
    redisSetTimeout(context, to_timeval(config_.socket_timeout));
    auto* reply = static_cast<redisReply*>(
        redisCommand(context, "SENTINEL get-master-addr-by-name %s", config_.master_name.c_str()));
    std::optional<NodeAddress> master;
    if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2) {
      const std::string text = std::string(reply_str(reply->element[0])) + ":" +
                               std::string(reply_str(reply->element[1]));
      master = parse_node_address(text);
    }
    if (reply != nullptr) freeReplyObject(reply);
    redisFree(context);
    if (master) {
      next_sentinel_ = index;
      return master;
    }
  }
  return std::nullopt;
}

bool RedisConnection::ensure_connected() {
  if (context_ != nullptr) return true;
  if (std::chrono::steady_clock::now() < next_attempt_) return false;
  const auto node = target();
  if (!node) {
    LOG_EVERY_T(WARNING, 5) << "redis: no sentinel names master " << config_.master_name;
    fail(RedisErrc::kUnavailable, "no sentinel names master " + config_.master_name);
    return false;
  }
  redisContext* context =
      redisConnectWithTimeout(node->host.c_str(), node->port, to_timeval(config_.connect_timeout));
  if (context == nullptr || context->err != 0) {
    std::string reason = context ? context->errstr : "out of memory";
    if (context != nullptr) redisFree(context);
    LOG_EVERY_T(WARNING, 5) << "redis " << node->text() << " unreachable: " << reason;
    fail(RedisErrc::kUnavailable, reason);
    return false;
  }
  // Keepalive probes find a peer that vanished without a close (a dead host, a dropped NAT entry).
  redisEnableKeepAlive(context);
  redisSetTimeout(context, to_timeval(config_.socket_timeout));
  if (!handshake(context, *node)) return false;
  context_ = context;
  connected_to_ = *node;
  next_master_check_ = std::chrono::steady_clock::now() + kMasterCheckEvery;
  current_timeout_ = config_.socket_timeout;
  last_used_ = std::chrono::steady_clock::now();
  suspect_ = false;
  if (backoff_.count() != 0) {
    redis_counters().reconnects.fetch_add(1, std::memory_order_relaxed);
    LOG(INFO) << "redis " << node->text() << " reconnected";
  }
  backoff_ = std::chrono::milliseconds(0);
  return true;
}

bool RedisConnection::handshake(redisContext* context, const NodeAddress& node) {
  // Redis at maxclients accepts, writes one error and closes: a connection is only usable once
  // it has answered. INFO memory answers and names the eviction policy in the same round trip.
  std::string problem;
  if (uses_sentinels(config_)) {
    // What a sentinel names may be a master demoted a moment ago: it must say so itself.
    auto* role = static_cast<redisReply*>(redisCommand(context, "ROLE"));
    const bool master = role != nullptr && role->type == REDIS_REPLY_ARRAY && role->elements > 0 &&
                        reply_str(role->element[0]) == "master";
    if (!master) {
      problem =
          role == nullptr ? std::string(context->errstr) : "not a master (a failover is under way)";
    }
    if (role != nullptr) freeReplyObject(role);
  }
  const char* probe = config_.require_noeviction ? "INFO memory" : "PING";
  auto* reply = problem.empty() ? static_cast<redisReply*>(redisCommand(context, probe)) : nullptr;
  if (!problem.empty()) {
  } else if (reply == nullptr) {
    problem = context->errstr;
  } else if (reply->type == REDIS_REPLY_ERROR) {
    problem = std::string(reply->str, reply->len);
  } else if (config_.require_noeviction) {
    const std::string_view policy = maxmemory_policy(reply->type == REDIS_REPLY_STRING
                                                         ? std::string_view(reply->str, reply->len)
                                                         : std::string_view());
    if (policy != "noeviction") {
      problem = "maxmemory-policy is '" + std::string(policy) +
                "': seckill needs noeviction, or Redis may evict orders and stock";
    }
  }
  if (reply != nullptr) freeReplyObject(reply);
  if (problem.empty()) return true;
  redisFree(context);
  LOG_EVERY_T(WARNING, 5) << "redis " << node.text() << " not usable: " << problem;
  fail(RedisErrc::kUnavailable, problem);
  return false;
}

bool RedisConnection::socket_looks_open() const {
  // No reply is outstanding between calls, so anything readable is a close (EOF), a reset, or
  // an error Redis wrote before closing. Nothing readable: open as far as we can tell.
  pollfd watch{.fd = context_->fd, .events = POLLIN, .revents = 0};
  return poll(&watch, 1, 0) == 0;
}

bool RedisConnection::ensure_usable() {
  const auto now = std::chrono::steady_clock::now();
  if (context_ != nullptr && uses_sentinels(config_) && now >= next_master_check_) {
    next_master_check_ = now + kMasterCheckEvery;
    const auto named = target();
    if (named && !(*named == connected_to_)) {
      // Nothing of this call has been sent: go to the new master at once.
      LOG(INFO) << "redis: the sentinels name " << named->text() << " as master, not "
                << connected_to_.text() << "; reconnecting";
      redisFree(context_);
      context_ = nullptr;
      next_attempt_ = now;
    }
  }
  if (context_ != nullptr && find_master_again_) {
    // The node stopped serving as master: ask the sentinels again (after the usual backoff, so
    // a failover in progress is not asked about in a tight loop).
    LOG_EVERY_T(INFO, 5) << "redis: " << describe(config_) << " moved; finding it again";
    fail(RedisErrc::kUnavailable, "the master changed");
  } else if (context_ != nullptr && (suspect_ || now - last_used_ > kProbeAfterIdle) &&
             !socket_looks_open()) {
    // Nothing of this call has been sent: connect again at once, without the backoff.
    LOG_EVERY_T(INFO, 5) << "redis " << describe(config_)
                         << " closed an unused connection; reconnecting";
    redisFree(context_);
    context_ = nullptr;
    next_attempt_ = now;
  }
  find_master_again_ = false;
  return ensure_connected();
}

void RedisConnection::note_reply(const redisReply* reply) {
  last_used_ = std::chrono::steady_clock::now();
  if (reply->type != REDIS_REPLY_ERROR) return;
  suspect_ = true;
  const std::string_view error = reply_str(reply);
  if (uses_sentinels(config_) && (error.starts_with("READONLY") || error.starts_with("LOADING") ||
                                  error.starts_with("MASTERDOWN"))) {
    find_master_again_ = true;
  }
}

void RedisConnection::keep_alive() {
  if (context_ == nullptr) return;
  if (std::chrono::steady_clock::now() - last_used_ < config_.keepalive) return;
  (void)command({"PING"});
}

void RedisConnection::set_timeout(std::chrono::milliseconds timeout) {
  if (timeout == current_timeout_) return;
  redisSetTimeout(context_, to_timeval(timeout));
  current_timeout_ = timeout;
}

void RedisConnection::wait_before_retry(std::chrono::milliseconds cap) const {
  auto wait = next_attempt_ - std::chrono::steady_clock::now();
  if (wait <= std::chrono::steady_clock::duration::zero()) return;
  std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(wait, cap));
}

Result<RedisReply> RedisConnection::command(const std::vector<std::string>& argv,
                                            std::chrono::milliseconds extra_timeout) {
  sent_ = false;
  if (!ensure_usable()) return Error{"redis unavailable: " + last_error_};
  set_timeout(config_.socket_timeout + extra_timeout);
  RespCommand written;
  for (const auto& argument : argv) written.arg(argument);
  const std::string_view what = argv.empty() ? std::string_view("command") : argv[0];
  const std::string_view text = written.text();
  if (redisAppendFormattedCommand(context_, text.data(), text.size()) != REDIS_OK) {
    return fail_from_context(what);
  }
  sent_ = true;  // redisGetReply writes the command out
  void* reply = nullptr;
  if (redisGetReply(context_, &reply) != REDIS_OK || reply == nullptr) {
    return fail_from_context(what);
  }
  suspect_ = false;
  note_reply(static_cast<redisReply*>(reply));
  return RedisReply(static_cast<redisReply*>(reply));
}

Result<std::vector<RedisReply>> RedisConnection::pipeline(
    const std::vector<std::vector<std::string>>& commands,
    std::chrono::milliseconds extra_timeout) {
  std::vector<RespCommand> written(commands.size());
  std::vector<std::string_view> texts;
  texts.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    for (const auto& argument : commands[i]) written[i].arg(argument);
    texts.push_back(written[i].text());
  }
  return pipeline_resp(texts, extra_timeout);
}

Result<std::vector<RedisReply>> RedisConnection::pipeline_resp(
    const std::vector<std::string_view>& commands, std::chrono::milliseconds extra_timeout) {
  sent_ = false;
  if (!ensure_usable()) return Error{"redis unavailable: " + last_error_};
  set_timeout(config_.socket_timeout + extra_timeout);
  suspect_ = false;
  for (std::string_view command : commands) {
    // hiredis copies the bytes into its output buffer as they are.
    if (redisAppendFormattedCommand(context_, command.data(), command.size()) != REDIS_OK) {
      return fail_from_context("pipeline append");
    }
  }
  sent_ = true;  // redisGetReply below writes the buffered commands out
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* reply = nullptr;
    if (redisGetReply(context_, &reply) != REDIS_OK || reply == nullptr) {
      return fail_from_context("pipeline read");
    }
    note_reply(static_cast<redisReply*>(reply));
    replies.emplace_back(static_cast<redisReply*>(reply));
  }
  return replies;
}

}  // namespace seckill
