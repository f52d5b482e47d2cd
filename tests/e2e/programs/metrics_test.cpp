// /metrics through the real proxy: a valid Prometheus page whose counters match what was sent.
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/prometheus_text.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

TEST(Metrics, CountersMatchTheRequestsSent) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 1)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  auto before = parse_prometheus_text(client.get("/metrics").body);
  const std::string healthz = R"(seckill_proxy_requests_total{endpoint="healthz",code="0"})";
  const double healthz_before = before.samples[healthz];  // wait_ready asked too

  for (int i = 0; i < 3; ++i) client.get("/seckill?product_id=x");
  for (int i = 0; i < 2; ++i) client.get("/healthz");
  EXPECT_EQ(client.get("/seckill?" + buyer_query(1, 5, Cluster::kSecret)).code, 0);
  EXPECT_EQ(client.get("/seckill?" + buyer_query(1, 6, Cluster::kSecret)).code, 1001);

  auto answer = client.get("/metrics");
  EXPECT_EQ(answer.status, 200);
  auto page = parse_prometheus_text(answer.body);
  for (const auto& error : page.errors) ADD_FAILURE() << error;
  auto& s = page.samples;
  EXPECT_EQ(s[R"(seckill_proxy_requests_total{endpoint="seckill",code="4000"})"], 3);
  EXPECT_EQ(s[healthz], healthz_before + 2);
  EXPECT_EQ(s[R"(seckill_proxy_requests_total{endpoint="seckill",code="0"})"], 1);
  EXPECT_EQ(s[R"(seckill_proxy_requests_total{endpoint="seckill",code="1001"})"], 1);
  EXPECT_EQ(s[R"(seckill_proxy_request_duration_seconds_count{endpoint="seckill"})"], 5);
  EXPECT_EQ(s["seckill_proxy_queued_total"], 1)
      << "the purchase took the last unit (left 0), so the next one is answered from memory";
  EXPECT_EQ(s["seckill_proxy_redis_up"], 1);
  EXPECT_EQ(s["seckill_proxy_in_flight"], 0);
}

// The standard process_* families, and Redis failures counted whichever thread saw them: with
// Redis away and no purchase sent, only the readers and the refresher fail, and they count.
TEST(Metrics, ProcessFiguresAndEveryThreadsRedisFailures) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 1)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  const auto head = client.request("HEAD", "/metrics", {}, "");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  auto page = parse_prometheus_text(client.get("/metrics").body);
  for (const auto& error : page.errors) ADD_FAILURE() << error;
  auto& s = page.samples;
  EXPECT_GT(s["process_resident_memory_bytes"], 1e6);
  EXPECT_GT(s["process_open_fds"], 3);
  EXPECT_GE(s["process_max_fds"], s["process_open_fds"]);
  EXPECT_EQ(s.count("process_cpu_seconds_total"), 1u) << "an idle proxy may have used under a tick";
  const double started = s["process_start_time_seconds"];
  const double now = static_cast<double>(unix_ms_now()) / 1000;
  EXPECT_LT(started, now + 1);
  EXPECT_GT(started, now - 600) << "started within the test, to the second";
  const double failures_before = s["seckill_proxy_redis_connection_failures_total"];
  const double reconnects_before = s["seckill_proxy_redis_reconnects_total"];

  cluster.redis().stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  cluster.redis().restart();
  cluster.load_products(products_json({product_on_sale(1, 1)}));
  cluster.wait_ready(1);
  auto after = parse_prometheus_text(client.get("/metrics").body).samples;
  EXPECT_GT(after["seckill_proxy_redis_connection_failures_total"], failures_before);
  EXPECT_GT(after["seckill_proxy_redis_reconnects_total"], reconnects_before);
}

// With metrics_port, /metrics and /healthz move to an admin listener: the public port no longer
// shows them, the admin one does.
TEST(Metrics, AnAdminListenerKeepsThemOffThePublicPort) {
  const int admin_port = free_port();
  ClusterOptions options;
  options.proxy_extra = R"("metrics_port":)" + std::to_string(admin_port);
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 1)}));
  HttpClient admin(admin_port);
  EXPECT_TRUE([&] {
    for (int i = 0; i < 100; ++i) {
      if (admin.get("/healthz").status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }());
  auto page = admin.get("/metrics");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("seckill_proxy_requests_total"), std::string::npos) << page.body;
  for (const char* path : {"/metrics", "/healthz"}) {
    const auto head = admin.request("HEAD", path, {}, "");
    EXPECT_EQ(head.status, 200) << "HEAD " << path << " answers as GET does, for a probe";
    EXPECT_TRUE(head.body.empty()) << path;
  }
  HttpClient client(cluster.proxy_port(0));
  EXPECT_EQ(client.get("/metrics").status, 404);
  EXPECT_EQ(client.get("/healthz").status, 404);
  for (int i = 0; i < 100 && client.get("/secinfo?product_id=1").code != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(client.get("/seckill?" + buyer_query(1, 5, Cluster::kSecret)).code, 0)
      << "the public port sells as usual";
}

}  // namespace
}  // namespace seckill::test

namespace seckill::test {
namespace {

TEST(AccessLog, OneLinePerSampledRequestWithoutTheToken) {
  ClusterOptions options;
  options.proxy_extra = R"("access_log_sample":1)";
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 5)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  const std::string query = buyer_query(1, 31, Cluster::kSecret);
  EXPECT_EQ(client.get("/seckill?" + query).code, 0);
  const std::string token = query.substr(query.find("token=") + 6);
  const std::string log = cluster.proxy(0).log_tail(1 << 20);
  EXPECT_NE(log.find("access path=/seckill ip=127.0.0.1 user=31 product=1 code=0"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find(token), std::string::npos) << "the token must never be logged";
}

}  // namespace
}  // namespace seckill::test

namespace seckill::test {
namespace {

TEST(LogicMetrics, ServedOnTheMetricsPortAndCounting) {
  const int port = free_port();
  ClusterOptions options;
  options.logic_extra = "\"metrics_port\":" + std::to_string(port);
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 2)}));
  cluster.wait_ready(1);
  auto answers =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 5), 1, Cluster::kSecret);
  HttpClient client(port);
  // The logic counts a decision just after Redis has pushed its reply, so a client can hear its
  // answer a moment before the counter moves: poll briefly.
  PrometheusPage page;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  do {
    page = parse_prometheus_text(client.get("/metrics").body);
  } while (page.samples[R"(seckill_logic_decisions_total{code="0"})"] < 2 &&
           std::chrono::steady_clock::now() < give_up);
  for (const auto& error : page.errors) ADD_FAILURE() << error;
  EXPECT_EQ(page.samples[R"(seckill_logic_decisions_total{code="0"})"], 2);
  EXPECT_GE(page.samples["seckill_logic_batch_seconds_count"], 1);
  EXPECT_EQ(page.samples["seckill_logic_malformed_total"], 0);
  EXPECT_EQ(client.get("/other").status, 404);
}

}  // namespace
}  // namespace seckill::test
