#include "logic/served_groups.hpp"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

namespace seckill::logic {
namespace {

using Groups = std::vector<keys::GroupId>;

TEST(ServedGroups, EveryGroupHasAWorkerAndSharesDifferByAtMostOne) {
  const Groups groups = {0, 2, 3, 5, 8, 9, 11};
  Groups covered;
  for (int worker = 0; worker < 3; ++worker) {
    const Groups share = share_of(groups, worker, 3);
    EXPECT_GE(share.size(), 2u);
    EXPECT_LE(share.size(), 3u);
    covered.insert(covered.end(), share.begin(), share.end());
  }
  std::sort(covered.begin(), covered.end());
  EXPECT_EQ(covered, groups) << "each group once";
}

TEST(ServedGroups, SpareWorkersHelpRatherThanIdle) {
  const Groups one = {4};
  EXPECT_EQ(share_of(one, 0, 2), one);
  EXPECT_EQ(share_of(one, 1, 2), one);
  EXPECT_EQ(share_of({1, 6}, 2, 3), Groups{1});
  EXPECT_TRUE(share_of({}, 0, 2).empty()) << "nothing loaded: nothing to serve";
}

TEST(ServedGroups, TheGenerationMovesOnlyOnAChange) {
  ServedGroups served;
  const auto start = served.generation();
  served.replace({3, 1, 3});
  EXPECT_EQ(served.all(), (Groups{1, 3})) << "sorted and distinct";
  const auto after = served.generation();
  EXPECT_NE(after, start);
  served.replace({1, 3});
  EXPECT_EQ(served.generation(), after);
  EXPECT_EQ(served.for_worker(1, 2), Groups{3});
}

}  // namespace
}  // namespace seckill::logic
