// Which key routes a command to its cluster node, and when ASK may be followed for it.
#include "common/redis/command_keys.hpp"

#include <gtest/gtest.h>

namespace seckill {
namespace {

TEST(CommandRoute, MostCommandsNameTheirKeyFirst) {
  const std::vector<std::string> push = {"RPUSH", "seckill:{g3}:req", "a", "b"};
  auto route = route_of(push);  // views into the command
  EXPECT_EQ(route.key, "seckill:{g3}:req");
  EXPECT_TRUE(route.single_key);
  const std::vector<std::string> hget = {"hget", "seckill:{g1}:buyers:7", "42"};
  EXPECT_EQ(route_of(hget).key, "seckill:{g1}:buyers:7");
}

TEST(CommandRoute, ScriptsAndPopsNameTheirKeysAfterACount) {
  const std::vector<std::string> evalsha = {"EVALSHA", "abc", "1", "seckill:{g2}:req", "50"};
  auto script = route_of(evalsha);
  EXPECT_EQ(script.key, "seckill:{g2}:req");
  EXPECT_FALSE(script.single_key) << "a script may write keys it names itself: never ASK";
  EXPECT_EQ(route_of({"EVAL", "return 1", "0"}).key, "");
  const std::vector<std::string> blmpop = {"BLMPOP", "0.5",   "1", "seckill:reply:{p9}",
                                           "LEFT",   "COUNT", "64"};
  auto popped = route_of(blmpop);
  EXPECT_EQ(popped.key, "seckill:reply:{p9}");
  EXPECT_TRUE(popped.single_key);
  const std::vector<std::string> lmpop = {"LMPOP", "2", "a", "b", "LEFT"};
  EXPECT_EQ(route_of(lmpop).key, "a");
  EXPECT_FALSE(route_of(lmpop).single_key);
}

TEST(CommandRoute, CommandsOverSeveralKeysAreNeverFollowedIntoAMigration) {
  EXPECT_FALSE(route_of({"LMOVE", "q", "p", "LEFT", "RIGHT"}).single_key);
  EXPECT_FALSE(route_of({"BLMOVE", "q", "q", "LEFT", "LEFT", "1"}).single_key);
  EXPECT_FALSE(route_of({"DEL", "a", "b"}).single_key);
  EXPECT_TRUE(route_of({"DEL", "a"}).single_key);
}

TEST(CommandRoute, KeylessCommandsHaveNoKey) {
  for (const char* name : {"PING", "INFO", "WAIT", "SCRIPT", "SCAN", "ROLE", "CLUSTER"}) {
    EXPECT_EQ(route_of({name, "x", "y"}).key, "") << name;
  }
  EXPECT_EQ(route_of({}).key, "");
  EXPECT_EQ(route_of({"GET"}).key, "") << "a command missing its key routes anywhere";
  EXPECT_EQ(route_of({"EVALSHA", "abc", "3"}).key, "") << "its keys are missing";
}

}  // namespace
}  // namespace seckill
