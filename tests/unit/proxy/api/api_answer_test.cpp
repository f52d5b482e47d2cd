#include "proxy/api/api_answer.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace seckill::proxy {
namespace {

TEST(ApiAnswer, RendersTheEnvelope) {
  auto answer = ApiAnswer::of(Code::kPurchased).with_string("order_id", "7-1").with_int("left", 3);
  EXPECT_EQ(answer.body(),
            R"({"code":0,"message":"purchased","data":{"order_id":"7-1","left":3}})");
  EXPECT_EQ(answer.http_status(), 200);
  EXPECT_EQ(ApiAnswer::of(Code::kTimeout).http_status(), 504);
}

TEST(ApiAnswer, EscapesStringsIntoValidJson) {
  auto answer = ApiAnswer::of(Code::kBadRequest, "bad \"x\"\\\n\x01").with_string("k", "\t");
  rapidjson::Document document;
  document.Parse(answer.body().c_str());
  ASSERT_FALSE(document.HasParseError()) << answer.body();
  EXPECT_STREQ(document["message"].GetString(), "bad \"x\"\\\n\x01");
  EXPECT_STREQ(document["data"]["k"].GetString(), "\t");
}

TEST(ApiAnswer, HeadersAreFormattedAndCannotSplitTheResponse) {
  auto answer =
      ApiAnswer::of(Code::kOk).with_header("Set-Cookie", "a=1").with_header("ETag", "\"x\"");
  EXPECT_EQ(answer.extra_headers, "Set-Cookie: a=1\r\nETag: \"x\"\r\n");
  EXPECT_THROW(answer.with_header("X", "1\r\nSet-Cookie: evil=1"), std::invalid_argument);
  EXPECT_THROW(answer.with_header("X:Y", "1"), std::invalid_argument);
}

TEST(ApiAnswer, RawAnswersCarryTheirOwnStatus) {
  EXPECT_EQ(ApiAnswer::raw("x", "text/plain").http_status(), 200);
  EXPECT_EQ(ApiAnswer::raw("x", "text/plain", 304).http_status(), 304);
}

}  // namespace
}  // namespace seckill::proxy
