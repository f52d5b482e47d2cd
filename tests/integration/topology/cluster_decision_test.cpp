// The decision scripts on a real Redis Cluster (3 masters, 3 replicas, started by the fixture):
// with the replies left to the caller, a group's batch touches its own slot only, so each
// group is decided on its master, on any of the three; with the replies pushed from the
// script (the single-Redis mode) the cluster refuses it, which shows what the test holds.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/cluster/cluster_router.hpp"
#include "common/cluster/cluster_slot.hpp"
#include "common/cluster/node_address.hpp"
#include "common/store/redis_keys.hpp"
#include "common/wire.hpp"
#include "logic/decide/decision.hpp"
#include "tests/support/servers/redis_cluster.hpp"

namespace seckill::logic {
namespace {

using namespace std::chrono_literals;

class ClusterDecisionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = std::make_unique<test::RedisClusterServers>(); }
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override {
    RedisConfig base;
    base.socket_timeout = 2000ms;
    ClusterRouter router(base, cluster_->seeds());
    ASSERT_TRUE(router.refresh());
    // One group on each master.
    for (keys::GroupId group = 0; group < 64 && masters_.size() < 3; ++group) {
      const NodeAddress* owner = router.map().owner(cluster_slot(keys::requests(group)));
      ASSERT_NE(owner, nullptr);
      if (!masters_.contains(owner->text())) masters_.emplace(owner->text(), group);
    }
    ASSERT_EQ(masters_.size(), 3u);
    reply_list_owner_ = router.map().owner(cluster_slot("seckill:reply:{p1}"))->text();
    // The cluster is shared by the suite's tests: each starts from empty masters. WAIT needs
    // each master's replica linked and in sync, which can trail cluster_state:ok.
    for (const auto& [address, group] : masters_) {
      RedisClient master(node_config(address));
      ASSERT_TRUE(master.command({"FLUSHALL"}));
      const auto give_up = std::chrono::steady_clock::now() + 20s;
      while (true) {
        auto acked = master.command({"WAIT", "1", "200"});
        if (acked && acked->is_integer() && acked->integer() >= 1) break;
        ASSERT_LT(std::chrono::steady_clock::now(), give_up) << address << " has no replica";
      }
    }
  }

  static RedisConfig node_config(const std::string& address) {
    RedisConfig config;
    config.socket_timeout = 3000ms;
    const auto colon = address.rfind(':');
    config.host = address.substr(0, colon);
    config.port = std::stoi(address.substr(colon + 1));
    return config;
  }

  // Product `id` with `total` units, open now, in `group`, written on the group's master.
  static void load(RedisClient& master, keys::GroupId group, ProductId id, int total) {
    const std::string now = std::to_string(unix_ms_now());
    auto reply = master.command({"HSET",
                                 keys::product(group, id),
                                 "id",
                                 std::to_string(id),
                                 "total",
                                 std::to_string(total),
                                 "left",
                                 std::to_string(total),
                                 "sold",
                                 "0",
                                 "seq",
                                 "0",
                                 "start_ms",
                                 "0",
                                 "end_ms",
                                 std::to_string(unix_ms_now() + 600000),
                                 "per_user_limit",
                                 "1",
                                 "enabled",
                                 "1"});
    ASSERT_TRUE(reply && !reply->is_error());
  }

  static PurchaseRequest request(const std::string& id, ProductId product, UserId user) {
    return {id, product, user, "seckill:reply:{p1}", unix_ms_now() + 5000};
  }

  static inline std::unique_ptr<test::RedisClusterServers> cluster_;
  std::map<std::string, keys::GroupId> masters_;  // master address -> a group it serves
  std::string reply_list_owner_;                  // the master of seckill:reply:{p1}
};

TEST_F(ClusterDecisionTest, EachGroupIsDecidedOnItsOwnMaster) {
  LogicConfig config;
  config.redis.ack_replicas = 1;  // replies leave the script, confirmed by WAIT
  config.redis.wait_timeout = 1000ms;
  ProductId product = 100;
  for (const auto& [address, group] : masters_) {
    ++product;
    RedisClient master(node_config(address));
    load(master, group, product, 3);
    for (int user = 1; user <= 5; ++user) {
      ASSERT_TRUE(master.command(
          {"RPUSH", keys::requests(group),
           encode_request(request("q-" + std::to_string(product) + "-" + std::to_string(user),
                                  product, user))}));
    }
    Decider decider(config);
    auto rounds = decider.decide_from_queues(master, {group}, 64);
    ASSERT_TRUE(rounds) << rounds.error().message;
    const QueueRound& round = rounds->front();
    ASSERT_FALSE(round.script_error) << address << ": " << round.error;
    EXPECT_EQ(round.taken, 5u);
    EXPECT_EQ(std::count(round.codes.begin(), round.codes.end(), Code::kPurchased), 3);
    EXPECT_EQ(std::count(round.codes.begin(), round.codes.end(), Code::kSoldOut), 2);
    EXPECT_GE(round.acked.value_or(0), 1) << "WAIT reached the master's replica";
    ASSERT_EQ(round.unpushed.size(), 1u);
    EXPECT_EQ(round.unpushed.front().first, "seckill:reply:{p1}");
    EXPECT_EQ(round.unpushed.front().second.size(), 5u) << "every reply handed back";

    // The held path: requests given as arguments, one product per script call.
    load(master, group, product + 1000, 1);
    auto decisions = decider.decide(
        master, group, {request("h-1", product + 1000, 1), request("h-2", product + 1000, 2)});
    ASSERT_TRUE(decisions) << decisions.error().message;
    ASSERT_EQ(decisions->size(), 2u);
    ASSERT_TRUE((*decisions)[0]) << address << ": " << (*decisions)[0].error().message;
    ASSERT_TRUE((*decisions)[1]) << address << ": " << (*decisions)[1].error().message;
    EXPECT_EQ((*decisions)[0]->code, Code::kPurchased);
    EXPECT_EQ((*decisions)[1]->code, Code::kSoldOut);
  }
}

