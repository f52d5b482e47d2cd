#include "common/token/token_config.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "common/token/token.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill {
namespace {

TokenConfig read(const std::string& json, const std::string& config_file = "proxy.json") {
  const rapidjson::Document document = parse_json_text(json, "tokens");
  TokenConfig tokens;
  read_token_config(ConfigReader(document, "tokens"), tokens, config_file);
  return tokens;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(TokenConfig, WithoutKeysTheTopLevelSecretIsKeyMain) {
  TokenConfig tokens = read("{}");
  finalize_token_config(tokens, "top");
  ASSERT_EQ(tokens.keys.size(), 1U);
  EXPECT_EQ(tokens.keys[0].first, kDefaultTokenKeyId);
  EXPECT_EQ(tokens.keys[0].second, "top");
  EXPECT_EQ(tokens.sign_with, kDefaultTokenKeyId);
  EXPECT_TRUE(tokens.accept_v1);
  EXPECT_EQ(tokens.lifetime_s, 86400);
}

TEST(TokenConfig, KeysInlineAndInFilesWithTheSigningKeyNamed) {
  test::TempDir dir;
  dir.write("k2.secret", "second-secret\n");
  TokenConfig tokens =
      read(R"({"keys":{"k1":"first-secret"},"key_files":{"k2":"k2.secret"},"sign_with":"k2",)"
           R"("accept_v1":false,"lifetime_s":3600})",
           dir.file("proxy.json"));
  finalize_token_config(tokens, "");
  ASSERT_EQ(tokens.keys.size(), 2U);
  EXPECT_EQ(tokens.keys[1].first, "k2");
  EXPECT_EQ(tokens.keys[1].second, "second-secret") << "read beside the config file";
  EXPECT_EQ(tokens.sign_with, "k2");
  EXPECT_FALSE(tokens.accept_v1);
  EXPECT_EQ(tokens.lifetime_s, 3600);
}

TEST(TokenConfig, BrokenSettingsNameTheKey) {
  EXPECT_EQ(error_of([] { read(R"({"keys":["a"]})"); }),
            "tokens.keys: must be an object of key id -> string");
  EXPECT_EQ(error_of([] { read(R"({"keys":{"bad id":"s"}})"); }),
            "tokens.keys.bad id: a key id is 1..32 letters, digits, '-' or '_'");
  EXPECT_EQ(error_of([] { read(R"({"keys":{"a":""}})"); }),
            "tokens.keys.a: must be a non-empty string");
  EXPECT_EQ(error_of([] { read(R"({"keys":{"a":"s","a":"t"}})"); }), "tokens.keys.a: named twice");
  EXPECT_EQ(error_of([] { read(R"({"keys":{"a":"s"},"key_files":{"a":"f"}})"); }),
            "tokens.key_files.a: also in tokens.keys");
  EXPECT_NE(error_of([] { read(R"({"lifetime_s":10})"); }).find("tokens.lifetime_s"),
            std::string::npos);
  EXPECT_EQ(error_of([] { read(R"({"sign":"a"})"); }), "tokens.sign: unknown key");
  EXPECT_EQ(error_of([] {
              TokenConfig tokens = read(R"({"keys":{"a":"s","b":"t"}})");
              finalize_token_config(tokens, "top");
            }),
            "tokens.sign_with: must name the key new tokens are signed with");
  EXPECT_EQ(error_of([] {
              TokenConfig tokens = read(R"({"keys":{"a":"s"},"sign_with":"b"})");
              finalize_token_config(tokens, "top");
            }),
            "tokens.sign_with: \"b\" is not in tokens.keys");
  EXPECT_NE(error_of([] {
              TokenConfig tokens = read(R"({"keys":{"a":"s"}})");
              finalize_token_config(tokens, "");
            }).find("tokens.accept_v1"),
            std::string::npos)
      << "v1 tokens on with no secret to check them";
  EXPECT_NE(error_of([] {
              TokenConfig tokens = read(R"({"accept_v1":false})");
              finalize_token_config(tokens, "");
            }).find("secret: must be set"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              TokenConfig tokens = read(R"({"key_files":{"a":"/nonexistent/key"}})");
              finalize_token_config(tokens, "top");
            }).find("tokens.key_files.a"),
            std::string::npos);
}

// The tools find the token secret where the proxy does: the environment, else secret_file
// (beside the config file, from any working directory), else secret.
TEST(TokenSecretOfProxyConfig, FollowsTheProxysOrder) {
  test::TempDir dir;
  dir.write("token.secret", "from-the-file\n");
  const std::string config = dir.file("proxy.json");
  auto secret_of = [&](const std::string& json) {
    return token_secret_of_proxy_config(parse_json_text(json, config), config);
  };
  ::unsetenv("SECKILL_SECRET");
  EXPECT_EQ(secret_of(R"({"secret_file":"token.secret"})"), "from-the-file");
  EXPECT_EQ(secret_of(R"({"secret":"inline"})"), "inline");
  EXPECT_EQ(secret_of("{}"), "") << "none: the tokens object may still give keys";
  EXPECT_THROW(secret_of(R"({"secret_file":"absent.secret"})"), ConfigError);
  ::setenv("SECKILL_SECRET", "from-the-environment", 1);
  EXPECT_EQ(secret_of(R"({"secret_file":"token.secret"})"), "from-the-environment");
  EXPECT_EQ(secret_of("{}"), "from-the-environment");
  ::unsetenv("SECKILL_SECRET");
}

// seckill-admin and seckill-bench sign tokens the proxy accepts from the same config file.
TEST(TokenKeyringOfProxyConfig, SignsAsTheProxyChecks) {
  ::unsetenv("SECKILL_SECRET");
  const std::string config = "proxy.json";
  const rapidjson::Document document = parse_json_text(
      R"({"secret":"top","tokens":{"keys":{"a":"s","b":"t"},"sign_with":"b"}})", config);
  const TokenKeyring tokens = token_keyring_of_proxy_config(document, config);
  const std::string token = tokens.issue(5, 2'000'000'000);
  EXPECT_TRUE(token.starts_with("v2.5.2000000000.b.")) << token;
  EXPECT_EQ(tokens.check(5, make_token("top", 5), 1'900'000'000), TokenCheck::kValid);
  const rapidjson::Document none = parse_json_text("{}", config);
  EXPECT_NE(error_of([&] { token_keyring_of_proxy_config(none, config); }).find("proxy.json: "),
            std::string::npos);
}

}  // namespace
}  // namespace seckill
