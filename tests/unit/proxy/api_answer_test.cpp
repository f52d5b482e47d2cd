#include "proxy/api_answer.hpp"

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

}  // namespace
}  // namespace seckill::proxy
