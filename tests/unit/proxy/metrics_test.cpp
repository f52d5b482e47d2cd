#include "proxy/metrics.hpp"

#include <gtest/gtest.h>

#include "tests/support/prometheus_text.hpp"

namespace seckill::proxy {
namespace {

using namespace std::chrono_literals;

TEST(Metrics, EndpointsByPath) {
  EXPECT_EQ(endpoint_of("/seckill"), Endpoint::kSeckill);
  EXPECT_EQ(endpoint_of("/metrics"), Endpoint::kMetrics);
  EXPECT_EQ(endpoint_of("/nope"), Endpoint::kOther);
  EXPECT_EQ(endpoint_name(Endpoint::kResult), "result");
}

TEST(Metrics, RendersValidExpositionWithTheCounts) {
  ProxyMetrics metrics;
  metrics.record(Endpoint::kSeckill, Code::kPurchased, 2ms);
  metrics.record(Endpoint::kSeckill, Code::kPurchased, 40ms);
  metrics.record(Endpoint::kSeckill, Code::kSoldOut, 200us);
  metrics.record(Endpoint::kHealthz, Code::kOk, 10us);
  metrics.record(Endpoint::kOther, Code::kNotFound, 5s);
  ProxyStats stats;
  stats.late_replies = 7;
  ProxyGauges gauges{.channel_depth = 3,
                     .channel_capacity = 100,
                     .pending = 9,
                     .pending_capacity = 1000,
                     .redis_up = true};
  auto page = test::parse_prometheus_text(metrics.render(stats, gauges));
  for (const auto& error : page.errors) ADD_FAILURE() << error;
  auto& s = page.samples;
  EXPECT_EQ(s[R"(seckill_proxy_requests_total{endpoint="seckill",code="0"})"], 2);
  EXPECT_EQ(s[R"(seckill_proxy_requests_total{endpoint="seckill",code="1001"})"], 1);
  EXPECT_EQ(s[R"(seckill_proxy_requests_total{endpoint="other",code="4004"})"], 1);
  EXPECT_EQ(s[R"(seckill_proxy_request_duration_seconds_bucket{endpoint="seckill",le="0.0005"})"],
            1);
  EXPECT_EQ(s[R"(seckill_proxy_request_duration_seconds_bucket{endpoint="seckill",le="0.0025"})"],
            2);
  EXPECT_EQ(s[R"(seckill_proxy_request_duration_seconds_bucket{endpoint="seckill",le="+Inf"})"], 3);
  EXPECT_EQ(s[R"(seckill_proxy_request_duration_seconds_count{endpoint="other"})"], 1);
  EXPECT_NEAR(s[R"(seckill_proxy_request_duration_seconds_sum{endpoint="seckill"})"], 0.0422, 1e-6);
  EXPECT_EQ(s["seckill_proxy_queue_depth"], 3);
  EXPECT_EQ(s["seckill_proxy_in_flight"], 9);
  EXPECT_EQ(s["seckill_proxy_redis_up"], 1);
  EXPECT_EQ(s["seckill_proxy_late_replies_total"], 7);
}

TEST(PrometheusText, TheCheckerCatchesBadPages) {
  EXPECT_FALSE(test::parse_prometheus_text("no_type_line 1\n").errors.empty());
  EXPECT_FALSE(test::parse_prometheus_text("# TYPE x counter\nx{bad} 1\n").errors.empty());
  EXPECT_FALSE(test::parse_prometheus_text("# TYPE x counter\nx one\n").errors.empty());
  EXPECT_FALSE(test::parse_prometheus_text(
                   "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 4\n")
                   .errors.empty());
}

}  // namespace
}  // namespace seckill::proxy
