// seckill-admin: load products, show status, audit the invariants, issue tokens, reset a sale.
//
// Exit codes: 0 success, 1 the audit found a breach (or an order did not take a payment or a
// cancellation), 2 bad usage or a bad products file, 3 Redis (or audit's PostgreSQL) could not
// be reached or refused a command.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <gflags/gflags.h>

#include "common/address_range.hpp"
#include "common/clock.hpp"
#include "common/config_reader.hpp"
#include "common/program.hpp"
#include "common/token.hpp"
#include "tools/admin/admin_store.hpp"
#include "tools/admin/order_commands.hpp"
#include "tools/admin/record_store.hpp"
#include "tools/admin/topology.hpp"

DEFINE_string(redis, "127.0.0.1:6379", "Redis address HOST:PORT");
DEFINE_string(cluster, "",
              "a Redis Cluster instead: some of its nodes, HOST:PORT[,HOST:PORT...] (the slot map "
              "is read from them)");
DEFINE_int32(groups, seckill::keys::kDefaultGroups,
             "how many groups the first load spreads products over (later loads keep the "
             "stored layout)");
DEFINE_int64(ttl, 0, "with block: seconds until the entry expires by itself (0: until unblock)");
DEFINE_string(payment_id, "", "with pay: the payment's id at the provider (the callback's)");
DEFINE_int64(amount, -1, "with pay: the amount paid, in the currency's minor units (cents)");
DEFINE_string(currency, "", "with pay: the currency paid (default: the product's)");
DEFINE_string(state, "", "with orders: only orders in this state");
DEFINE_string(orders_db, "",
              "with audit: also compare every order with this PostgreSQL system of record "
              "(a libpq connection string; the database seckill-orders writes)");
DEFINE_string(proxy_config, "config/proxy.json",
              "where `token` finds the secret when SECKILL_SECRET is not set");

