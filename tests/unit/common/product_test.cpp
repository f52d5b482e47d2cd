#include "common/product.hpp"

#include <gtest/gtest.h>

#include "common/program/config_reader.hpp"

namespace seckill {
namespace {

std::string error_of(const std::string& json) {
  try {
    parse_products(json, "products.json");
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(Iso8601, ParsesOffsetsAndFractions) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601_ms("2026-01-01T00:00:00Z"), 1767225600000);
  EXPECT_EQ(parse_iso8601_ms("2026-01-01T08:00:00+08:00"), 1767225600000);
  EXPECT_EQ(parse_iso8601_ms("2025-12-31T19:00:00-05:00"), 1767225600000);
  EXPECT_EQ(parse_iso8601_ms("2026-01-01T00:00:00.250Z"), 1767225600250);
}

TEST(Iso8601, RejectsMalformedTimes) {
  for (const char* bad : {"", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+8",
                          "2026-01-01T00:00:00Zjunk", "2026-01-01T00:00:00."}) {
    EXPECT_FALSE(parse_iso8601_ms(bad).has_value()) << bad;
  }
}

TEST(Iso8601, FormatsUtc) {
  EXPECT_EQ(format_iso8601_ms(1767225600250), "2026-01-01T00:00:00.250Z");
  EXPECT_EQ(parse_iso8601_ms(format_iso8601_ms(1795391185011)), 1795391185011);
}

TEST(Products, ParsesDefaultsAndBothTimeForms) {
  auto products = parse_products(R"({"products":[
      {"id":1,"name":"a","total":10,"start":"2026-01-01T00:00:00Z","end":1767225660000},
      {"id":2,"name":"b","total":0,"start":0,"end":1,"per_user_limit":3,"max_per_second":50,
       "buy_rate":0.5,"enabled":false}]})",
                                 "p.json");
  ASSERT_EQ(products.size(), 2u);
  EXPECT_EQ(products[0].start_ms, 1767225600000);
  EXPECT_EQ(products[0].end_ms, 1767225660000);
  EXPECT_EQ(products[0].per_user_limit, 1);
  EXPECT_EQ(products[0].buy_rate, 1.0);
  EXPECT_TRUE(products[0].enabled);
  EXPECT_EQ(products[1].per_user_limit, 3);
  EXPECT_EQ(products[1].max_per_second, 50);
  EXPECT_FALSE(products[1].enabled);
}

TEST(Products, RejectsBadFilesNamingTheField) {
  const std::string ok_fields = R"("name":"a","start":0,"end":10)";
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":-1,)" + ok_fields + "}]}"),
            "products[0].total: must be an integer in 0..9007199254740991");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":1,"name":"a","start":10,"end":5}]})"),
            "products[0].end: must be after start");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":1,)" + ok_fields + R"(},{"id":1,"total":1,)" +
                     ok_fields + "}]}"),
            "products[1].id: duplicate id 1");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":1,"colour":"red",)" + ok_fields + "}]}"),
            "products[0].colour: unknown key");
  EXPECT_EQ(error_of(R"({"products":[{"id":0,"total":1,)" + ok_fields + "}]}"),
            "products[0].id: must be an integer in 1..2^63-1");
  EXPECT_EQ(
      error_of(R"({"products":[{"id":1,"total":1,"name":"a","start":"tomorrow","end":10}]})"),
      "products[0].start: must be ISO-8601 with offset (2026-11-22T20:00:00+08:00) or Unix ms");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":1,"buy_rate":2,)" + ok_fields + "}]}"),
            "products[0].buy_rate: must be a number in 0..1");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"name":"a","start":0,"end":10}]})"),
            "products[0].total: is required");
  EXPECT_EQ(error_of(R"({"items":[]})"), "products: is required");
  EXPECT_EQ(
      error_of(R"({"products":[{"id":1,"total":1,"name":"a","start":[[[[]]]],"end":10}]})"),
      "products[0].start: must be ISO-8601 with offset (2026-11-22T20:00:00+08:00) or Unix ms");
  EXPECT_EQ(error_of(R"({"products":{}})"), "products: must be an array");
}

