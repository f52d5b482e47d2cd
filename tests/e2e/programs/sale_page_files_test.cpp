// The sale page's files as the real proxy serves them: content types, cache headers, ETag
// revalidation, HEAD, traversal attempts refused with 404, and the demo sign-in's switch and
// cookies. (The page's behaviour in a browser is tests/browser.)
#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/token/token.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/seckill/cluster.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::test {
namespace {

class SalePageFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ClusterOptions options;
    options.logics = 0;  // files and sign-in need no decisions
    options.proxy_extra = sale_page_config(true);
    cluster_ = new Cluster(options);
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  static int port() { return cluster_->proxy_port(0); }
  static Cluster* cluster_;
};

Cluster* SalePageFiles::cluster_ = nullptr;

TEST_F(SalePageFiles, RootIsThePageWithTheRightHeaders) {
  HttpClient client(port());
  auto page = client.get("/");
  ASSERT_EQ(page.status, 200) << page.error;
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(page.headers["cache-control"], "no-cache");
  EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(page.headers["x-frame-options"], "DENY");
  EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_NE(page.body.find("<script src=\"app.js\""), std::string::npos);
  EXPECT_EQ(client.get("/index.html").body, page.body);
}

TEST_F(SalePageFiles, EveryFileHasItsContentType) {
  HttpClient client(port());
  const std::pair<const char*, const char*> files[] = {
      {"/app.js", "text/javascript; charset=utf-8"},
      {"/style.css", "text/css; charset=utf-8"},
      {"/favicon.svg", "image/svg+xml"},
  };
  for (const auto& [path, type] : files) {
    auto answer = client.get(path);
    ASSERT_EQ(answer.status, 200) << path;
    EXPECT_EQ(answer.headers["content-type"], type) << path;
    EXPECT_EQ(answer.headers["cache-control"], "public, max-age=300") << path;
    EXPECT_FALSE(answer.body.empty()) << path;
  }
}

TEST_F(SalePageFiles, AKnownETagGetsNotModifiedWithoutABody) {
  HttpClient client(port());
  auto first = client.get("/app.js");
  const std::string etag = first.headers["etag"];
  ASSERT_FALSE(etag.empty());
  auto again = client.request("GET", "/app.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers["etag"], etag);
  auto other = client.request("GET", "/app.js", {{"If-None-Match", "\"something-else\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, first.body);
  // The connection is still in step after a 304 (no stray body bytes).
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(SalePageFiles, HeadGivesTheHeadAlone) {
  HttpClient client(port());
  auto full = client.get("/style.css");
  auto head = client.request("HEAD", "/style.css");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.headers["content-length"], std::to_string(full.body.size()));
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(SalePageFiles, UnknownPathsAndTraversalAttemptsAre404) {
  HttpClient client(port());
  const char* paths[] = {
      "/nothing-here.html",
      "/../config/proxy.json",
      "/..",
      "/%2e%2e/config/proxy.json",
      "/%2E%2E/%2E%2E/etc/passwd",
      "/..%2fconfig%2fproxy.json",
      "/.%2e/static_site.cpp",
      "/%252e%252e/config/proxy.json",
      "/..%5cconfig%5cproxy.json",
      "/app.js%00.html",
      "//etc/passwd",
      "/./app.js",
      "/%",
      "/.hidden",
  };
  for (const char* path : paths) {
    auto answer = client.get(path);
    EXPECT_EQ(answer.status, 404) << path;
    EXPECT_EQ(answer.code, 4004) << path;
  }
  // Only GET and HEAD read files.
  auto post = client.request("POST", "/app.js");
  EXPECT_EQ(post.status, 404);
}

TEST_F(SalePageFiles, DemoSignInSetsTheCookiesTheApiAccepts) {
  HttpClient client(port());
  auto probe = client.get("/demo/login");
  EXPECT_EQ(probe.code, 0);
  auto login =
      client.request("POST", "/demo/login", {{"Content-Type", "application/x-www-form-urlencoded"}},
                     "user_id=4242");
  ASSERT_EQ(login.code, 0) << login.body;
  const std::string cookies = login.headers["set-cookie"];
  EXPECT_NE(cookies.find("user_id=4242; Path=/"), std::string::npos) << cookies;
  // A v2 token that lives as long as the cookies do (tokens.lifetime_s, a day by default).
  const std::size_t start = cookies.find("token=");
  ASSERT_NE(start, std::string::npos) << cookies;
  const std::size_t end = cookies.find(';', start);
  const std::string token = cookies.substr(start + 6, end - start - 6);
  TokenConfig keys;
  finalize_token_config(keys, Cluster::kSecret);
  const TokenKeyring proxy_keys(keys, Cluster::kSecret);
  const std::int64_t now_s = unix_ms_now() / 1000;
  EXPECT_EQ(proxy_keys.check(4242, token, now_s), TokenCheck::kValid) << token;
  EXPECT_EQ(proxy_keys.check(4242, token, now_s + 86401), TokenCheck::kExpired) << token;
  EXPECT_NE(cookies.find("Max-Age=86400"), std::string::npos) << cookies;
  auto with_cookie = client.request("GET", "/result?product_id=1",
                                    {{"Cookie", "user_id=4242; token=" + token}}, "");
  EXPECT_NE(with_cookie.code, 4001) << with_cookie.body;
  EXPECT_NE(cookies.find("HttpOnly"), std::string::npos) << cookies;
  EXPECT_NE(cookies.find("SameSite=Strict"), std::string::npos) << cookies;

  auto bad = client.request("POST", "/demo/login",
                            {{"Content-Type", "application/x-www-form-urlencoded"}}, "user_id=abc");
  EXPECT_EQ(bad.code, 4000);
  EXPECT_NE(bad.message.find("user_id"), std::string::npos) << bad.message;
  EXPECT_TRUE(bad.headers["set-cookie"].empty());
}

TEST(SalePageSwitches, DemoSignInIsOffUnlessConfigured) {
  ClusterOptions options;
  options.logics = 0;
  options.proxy_extra = sale_page_config(false);
  Cluster cluster(options);
  HttpClient client(cluster.proxy_port(0));
  EXPECT_EQ(client.get("/").status, 200);
  auto login = client.request("POST", "/demo/login",
                              {{"Content-Type", "application/x-www-form-urlencoded"}}, "user_id=1");
  EXPECT_EQ(login.status, 404);
  EXPECT_TRUE(login.headers["set-cookie"].empty());
}

TEST(SalePageSwitches, NoStaticDirMeansNoPage) {
  ClusterOptions options;
  options.logics = 0;
  Cluster cluster(options);
  HttpClient client(cluster.proxy_port(0));
  EXPECT_EQ(client.get("/").status, 404);
}

TEST(SalePageSwitches, AMissingStaticDirIsAConfigErrorNamingTheKey) {
  TempDir dir;
  auto result =
      run_program({binary_path("seckill-proxy"), "--config",
                   dir.write("p.json", R"({"secret":"s","web":{"static_dir":"no-such-folder"}})")});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.output.find("web.static_dir"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace seckill::test
