#include "common/base/status.hpp"

#include <gtest/gtest.h>

namespace seckill {
namespace {

TEST(Status, EveryCodeMapsToItsHttpStatus) {
  const std::pair<Code, int> expected[] = {
      {Code::kPurchased, 200},   {Code::kSoldOut, 200},     {Code::kLimitReached, 200},
      {Code::kNotStarted, 200},  {Code::kEnded, 200},       {Code::kTryLater, 200},
      {Code::kNoOrder, 200},     {Code::kPaused, 200},      {Code::kBadRequest, 400},
      {Code::kBadToken, 401},    {Code::kBlocked, 403},     {Code::kNotFound, 404},
      {Code::kRateLimited, 429}, {Code::kUnavailable, 503}, {Code::kTimeout, 504},
  };
  for (const auto& [code, http] : expected) {
    EXPECT_EQ(http_status(code), http) << static_cast<int>(code);
    EXPECT_FALSE(default_message(code).empty());
    EXPECT_EQ(code_from_int(static_cast<int>(code)), code);
  }
}

TEST(Status, UnknownNumbersAreNotCodes) {
  EXPECT_FALSE(code_from_int(1).has_value());
  EXPECT_FALSE(code_from_int(-1).has_value());
  EXPECT_FALSE(code_from_int(500).has_value());
}

}  // namespace
}  // namespace seckill
