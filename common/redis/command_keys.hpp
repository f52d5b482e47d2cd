// Which key routes a Redis command, and whether it touches more keys than that one.
//
// On a Redis Cluster a command goes to the master of its key's slot. The tiers send a handful of
// command shapes, so the key is read from the command itself rather than passed beside every
// call: the first key of EVAL/EVALSHA and of BLMPOP/LMPOP comes after their numkeys argument,
// commands without a key (PING, INFO, WAIT, SCRIPT, SCAN, ...) have none, and every other
// command names its key first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seckill {

struct CommandRoute {
  /// The key whose slot serves the command; empty for a command without a key.
  std::string_view key;
  /// It touches that key alone, so a cluster's ASK redirect may be followed for it. A script
  /// or a command over several keys is never followed half-way into another node.
  bool single_key = true;
};

/// The route of `argv` (views into it). A command whose key argument is missing (a malformed
/// command Redis will refuse anyway) routes as keyless.
CommandRoute route_of(const std::vector<std::string>& argv);

}  // namespace seckill
