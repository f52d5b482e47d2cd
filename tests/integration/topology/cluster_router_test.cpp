// ClusterRouter against a real Redis Cluster (3 masters, 3 replicas, started by the fixture):
// routing by slot, MOVED after a slot moved, ASK during a migration, TRYAGAIN for a multi-key
// command mid-migration, CLUSTERDOWN as unavailable, and a plain Redis as one node.
#include "common/cluster/cluster_router.hpp"

#include <csignal>
#include <set>

#include <gtest/gtest.h>

#include "common/redis/redis_client.hpp"
#include "tests/support/servers/redis_cluster.hpp"
#include "tests/support/servers/redis_server.hpp"

namespace seckill {
namespace {

using namespace std::chrono_literals;

class ClusterRouterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = std::make_unique<test::RedisClusterServers>(); }
  static void TearDownTestSuite() { cluster_.reset(); }

  static test::RedisClusterServers& cluster() { return *cluster_; }
  static RedisConfig base() {
    RedisConfig config;
    config.socket_timeout = 1000ms;
    return config;
  }
  static std::string on(const NodeAddress& node, const std::vector<std::string>& argv) {
    return cluster().node_at(node).command(argv);
  }
  /// A master that is not `other`.
  static NodeAddress another_master(ClusterRouter& router, const NodeAddress& other) {
    for (const NodeAddress& master : router.map().masters()) {
      if (!(master == other)) return master;
    }
    throw std::runtime_error("one master only");
  }
  /// Starts moving `slot` from `from` to `to` (both sides marked, no key moved yet).
  static void begin_migration(int slot, const NodeAddress& from, const NodeAddress& to) {
    const std::string s = std::to_string(slot);
    on(to, {"CLUSTER", "SETSLOT", s, "IMPORTING", cluster().id_of(from)});
    on(from, {"CLUSTER", "SETSLOT", s, "MIGRATING", cluster().id_of(to)});
  }
  static void move_key(const std::string& key, const NodeAddress& from, const NodeAddress& to) {
    on(from, {"MIGRATE", to.host, std::to_string(to.port), key, "0", "5000"});
  }
  /// Ends a migration: every master learns the slot's new owner.
  static void finish_migration(ClusterRouter& router, int slot, const NodeAddress& to) {
    const std::string id = cluster().id_of(to);
    for (const NodeAddress& master : router.map().masters()) {
      on(master, {"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", id});
    }
  }

  static inline std::unique_ptr<test::RedisClusterServers> cluster_;
};

TEST_F(ClusterRouterTest, ReadsTheMapAndRoutesEveryKeyToItsMaster) {
  ClusterRouter router(base(), cluster().seeds());
  ASSERT_TRUE(router.refresh());
  EXPECT_TRUE(router.map().covers_every_slot());
  EXPECT_EQ(router.map().masters().size(), 3u);
  for (const ClusterShard& shard : router.map().shards()) {
    EXPECT_EQ(shard.replicas.size(), 1u) << shard.master.text();
  }
  for (int i = 0; i < 300; ++i) {
    const std::string key = "route:" + std::to_string(i);
    auto set = router.command({"SET", key, std::to_string(i)}, key);
    ASSERT_TRUE(set) << set.error().message;
    ASSERT_FALSE(set->is_error()) << set->str();
  }
  EXPECT_EQ(router.redirects(), 0u) << "the map was right: no MOVED";
  // Our slot function agrees with the cluster's, and the key sits on the master we chose.
  for (const std::string key : {"route:7", "{g3}:req", "123456789", "foo"}) {
    const NodeAddress owner = *router.map().owner(cluster_slot(key));
    EXPECT_EQ(on(owner, {"CLUSTER", "KEYSLOT", key}), std::to_string(cluster_slot(key)));
  }
  auto got = router.command({"GET", "route:299"}, "route:299");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->str(), "299");
}

TEST_F(ClusterRouterTest, FollowsMovedWhenASlotHasMoved) {
  ClusterRouter router(base(), cluster().seeds(), 3600s);  // no periodic refresh: a stale map
  const std::string key = "{moved}:k";
  ASSERT_TRUE(router.command({"SET", key, "v"}, key));
  const int slot = cluster_slot(key);
  const NodeAddress from = *router.map().owner(slot);
  const NodeAddress to = another_master(router, from);
  begin_migration(slot, from, to);
  move_key(key, from, to);
  finish_migration(router, slot, to);

  auto got = router.command({"GET", key}, key);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->str(), "v");
  EXPECT_GE(router.redirects(), 1u) << "the old owner answered MOVED";
  EXPECT_EQ(*router.map().owner(slot), to) << "the map follows (and was refreshed)";
}

