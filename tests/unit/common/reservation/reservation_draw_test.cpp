// The reservation draw's rule, as anyone redoes it from the published seed: exactly N winners,
// the same for the same seed, and every listed user equally likely to win.
#include "common/reservation/reservation_draw.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <gtest/gtest.h>

namespace seckill {
namespace {

std::vector<std::string> users(int count) {
  std::vector<std::string> listed;
  for (int i = 1; i <= count; ++i) listed.push_back(std::to_string(1000 + i));
  return listed;
}

std::string seed_of(int i) {
  char seed[17];
  std::snprintf(seed, sizeof seed, "%016x", static_cast<unsigned>(i));
  return seed;
}

TEST(ReservationDraw, ATicketIsTheHexSha1OfTheSeedAndTheUser) {
  EXPECT_EQ(draw_ticket("0123456789abcdef", "42"), "d59a831f31cc276b3b10aec61708820808304013");
}

TEST(ReservationDraw, PicksExactlyNListedUsersTheSameForTheSameSeed) {
  const auto listed = users(100);
  const auto winners = draw_winners(listed, "00112233445566778899aabbccddeeff", 10);
  ASSERT_EQ(winners.size(), 10u);
  EXPECT_EQ(std::set<std::string>(winners.begin(), winners.end()).size(), 10u) << "no repeats";
  for (const auto& winner : winners) {
    EXPECT_NE(std::find(listed.begin(), listed.end(), winner), listed.end()) << winner;
  }
  EXPECT_EQ(draw_winners(listed, "00112233445566778899aabbccddeeff", 10), winners);
  auto reversed = listed;
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(draw_winners(reversed, "00112233445566778899aabbccddeeff", 10), winners)
      << "the list's order does not matter";
  EXPECT_NE(draw_winners(listed, "ffeeddccbbaa99887766554433221100", 10), winners);
  // The winners are the smallest tickets.
  for (std::size_t i = 1; i < winners.size(); ++i) {
    EXPECT_LT(draw_ticket("00112233445566778899aabbccddeeff", winners[i - 1]),
              draw_ticket("00112233445566778899aabbccddeeff", winners[i]));
  }
  EXPECT_EQ(draw_winners(users(3), seed_of(1), 10).size(), 3u) << "fewer listed: all win";
  EXPECT_TRUE(draw_winners({}, seed_of(1), 10).empty());
  EXPECT_TRUE(draw_winners(listed, seed_of(1), 0).empty());
}

// Over 10,000 seeds each of 20 listed users should win a quarter of the draws of 5. The
// statistic sum((observed - expected)^2 / expected) over the 20 users is at most chi-square
// with 19 degrees of freedom (a draw without replacement varies less than one with); 43.82 is
// its 0.999 quantile.
TEST(ReservationDraw, EveryListedUserIsEquallyLikelyToWin) {
  const auto listed = users(20);
  std::map<std::string, int> wins;
  constexpr int kDraws = 10'000;
  for (int i = 0; i < kDraws; ++i) {
    for (const auto& winner : draw_winners(listed, seed_of(i), 5)) ++wins[winner];
  }
  const double expected = kDraws * 5.0 / 20.0;
  double chi_square = 0;
  for (const auto& user : listed) {
    const double observed = wins[user];
    chi_square += (observed - expected) * (observed - expected) / expected;
  }
  EXPECT_LT(chi_square, 43.82);
  EXPECT_GT(chi_square, 1.0) << "suspiciously even: not a random draw";
}

TEST(ReservationDraw, SeedsAreFreshLowercaseHex) {
  const std::string seed = new_draw_seed();
  EXPECT_EQ(seed.size(), 32u);
  EXPECT_TRUE(valid_draw_seed(seed));
  EXPECT_NE(new_draw_seed(), seed);
  EXPECT_FALSE(valid_draw_seed("0123456789abcde")) << "15 digits";
  EXPECT_FALSE(valid_draw_seed("0123456789ABCDEF"));
  EXPECT_FALSE(valid_draw_seed(std::string(65, 'a')));
  EXPECT_TRUE(valid_draw_seed(std::string(64, 'a')));
}

}  // namespace
}  // namespace seckill
