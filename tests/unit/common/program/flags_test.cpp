#include "common/program/flags.hpp"

#include <gtest/gtest.h>

namespace seckill {
namespace {

struct Values {
  std::string config = "config/proxy.json";
  int port = -1;
  std::int64_t users = 100;
  double duration = 10;
  bool force = false;
};

Flags flags_for(Values& values) {
  Flags flags;
  flags.add("config", values.config, "the file", "FILE")
      .add("port", values.port, "the port")
      .add("users", values.users, "users")
      .add("duration-s", values.duration, "seconds")
      .add("force", values.force, "no questions");
  return flags;
}

std::string error_of(const std::vector<std::string>& args) {
  Values values;
  Flags flags = flags_for(values);
  try {
    flags.parse(args);
  } catch (const FlagError& error) {
    return error.what();
  }
  return "";
}

TEST(Flags, EveryFormSetsItsFlagAndTheRestAreArguments) {
  Values values;
  Flags flags = flags_for(values);
  auto rest = flags.parse({"load", "--config=a.json", "--port", "8080", "file.json", "--users=-1",
                           "--duration_s", "0.5", "--force", "-3"});
  EXPECT_EQ(rest, (std::vector<std::string>{"load", "file.json", "-3"}));
  EXPECT_EQ(values.config, "a.json");
  EXPECT_EQ(values.port, 8080);
  EXPECT_EQ(values.users, -1);
  EXPECT_DOUBLE_EQ(values.duration, 0.5);
  EXPECT_TRUE(values.force);
  EXPECT_TRUE(flags.given("port"));
  EXPECT_TRUE(flags.given("duration_s")) << "an underscore names the same flag";
}

TEST(Flags, SwitchesTakeNoValueUnlessWrittenWithEquals) {
  Values values;
  Flags flags = flags_for(values);
  auto rest = flags.parse({"--force", "reset"});
  EXPECT_TRUE(values.force);
  EXPECT_EQ(rest, std::vector<std::string>{"reset"});
  flags.parse({"--no-force"});
  EXPECT_FALSE(values.force);
  flags.parse({"--force=yes"});
  EXPECT_TRUE(values.force);
}

TEST(Flags, AfterTheDoubleDashEverythingIsAnArgument) {
  Values values;
  Flags flags = flags_for(values);
  auto rest = flags.parse({"--port=1", "--", "--port=2", "-x"});
  EXPECT_EQ(values.port, 1);
  EXPECT_EQ(rest, (std::vector<std::string>{"--port=2", "-x"}));
  EXPECT_FALSE(flags.given("users"));
}

TEST(Flags, ErrorsNameTheFlag) {
  EXPECT_EQ(error_of({"--colour=red"}), "unknown flag --colour");
  EXPECT_EQ(error_of({"--proxy_idd", "x"}), "unknown flag --proxy-idd");
  EXPECT_EQ(error_of({"-p", "80"}), "unknown flag -p (flags are written --name)");
  EXPECT_EQ(error_of({"--port"}), "--port: missing its value (N)");
  EXPECT_EQ(error_of({"--port", "eighty"}), R"(--port: expects an integer, got "eighty")");
  EXPECT_EQ(error_of({"--port=99999999999"}), R"(--port: expects an integer, got "99999999999")");
  EXPECT_EQ(error_of({"--duration-s=1s"}), R"(--duration-s: expects a number, got "1s")");
  EXPECT_EQ(error_of({"--force=maybe"}), R"(--force: expects true or false, got "maybe")");
  EXPECT_EQ(error_of({"--no-port"}), "unknown flag --no-port") << "only switches negate";
}

TEST(Flags, HelpShowsDashedNamesValuesAndDefaults) {
  Values values;
  const std::string help = flags_for(values).help();
  EXPECT_NE(help.find("  --config FILE\n      the file (default \"config/proxy.json\")\n"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("  --port N\n      the port (default -1)\n"), std::string::npos) << help;
  EXPECT_NE(help.find("  --duration-s X\n      seconds (default 10)\n"), std::string::npos) << help;
  EXPECT_NE(help.find("  --force\n      no questions\n"), std::string::npos) << help;
}

}  // namespace
}  // namespace seckill
