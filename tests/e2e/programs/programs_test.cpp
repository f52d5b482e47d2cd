// The programs' command lines: --help, configuration errors (exit 2 naming the key), admin
// commands, and a clean exit on SIGTERM.
#include <regex>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/program/config_reader.hpp"
#include "common/store/redis_keys.hpp"
#include "common/token/token.hpp"
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

constexpr const char* kPrograms[] = {"seckill-proxy", "seckill-logic", "seckill-orders",
                                     "seckill-admin", "seckill-bench"};

// --help shows the flags as they are typed (dashed), each with its real default, and nothing of
// the build; --version prints the version.
TEST(Programs, EveryProgramAnswersHelpAndVersion) {
  for (const char* name : kPrograms) {
    auto help = run_program({binary_path(name), "--help"});
    EXPECT_EQ(help.status, 0) << name << ": " << help.output;
    EXPECT_TRUE(mentions(help, name)) << help.output;
    EXPECT_TRUE(mentions(help, "--version")) << help.output;
    EXPECT_FALSE(mentions(help, ".cpp")) << "no build paths: " << help.output;
    EXPECT_FALSE(std::regex_search(help.output, std::regex("--[a-z-]*_")))
        << "dashed flag names: " << help.output;
    auto version = run_program({binary_path(name), "--version"});
    EXPECT_EQ(version.status, 0) << name;
    EXPECT_EQ(version.output.rfind(std::string(name) + " ", 0), 0u) << version.output;
  }
  auto proxy = run_program({binary_path("seckill-proxy"), "--help"});
  EXPECT_TRUE(mentions(proxy, "--proxy-id ID")) << proxy.output;
  EXPECT_TRUE(mentions(proxy, "--config FILE")) << proxy.output;
  EXPECT_TRUE(mentions(proxy, R"((default "config/proxy.json"))")) << proxy.output;
  auto bench = run_program({binary_path("seckill-bench"), "--help"});
  EXPECT_TRUE(mentions(bench, "(default 256)")) << bench.output;
}

// A flag that is unknown, lacks its value or has a value of the wrong type exits 2 naming it,
// before the program does anything.
TEST(Programs, BadFlagsExitTwoNamingTheFlag) {
  for (const char* name : kPrograms) {
    auto unknown = run_program({binary_path(name), "--no-such-flag", "1"});
    EXPECT_EQ(unknown.status, 2) << name << ": " << unknown.output;
    EXPECT_TRUE(mentions(unknown, "unknown flag --no-such-flag")) << unknown.output;
    auto single = run_program({binary_path(name), "-x"});
    EXPECT_EQ(single.status, 2) << name << ": " << single.output;
    auto missing = run_program({binary_path(name), "--redis"});
    EXPECT_EQ(missing.status, 2) << name << ": " << missing.output;
    EXPECT_TRUE(mentions(missing, "--redis: missing its value")) << missing.output;
  }
  auto typed = run_program({binary_path("seckill-proxy"), "--port", "80x"});
  EXPECT_EQ(typed.status, 2);
  EXPECT_TRUE(mentions(typed, R"(--port: expects an integer, got "80x")")) << typed.output;
  auto number = run_program({binary_path("seckill-bench"), "--duration-s=soon"});
  EXPECT_EQ(number.status, 2);
  EXPECT_TRUE(mentions(number, "--duration-s: expects a number")) << number.output;
  auto switch_value = run_program({binary_path("seckill-orders"), "--init-schema=maybe"});
  EXPECT_EQ(switch_value.status, 2);
  EXPECT_TRUE(mentions(switch_value, "--init-schema: expects true or false"))
      << switch_value.output;
  auto extra = run_program({binary_path("seckill-logic"), "stray"});
  EXPECT_EQ(extra.status, 2);
  EXPECT_TRUE(mentions(extra, "takes no arguments")) << extra.output;
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
  const std::string config = dir.write("p.json", R"({"secret":"demo-secret-change-me"})");
  auto v1 = run_program({binary_path("seckill-admin"), "--config", config, "token", "42", "--v1"});
  EXPECT_EQ(v1.status, 0);
  EXPECT_EQ(v1.output, "aba2579a6d949cb76e1ba463663b9e7ac1217a865603e03bd3e6e37e53c8b31c\n");

  // A v2 token: signed with key "main" (the top-level secret), valid --ttl seconds from now.
  const std::int64_t before = unix_ms_now() / 1000;
  auto v2 = run_program(
      {binary_path("seckill-admin"), "--config", config, "token", "42", "--ttl", "120"});
  const std::int64_t after = unix_ms_now() / 1000;
  ASSERT_EQ(v2.status, 0) << v2.output;
  const std::string token = v2.output.substr(0, v2.output.find('\n'));
  TokenConfig keys;
  finalize_token_config(keys, "demo-secret-change-me");
  const TokenKeyring proxy(keys, "demo-secret-change-me");
  EXPECT_EQ(proxy.check(42, token, after), TokenCheck::kValid) << token;
  EXPECT_EQ(proxy.check(42, token, after + 120), TokenCheck::kExpired) << token;
  EXPECT_EQ(proxy.check(42, token, before + 119), TokenCheck::kValid) << token;
  EXPECT_TRUE(token.starts_with("v2.42.")) << token;
  EXPECT_TRUE(token.find(".main.") != std::string::npos) << token;

  auto bad_ttl =
      run_program({binary_path("seckill-admin"), "--config", config, "token", "42", "--ttl", "-1"});
  EXPECT_EQ(bad_ttl.status, 2);
  EXPECT_TRUE(mentions(bad_ttl, "--ttl")) << bad_ttl.output;
  auto absent =
      run_program({binary_path("seckill-admin"), "--config", dir.file("none.json"), "token", "42"});
  EXPECT_EQ(absent.status, 2) << "a config named on the command line must exist";
  EXPECT_TRUE(mentions(absent, "none.json")) << absent.output;
  auto no_keys = run_program(
      {binary_path("seckill-admin"), "--config", dir.write("n.json", "{}"), "token", "42"});
  EXPECT_EQ(no_keys.status, 2);
  EXPECT_TRUE(mentions(no_keys, "secret")) << no_keys.output;
}

// With --config, seckill-admin finds Redis where the proxy does: the file's "redis" object. The
// shipped configs name the demo's Redis, so the README's commands work as written.
TEST(Programs, AdminFindsRedisThroughTheProxyConfig) {
  RedisServer redis;
  TempDir dir;
  const std::string config =
      dir.write("proxy.json", R"({"secret":"s","redis":{"host":"127.0.0.1","port":)" +
                                  std::to_string(redis.port()) + "}}");
  const std::string admin = binary_path("seckill-admin");
  auto loaded =
      run_program({admin, "--config", config, "load", source_path("config/products.json")});
  EXPECT_EQ(loaded.status, 0) << loaded.output;
  auto status = run_program({admin, "--config", config, "status", "1"});
  EXPECT_EQ(status.status, 0) << status.output;
  EXPECT_TRUE(mentions(status, "Demo phone")) << status.output;
  auto empty = run_program({admin, "--config", config, "blocklist"});
  EXPECT_EQ(empty.status, 0);
  EXPECT_EQ(empty.output, "nothing is blocked\n");
  for (const char* shipped : {"config/proxy.json", "config/logic.json", "config/orders.json"}) {
    EXPECT_NE(read_text_file(source_path(shipped)).find(R"("port": 6390)"), std::string::npos)
        << shipped << " names the demo's Redis (tools/run-demo.sh)";
  }
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
