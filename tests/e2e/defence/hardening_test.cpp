// Faults and hostile inputs that once broke a promise, against the real binaries and a real
// redis-server: each test holds one fix of the hardening round.
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "common/redis/redis_client.hpp"
#include "common/store/redis_keys.hpp"
#include "common/token/token.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/prometheus_text.hpp"
#include "tests/support/seckill/buyers.hpp"
#include "tests/support/seckill/cluster.hpp"
#include <signal.h>
#include <unistd.h>

namespace seckill::test {
namespace {

// Product 1 is loaded without a pin: it lives in the group its id hashes to.
const keys::GroupId kGroupOf1 = keys::default_group(1, keys::kDefaultGroups);

using namespace std::chrono_literals;

std::string token(long long user) {
  return make_token(Cluster::kSecret, user);
}

// Polls `probe` every 50 ms until it is true or `limit` passes.
template <class Probe>
bool eventually(Probe probe, std::chrono::milliseconds limit = 10s) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (probe()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return probe();
}

// Redis at maxclients writes an error and closes: the tiers used to die of SIGPIPE on their next
// write. They ignore SIGPIPE, answer 5003 meanwhile and come back by themselves.
TEST(Hardening, RedisClosingAfterAnErrorKillsNoTierAndTheyRecover) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  cluster.proxy(0).signal(SIGPIPE);
  cluster.logic(0).signal(SIGPIPE);
  RedisClient holder(cluster.redis().config());  // our way back in
  ASSERT_TRUE(holder.command({"CONFIG", "SET", "maxclients", "1"}));
  ASSERT_TRUE(holder.command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}));
  HttpClient client(cluster.proxy_port(0));
  EXPECT_TRUE(eventually([&] { return client.get("/healthz").status == 503; }));
  auto refused = client.get("/seckill?" + buyer_query(1, 1, Cluster::kSecret));
  EXPECT_EQ(refused.code, 5003) << refused.body;
  EXPECT_LT(refused.elapsed, 1000ms) << "fails fast";
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(cluster.proxy(0).running()) << cluster.proxy(0).log_tail();
  EXPECT_TRUE(cluster.logic(0).running()) << cluster.logic(0).log_tail();
  ASSERT_TRUE(holder.command({"CONFIG", "SET", "maxclients", "10000"}));
  EXPECT_TRUE(eventually([&] { return client.get("/healthz").status == 200; }));
  EXPECT_TRUE(eventually(
      [&] { return client.get("/seckill?" + buyer_query(1, 2, Cluster::kSecret)).code == 0; }));
}

// A proxy started while Redis is away knows no products yet: that is not "no products". Until it
// has read them once, purchases and /result are 5003 and /secinfo is 503, never 4004 or an
// empty list; once Redis is back it answers as usual.
TEST(Hardening, AProxyStartedWithoutRedisKnowsItKnowsNoProducts) {
  ClusterOptions options;
  options.redis_args = {"--appendonly", "yes", "--appendfsync", "always"};
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 5)}));
  cluster.wait_ready(1);
  // Stopped cleanly, the first proxy gives its id back (a killed one's lease would hold the id
  // until it runs out, with the AOF keeping it across the restart).
  cluster.proxy(0).signal(SIGTERM);
  ASSERT_EQ(cluster.proxy(0).wait_exit(std::chrono::seconds(10)), 0);
  cluster.redis().stop();
  cluster.start_proxy(0);
  HttpClient client(cluster.proxy_port(0));
  auto bought = client.get("/seckill?" + buyer_query(1, 1, Cluster::kSecret));
  EXPECT_EQ(bought.code, 5003) << bought.body;
  auto result = client.get("/result?" + buyer_query(1, 1, Cluster::kSecret));
  EXPECT_EQ(result.code, 5003) << result.body;
  auto listed = client.get("/secinfo");
  EXPECT_EQ(listed.status, 503) << listed.body;
  EXPECT_EQ(listed.code, 5003) << listed.body;
  EXPECT_EQ(client.get("/secinfo?product_id=1").code, 5003);

  cluster.redis().restart();  // the products come back with the AOF
  cluster.wait_ready(1);
  HttpAnswer last;
  EXPECT_TRUE(eventually([&] {
    last = client.get("/seckill?" + buyer_query(1, 2, Cluster::kSecret));
    return last.code == 0 || last.code == 1002;
  })) << last.status
      << " " << last.body << "\nproxy:\n"
      << cluster.proxy(0).log_tail() << "\nlogic:\n"
      << cluster.logic(0).log_tail();
  EXPECT_EQ(client.get("/secinfo").status, 200);
  EXPECT_EQ(client.get("/seckill?" + buyer_query(7, 2, Cluster::kSecret)).code, 4004)
      << "now an unknown product is known to be unknown";
}

