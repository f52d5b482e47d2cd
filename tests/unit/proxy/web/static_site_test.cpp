#include "proxy/site/static_site.hpp"

#include <gtest/gtest.h>

#include "proxy/site/web_routes.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::proxy {
namespace {

TEST(StaticKey, PlainPathsMapOntoFiles) {
  EXPECT_EQ(static_key("/"), "/index.html");
  EXPECT_EQ(static_key("/app.js"), "/app.js");
  EXPECT_EQ(static_key("/img/"), "/img/index.html");
  EXPECT_EQ(static_key("/img/a%20b.png"), "/img/a b.png");
  EXPECT_EQ(static_key("/a+b.css"), "/a+b.css");  // '+' is a plus in a path, not a space
}

TEST(StaticKey, TraversalAndOddFormsAreRefused) {
  for (const char* path :
       {"",        "app.js", "/..",        "/../x",     "/a/../b", "/./a",    "/a/./b",
        "//a",     "/a//b",  "/%2e%2e/x",  "/%2E%2e/x", "/.%2e/x", "/..%2fx", "/a%2f..%2f..%2fb",
        "/..%5cx", "/a\\b",  "/a%00.html", "/%",        "/%4",     "/%zz",    "/a%2f%2fb"}) {
    EXPECT_FALSE(static_key(path).has_value()) << path;
  }
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("data.bin"), "application/octet-stream");
}

class StaticSiteTest : public ::testing::Test {
 protected:
  StaticSiteTest() {
    dir_.write("index.html", "<p>hi</p>");
    dir_.write("app.js", "run();");
    dir_.write(".secret", "hidden");
    std::filesystem::create_directories(dir_.file("img"));
    dir_.write("img/logo.svg", "<svg/>");
  }
  test::TempDir dir_;
};

TEST_F(StaticSiteTest, LoadsEveryVisibleFileWithHeaders) {
  auto site = StaticSite::load(dir_.path());
  EXPECT_EQ(site.size(), 3u);
  const StaticFile* index = site.find("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->body, "<p>hi</p>");
  EXPECT_EQ(index->cache_control, "no-cache");
  const StaticFile* script = site.find("/app.js");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->cache_control, "public, max-age=300");
  EXPECT_NE(script->etag, index->etag);
  EXPECT_TRUE(script->etag.starts_with('"') && script->etag.ends_with('"'));
  EXPECT_NE(site.find("/img/logo.svg"), nullptr);
  EXPECT_EQ(site.find("/.secret"), nullptr);
  EXPECT_EQ(site.find("/img/../app.js"), nullptr);
}

TEST_F(StaticSiteTest, AMissingFolderIsAnError) {
  EXPECT_THROW(StaticSite::load(dir_.file("nope")), std::runtime_error);
}

TEST_F(StaticSiteTest, RoutesAnswerRevalidationAndLeaveOtherPathsAlone) {
  WebRoutes routes(StaticSite::load(dir_.path()), nullptr);
  const RequestParams none = RequestParams::parse("/", "", "");
  auto page = routes.answer({"GET", "/", "", none});
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->http_status(), 200);
  EXPECT_EQ(page->body(), "<p>hi</p>");
  const std::string etag = StaticSite::load(dir_.path()).find("/")->etag;
  auto again = routes.answer({"GET", "/", "W/\"x\", " + etag, none});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->http_status(), 304);
  EXPECT_FALSE(again->send_body);
  EXPECT_FALSE(routes.answer({"GET", "/missing", "", none}).has_value());
  EXPECT_FALSE(routes.answer({"POST", "/", "", none}).has_value());
  // Demo sign-in is off: its path is unknown like any other.
  EXPECT_FALSE(routes.answer({"POST", "/demo/login", "", none}).has_value());
}

}  // namespace
}  // namespace seckill::proxy
