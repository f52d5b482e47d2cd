// The programs' command lines: --help, configuration errors (exit 2 naming the key), admin
// commands, and a clean exit on SIGTERM.
#include <gtest/gtest.h>

#include "common/redis_keys.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/process.hpp"
#include "tests/support/seckill/cluster.hpp"
#include "tests/support/servers/redis_server.hpp"
#include "tests/support/temp_dir.hpp"
#include <signal.h>

namespace seckill::test {
namespace {

bool mentions(const RunResult& result, const std::string& text) {
  return result.output.find(text) != std::string::npos;
}

TEST(Programs, EveryProgramAnswersHelp) {
  for (const char* name : {"seckill-proxy", "seckill-logic", "seckill-admin"}) {
    auto result = run_program({binary_path(name), "--help"});
    EXPECT_EQ(result.status, 0) << name << ": " << result.output;
    EXPECT_TRUE(mentions(result, name)) << result.output;
  }
}

TEST(Programs, BrokenConfigExitsTwoNamingTheKey) {
  TempDir dir;
  auto proxy = run_program({binary_path("seckill-proxy"), "--config",
                            dir.write("p.json", R"({"secret":"s","redis":{"port":"x"}})")});
  EXPECT_EQ(proxy.status, 2);
  EXPECT_TRUE(mentions(proxy, "redis.port")) << proxy.output;
  auto unknown = run_program({binary_path("seckill-proxy"), "--config",
                              dir.write("q.json", R"({"secret":"s","listen_adress":"x"})")});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(mentions(unknown, "listen_adress: unknown key")) << unknown.output;
  auto missing = run_program({binary_path("seckill-logic"), "--config", dir.file("none.json")});
  EXPECT_EQ(missing.status, 2);
  EXPECT_TRUE(mentions(missing, "cannot open")) << missing.output;
  auto logic = run_program(
      {binary_path("seckill-logic"), "--config", dir.write("l.json", R"({"workers":0})")});
  EXPECT_EQ(logic.status, 2);
  EXPECT_TRUE(mentions(logic, "workers")) << logic.output;
  auto flag = run_program({binary_path("seckill-logic"), "--config",
                           source_path("config/logic.json"), "--redis", "nowhere"});
  EXPECT_EQ(flag.status, 2);
  EXPECT_TRUE(mentions(flag, "--redis")) << flag.output;
}

TEST(Programs, AdminRejectsBadProductsFilesAndChangesNothing) {
  RedisServer redis;
  TempDir dir;
  const std::string admin = binary_path("seckill-admin");
  const std::string bad[] = {
      R"({"products":[{"id":1,"name":"a","total":-5,"start":0,"end":10}]})",
      R"({"products":[{"id":1,"name":"a","total":5,"start":10,"end":5}]})",
      R"({"products":[{"id":1,"name":"a","total":5,"start":0,"end":10},
                      {"id":1,"name":"b","total":5,"start":0,"end":10}]})",
      R"({"products":[{"id":1,"name":"a","total":5,"start":0,"end":10,"colour":"red"}]})",
      R"({"products":[{"id":1,"name":"a","total":5,"start":0,"end":10,"currency":"cny"}]})",
      R"({"products":[{"id":1,"name":"a","total":5,"start":0,"end":10,"pay_within_s":-1}]})",
      R"({"products":[{"id":1,"name":"a","total":5,"start":0,"end":10,"price":"9.99"}]})",
      "not json",
  };
  for (const auto& json : bad) {
    auto result =
        run_program({admin, "--redis", redis.address(), "load", dir.write("p.json", json)});
    EXPECT_EQ(result.status, 2) << json << "\n" << result.output;
    EXPECT_TRUE(mentions(result, "bad products file")) << result.output;
  }
  EXPECT_EQ(redis.command({"EXISTS", keys::kProducts}), "0");
  auto good =
      run_program({admin, "--redis", redis.address(), "load", source_path("config/products.json")});
  EXPECT_EQ(good.status, 0) << good.output;
  auto status = run_program({admin, "--redis", redis.address(), "status"});
  EXPECT_EQ(status.status, 0);
  EXPECT_TRUE(mentions(status, "Demo phone")) << status.output;
  auto audit = run_program({admin, "--redis", redis.address(), "audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
  auto usage = run_program({admin, "--redis", redis.address(), "frobnicate"});
  EXPECT_EQ(usage.status, 2);
}

TEST(Programs, AdminReportsUnreachableRedis) {
  auto result = run_program({binary_path("seckill-admin"), "--redis",
                             "127.0.0.1:" + std::to_string(free_port()), "audit"});
  EXPECT_EQ(result.status, 3) << result.output;
}

TEST(Programs, AdminTokenMatchesTheProxy) {
  TempDir dir;
  auto result =
      run_program({binary_path("seckill-admin"), "--proxy-config",
                   dir.write("p.json", R"({"secret":"demo-secret-change-me"})"), "token", "42"});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.output, "aba2579a6d949cb76e1ba463663b9e7ac1217a865603e03bd3e6e37e53c8b31c\n");
}

TEST(Programs, SigtermStopsCleanly) {
  Cluster cluster;
  cluster.load_products(products_json({product_on_sale(1, 5)}));
  cluster.wait_ready(1);
  cluster.proxy(0).signal(SIGTERM);
  cluster.logic(0).signal(SIGTERM);
  EXPECT_EQ(cluster.proxy(0).wait_exit(std::chrono::seconds(10)), 0) << cluster.proxy(0).log_tail();
  EXPECT_EQ(cluster.logic(0).wait_exit(std::chrono::seconds(10)), 0) << cluster.logic(0).log_tail();
}

}  // namespace
}  // namespace seckill::test
