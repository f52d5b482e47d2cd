// seckill-admin's exit codes, the same for every command, so scripts can tell "the sale is
// wrong" from "I typed it wrong" from "Redis is away".
#pragma once

#include <string>

#include "common/base/result.hpp"

namespace seckill::admin {

inline constexpr int kExitDone = 0;
/// The audit found a breach; an order did not take a payment or a cancellation.
inline constexpr int kExitRefused = 1;
/// Bad usage (a flag, an argument, a products file); a reset refused without --force.
inline constexpr int kExitUsage = 2;
/// Redis (or the audit's PostgreSQL) could not be reached or refused a command.
inline constexpr int kExitUnreachable = 3;
/// The product (or the product of an order) is not in the store.
inline constexpr int kExitUnknownProduct = 4;

/// Prints "seckill-admin: MESSAGE" and the hint to --help; returns kExitUsage.
int usage_error(const std::string& message);
/// Prints the Redis error; returns kExitUnreachable.
int redis_error(const Error& error);

}  // namespace seckill::admin
