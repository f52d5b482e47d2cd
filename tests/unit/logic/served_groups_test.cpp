#include "logic/groups/served_groups.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace seckill::logic {
namespace {

using Groups = std::vector<keys::GroupId>;

TEST(ServedGroups, EveryWorkerServesEveryGroupStartingAtADifferentOne) {
  const Groups groups = {0, 2, 3, 5, 8, 9, 11};
  std::set<keys::GroupId> firsts;
  for (int worker = 0; worker < 3; ++worker) {
    Groups share = share_of(groups, worker, 3);
    ASSERT_EQ(share.size(), groups.size());
    firsts.insert(share.front());
    std::sort(share.begin(), share.end());
    EXPECT_EQ(share, groups) << "worker " << worker << " serves each group once";
  }
  EXPECT_EQ(firsts.size(), 3u);
  EXPECT_EQ(share_of({4}, 1, 2), Groups{4}) << "one hot group: every worker on it";
  EXPECT_EQ(share_of({1, 6}, 3, 4), (Groups{6, 1}));
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
  EXPECT_EQ(served.for_worker(1, 2), (Groups{3, 1}));
}

}  // namespace
}  // namespace seckill::logic
