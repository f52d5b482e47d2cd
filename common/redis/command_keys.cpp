#include "common/redis/command_keys.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace seckill {
namespace {

bool same_word(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

template <std::size_t N>
bool one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view candidate) { return same_word(name, candidate); });
}

constexpr std::array<std::string_view, 24> kKeyless = {
    "PING",  "INFO",   "WAIT",   "SCRIPT", "CLUSTER",  "ROLE",    "ASKING",   "DBSIZE",
    "SCAN",  "CONFIG", "CLIENT", "TIME",   "FLUSHALL", "FLUSHDB", "MULTI",    "EXEC",
    "HELLO", "ECHO",   "SAVE",   "BGSAVE", "LASTSAVE", "KEYS",    "READONLY", "FUNCTION"};

// Commands whose keys all follow the first one (same slot on a cluster, by our key layout).
constexpr std::array<std::string_view, 9> kSeveralKeys = {
    "LMOVE", "BLMOVE", "RPOPLPUSH", "BRPOPLPUSH", "SMOVE", "RENAME", "MGET", "MSET", "SINTERCARD"};

// Commands that name how many keys follow, and where that count stands.
constexpr std::array<std::string_view, 6> kScripts = {"EVAL",       "EVALSHA", "EVAL_RO",
                                                      "EVALSHA_RO", "FCALL",   "FCALL_RO"};
constexpr std::array<std::string_view, 2> kCountSecond = {"BLMPOP", "BZMPOP"};
constexpr std::array<std::string_view, 2> kCountFirst = {"LMPOP", "ZMPOP"};

std::size_t numkeys_index(std::string_view name) {
  if (one_of(name, kScripts) || one_of(name, kCountSecond)) return 2;
  if (one_of(name, kCountFirst)) return 1;
  return 0;
}

}  // namespace

CommandRoute route_of(const std::vector<std::string>& argv) {
  if (argv.empty() || one_of(argv[0], kKeyless)) return {};
  if (const std::size_t count_at = numkeys_index(argv[0]); count_at != 0) {
    if (argv.size() <= count_at + 1) return {};
    const std::string& count = argv[count_at];
    if (count.empty() || count == "0") return {};
    // A script with one key may still write keys it builds itself: never follow ASK for it.
    return {.key = argv[count_at + 1], .single_key = count == "1" && !one_of(argv[0], kScripts)};
  }
  if (argv.size() < 2) return {};
  const bool several = one_of(argv[0], kSeveralKeys) ||
                       ((same_word(argv[0], "DEL") || same_word(argv[0], "UNLINK") ||
                         same_word(argv[0], "EXISTS")) &&
                        argv.size() > 2);
  return {.key = argv[1], .single_key = !several};
}

}  // namespace seckill
