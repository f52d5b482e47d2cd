#include "common/redis_connection.hpp"

#include <cerrno>
#include <thread>

#include <glog/logging.h>
#include <hiredis/hiredis.h>

#include "common/resp_command.hpp"

namespace seckill {
namespace {

constexpr std::chrono::milliseconds kMinBackoff{50};
constexpr std::chrono::milliseconds kMaxBackoff{1000};

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

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

RedisConnection::RedisConnection(RedisConfig config)
    : config_(std::move(config)),
      jitter_(static_cast<unsigned>(
          std::hash<std::thread::id>{}(std::this_thread::get_id()) ^
          static_cast<std::size_t>(std::chrono::steady_clock::now().time_since_epoch().count()))) {}

RedisConnection::~RedisConnection() {
  if (context_ != nullptr) redisFree(context_);
}

Error RedisConnection::fail(RedisErrc kind, std::string message) {
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

bool RedisConnection::ensure_connected() {
  if (context_ != nullptr) return true;
  if (std::chrono::steady_clock::now() < next_attempt_) return false;
  redisContext* context = redisConnectWithTimeout(config_.host.c_str(), config_.port,
                                                  to_timeval(config_.connect_timeout));
  if (context == nullptr || context->err != 0) {
    std::string reason = context ? context->errstr : "out of memory";
    if (context != nullptr) redisFree(context);
    LOG_EVERY_T(WARNING, 5) << "redis " << config_.host << ":" << config_.port
                            << " unreachable: " << reason;
    fail(RedisErrc::kUnavailable, reason);
    return false;
  }
  context_ = context;
  current_timeout_ = std::chrono::milliseconds(0);
  set_timeout(config_.socket_timeout);
  if (backoff_.count() != 0) {
    LOG(INFO) << "redis " << config_.host << ":" << config_.port << " reconnected";
  }
  backoff_ = std::chrono::milliseconds(0);
  return true;
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
  if (!ensure_connected()) return Error{"redis unavailable"};
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
  return RedisReply(static_cast<redisReply*>(reply));
}

Result<std::vector<RedisReply>> RedisConnection::pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<RespCommand> written(commands.size());
  std::vector<std::string_view> texts;
  texts.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    for (const auto& argument : commands[i]) written[i].arg(argument);
    texts.push_back(written[i].text());
  }
  return pipeline_resp(texts);
}

Result<std::vector<RedisReply>> RedisConnection::pipeline_resp(
    const std::vector<std::string_view>& commands) {
  sent_ = false;
  if (!ensure_connected()) return Error{"redis unavailable"};
  set_timeout(config_.socket_timeout);
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
    replies.emplace_back(static_cast<redisReply*>(reply));
  }
  return replies;
}

}  // namespace seckill
