// Every rejection the API lists, through the real proxy, and garbage on the socket.
#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/token/token.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new Cluster();
    const long long now = unix_ms_now();
    cluster_->load_products(products_json({
        product_on_sale(1, 10),
        product_object(2, 10, now + 3'600'000, now + 7'200'000),  // not started
        product_object(3, 10, now - 7'200'000, now - 3'600'000),  // ended
        product_on_sale(4, 0),                                    // sold out
    }));
    cluster_->wait_ready(4);
  }
  static void TearDownTestSuite() {
    // Whatever the bad input did, the invariants hold.
    auto audit = cluster_->admin({"audit"});
    EXPECT_EQ(audit.status, 0) << audit.output;
    delete cluster_;
    cluster_ = nullptr;
  }
  static HttpAnswer get(const std::string& target) {
    HttpClient client(cluster_->proxy_port(0));
    return client.get(target);
  }
  static std::string token(long long user) { return make_token(Cluster::kSecret, user); }

  static Cluster* cluster_;
};

Cluster* BadInputTest::cluster_ = nullptr;

TEST_F(BadInputTest, MalformedParametersAre4000NamingThem) {
  const std::string t = "&token=" + token(5);
  const std::pair<std::string, std::string> cases[] = {
      {"/seckill?user_id=5" + t, "product_id"},
      {"/seckill?product_id=&user_id=5" + t, "product_id"},
      {"/seckill?product_id=abc&user_id=5" + t, "product_id"},
      {"/seckill?product_id=-1&user_id=5" + t, "product_id"},
      {"/seckill?product_id=0&user_id=5" + t, "product_id"},
      {"/seckill?product_id=1.5&user_id=5" + t, "product_id"},
      {"/seckill?product_id=9223372036854775808&user_id=5" + t, "product_id"},
      {"/seckill?product_id=1" + t, "user_id"},
      {"/seckill?product_id=1&user_id=x" + t, "user_id"},
      {"/seckill?product_id=1&user_id=%20" + t, "user_id"},
      {"/result?product_id=1&user_id=99999999999999999999" + t, "user_id"},
  };
  for (const auto& [target, name] : cases) {
    auto answer = get(target);
    EXPECT_EQ(answer.status, 400) << target;
    EXPECT_EQ(answer.code, 4000) << target;
    EXPECT_NE(answer.message.find(name), std::string::npos) << target << " -> " << answer.message;
  }
}

TEST_F(BadInputTest, BadTokenIs4001) {
  const std::string targets[] = {
      "/seckill?product_id=1&user_id=5",
      "/seckill?product_id=1&user_id=5&token=", "/seckill?product_id=1&user_id=5&token=" + token(6),
      "/result?product_id=1&user_id=5&token=abc"};
  for (const std::string& target : targets) {
    auto answer = get(target);
    EXPECT_EQ(answer.status, 401) << target;
    EXPECT_EQ(answer.code, 4001) << target;
  }
}

TEST_F(BadInputTest, SaleStateIsAnsweredFromMemory) {
  const std::string who = "&user_id=5&token=" + token(5);
  auto unknown = get("/seckill?product_id=99" + who);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.code, 4004);
  auto early = get("/seckill?product_id=2" + who);
  EXPECT_EQ(early.code, 1003);
  EXPECT_NE(early.body.find("\"start\""), std::string::npos) << early.body;
  EXPECT_EQ(get("/seckill?product_id=3" + who).code, 1004);
  EXPECT_EQ(get("/seckill?product_id=4" + who).code, 1001);
}

TEST_F(BadInputTest, UnknownPathsAndMethods) {
  auto path = get("/nope");
  EXPECT_EQ(path.status, 404);
  EXPECT_EQ(path.code, 4004);
  HttpClient client(cluster_->proxy_port(0));
  auto method = client.request("DELETE", "/seckill");
  EXPECT_EQ(method.status, 400);
  EXPECT_EQ(method.code, 4000);
}

TEST_F(BadInputTest, SecinfoDescribesProducts) {
  auto all = get("/secinfo");
  EXPECT_EQ(all.code, 0);
  EXPECT_NE(all.body.find("\"state\":\"upcoming\""), std::string::npos);
  EXPECT_NE(all.body.find("\"state\":\"ended\""), std::string::npos);
  EXPECT_NE(all.body.find("\"state\":\"sold_out\""), std::string::npos);
  EXPECT_NE(all.body.find("\"state\":\"active\""), std::string::npos);
  auto one = get("/secinfo?product_id=1");
  EXPECT_NE(one.body.find("\"total\":10"), std::string::npos);
  EXPECT_EQ(get("/secinfo?product_id=99").code, 4004);
  EXPECT_EQ(get("/secinfo?product_id=x").code, 4000);
}

TEST_F(BadInputTest, GarbageOnTheSocketLeavesTheProxyHealthy) {
  HttpClient client(cluster_->proxy_port(0), std::chrono::seconds(3));
  const std::string garbage[] = {
      std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),  // a TLS hello
      "GARBAGE\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "GET /seckill HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /seckill HTTP/1.1\r\nContent-Length: 999999999\r\n\r\nabc",
      "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n",
      std::string(3000, '\0'),
  };
  for (const auto& bytes : garbage) client.raw(bytes);
  auto health = get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_TRUE(cluster_->proxy(0).running());
  auto buy = get("/seckill?product_id=1&user_id=11&token=" + token(11));
  EXPECT_EQ(buy.code, 0) << buy.body;
}

}  // namespace
}  // namespace seckill::test
