#include "tests/support/seckill/buyers.hpp"

#include <atomic>
#include <barrier>
#include <memory>
#include <thread>

namespace seckill::test {

std::vector<BuyerAnswer> buy_concurrently(const std::vector<int>& ports, long long product,
                                          const std::vector<long long>& users, int threads,
                                          const std::string& secret, const std::string& path) {
  std::vector<BuyerAnswer> answers(users.size());
  std::atomic<std::size_t> next{0};
  std::barrier start(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      HttpClient client(ports[static_cast<std::size_t>(t) % ports.size()]);
      start.arrive_and_wait();  // release every connection at the same instant
      for (std::size_t i = next.fetch_add(1); i < users.size(); i = next.fetch_add(1)) {
        answers[i].user = users[i];
        answers[i].answer = client.get(path + "?" + buyer_query(product, users[i], secret));
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return answers;
}

std::vector<long long> user_range(long long first, long long count) {
  std::vector<long long> users;
  for (long long i = 0; i < count; ++i) users.push_back(first + i);
  return users;
}

int count_code(const std::vector<BuyerAnswer>& answers, int code) {
  int count = 0;
  for (const auto& answer : answers) count += answer.answer.code == code ? 1 : 0;
  return count;
}

}  // namespace seckill::test