// A script may touch keys of other slots on its own node (Redis 7.0 checks the node, not the
// slot), so the group here is on a master that does not hold the reply list.
TEST_F(ClusterDecisionTest, PushingRepliesFromTheScriptIsRefusedByTheCluster) {
  auto elsewhere = std::find_if(masters_.begin(), masters_.end(), [&](const auto& entry) {
    return entry.first != reply_list_owner_;
  });
  ASSERT_NE(elsewhere, masters_.end());
  const auto& [address, group] = *elsewhere;
  RedisClient master(node_config(address));
  load(master, group, 900, 3);
  ASSERT_TRUE(
      master.command({"RPUSH", keys::requests(group), encode_request(request("push-1", 900, 1))}));
  LogicConfig config;  // ack_replicas 0: the script would push onto the reply list itself
  Decider decider(config);
  auto rounds = decider.decide_from_queues(master, {group}, 64);
  ASSERT_TRUE(rounds) << rounds.error().message;
  EXPECT_TRUE(rounds->front().script_error) << "the reply list is in another slot";
  EXPECT_EQ(master.command({"HGET", keys::product(group, 900), "sold"})->str(), "0")
      << "refused before anything was written";
  EXPECT_EQ(master.command({"LLEN", keys::requests(group)})->integer(), 1) << "still queued";
}

// A slot being migrated moves key by key. Here the order stream of a product has already gone
// to the target while its product hash, buyers and decisions are still on the source: the
// decision must stop before it writes anything (the script probes the order stream before its
// first write), not sell a unit whose order cannot be recorded.
TEST_F(ClusterDecisionTest, AMigrationHalfWayStopsADecisionBeforeItWrites) {
  auto [source_text, group] = *masters_.begin();
  const NodeAddress source = *parse_node_address(source_text);
  NodeAddress target;
  for (const auto& [address, other] : masters_) {
    if (address != source_text) target = *parse_node_address(address);
  }
  RedisClient master(node_config(source_text));
  const ProductId product = 700;
  load(master, group, product, 5);
  LogicConfig config;
  config.redis.ack_replicas = 1;
  config.redis.wait_timeout = 1000ms;
  Decider decider(config);
  const std::int64_t deadline = unix_ms_now() + 5000;  // both requests: one decision hash
  auto queue = [&](const std::string& id, UserId user) {
    PurchaseRequest r = request(id, product, user);
    r.deadline_ms = deadline;
    auto pushed = master.command({"RPUSH", keys::requests(group), encode_request(r)});
    ASSERT_TRUE(pushed && pushed->is_integer());
  };
  queue("m-1", 1);
  auto first = decider.decide_from_queues(master, {group}, 64);
  ASSERT_TRUE(first && !first->front().script_error && first->front().taken == 1);

  // Queued before the migration starts: the queue (emptied, so deleted, by the first decision)
  // must be on the source, like every key of the slot but the order stream.
  queue("m-2", 2);
  const int slot = cluster_slot(keys::requests(group));
  const std::string s = std::to_string(slot);
  auto on = [&](const NodeAddress& node, const std::vector<std::string>& argv) {
    return cluster_->node_at(node).command(argv);
  };
  on(target, {"CLUSTER", "SETSLOT", s, "IMPORTING", cluster_->id_of(source)});
  on(source, {"CLUSTER", "SETSLOT", s, "MIGRATING", cluster_->id_of(target)});
  on(source, {"MIGRATE", target.host, std::to_string(target.port), keys::orders(group, product),
              "0", "5000"});

  auto second = decider.decide_from_queues(master, {group}, 64);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->front().script_error) << "the order stream is not on this node";
  EXPECT_EQ(master.command({"HGET", keys::product(group, product), "sold"})->str(), "1")
      << "nothing written: no unit sold without its order";
  EXPECT_TRUE(master.command({"HGET", keys::buyers(group, product), "2"})->is_nil());
  EXPECT_EQ(master.command({"LLEN", keys::requests(group)})->integer(), 1) << "still queued";

  // The migration completes: every key to the target, the slot to the target everywhere.
  while (true) {
    auto keys_left = master.command({"CLUSTER", "GETKEYSINSLOT", s, "100"});
    ASSERT_TRUE(keys_left && keys_left->is_array());
    if (keys_left->size() == 0) break;
    std::vector<std::string> migrate = {
        "MIGRATE", target.host, std::to_string(target.port), "", "0", "5000", "KEYS"};
    for (std::size_t i = 0; i < keys_left->size(); ++i) {
      migrate.emplace_back(reply_str(keys_left->element(i)));
    }
    ASSERT_EQ(on(source, migrate), "OK");
  }
  for (const auto& [address, other] : masters_) {
    on(*parse_node_address(address), {"CLUSTER", "SETSLOT", s, "NODE", cluster_->id_of(target)});
  }
  RedisClient new_owner(node_config(target.text()));
  auto third = decider.decide_from_queues(new_owner, {group}, 64);
  ASSERT_TRUE(third) << third.error().message;
  ASSERT_FALSE(third->front().script_error) << third->front().error;
  EXPECT_EQ(third->front().codes, std::vector<Code>{Code::kPurchased});
  EXPECT_EQ(new_owner.command({"HGET", keys::product(group, product), "sold"})->str(), "2");
  EXPECT_EQ(new_owner.command({"XLEN", keys::orders(group, product)})->integer(), 2)
      << "every unit sold has its order";
}

}  // namespace
}  // namespace seckill::logic
