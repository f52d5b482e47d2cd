// The `tokens` object of a proxy config: the keys v2 tokens are signed with, which one signs,
// whether v1 tokens still work, and how long issued tokens live (README, Configuration).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "common/program/config_reader.hpp"

namespace seckill {

class TokenKeyring;

struct TokenConfig {
  /// Key id -> secret. After finalize_token_config also the keys of `key_files`, and, when
  /// neither names any, the top-level secret as key "main".
  std::vector<std::pair<std::string, std::string>> keys;
  /// Key id -> file holding the secret (read at start, so the config file can be public).
  std::vector<std::pair<std::string, std::string>> key_files;
  /// The key new tokens are signed with; may be left out when there is one key.
  std::string sign_with;
  /// Whether v1 tokens (no expiry, the top-level secret) are still accepted.
  bool accept_v1 = true;
  /// Lifetime of the tokens the proxy issues (demo sign-in) and seckill-admin prints.
  std::int64_t lifetime_s = 86400;
};

/// The default key's id when `keys` is absent and the top-level secret signs v2 tokens too.
inline constexpr const char* kDefaultTokenKeyId = "main";

/// Longest key id; ids are letters, digits, '-' and '_'.
inline constexpr std::size_t kMaxTokenKeyIdLength = 32;

/// Reads the `tokens` object; relative key files are taken from `config_file`'s folder.
void read_token_config(ConfigReader reader, TokenConfig& tokens, const std::string& config_file);

/// Reads the key files and settles the defaults against the resolved top-level secret (empty
/// when none). Throws ConfigError naming the key when nothing could sign or check a token.
void finalize_token_config(TokenConfig& tokens, const std::string& v1_secret);

/// The top-level token secret of a proxy config as a tool beside the proxy finds it:
/// SECKILL_SECRET, else the document's `secret_file` (relative to `config_file`), else its
/// `secret`; empty when none of them is set.
std::string token_secret_of_proxy_config(const rapidjson::Value& document,
                                         const std::string& config_file);

/// The keyring of a proxy config, for a tool beside the proxy (seckill-admin, seckill-bench).
/// Throws ConfigError naming `config_file` when it has no usable keys.
TokenKeyring token_keyring_of_proxy_config(const rapidjson::Value& document,
                                           const std::string& config_file);

}  // namespace seckill
