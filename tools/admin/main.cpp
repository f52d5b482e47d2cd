// seckill-admin: load products, show status, audit the invariants, issue tokens, run a sale
// (pause, resume, add stock, move the window), block buyers, and handle orders.
//
// Redis is the one the config file names (the proxy's, config/proxy.json by default), unless
// --redis or --cluster say otherwise. Exit codes: tools/admin/exit_codes.hpp.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "common/base/clock.hpp"
#include "common/program/config_reader.hpp"
#include "common/program/program.hpp"
#include "common/redis/redis_config.hpp"
#include "common/token/token.hpp"
#include "tools/admin/admin_store.hpp"
#include "tools/admin/commands/order_commands.hpp"
#include "tools/admin/commands/product_commands.hpp"
#include "tools/admin/commands/reservation_commands.hpp"
#include "tools/admin/exit_codes.hpp"
#include "tools/admin/topology.hpp"

namespace {

using namespace seckill::admin;

constexpr const char* kUsage =
    "seckill-admin [--config FILE | --redis HOST:PORT | --cluster HOST:PORT,...] COMMAND\n"
    "  load FILE [--overwrite]      load or update the products of FILE (never resets what was\n"
    "                               sold; changes made while a sale runs win unless --overwrite)\n"
    "  status [PRODUCT]             products, stock, buyers, queue length\n"
    "  audit [--orders-db DSN]      check every invariant (with a DSN also that PostgreSQL holds\n"
    "                               every order once, in its Redis state); exit 1 on a breach\n"
    "  token USER_ID [--ttl S] [--v1]\n"
    "                               a v2 token of a user, valid S seconds (default: the\n"
    "                               config's tokens.lifetime_s), or its v1 token (no expiry)\n"
    "  reset PRODUCT [--force]      delete a product's orders and buyers and refill its stock\n"
    "                               (refused while it has orders, unless --force)\n"
    "  pause PRODUCT                pause a sale (purchases answer 1007) within a second\n"
    "  resume PRODUCT               resume a paused sale\n"
    "  add-stock PRODUCT N          add N units (only adds; the audit still balances)\n"
    "  set-window PRODUCT START END move the sale window (ISO-8601 with offset, or Unix ms)\n"
    "  block user|ip VALUE [--ttl S] refuse a user id, or an address or CIDR range (4003)\n"
    "  unblock user|ip VALUE        lift a block, and a temporary ban of the rate limits\n"
    "  blocklist                    list the blocked users and addresses\n"
    "  bans                         list the temporary bans of the rate limits in force\n"
    "  topology                     the Redis node and replicas, the layout, and per group in\n"
    "                               use its slot, queue depth and products\n"
    "  orders PRODUCT [--state S]   a product's orders: state, buyer, pay-by time, payment\n"
    "  pay ORDER --payment-id ID --amount N [--currency C]\n"
    "                               record a payment (as the provider's callback would)\n"
    "  cancel ORDER                 cancel an order awaiting payment: its unit goes back on sale\n"
    "  draw PRODUCT [--seed HEX]    make a reservation draw now (once its reservation closed;\n"
    "                               the logic tier makes it at the close by itself)\n"
    "  verify-draw PRODUCT          redo a draw from its published seed and its list, and check\n"
    "                               that exactly those users were drawn; exit 1 if not"
    "exit codes: 0 done, 1 a breach or a refused order action, 2 bad usage, 3 Redis or\n"
    "PostgreSQL unreachable, 4 unknown product";

constexpr const char* kDefaultConfig = "config/proxy.json";

struct CommandLine {
  std::string config = kDefaultConfig;
  std::string redis;
  std::string cluster;
  int groups = seckill::keys::kDefaultGroups;
  std::int64_t ttl = 0;
  std::string payment_id;
  std::int64_t amount = -1;
  std::string currency;
  std::string state;
  std::string orders_db;
  std::string seed;
  bool force = false;
  bool overwrite = false;
  bool v1 = false;
};

// The config file, parsed; an empty document when it is the default one and absent (then
// Redis defaults to 127.0.0.1:6379). Throws ConfigError naming the file otherwise.
rapidjson::Document config_document(const CommandLine& cli, bool config_given) {
  rapidjson::Document document;
  if (!config_given && !std::filesystem::exists(cli.config)) {
    document.SetObject();
    return document;
  }
  document = seckill::parse_json_file(cli.config);
  if (!document.IsObject()) throw seckill::ConfigError(cli.config + ": must be a JSON object");
  return document;
}

// Where Redis is: --redis, else --cluster, else the config file's "redis" object.
seckill::RedisConfig redis_config(const CommandLine& cli, bool config_given) {
  seckill::RedisConfig config;
  if (!cli.redis.empty()) {
    if (!seckill::apply_redis_address(cli.redis, config)) {
      throw seckill::ConfigError("--redis: must be HOST:PORT");
    }
  } else if (!cli.cluster.empty()) {
    std::string_view rest = cli.cluster;
    while (!rest.empty()) {
      const std::string_view item = rest.substr(0, rest.find(','));
      rest.remove_prefix(std::min(rest.size(), item.size() + 1));
      auto node = seckill::parse_node_address(item);
      if (!node || node->host.empty())
        throw seckill::ConfigError("--cluster: must be HOST:PORT,...");
      config.cluster_nodes.push_back(*node);
    }
  } else {
    rapidjson::Document document = config_document(cli, config_given);
    seckill::ConfigReader root(document, "");
    seckill::read_redis_config(root.object("redis"), config);
  }
  // An admin command may scan a large sale: it can wait longer than a purchase.
  config.connect_timeout = std::chrono::milliseconds(1000);
  config.socket_timeout = std::chrono::milliseconds(10000);
  return config;
}

// A year, as tokens.lifetime_s allows at most: a token is a sign-in, not a standing licence.
constexpr std::int64_t kMaxTokenTtl = 366 * 86400;

int run_token(const CommandLine& cli, bool config_given, const std::vector<std::string>& args) {
  if (args.size() != 2) return usage_error("token takes one USER_ID");
  auto user = seckill::parse_id(args[1]);
  if (!user) return usage_error("token: USER_ID must be an integer in 1..2^63-1");
  if (cli.ttl < 0 || cli.ttl > kMaxTokenTtl) {
    return usage_error("token: --ttl must be in 1.." + std::to_string(kMaxTokenTtl) + " seconds");
  }
  try {
    const rapidjson::Document document = config_document(cli, config_given);
    if (cli.v1) {
      const std::string secret = seckill::token_secret_of_proxy_config(document, cli.config);
      if (secret.empty()) {
        throw seckill::ConfigError(cli.config + ": secret: v1 tokens need it (or SECKILL_SECRET)");
      }
      std::cout << seckill::make_token(secret, *user) << "\n";
    } else {
      const seckill::TokenKeyring tokens =
          seckill::token_keyring_of_proxy_config(document, cli.config);
      const std::int64_t lifetime = cli.ttl > 0 ? cli.ttl : tokens.lifetime_s();
      std::cout << tokens.issue(*user, seckill::unix_ms_now() / 1000 + lifetime) << "\n";
    }
  } catch (const seckill::ConfigError& error) {
    std::cerr << "seckill-admin: " << error.what() << "\n";
    return kExitUsage;
  }
  return kExitDone;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cli;
  seckill::Flags flags;
  flags
      .add("config", cli.config,
           "the proxy's configuration file: Redis (its \"redis\" object) and the token secret",
           "FILE")
      .add("redis", cli.redis, "Redis address HOST:PORT instead of the config's", "HOST:PORT")
      .add("cluster", cli.cluster,
           "a Redis Cluster instead: some of its nodes, HOST:PORT[,HOST:PORT...] (the slot map "
           "is read from them)",
           "HOST:PORT,...")
      .add("groups", cli.groups,
           "how many groups the first load spreads products over (later loads keep the stored "
           "layout)")
      .add("overwrite", cli.overwrite,
           "with load: the file's values replace changes made while the sale ran")
      .add("force", cli.force, "with reset: reset even though the product has orders")
      .add("ttl", cli.ttl,
           "with block: seconds until the entry expires by itself (0: never); with token: "
           "seconds the token is valid")
      .add("v1", cli.v1, "with token: the v1 token (no expiry), while tokens.accept_v1 is on")
      .add("payment-id", cli.payment_id, "with pay: the payment's id at the provider", "ID")
      .add("amount", cli.amount, "with pay: the amount paid, in minor units (cents); required")
      .add("currency", cli.currency, "with pay: the currency paid (default: the product's)", "CODE")
      .add("state", cli.state, "with orders: only orders in this state", "STATE")
      .add("seed", cli.seed, "with draw: the draw's seed instead of a random one", "HEX")
      .add("orders-db", cli.orders_db,
           "with audit: also compare every order with this PostgreSQL system of record (a libpq "
           "connection string)",
           "DSN");
  const std::vector<std::string> args = seckill::init_program(argc, argv, flags, kUsage);
  const bool config_given = flags.given("config");
  if (args.empty()) return usage_error("missing command");
  const std::string& command = args[0];
  if (command == "token") return run_token(cli, config_given, args);

  seckill::RedisConfig config;
  try {
    config = redis_config(cli, config_given);
  } catch (const seckill::ConfigError& error) {
    return usage_error(error.what());
  }
  if (cli.groups < 1 || cli.groups > seckill::keys::kMaxGroups) {
    return usage_error("--groups: must be 1.." + std::to_string(seckill::keys::kMaxGroups));
  }
  seckill::RedisClient redis(config);
  AdminStore store(redis, cli.groups);
  if (auto stored = store.stored_groups();
      stored && *stored && **stored != cli.groups && flags.given("groups")) {
    return usage_error("--groups " + std::to_string(cli.groups) + ": the store uses " +
                       std::to_string(**stored) + " groups already");
  }
  if (command == "load") {
    if (args.size() != 2) return usage_error("load takes one FILE");
    return run_load(store, args[1], cli.overwrite);
  }
  if (command == "status") return run_status(store, args);
  if (command == "audit") return run_audit(store, cli.orders_db);
  if (command == "reset") return run_reset(store, args, cli.force);
  if (command == "block" || command == "unblock") return run_block(store, args, cli.ttl);
  if (command == "blocklist") return run_blocklist(store);
  if (command == "bans") return run_bans(store);
  if (command == "topology") {
    auto topology = read_topology(redis);
    if (!topology) return redis_error(topology.error());
    std::cout << format_topology(*topology);
    return kExitDone;
  }
  if (command == "pause" || command == "resume" || command == "add-stock" ||
      command == "set-window") {
    return run_control(store, args);
  }
  if (command == "orders") {
    if (args.size() != 2) return usage_error("orders takes one PRODUCT");
    return run_orders(store, args[1], cli.state);
  }
  if (command == "pay") {
    if (args.size() != 2) return usage_error("pay takes one ORDER");
    return run_pay(redis, store, {args[1], cli.payment_id, cli.amount, cli.currency});
  }
  if (command == "cancel") {
    if (args.size() != 2) return usage_error("cancel takes one ORDER");
    return run_cancel(redis, store, args[1]);
  }
  if (command == "draw" || command == "verify-draw") {
    if (args.size() != 2) return usage_error(command + " takes one PRODUCT");
    return command == "draw" ? run_draw(redis, store, args[1], cli.seed)
                             : run_verify_draw(redis, store, args[1]);
  }
  return usage_error("unknown command " + command);
}
