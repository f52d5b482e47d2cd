#include "proxy/api/request_params.hpp"

#include <gtest/gtest.h>

namespace seckill::proxy {
namespace {

TEST(RequestParams, ReadsQueryString) {
  auto params = RequestParams::parse("/seckill?product_id=1&user_id=22&token=ab", "", "");
  EXPECT_EQ(params.get("product_id"), "1");
  EXPECT_EQ(params.get("user_id"), "22");
  EXPECT_EQ(params.get("token"), "ab");
  EXPECT_FALSE(params.get("missing").has_value());
}

TEST(RequestParams, QueryWinsOverFormWinsOverCookie) {
  auto params = RequestParams::parse("/seckill?user_id=1", "user_id=2&token=form",
                                     "user_id=3; token=cookie; product_id=9");
  EXPECT_EQ(params.get("user_id"), "1");
  EXPECT_EQ(params.get("token"), "form");
  EXPECT_EQ(params.get("product_id"), "9");
}

TEST(RequestParams, FirstOccurrenceWins) {
  auto params = RequestParams::parse("/x?a=1&a=2", "", "");
  EXPECT_EQ(params.get("a"), "1");
}

TEST(RequestParams, PercentDecodes) {
  auto params = RequestParams::parse("/x?name=a%20b+c&bad=%zz&tail=%4", "", "");
  EXPECT_EQ(params.get("name"), "a b c");
  EXPECT_EQ(params.get("bad"), "%zz");
  EXPECT_EQ(params.get("tail"), "%4");
}

TEST(RequestParams, ToleratesEmptyAndValuelessPairs) {
  auto params = RequestParams::parse("/x?&&flag&=v&k=", "", ";;  ; c=1 ");
  EXPECT_EQ(params.get("flag"), "");
  EXPECT_EQ(params.get("k"), "");
  EXPECT_EQ(params.get(""), "v");
  EXPECT_EQ(params.get("c"), "1");
}

TEST(TargetPath, StripsQuery) {
  EXPECT_EQ(target_path("/seckill?a=1"), "/seckill");
  EXPECT_EQ(target_path("/healthz"), "/healthz");
  EXPECT_EQ(target_path("/"), "/");
}

}  // namespace
}  // namespace seckill::proxy

namespace seckill::proxy {
namespace {

TEST(PercentDecodePath, DecodesStrictly) {
  EXPECT_EQ(percent_decode_path("/a%20b+c"), "/a b+c");
  EXPECT_EQ(percent_decode_path("/%2E%2e"), "/..");
  EXPECT_FALSE(percent_decode_path("/%").has_value());
  EXPECT_FALSE(percent_decode_path("/%2").has_value());
  EXPECT_FALSE(percent_decode_path("/%g0").has_value());
}

}  // namespace
}  // namespace seckill::proxy
