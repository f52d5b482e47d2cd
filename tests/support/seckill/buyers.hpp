// Drives many buyers at the proxies at once and collects every answer, for end-to-end tests.
#pragma once

#include <string>
#include <vector>

#include "tests/support/http_client.hpp"

namespace seckill::test {

struct BuyerAnswer {
  long long user = 0;
  HttpAnswer answer;
};

/// Each user in `users` tries once to buy `product`, through the proxy ports round-robin, from
/// `threads` keep-alive connections released together. Answers come back in `users` order.
std::vector<BuyerAnswer> buy_concurrently(const std::vector<int>& ports, long long product,
                                          const std::vector<long long>& users, int threads,
                                          const std::string& secret,
                                          const std::string& path = "/seckill");

/// users first..first+count-1.
std::vector<long long> user_range(long long first, long long count);

/// How many answers carry `code`.
int count_code(const std::vector<BuyerAnswer>& answers, int code);

}  // namespace seckill::test
