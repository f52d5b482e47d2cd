#include <gtest/gtest.h>

#include "logic/orders/source/replica_reader.hpp"

namespace seckill::orders {
namespace {

TEST(ReplicaInfo, TheReplicasOfAnInfoReplicationText) {
  const std::string info =
      "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
      "slave0:ip=127.0.0.1,port=7001,state=online,offset=4242,lag=0\r\n"
      "slave1:ip=10.0.0.2,port=7002,state=wait_bgsave,offset=0,lag=1\r\n"
      "slave_read_only:1\r\nmaster_repl_offset:4242\r\n";
  auto replicas = parse_replicas(info);
  ASSERT_EQ(replicas.size(), 2u);
  EXPECT_EQ(replicas[0].address.text(), "127.0.0.1:7001");
  EXPECT_TRUE(replicas[0].online);
  EXPECT_EQ(replicas[0].offset, 4242);
  EXPECT_EQ(replicas[1].address.text(), "10.0.0.2:7002");
  EXPECT_FALSE(replicas[1].online);
}

TEST(ReplicaInfo, NoReplicasOrGarbageGiveNone) {
  EXPECT_TRUE(parse_replicas("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n").empty());
  EXPECT_TRUE(parse_replicas("").empty());
  EXPECT_TRUE(parse_replicas("slave0:state=online\nslaveX:ip=a,port=1\nslave:ip=a,port=1").empty());
}

}  // namespace
}  // namespace seckill::orders
