#include "tools/admin/admin_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include <hiredis/hiredis.h>

#include "common/base/clock.hpp"
#include "common/store/redis_keys.hpp"

namespace seckill {
extern const std::string_view kLoadProductScript;
extern const std::string_view kResetProductScript;
extern const std::string_view kUpdateProductScript;
extern const std::string_view kAddStockScript;
extern const std::string_view kUnblockScript;
}  // namespace seckill

namespace seckill::admin {
namespace {

std::int64_t to_int(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::vector<std::string> split_orders(std::string_view text) {
  std::vector<std::string> orders;
  while (!text.empty()) {
    auto comma = text.find(',');
    orders.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return orders;
}

std::string format_rate(double rate) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", rate);
  return buffer;
}

// Reads the order_id and user_id fields of one XRANGE entry ([id, [field, value, ...]]).
// An order record, "state|version|user|pay_by_ms|payment_id[|units]"
// (common/orders/order_rules.lua).
OrderState parse_order_state(std::string_view record) {
  OrderState order;
  const auto first = record.find('|');
  const auto second = record.find('|', first == std::string_view::npos ? first : first + 1);
  const auto third = record.find('|', second == std::string_view::npos ? second : second + 1);
  if (third == std::string_view::npos) return order;
  order.state = record.substr(0, first);
  order.user_id = record.substr(second + 1, third - second - 1);
  // After pay_by_ms and payment_id, the units of an order of more than one.
  const auto fourth = record.find('|', third + 1);
  const auto fifth = fourth == std::string_view::npos ? fourth : record.find('|', fourth + 1);
  if (fifth != std::string_view::npos)
    order.quantity = parse_id(record.substr(fifth + 1)).value_or(0);
  return order;
}

OrderEvent read_stream_entry(const redisReply* entry) {
  OrderEvent record;
  if (entry == nullptr || entry->elements != 2) return record;
  const redisReply* fields = entry->element[1];
  for (std::size_t i = 0; fields != nullptr && i + 1 < fields->elements; i += 2) {
    std::string_view name = reply_str(fields->element[i]);
    if (name == "order_id") record.order_id = reply_str(fields->element[i + 1]);
    if (name == "user_id") record.user_id = reply_str(fields->element[i + 1]);
    if (name == "event") record.event = reply_str(fields->element[i + 1]);
  }
  return record;
}

}  // namespace

AdminStore::AdminStore(RedisClient& redis, keys::GroupId groups)
    : redis_(redis),
      groups_(groups),
      load_script_(kLoadProductScript),
      reset_script_(kResetProductScript),
      update_script_(kUpdateProductScript),
      add_stock_script_(kAddStockScript),
      unblock_script_(kUnblockScript) {}

Result<RedisReply> AdminStore::command(const std::vector<std::string>& argv) {
  auto reply = redis_.command(argv);
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{argv[0] + ": " + std::string(reply->str())};
  return reply;
}

Result<std::optional<keys::GroupId>> AdminStore::stored_groups() {
  auto reply = command({"HGET", keys::kLayout, "groups"});
  if (!reply) return reply.error();
  if (reply->is_nil()) return std::optional<keys::GroupId>{};
  const std::int64_t groups = to_int(reply->str());
  if (groups < 1 || groups > keys::kMaxGroups) {
    return Error{std::string(keys::kLayout) + " holds groups=" + std::string(reply->str()) +
                 ", not 1.." + std::to_string(keys::kMaxGroups)};
  }
  return std::optional<keys::GroupId>{static_cast<keys::GroupId>(groups)};
}

Result<std::optional<keys::GroupId>> AdminStore::listed_group(ProductId id) {
  auto reply = command({"HGET", keys::kProducts, std::to_string(id)});
  if (!reply) return reply.error();
  if (reply->is_nil()) return std::optional<keys::GroupId>{};
  const std::int64_t group = to_int(reply->str());
  if (group < 0 || group >= keys::kMaxGroups) {
    return Error{"product " + std::to_string(id) +
                 " has a bad group in the directory: " + std::string(reply->str())};
  }
  return std::optional<keys::GroupId>{static_cast<keys::GroupId>(group)};
}

Result<keys::GroupId> AdminStore::group_of(ProductId id) {
  auto listed = listed_group(id);
  if (!listed) return listed.error();
  if (!*listed) return Error{"unknown product " + std::to_string(id)};
  return **listed;
}

Result<keys::GroupId> AdminStore::group_for_new(const Product& product) {
  if (product.group) return *product.group;
  auto stored = stored_groups();
  if (!stored) return stored.error();
  keys::GroupId groups = groups_;
  if (*stored) {
    groups = **stored;
  } else {
    // The first load fixes the layout, so every later load spreads products the same way.
    auto written = command({"HSETNX", keys::kLayout, "groups", std::to_string(groups_)});
    if (!written) return written.error();
    if (written->integer() == 0) return group_for_new(product);  // another load was first
  }
  return keys::default_group(product.id, groups);
}

namespace {

// Triples of strings (field, before, after) of the load script's answer.
std::vector<FieldChange> field_changes(const redisReply* list) {
  std::vector<FieldChange> out;
  if (list == nullptr || list->type != REDIS_REPLY_ARRAY) return out;
  for (std::size_t i = 0; i + 2 < list->elements; i += 3) {
    out.push_back({std::string(reply_str(list->element[i])),
                   std::string(reply_str(list->element[i + 1])),
                   std::string(reply_str(list->element[i + 2]))});
  }
  return out;
}

}  // namespace

Result<LoadOutcome> AdminStore::load(const Product& product, bool overwrite) {
  auto existing = listed_group(product.id);
  if (!existing) return existing.error();
  keys::GroupId group = 0;
  if (*existing) {
    group = **existing;
    if (product.group && *product.group != group) {
      return Error{"product " + std::to_string(product.id) + " lives in group " +
                   std::to_string(group) + "; pinning it to group " +
                   std::to_string(*product.group) +
                   " would strand its sales there: keep the group or use a new product id"};
    }
  } else {
    auto chosen = group_for_new(product);
    if (!chosen) return chosen.error();
    group = *chosen;
  }
  auto reply = load_script_.run(
      redis_, {.keys = {keys::product(group, product.id), keys::pending_draws(group)},
               .args = {std::to_string(product.id),
                        product.name,
                        std::to_string(product.total),
                        std::to_string(product.start_ms),
                        std::to_string(product.end_ms),
                        std::to_string(product.per_user_limit),
                        std::to_string(product.max_per_second),
                        format_rate(product.buy_rate),
                        product.enabled ? "1" : "0",
                        std::to_string(product.price),
                        product.currency,
                        std::to_string(product.pay_within_s),
                        product.rebuy_after_expiry ? "1" : "0",
                        overwrite ? "1" : "0",
                        product.description,
                        product.image_url,
                        product.challenge ? "1" : "0",
                        std::to_string(product.pow_bits),
                        std::to_string(product.challenge_lead_ms),
                        std::to_string(product.reservation_opens_ms),
                        std::to_string(product.reservation_closes_ms),
                        std::to_string(product.reservation_draw)}});
  if (!reply) return reply.error();
  if (reply->is_error() || reply->size() != 6) {
    return Error{"loading product " + std::to_string(product.id) + ": " +
                 std::string(reply->str())};
  }
  // Listed once its hash exists: a proxy never finds a listed product without its data.
  auto listed =
      command({"HSET", keys::kProducts, std::to_string(product.id), std::to_string(group)});
  if (!listed) return listed.error();
  LoadOutcome outcome;
  outcome.id = product.id;
  outcome.group = group;
  outcome.total = reply->element(0)->integer;
  outcome.left = reply->element(1)->integer;
  outcome.sold = reply->element(2)->integer;
  outcome.created = reply->element(3)->integer == 1;
  outcome.changed = field_changes(reply->element(4));
  outcome.kept = field_changes(reply->element(5));
  // Raised when the total the load aimed at (the file's, plus what was added at runtime and
  // kept) is below what was sold.
  std::int64_t aimed = product.total;
  for (const auto& kept : outcome.kept) {
    if (kept.field == "added") aimed += to_int(kept.before);
  }
  outcome.total_raised = outcome.total != aimed;
  return outcome;
}

Result<std::vector<ProductId>> AdminStore::product_ids() {
  auto reply = command({"HKEYS", keys::kProducts});
  if (!reply) return reply.error();
  std::vector<ProductId> ids;
  for (std::size_t i = 0; i < reply->size(); ++i) {
    if (auto id = parse_id(reply_str(reply->element(i)))) ids.push_back(*id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<ProductStatus> AdminStore::status(ProductId id) {
  auto group = group_of(id);
  if (!group) return group.error();
  auto reply = command({"HMGET", keys::product(*group, id), "name", "total", "left", "sold",
                        "start_ms", "end_ms", "per_user_limit", "enabled"});
  if (!reply) return reply.error();
  if (reply_is_nil(reply->element(1))) return Error{"unknown product " + std::to_string(id)};
  auto buyers = command({"HLEN", keys::buyers(*group, id)});
  if (!buyers) return buyers.error();
  ProductStatus status;
  status.id = id;
  status.group = *group;
  status.name = reply_str(reply->element(0));
  status.total = to_int(reply_str(reply->element(1)));
  status.left = to_int(reply_str(reply->element(2)));
  status.sold = to_int(reply_str(reply->element(3)));
  status.start_ms = to_int(reply_str(reply->element(4)));
  status.end_ms = to_int(reply_str(reply->element(5)));
  status.per_user_limit = to_int(reply_str(reply->element(6)));
  status.enabled = reply_str(reply->element(7)) != "0";
  status.buyers = buyers->integer();
  return status;
}

Result<std::int64_t> AdminStore::queue_length() {
  auto directory = command({"HVALS", keys::kProducts});
  if (!directory) return directory.error();
  auto stored = stored_groups();
  if (!stored) return stored.error();
  // Every group a product lives in, and every group of the layout (a proxy with a stale
  // directory may still queue there).
  std::vector<keys::GroupId> groups;
  for (keys::GroupId g = 0; g < stored->value_or(0); ++g) groups.push_back(g);
  for (std::size_t i = 0; i < directory->size(); ++i) {
    groups.push_back(static_cast<keys::GroupId>(to_int(reply_str(directory->element(i)))));
  }
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::int64_t waiting = 0;
  for (keys::GroupId group : groups) {
    auto reply = command({"LLEN", keys::requests(group)});
    if (!reply) return reply.error();
    waiting += reply->integer();
  }
  return waiting;
}

Status AdminStore::scan_hash(
    const std::string& key,
    const std::function<void(std::string_view field, std::string_view value)>& each) {
  std::string cursor = "0";
  do {
    auto page = command({"HSCAN", key, cursor, "COUNT", "1000"});
    if (!page) return page.error();
    if (!page->is_array() || page->size() != 2) {
      return Error{"HSCAN " + key + " refused: " + std::string(page->str())};
    }
    cursor = reply_str(page->element(0));
    const redisReply* pairs = page->element(1);
    for (std::size_t i = 0; i + 1 < pairs->elements; i += 2) {
      each(reply_str(pairs->element[i]), reply_str(pairs->element[i + 1]));
    }
  } while (cursor != "0");
  return Done{};
}

Result<ProductAuditData> AdminStore::audit_data(ProductId id) {
  // The reads are paged, not one snapshot: audit a product when its sale is quiet (after the
  // burst, or with the logic stopped), as the tests and the benchmark do.
  auto group = group_of(id);
  if (!group) return group.error();
  auto head = command({"HMGET", keys::product(*group, id), "total", "left", "sold",
                       "per_user_limit", "rebuy_after_expiry", "trimmed_created"});
  if (!head) return head.error();
  ProductAuditData data;
  data.id = id;
  data.total = to_int(reply_str(head->element(0)));
  data.left = to_int(reply_str(head->element(1)));
  data.sold = to_int(reply_str(head->element(2)));
  data.per_user_limit = std::max<std::int64_t>(to_int(reply_str(head->element(3))), 1);
  data.rebuy_after_expiry = reply_str(head->element(4)) == "1";
  data.trimmed_created = to_int(reply_str(head->element(5)));
  data.stream_key = keys::orders(*group, id);
  // The last id ever added, even once seckill-orders has trimmed the stream empty.
  auto info = command({"XINFO", "STREAM", data.stream_key});
  if (info && info->is_array()) {
    for (std::size_t i = 0; i + 1 < info->size(); i += 2) {
      if (reply_str(info->element(i)) == "last-generated-id") {
        data.last_entry_id = std::string(reply_str(info->element(i + 1)));
      }
    }
  }

  auto records = scan_hash(keys::order_records(*group, id),
                           [&](std::string_view order, std::string_view record) {
                             data.orders[std::string(order)] = parse_order_state(record);
                           });
  if (!records) return records.error();
  auto buyers =
      scan_hash(keys::buyers(*group, id), [&](std::string_view user, std::string_view held) {
        data.buyers[std::string(user)] = split_orders(held);
      });
  if (!buyers) return buyers.error();

  std::string start = "-";
  while (true) {
    auto page = command({"XRANGE", keys::orders(*group, id), start, "+", "COUNT", "1000"});
    if (!page) return page.error();
    if (page->size() == 0) break;
    for (std::size_t i = 0; i < page->size(); ++i) {
      data.stream.push_back(read_stream_entry(page->element(i)));
    }
    // Next page starts just after the last id seen ("(" = exclusive, Redis 6.2+).
    start = "(" + std::string(reply_str(page->element(page->size() - 1)->element[0]));
  }
  return data;
}

Result<std::int64_t> AdminStore::reset(ProductId id) {
  auto group = group_of(id);
  if (!group) return group.error();
  auto reply =
      reset_script_.run(redis_, {.keys = {keys::product(*group, id), keys::buyers(*group, id),
                                          keys::orders(*group, id), keys::order_records(*group, id),
                                          keys::payments(*group, id), keys::pending_orders(*group)},
                                 .args = {}});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (reply->integer() < 0) return Error{"unknown product " + std::to_string(id)};
  // Forget remembered decisions too, so a reset sale starts from nothing.
  std::string cursor = "0";
  const std::string pattern = keys::group_prefix(*group) + "decided:" + std::to_string(id) + ":*";
  // They share the group's slot: on a cluster, one master holds them all.
  const std::string beside = keys::product(*group, id);
  do {
    auto page = redis_.command_beside(beside, {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!page) return page.error();
    if (!page->is_array() || page->size() != 2) {
      return Error{"SCAN refused: " + std::string(page->str())};
    }
    cursor = reply_str(page->element(0));
    const redisReply* found = page->element(1);
    if (found->elements == 0) continue;
    std::vector<std::string> unlink = {"UNLINK"};
    for (std::size_t i = 0; i < found->elements; ++i)
      unlink.emplace_back(reply_str(found->element[i]));
    if (auto done = command(unlink); !done) return done.error();
  } while (cursor != "0");
  return reply->integer();
}

Status AdminStore::update(ProductId id, std::vector<std::string> fields) {
  auto group = group_of(id);
  if (!group) return group.error();
  auto reply =
      update_script_.run(redis_, {.keys = {keys::product(*group, id)}, .args = std::move(fields)});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (reply->integer() == 0) return Error{"unknown product " + std::to_string(id)};
  return Done{};
}

// The *_by_admin marks make a later load keep these runtime changes (load_product.lua).
Status AdminStore::set_enabled(ProductId id, bool enabled) {
  return update(id, {"enabled", enabled ? "1" : "0", "enabled_by_admin", "1"});
}

Status AdminStore::set_window(ProductId id, std::int64_t start_ms, std::int64_t end_ms) {
  if (end_ms <= start_ms) return Error{"the end must be after the start"};
  return update(id, {"start_ms", std::to_string(start_ms), "end_ms", std::to_string(end_ms),
                     "window_by_admin", "1"});
}

Result<std::int64_t> AdminStore::add_stock(ProductId id, std::int64_t units) {
  if (units <= 0) return Error{"add-stock only adds: N must be > 0"};
  if (units > kMaxExactUnits) {
    return Error{"add-stock: N must be at most " + std::to_string(kMaxExactUnits)};
  }
  auto group = group_of(id);
  if (!group) return group.error();
  auto reply = add_stock_script_.run(
      redis_, {.keys = {keys::product(*group, id), keys::stock_log(*group, id)},
               .args = {std::to_string(units), std::to_string(kMaxExactUnits)}});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (reply->size() != 2) return Error{"unknown product " + std::to_string(id)};
  return reply->element(1)->integer;
}

namespace {

const char* blocklist_key(const std::string& kind) {
  return kind == "user" ? keys::kBlockedUsers : keys::kBlockedAddresses;
}

}  // namespace

Status AdminStore::block(const std::string& kind, const std::string& value,
                         std::int64_t expiry_ms) {
  auto reply = command({"HSET", blocklist_key(kind), value, std::to_string(expiry_ms)});
  if (!reply) return reply.error();
  return Done{};
}

Result<AdminStore::Unblocked> AdminStore::unblock(const std::string& kind,
                                                  const std::string& value) {
  auto reply =
      unblock_script_.run(redis_, {.keys = {blocklist_key(kind), keys::kBans, keys::kBanLifts},
                                   .args = {value, kind + ":" + value}});
  if (!reply) return reply.error();
  if (reply->is_error()) return Error{std::string(reply->str())};
  if (reply->size() != 2) return Error{"unblock: unexpected reply"};
  return Unblocked{reply->element(0)->integer > 0, reply->element(1)->integer > 0};
}

Result<std::vector<AdminStore::Ban>> AdminStore::bans() {
  auto reply = command(
      {"ZRANGE", keys::kBans, std::to_string(unix_ms_now()), "+inf", "BYSCORE", "WITHSCORES"});
  if (!reply) return reply.error();
  std::vector<Ban> bans;
  for (std::size_t i = 0; i + 1 < reply->size(); i += 2) {
    const std::string_view member = reply_str(reply->element(i));
    const auto colon = member.find(':');
    if (colon == std::string_view::npos) continue;
    bans.push_back({std::string(member.substr(0, colon)), std::string(member.substr(colon + 1)),
                    reply_score(reply->element(i + 1))});
  }
  return bans;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> AdminStore::blocklist(
    const std::string& kind) {
  auto reply = command({"HGETALL", blocklist_key(kind)});
  if (!reply) return reply.error();
  std::vector<std::pair<std::string, std::int64_t>> entries;
  for (std::size_t i = 0; i + 1 < reply->size(); i += 2) {
    entries.emplace_back(reply_str(reply->element(i)), to_int(reply_str(reply->element(i + 1))));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

}  // namespace seckill::admin
