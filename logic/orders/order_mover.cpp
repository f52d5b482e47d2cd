#include "logic/orders/order_mover.hpp"

#include <glog/logging.h>
#include <hiredis/hiredis.h>

#include "common/base/clock.hpp"
#include "common/base/ids.hpp"
#include "common/base/retry_backoff.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill {
extern const std::string_view kTrimOrdersScript;
}

namespace seckill::orders {
namespace {

std::vector<StreamEntry> read_entries(const redisReply* page) {
  std::vector<StreamEntry> entries;
  if (page == nullptr || page->type != REDIS_REPLY_ARRAY) return entries;
  entries.reserve(page->elements);
  for (std::size_t i = 0; i < page->elements; ++i) {
    const redisReply* entry = page->element[i];
    if (entry == nullptr || entry->elements != 2) continue;
    StreamEntry read;
    read.id = reply_str(entry->element[0]);
    const redisReply* fields = entry->element[1];
    for (std::size_t j = 0; fields != nullptr && j + 1 < fields->elements; j += 2) {
      read.fields.emplace_back(reply_str(fields->element[j]), reply_str(fields->element[j + 1]));
    }
    entries.push_back(std::move(read));
  }
  return entries;
}

}  // namespace

OrderMover::OrderMover(const OrdersConfig& config, OrdersStats& stats)
    : config_(config),
      stats_(stats),
      redis_(config.redis),
      db_(config.dsn),
      sink_(db_),
      trim_script_(kTrimOrdersScript) {
  if (config.read_from_replica) replica_reader_ = std::make_unique<ReplicaReader>(redis_);
}

void OrderMover::run(const std::atomic<bool>& stopping) {
  RetryBackoff backoff;
  while (!stopping.load()) {
    auto moved = round();
    stats_.healthy.store(static_cast<bool>(moved));
    if (!moved) {
      LOG_EVERY_T(WARNING, 5) << "orders: " << moved.error().message << "; retrying";
      backoff.pause(stopping);
      continue;
    }
    backoff.reset();
    if (*moved == 0) {
      // Nothing new: wait, in short steps so a stop is prompt.
      for (auto slept = std::chrono::milliseconds(0); slept < config_.poll && !stopping.load();
           slept += std::chrono::milliseconds(20)) {
        std::this_thread::sleep_for(std::min(std::chrono::milliseconds(20), config_.poll - slept));
      }
    }
  }
}

Result<std::size_t> OrderMover::round() {
  if (!positions_known_) {
    auto positions = sink_.positions();
    if (!positions) {
      stats_.postgres_errors.fetch_add(1, std::memory_order_relaxed);
      return positions.error();
    }
    positions_ = std::move(*positions);
    positions_known_ = true;
  }
  auto directory = redis_.command({"HGETALL", keys::kProducts});
  if (!directory || !directory->is_array()) {
    stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
    return Error{"redis: " +
                 (directory ? std::string(directory->str()) : directory.error().message)};
  }
  struct Stream {
    std::string key;
    ProductId product = 0;
  };
  std::vector<Stream> streams;
  std::vector<std::vector<std::string>> reads;
  std::vector<std::string> read_keys;  // the stream each read is of
  for (std::size_t i = 0; i + 1 < directory->size(); i += 2) {
    auto id = parse_id(reply_str(directory->element(i)));
    auto group = keys::parse_group(reply_str(directory->element(i + 1)));
    if (!id || !group) continue;
    Stream stream{keys::orders(*group, *id), *id};
    auto position = positions_.find(stream.key);
    const std::string from = position == positions_.end() ? "-" : "(" + position->second;
    reads.push_back({"XRANGE", stream.key, from, "+", "COUNT", std::to_string(config_.batch_size)});
    reads.push_back({"XLEN", stream.key});
    read_keys.insert(read_keys.end(), 2, stream.key);
    streams.push_back(std::move(stream));
  }
  if (streams.empty()) return std::size_t{0};
  auto pages =
      replica_reader_ ? replica_reader_->pipeline(read_keys, reads) : redis_.pipeline(reads);
  if (!pages) {
    stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
    return Error{"redis: " + pages.error().message};
  }
  OrderBatch batch;
  std::size_t read = 0;
  const std::int64_t now = unix_ms_now();
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const RedisReply& page = (*pages)[2 * i];
    if (page.is_error()) {
      stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
      return Error{"redis: " + std::string(page.str())};
    }
    auto entries = read_entries(page.raw());
    const std::int64_t length =
        (*pages)[2 * i + 1].is_integer() ? (*pages)[2 * i + 1].integer() : 0;
    stats_.set_lag(streams[i].key,
                   config_.trim ? length : static_cast<std::int64_t>(entries.size()),
                   entries.empty() ? 0 : now - entry_ms(entries.front().id));
    read += entries.size();
    batch.add(streams[i].key, streams[i].product, entries);
  }
  if (batch.empty()) return std::size_t{0};

  const auto started = std::chrono::steady_clock::now();
  auto written = sink_.write(batch);
  if (!written) {
    stats_.postgres_errors.fetch_add(1, std::memory_order_relaxed);
    positions_known_ = false;  // read them again: the commit may or may not have happened
    return written.error();
  }
  stats_.count_batch(std::chrono::steady_clock::now() - started);
  stats_.rows.fetch_add(static_cast<std::uint64_t>(written->rows), std::memory_order_relaxed);
  stats_.events.fetch_add(static_cast<std::uint64_t>(written->events), std::memory_order_relaxed);
  stats_.malformed.fetch_add(batch.malformed(), std::memory_order_relaxed);
  if (batch.malformed() > 0) {
    LOG(WARNING) << "orders: " << batch.malformed() << " stream entries could not be read";
  }
  if (written->conflicts > 0) {
    stats_.conflicts.fetch_add(static_cast<std::uint64_t>(written->conflicts),
                               std::memory_order_relaxed);
    LOG(ERROR) << "orders: ALARM: " << written->conflicts
               << " order ids arrived with another user or request than stored (a failover lost"
                  " a stream's tail?): kept in order_conflicts, not applied";
  }
  for (const auto& [stream, id] : batch.positions()) positions_[stream] = id;
  if (config_.trim) {
    if (auto trimmed = trim(batch.positions()); !trimmed) {
      // Committed all the same: the next round trims again (the script is idempotent).
      LOG_EVERY_T(WARNING, 5) << "orders: trimming: " << trimmed.error().message;
    }
  }
  return read;
}

Status OrderMover::trim(const std::map<std::string, std::string>& committed) {
  std::vector<LuaScript::Call> calls;
  for (const auto& [stream, id] : committed) calls.push_back({.keys = {stream}, .args = {id}});
  auto replies = trim_script_.run_batch(redis_, calls);
  if (!replies) {
    stats_.redis_errors.fetch_add(1, std::memory_order_relaxed);
    return replies.error();
  }
  for (const auto& reply : *replies) {
    if (reply.is_error()) return Error{std::string(reply.str())};
    stats_.trimmed.fetch_add(static_cast<std::uint64_t>(reply.integer()),
                             std::memory_order_relaxed);
  }
  return Done{};
}

}  // namespace seckill::orders