namespace {

constexpr const char* kUsage =
    "seckill-admin [--redis HOST:PORT | --cluster HOST:PORT,...] [--groups N] COMMAND\n"
    "  load FILE          load or update the products of FILE (never resets what was sold)\n"
    "  status [PRODUCT]   products, stock, buyers, queue length\n"
    "  audit [--orders-db DSN]      check every invariant (with a DSN also that PostgreSQL holds\n"
    "                               every order once, in its Redis state); exit 1 on a breach\n"
    "  token USER_ID      the token of a user (secret: SECKILL_SECRET or --proxy-config)\n"
    "  reset PRODUCT      delete a product's orders and buyers and refill its stock\n"
    "  pause PRODUCT      pause a sale (purchases answer 1007) within a second, no restart\n"
    "  resume PRODUCT     resume a paused sale\n"
    "  add-stock PRODUCT N          add N units (only adds; the audit still balances)\n"
    "  set-window PRODUCT START END move the sale window (ISO-8601 with offset, or Unix ms)\n"
    "  block user|ip VALUE [--ttl S] refuse a user id, or an address or CIDR range (4003)\n"
    "  unblock user|ip VALUE        lift a block\n"
    "  blocklist                    list the blocked users and addresses\n"
    "  topology                     the Redis node and replicas, the layout, and per group in\n"
    "                               use its slot, queue depth and products\n"
    "  orders PRODUCT [--state S]   a product's orders: state, buyer, pay-by time, payment\n"
    "  pay ORDER --payment-id ID --amount N [--currency C]\n"
    "                               record a payment (as the provider's callback would)\n"
    "  cancel ORDER                 cancel an order awaiting payment: its unit goes back on sale";

int usage_error(const std::string& message) {
  std::cerr << "seckill-admin: " << message << "\n" << kUsage << "\n";
  return 2;
}

int redis_error(const seckill::Error& error) {
  std::cerr << "seckill-admin: redis: " << error.message << "\n";
  return 3;
}

std::string secret_for_tokens() {
  if (const char* secret = std::getenv("SECKILL_SECRET"); secret != nullptr && *secret != '\0') {
    return secret;
  }
  rapidjson::Document document = seckill::parse_json_file(FLAGS_proxy_config);
  if (!document.IsObject() || !document.HasMember("secret") || !document["secret"].IsString()) {
    throw seckill::ConfigError(FLAGS_proxy_config + ": secret: missing");
  }
  return document["secret"].GetString();
}

int run_load(seckill::admin::AdminStore& store, const std::string& file) {
  std::vector<seckill::Product> products;
  try {
    products = seckill::load_products_file(file);
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-admin: bad products file: " << error.what() << "\n";
    return 2;
  }
  for (const auto& product : products) {
    // A product keeps its group: moving it would strand its orders in the old one.
    auto listed = store.listed_group(product.id);
    if (!listed) return redis_error(listed.error());
    if (product.group && *listed && **listed != *product.group) {
      std::cerr << "seckill-admin: bad products file: product " << product.id << ": group "
                << *product.group << ": the product lives in group " << **listed
                << " already; keep that group or use a new product id\n";
      return 2;
    }
  }
  for (const auto& product : products) {
    auto outcome = store.load(product);
    if (!outcome) return redis_error(outcome.error());
    std::cout << "product " << outcome->id << " \"" << product.name << "\": total "
              << outcome->total << ", left " << outcome->left << ", sold " << outcome->sold
              << ", group " << outcome->group << "\n";
    if (outcome->total_raised) {
      std::cout << "  warning: total " << product.total << " is below what was sold; kept at "
                << outcome->total << "\n";
    }
  }
  std::cout << "loaded " << products.size() << " products\n";
  return 0;
}

int print_status(seckill::admin::AdminStore& store, seckill::ProductId id) {
  auto status = store.status(id);
  if (!status) return redis_error(status.error());
  const std::int64_t now = seckill::unix_ms_now();
  const char* state = now >= status->end_ms    ? "ended"
                      : !status->enabled       ? "paused"
                      : now < status->start_ms ? "upcoming"
                      : status->left <= 0      ? "sold_out"
                                               : "active";
  std::cout << "product " << status->id << " \"" << status->name << "\": " << state << ", total "
            << status->total << ", left " << status->left << ", sold " << status->sold
            << ", buyers " << status->buyers << ", per-user limit " << status->per_user_limit
            << ", window " << seckill::format_iso8601_ms(status->start_ms) << " .. "
            << seckill::format_iso8601_ms(status->end_ms) << ", group " << status->group << "\n";
  return 0;
}

int run_status(seckill::admin::AdminStore& store, const std::vector<std::string>& args) {
  if (args.size() > 1) {
    auto id = seckill::parse_id(args[1]);
    if (!id) return usage_error("status: PRODUCT must be an id");
    return print_status(store, *id);
  }
  auto ids = store.product_ids();
  if (!ids) return redis_error(ids.error());
  for (auto id : *ids) {
    if (int code = print_status(store, id); code != 0) return code;
  }
  auto queued = store.queue_length();
  if (!queued) return redis_error(queued.error());
  std::cout << ids->size() << " products, " << *queued << " requests queued\n";
  return 0;
}

// Prints each check of `result`, marked; returns how many were breached.
std::size_t print_audit(const seckill::admin::AuditResult& result) {
  for (const auto& line : result.checked) {
    bool failed =
        std::find(result.breaches.begin(), result.breaches.end(), line) != result.breaches.end();
    std::cout << (failed ? "BREACH " : "ok     ") << line << "\n";
  }
  return result.breaches.size();
}

int run_audit(seckill::admin::AdminStore& store) {
  auto ids = store.product_ids();
  if (!ids) return redis_error(ids.error());
  std::optional<seckill::admin::RecordStore> record;
  if (!FLAGS_orders_db.empty()) record.emplace(FLAGS_orders_db);
  std::size_t breaches = 0;
  for (auto id : *ids) {
    auto data = store.audit_data(id);
    if (!data) return redis_error(data.error());
    breaches += print_audit(seckill::admin::audit_product(*data));
    if (!record) continue;
    auto stored = record->product(id, data->stream_key);
    if (!stored) {
      std::cerr << "seckill-admin: postgresql: " << stored.error().message << "\n";
      return 3;
    }
    breaches += print_audit(seckill::admin::audit_record(*data, *stored));
  }
  std::cout << "audit: " << ids->size() << " products, " << breaches << " breaches\n";
  return breaches == 0 ? 0 : 1;
}

int run_reset(seckill::admin::AdminStore& store, const std::vector<std::string>& args) {
  if (args.size() != 2) return usage_error("reset takes one PRODUCT");
  auto id = seckill::parse_id(args[1]);
  if (!id) return usage_error("reset: PRODUCT must be an id");
  auto left = store.reset(*id);
  if (!left) return redis_error(left.error());
  std::cout << "product " << *id << " reset: left " << *left << "\n";
  return 0;
}

// pause, resume, add-stock, set-window: live changes every proxy and logic process picks up
// within a second.
int run_control(seckill::admin::AdminStore& store, const std::vector<std::string>& args) {
  const std::string& command = args[0];
  const std::size_t expected = command == "add-stock" ? 3 : command == "set-window" ? 4 : 2;
  if (args.size() != expected) return usage_error(command + ": wrong number of arguments");
  auto id = seckill::parse_id(args[1]);
  if (!id) return usage_error(command + ": PRODUCT must be an id");
  seckill::Status done = seckill::Done{};
  if (command == "pause" || command == "resume") {
    done = store.set_enabled(*id, command == "resume");
  } else if (command == "set-window") {
    auto start = seckill::parse_time_text(args[2]);
    auto end = seckill::parse_time_text(args[3]);
    if (!start || !end) return usage_error("set-window: START and END must be ISO-8601 or ms");
    if (*end <= *start) return usage_error("set-window: END must be after START");
    done = store.set_window(*id, *start, *end);
  } else {
    auto units = seckill::parse_id(args[2]);
    if (!units) return usage_error("add-stock: N must be a positive integer");
    auto left = store.add_stock(*id, *units);
    if (!left) return redis_error(left.error());
    std::cout << "product " << *id << ": added " << *units << ", left " << *left << "\n";
    return 0;
  }
  if (!done) return redis_error(done.error());
  std::cout << "product " << *id << ": " << command << " done\n";
  return 0;
}

// block, unblock: every proxy picks a change up within a second.
int run_block(seckill::admin::AdminStore& store, const std::vector<std::string>& args) {
  const std::string& command = args[0];
  if (args.size() != 3 || (args[1] != "user" && args[1] != "ip")) {
    return usage_error(command + " takes user|ip VALUE");
  }
  const std::string& kind = args[1];
  std::string value = args[2];
  if (kind == "user" && !seckill::parse_id(value)) {
    return usage_error(command + ": a user is an id in 1..2^63-1");
  }
  if (kind == "ip" && !seckill::AddressRange::parse(value)) {
    return usage_error(command + ": not an address or CIDR range: " + value);
  }
  if (command == "unblock") {
    auto removed = store.unblock(kind, value);
    if (!removed) return redis_error(removed.error());
    std::cout << kind << " " << value << (*removed ? " unblocked\n" : " was not blocked\n");
    return 0;
  }
  if (FLAGS_ttl < 0) return usage_error("--ttl: must be >= 0");
  const std::int64_t expiry = FLAGS_ttl == 0 ? 0 : seckill::unix_ms_now() + FLAGS_ttl * 1000;
  if (auto done = store.block(kind, value, expiry); !done) return redis_error(done.error());
  std::cout << kind << " " << value << " blocked"
            << (expiry == 0 ? std::string(" until unblocked")
                            : " until " + seckill::format_iso8601_ms(expiry))
            << "\n";
  return 0;
}

int run_blocklist(seckill::admin::AdminStore& store) {
  const std::int64_t now = seckill::unix_ms_now();
  for (const char* kind : {"user", "ip"}) {
    auto entries = store.blocklist(kind);
    if (!entries) return redis_error(entries.error());
    for (const auto& [value, expiry] : *entries) {
      if (expiry != 0 && expiry <= now) continue;  // expired: the proxies ignore it too
      std::cout << kind << " " << value << " "
                << (expiry == 0 ? std::string("until unblocked")
                                : "until " + seckill::format_iso8601_ms(expiry))
                << "\n";
    }
  }
  return 0;
}

int run_token(const std::vector<std::string>& args) {
  if (args.size() != 2) return usage_error("token takes one USER_ID");
  auto user = seckill::parse_id(args[1]);
  if (!user) return usage_error("token: USER_ID must be an integer in 1..2^63-1");
  try {
    std::cout << seckill::make_token(secret_for_tokens(), *user) << "\n";
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-admin: " << error.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  seckill::init_program(argc, argv, kUsage);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("missing command");
  const std::string& command = args[0];
  if (command == "token") return run_token(args);

  seckill::RedisConfig redis_config;
  redis_config.connect_timeout = std::chrono::milliseconds(1000);
  redis_config.socket_timeout = std::chrono::milliseconds(10000);
  if (!seckill::apply_redis_address(FLAGS_redis, redis_config)) {
    return usage_error("--redis: must be HOST:PORT");
  }
  if (!FLAGS_cluster.empty()) {
    std::string_view rest = FLAGS_cluster;
    while (!rest.empty()) {
      const std::string_view item = rest.substr(0, rest.find(','));
      rest.remove_prefix(std::min(rest.size(), item.size() + 1));
      auto node = seckill::parse_node_address(item);
      if (!node || node->host.empty()) return usage_error("--cluster: must be HOST:PORT,...");
      redis_config.cluster_nodes.push_back(*node);
    }
  }
  if (FLAGS_groups < 1 || FLAGS_groups > seckill::keys::kMaxGroups) {
    return usage_error("--groups: must be 1.." + std::to_string(seckill::keys::kMaxGroups));
  }
  seckill::RedisClient redis(redis_config);
  seckill::admin::AdminStore store(redis, FLAGS_groups);
  if (auto stored = store.stored_groups();
      stored && *stored && **stored != FLAGS_groups &&
      !gflags::GetCommandLineFlagInfoOrDie("groups").is_default) {
    return usage_error("--groups " + std::to_string(FLAGS_groups) + ": the store uses " +
                       std::to_string(**stored) + " groups already");
  }
  if (command == "load") {
    if (args.size() != 2) return usage_error("load takes one FILE");
    return run_load(store, args[1]);
  }
  if (command == "status") return run_status(store, args);
  if (command == "audit") return run_audit(store);
  if (command == "reset") return run_reset(store, args);
  if (command == "block" || command == "unblock") return run_block(store, args);
  if (command == "blocklist") return run_blocklist(store);
  if (command == "topology") {
    auto topology = seckill::admin::read_topology(redis);
    if (!topology) return redis_error(topology.error());
    std::cout << seckill::admin::format_topology(*topology);
    return 0;
  }
  if (command == "pause" || command == "resume" || command == "add-stock" ||
      command == "set-window") {
    return run_control(store, args);
  }
  if (command == "orders") {
    if (args.size() != 2) return usage_error("orders takes one PRODUCT");
    return seckill::admin::run_orders(store, args[1], FLAGS_state);
  }
  if (command == "pay") {
    if (args.size() != 2) return usage_error("pay takes one ORDER");
    return seckill::admin::run_pay(redis, store,
                                   {args[1], FLAGS_payment_id, FLAGS_amount, FLAGS_currency});
  }
  if (command == "cancel") {
    if (args.size() != 2) return usage_error("cancel takes one ORDER");
    return seckill::admin::run_cancel(redis, store, args[1]);
  }
  return usage_error("unknown command " + command);
}