// One pipeline over keys of every master: one round trip per node, the replies in the order of
// the commands; a command whose slot moved since the map was read follows MOVED alone.
TEST_F(ClusterRouterTest, PipelinesSplitPerNodeAndKeepTheOrder) {
  ClusterRouter router(base(), cluster().seeds(), 3600s);
  std::vector<ClusterRouter::Routed> sets, gets;
  std::set<std::string> nodes;
  for (int i = 0; i < 30; ++i) {
    const std::string key = "{pipe" + std::to_string(i) + "}:k";
    sets.push_back({{"SET", key, "v" + std::to_string(i)}, key});
    gets.push_back({{"GET", key}, key});
    nodes.insert(router.map().owner(cluster_slot(key))->text());
  }
  ASSERT_EQ(nodes.size(), 3u) << "the keys must span the masters";
  auto set = router.pipeline(sets);
  ASSERT_TRUE(set) << set.error().message;
  for (const auto& reply : *set) EXPECT_EQ(reply.str(), "OK");

  const std::string moved_key = gets[7].routing_key;
  const int slot = cluster_slot(moved_key);
  const NodeAddress from = *router.map().owner(slot);
  const NodeAddress to = another_master(router, from);
  begin_migration(slot, from, to);
  move_key(moved_key, from, to);
  finish_migration(router, slot, to);

  auto got = router.pipeline(gets);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), gets.size());
  for (std::size_t i = 0; i < gets.size(); ++i) {
    EXPECT_EQ((*got)[i].str(), "v" + std::to_string(i)) << gets[i].routing_key;
  }
  EXPECT_GE(router.redirects(), 1u) << "the moved key was followed";
}

TEST_F(ClusterRouterTest, AsksDuringAMigrationForSingleKeyCommandsOnly) {
  ClusterRouter router(base(), cluster().seeds());
  const std::string staying = "{ask}:old";
  const std::string created = "{ask}:new";
  ASSERT_TRUE(router.command({"SET", staying, "1"}, staying));
  const int slot = cluster_slot(staying);
  const NodeAddress from = *router.map().owner(slot);
  const NodeAddress to = another_master(router, from);
  begin_migration(slot, from, to);

  // A key the source no longer has (never had) is asked of the target.
  auto set = router.command({"SET", created, "2"}, created);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_FALSE(set->is_error()) << set->str();
  EXPECT_GE(router.redirects(), 1u);
  // A script is never followed into another node half-way: the caller sees ASK and backs off.
  auto script = router.command({"EVAL", "return redis.call('SET', KEYS[1], 'x')", "1", created},
                               created, false);
  ASSERT_TRUE(script);
  ASSERT_TRUE(script->is_error());
  EXPECT_TRUE(script->str().starts_with("ASK")) << script->str();

  move_key(staying, from, to);
  finish_migration(router, slot, to);
  auto read_back = router.command({"GET", created}, created);
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->str(), "2") << "the asked SET landed on the target";
}