// Seconds of CPU (user + system) `pid` has used.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  long long ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stoll(field);  // utime, stime
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Out of file descriptors, accept() fails at once for as long as the backlog holds connections:
// the listener used to retry at once and burn a core. It pauses, counts, and accepts again once
// descriptors are free.
TEST(Hardening, RunningOutOfDescriptorsDoesNotSpin) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  const int port = free_port();
  ChildProcess proxy;
  proxy.start({"/usr/bin/prlimit", "--nofile=48:48", binary_path("seckill-proxy"), "--config",
               cluster.dir().file("proxy.json"), "--port", std::to_string(port), "--proxy-id",
               "e2e-fd-limited"},
              cluster.dir().file("fd-limited.log"));
  ASSERT_TRUE(eventually([&] { return HttpClient(port, 500ms).get("/healthz").status == 200; }))
      << proxy.log_tail();
  boost::asio::io_context ioc;
  std::vector<boost::asio::ip::tcp::socket> clients;
  for (int i = 0; i < 80; ++i) {
    clients.emplace_back(ioc);
    boost::system::error_code ec;
    clients.back().connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  }
  std::this_thread::sleep_for(300ms);
  const double before = cpu_seconds(proxy.pid());
  std::this_thread::sleep_for(1s);
  const double used = cpu_seconds(proxy.pid()) - before;
  EXPECT_LT(used, 0.3) << "seconds of CPU in one second while accept() fails";
  clients.clear();  // descriptors free again
  HttpClient client(port, 2s);
  EXPECT_TRUE(eventually([&] { return client.get("/healthz").status == 200; }));
  auto page = parse_prometheus_text(client.get("/metrics").body);
  EXPECT_GT(page.samples["seckill_proxy_accept_errors_total"], 0);
  EXPECT_TRUE(proxy.running());
}

// 200,000 nested arrays on the request queue and on the proxy's reply list used to crash the
// logic and the proxy (SIGSEGV, and again after every restart); a nested products file crashed
// seckill-admin. Now: dead-lettered, dropped, exit 2.
TEST(Hardening, DeeplyNestedJsonIsRefusedEverywhere) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  cluster.redis().command({"RPUSH", keys::requests(kGroupOf1), deep});
  cluster.redis().command({"RPUSH", "seckill:reply:{e2e-proxy-0}", deep});
  HttpClient client(cluster.proxy_port(0));
  auto buy = client.get("/seckill?" + buyer_query(1, 1, Cluster::kSecret));
  EXPECT_EQ(buy.code, 0) << buy.body;
  EXPECT_TRUE(eventually([&] {
    return cluster.redis().command({"LLEN", keys::kDeadLetters}) == "1";
  }));
  EXPECT_TRUE(cluster.proxy(0).running());
  EXPECT_TRUE(cluster.logic(0).running());
  auto load =
      cluster.admin({"load", cluster.dir().write("deep.json", R"({"products":)" + deep + "}")});
  EXPECT_EQ(load.status, 2) << load.output;
  EXPECT_NE(load.output.find("nested deeper than 64 levels"), std::string::npos) << load.output;
}

// A balancer that adds its own X-Forwarded-For line: the lines are one list, the right-most
// untrusted hop is the client, and hops may carry ports.
TEST(Hardening, EveryForwardedForLineCounts) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  ASSERT_EQ(cluster.admin({"block", "ip", "198.51.100.7"}).status, 0);
  ASSERT_TRUE(eventually([&] {
    HttpClient probe(cluster.proxy_port(0));
    return probe
               .request("GET", "/seckill?" + buyer_query(1, 99, Cluster::kSecret),
                        {{"X-Forwarded-For", "198.51.100.7"}})
               .code == 4003;
  }));
  HttpClient client(cluster.proxy_port(0));
  // Raw bytes: two header lines of one name.
  const std::string target = "/seckill?" + buyer_query(1, 5, Cluster::kSecret);
  auto two_lines = client.raw("GET " + target +
                              " HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.1\r\n"
                              "X-Forwarded-For: 198.51.100.7:4433\r\nConnection: close\r\n\r\n");
  EXPECT_NE(two_lines.find("\"code\":4003"), std::string::npos) << two_lines;
  auto spoofed = client.raw("GET " + target +
                            " HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.7\r\n"
                            "X-Forwarded-For: [2001:db8::5]:80\r\nConnection: close\r\n\r\n");
  EXPECT_NE(spoofed.find("\"code\":0"), std::string::npos)
      << "a spoofed first line does not get the buyer banned: " << spoofed;
}

// Small HTTP gaps: a second Cookie line, an upper-case form Content-Type, HEAD /metrics.
TEST(Hardening, CookieLinesFormTypesAndHead) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  auto cookies = client.raw(
      "GET /seckill?product_id=1 HTTP/1.1\r\nHost: x\r\nCookie: user_id=7\r\n"
      "Cookie: token=" +
      token(7) + "\r\nConnection: close\r\n\r\n");
  EXPECT_NE(cookies.find("\"code\":0"), std::string::npos) << cookies;
  auto form = client.request("POST", "/seckill",
                             {{"Content-Type", "Application/X-WWW-Form-URLEncoded; Charset=UTF-8"}},
                             buyer_query(1, 8, Cluster::kSecret));
  EXPECT_EQ(form.code, 0) << form.body;
  for (const std::string path : {"/metrics", "/healthz", "/secinfo"}) {
    auto head = client.request("HEAD", path);
    EXPECT_EQ(head.status, 200) << path;
    EXPECT_TRUE(head.body.empty()) << path;
  }
  EXPECT_EQ(client.request("HEAD", "/seckill?" + buyer_query(1, 9, Cluster::kSecret)).status, 400)
      << "HEAD never buys";
}

