// For a product with a challenge: each user's challenge, fetched from a proxy's /challenge and
// solved (README, HTTP API: Challenges), so the load carries what a real buyer's page would.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "tools/bench/bench_options.hpp"

namespace seckill::bench {

/// The query suffix ("&nonce=...&proof=...") of `user`'s challenge for `product`, asked of
/// `target` with `token`, from `forwarded_for` (an X-Forwarded-For address, or empty for none:
/// the same address the load gives the user, so per-address limits see users); throws
/// std::runtime_error naming the answer when the proxy hands none out (not started yet, say).
std::string challenge_suffix(const Target& target, std::int64_t product, std::int64_t user,
                             const std::string& token, const std::string& forwarded_for);

/// Decimal digits x with SHA-256(nonce followed by x) starting with `bits` zero bits.
std::string solve_proof_of_work(const std::string& nonce, int bits);

}  // namespace seckill::bench