TEST_F(ClusterRouterTest, TryAgainIsRetriedBrieflyThenReported) {
  ClusterRouter router(base(), cluster().seeds());
  const std::string first = "{again}:a";
  const std::string second = "{again}:b";
  ASSERT_TRUE(router.command({"SET", first, "1"}, first));
  ASSERT_TRUE(router.command({"SET", second, "2"}, second));
  const int slot = cluster_slot(first);
  const NodeAddress from = *router.map().owner(slot);
  const NodeAddress to = another_master(router, from);
  begin_migration(slot, from, to);
  move_key(first, from, to);  // the slot's keys are split between the nodes now

  // The source has one key and not the other: TRYAGAIN, retried a few times, then unavailable
  // (nothing was applied: the caller may try again later).
  const auto started = std::chrono::steady_clock::now();
  auto split = router.command({"MGET", first, second}, first, false);
  ASSERT_FALSE(split);
  EXPECT_EQ(router.last_error_kind(), RedisErrc::kUnavailable);
  EXPECT_FALSE(router.last_failure_maybe_applied());
  EXPECT_GE(router.retries(), 2u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "bounded";

  move_key(second, from, to);
  finish_migration(router, slot, to);
  auto joined = router.command({"MGET", first, second}, first, false);
  ASSERT_TRUE(joined) << joined.error().message;
  ASSERT_EQ(joined->size(), 2u);
  EXPECT_EQ(reply_str(joined->element(1)), "2");
}

TEST_F(ClusterRouterTest, ClusterDownIsUnavailableAndPassesByItself) {
  ClusterRouter router(base(), cluster().seeds(), 3600s);
  const std::string key = "{down}:k";
  ASSERT_TRUE(router.command({"SET", key, "v"}, key));
  const int slot = cluster_slot(key);
  const NodeAddress owner = *router.map().owner(slot);
  // The owner forgets the slot: with full coverage required it declares the cluster down.
  on(owner, {"CLUSTER", "DELSLOTS", std::to_string(slot)});
  auto down = router.command({"GET", key}, key);
  EXPECT_FALSE(down) << (down ? std::string(down->str()) : "");
  EXPECT_EQ(router.last_error_kind(), RedisErrc::kUnavailable);
  EXPECT_FALSE(router.last_failure_maybe_applied());
  on(owner, {"CLUSTER", "ADDSLOTS", std::to_string(slot)});
  cluster().wait_ok();
  bool back = false;
  for (int i = 0; i < 100 && !back; ++i) {
    auto reply = router.command({"GET", key}, key);
    back = reply && !reply->is_error() && reply->str() == "v";
    if (!back) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(back);
}

// Through RedisClient, as the tiers use it: a WAIT (no key) in a pipeline goes where the command
// before it went, so it counts that node's replicas. The replica of one master is stopped: the
// WAIT behind a write there finds none, the WAIT behind a write on another master finds one.
TEST_F(ClusterRouterTest, AWaitCountsTheReplicasOfTheNodeThatWrote) {
  RedisConfig config = base();
  config.cluster_nodes = cluster().seeds();
  RedisClient redis(config);
  ClusterRouter router(base(), cluster().seeds());
  std::string stalled_key, healthy_key;
  NodeAddress stalled_master;
  for (int i = 0; healthy_key.empty(); ++i) {
    const std::string key = "{wait" + std::to_string(i) + "}:k";
    const NodeAddress owner = *router.map().owner(cluster_slot(key));
    if (stalled_key.empty()) {
      stalled_key = key;
      stalled_master = owner;
    } else if (!(owner == stalled_master)) {
      healthy_key = key;
    }
  }
  const NodeAddress replica = cluster().replica_of(stalled_master);
  ASSERT_NE(replica.port, 0) << "every master has a replica";
  cluster().node_at(replica).process().signal(SIGSTOP);
  auto replies = redis.pipeline({{"SET", stalled_key, "1"},
                                 {"WAIT", "1", "300"},
                                 {"SET", healthy_key, "1"},
                                 {"WAIT", "1", "300"}});
  cluster().node_at(replica).process().signal(SIGCONT);
  ASSERT_TRUE(replies) << replies.error().message;
  EXPECT_EQ((*replies)[1].integer(), 0) << "the stalled replica acknowledged nothing";
  EXPECT_EQ((*replies)[3].integer(), 1) << "the other master's replica did";

  auto infos = redis.on_every_master({"ROLE"});
  ASSERT_TRUE(infos) << infos.error().message;
  EXPECT_EQ(infos->size(), 3u);
  for (const auto& [node, role] : *infos) EXPECT_EQ(reply_str(role.element(0)), "master") << node;
}

TEST(ClusterRouterSingle, APlainRedisIsOneNodeOwningEverySlot) {
  test::RedisServer server;
  ClusterRouter router(server.config(), {{"127.0.0.1", server.port()}});
  ASSERT_TRUE(router.refresh());
  EXPECT_TRUE(router.map().covers_every_slot());
  ASSERT_EQ(router.map().masters().size(), 1u);
  for (const std::string key : {"a", "{g1}:req", "zzz"}) {
    auto set = router.command({"SET", key, "1"}, key);
    ASSERT_TRUE(set && !set->is_error());
  }
  EXPECT_EQ(server.command({"DBSIZE"}), "3");
}

TEST(ClusterRouterSingle, NoNodeAnsweringIsUnavailableNotMaybeApplied) {
  RedisConfig config;
  config.port = 1;  // nothing listens there
  ClusterRouter router(config, {{"127.0.0.1", 1}});
  EXPECT_FALSE(router.refresh());
  auto reply = router.command({"GET", "k"}, "k");
  EXPECT_FALSE(reply);
  EXPECT_EQ(router.last_error_kind(), RedisErrc::kUnavailable);
  EXPECT_FALSE(router.last_failure_maybe_applied());
}

}  // namespace
}  // namespace seckill