// A purchase that arrives late in a keep-alive connection's idle window waits for its answer
// (here 5004, logic being stopped) instead of being cut with none.
TEST(Hardening, TheIdleTimerNeverCutsAWaitingPurchase) {
  ClusterOptions options;
  options.request_timeout_ms = 1000;
  options.proxy_extra = R"("http":{"io_timeout_ms":1000})";
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  cluster.logic(0).signal(SIGSTOP);
  HttpClient client(cluster.proxy_port(0));
  ASSERT_EQ(client.get("/healthz").status, 200);
  std::this_thread::sleep_for(800ms);
  auto late = client.get("/seckill?" + buyer_query(1, 1, Cluster::kSecret));
  EXPECT_EQ(late.status, 504) << late.error;
  EXPECT_EQ(late.code, 5004) << late.body;
  cluster.logic(0).signal(SIGCONT);
}

TEST(Hardening, AnIdleTimeoutShorterThanTheRequestTimeoutIsRefused) {
  TempDir dir;
  auto result = run_program({binary_path("seckill-proxy"), "--config",
                             dir.write("proxy.json", R"({"secret":"s","request_timeout_ms":3000,)"
                                                     R"("http":{"io_timeout_ms":2000}})")});
  EXPECT_EQ(result.status, 2) << result.output;
  EXPECT_NE(result.output.find("http.io_timeout_ms"), std::string::npos) << result.output;
}

// Redis's idle `timeout` closed the writers' connections between sales: the first burst got
// 5003 for most buyers while Redis was up.
TEST(Hardening, RedisIdleTimeoutCostsTheFirstBurstNothing) {
  ClusterOptions options;
  options.redis_args = {"--timeout", "1"};
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 1000)}));
  cluster.wait_ready(1);
  std::this_thread::sleep_for(2500ms);
  auto answers =
      buy_concurrently({cluster.proxy_port(0)}, 1, user_range(1, 300), 30, Cluster::kSecret);
  EXPECT_EQ(count_code(answers, 5003), 0);
  EXPECT_EQ(count_code(answers, 0), 300);
}

// Two proxies with one id took each other's replies. A live duplicate is refused (exit 2).
TEST(Hardening, ASecondLiveProxyWithTheSameIdIsRefused) {
  Cluster cluster;
  auto twin =
      run_program({binary_path("seckill-proxy"), "--config", cluster.dir().file("proxy.json"),
                   "--port", "0", "--proxy-id", "e2e-proxy-0"},
                  20s);
  EXPECT_EQ(twin.status, 2) << twin.output;
  EXPECT_NE(twin.output.find("proxy_id 'e2e-proxy-0' is in use by a live process"),
            std::string::npos)
      << twin.output;
  HttpClient client(cluster.proxy_port(0));
  EXPECT_EQ(client.get("/healthz").status, 200) << "the first keeps its id";
  auto logic_twin = run_program({binary_path("seckill-logic"), "--config",
                                 cluster.dir().file("logic.json"), "--logic-id", "e2e-logic-0"},
                                20s);
  EXPECT_EQ(logic_twin.status, 2) << logic_twin.output;
  EXPECT_NE(logic_twin.output.find("logic_id 'e2e-logic-0' is in use"), std::string::npos)
      << logic_twin.output;
}

// A flood of bad tokens from one address counts against that address like any other request.
TEST(Hardening, BadTokenFloodsAreThrottled) {
  ClusterOptions options;
  options.guard_json = R"("guard":{"ip_per_second":20,"ip_per_minute":100000})";
  Cluster cluster(options);
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  HttpClient client(cluster.proxy_port(0));
  int limited = 0;
  for (int i = 0; i < 60; ++i) {
    limited += client.get("/seckill?product_id=1&user_id=5&token=bad").code == 4029 ? 1 : 0;
  }
  EXPECT_GE(limited, 30) << "at most 20 a second get as far as the token check";
}

// With an evicting maxmemory-policy Redis could drop order streams: the proxy reports unhealthy
// and refuses purchases, and says why.
TEST(Hardening, AnEvictingRedisMakesTheProxyUnhealthy) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 100)}));
  cluster.wait_ready(1);
  cluster.redis().command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"});
  HttpClient client(cluster.proxy_port(0));
  ASSERT_TRUE(eventually([&] { return client.get("/healthz").status == 503; }));
  auto health = client.get("/healthz");
  EXPECT_NE(health.message.find("maxmemory-policy"), std::string::npos) << health.body;
  EXPECT_EQ(client.get("/seckill?" + buyer_query(1, 1, Cluster::kSecret)).code, 5003);
  cluster.redis().command({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  EXPECT_TRUE(eventually([&] { return client.get("/healthz").status == 200; }));
}

}  // namespace
}  // namespace seckill::test