// Lua numbers are doubles: 2^53 and beyond would be stored as "9.007e+15" and stop moving.
// What the sale page shows: a description and a picture; only addresses an <img src> may take
// safely (https, or a path of the proxy's own site) are accepted.
TEST(Products, DescriptionAndPicture) {
  const std::string fields = R"("id":1,"total":1,"name":"a","start":0,"end":10)";
  auto products = parse_products(
      R"({"products":[{)" + fields +
          R"(,"description":"6.1-inch, 256 GB","image_url":"https://cdn.example/p.png"}]})",
      "p.json");
  EXPECT_EQ(products.at(0).description, "6.1-inch, 256 GB");
  EXPECT_EQ(products.at(0).image_url, "https://cdn.example/p.png");
  EXPECT_EQ(error_of(R"({"products":[{)" + fields + R"(,"image_url":"/img/phone.png"}]})"), "");
  const std::string refused =
      "products[0].image_url: must be an https:// address or a path starting with /, without "
      "spaces, quotes or angle brackets, at most 2048 bytes";
  for (const char* bad : {"javascript:alert(1)", "http://cdn.example/p.png", "//evil.example/x",
                          "/a b.png", "/a\\\"onerror=x.png", "https://", "p.png"}) {
    EXPECT_EQ(error_of(R"({"products":[{)" + fields + R"(,"image_url":")" + bad + R"("}]})"),
              refused)
        << bad;
  }
  EXPECT_EQ(error_of(R"({"products":[{)" + fields + R"(,"description":")" + std::string(5000, 'x') +
                     R"("}]})"),
            "products[0].description: at most 4096 bytes");
}

TEST(Products, TotalsThatLuaCannotHoldExactlyAreRefused) {
  const std::string fields = R"("name":"a","start":0,"end":10)";
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":9007199254740992,)" + fields + "}]}"),
            "products[0].total: must be an integer in 0..9007199254740991");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":100000000000000000,)" + fields + "}]}"),
            "products[0].total: must be an integer in 0..9007199254740991");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":1,"max_per_second":9007199254740992,)" +
                     fields + "}]}"),
            "products[0].max_per_second: must be an integer in 0..9007199254740991");
  EXPECT_EQ(error_of(R"({"products":[{"id":1,"total":9007199254740991,)" + fields + "}]}"), "");
}

// 200,000 nested arrays crashed the recursive parser; now the file is refused, naming itself.
TEST(Products, DeeplyNestedFilesAreRefused) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const std::string error = error_of(R"({"products":)" + deep + "}");
  EXPECT_NE(error.find("nested deeper than 64 levels"), std::string::npos) << error;
}

TEST(Products, AGroupMayBePinnedWithinRange) {
  auto products = parse_products(R"({"products":[
      {"id":1,"name":"hot","total":5,"start":0,"end":10,"group":1023},
      {"id":2,"name":"plain","total":5,"start":0,"end":10}]})",
                                 "products.json");
  ASSERT_EQ(products.size(), 2u);
  EXPECT_EQ(products[0].group, 1023);
  EXPECT_FALSE(products[1].group) << "unpinned: the id's hash decides";
  for (const char* bad : {R"("group":-1)", R"("group":1024)", R"("group":"3")", R"("group":1.5)"}) {
    const std::string json = std::string(R"({"products":[{"id":1,"name":"x","total":5,)") +
                             R"("start":0,"end":10,)" + bad + "}]}";
    EXPECT_NE(error_of(json).find("group"), std::string::npos) << bad << ": " << error_of(json);
  }
}

TEST(Products, AReservationClosesAfterItOpensAndAtTheLatestAtTheStart) {
  auto products = parse_products(R"({"products":[{"id":1,"name":"x","total":5,"start":5000,
      "end":9000,"reservation":{"opens":1000,"closes":"1970-01-01T00:00:05Z","draw":3}},
      {"id":2,"name":"y","total":5,"start":0,"end":10}]})",
                                 "products.json");
  ASSERT_EQ(products.size(), 2u);
  EXPECT_EQ(products[0].reservation_opens_ms, 1000);
  EXPECT_EQ(products[0].reservation_closes_ms, 5000) << "closing at the start is allowed";
  EXPECT_EQ(products[0].reservation_draw, 3);
  EXPECT_EQ(products[1].reservation_closes_ms, 0) << "no reservation";
  const std::string head = R"({"products":[{"id":1,"name":"x","total":5,"start":5000,"end":9000,)";
  const std::pair<const char*, const char*> bad[] = {
      {R"("reservation":{"opens":1000,"closes":5001})",
       "products[0].reservation.closes: must be at the latest the sale's start"},
      {R"("reservation":{"opens":2000,"closes":2000})",
       "products[0].reservation.closes: must be after opens"},
      {R"("reservation":{"closes":2000})", "products[0].reservation.opens: is required"},
      {R"("reservation":{"opens":1000,"closes":2000,"draw":-1})",
       "products[0].reservation.draw: must be an integer in 0..10000000"},
      {R"("reservation":{"opens":1000,"closes":2000,"winners":1})",
       "products[0].reservation.winners: unknown key"},
      {R"("reservation":true)",
       R"(products[0].reservation: must be an object {"opens", "closes", "draw"})"},
  };
  for (const auto& [field, error] : bad) {
    EXPECT_EQ(error_of(head + field + "}]}"), error) << field;
  }
}

}  // namespace
}  // namespace seckill
