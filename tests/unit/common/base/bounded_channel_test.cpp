#include "common/base/bounded_channel.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace seckill {
namespace {

using namespace std::chrono_literals;

TEST(BoundedChannel, TryPushFailsWhenFull) {
  BoundedChannel<int> channel(2);
  EXPECT_TRUE(channel.try_push(1));
  EXPECT_TRUE(channel.try_push(2));
  EXPECT_FALSE(channel.try_push(3));
  EXPECT_EQ(channel.size(), 2u);
}

TEST(BoundedChannel, PopBatchTakesAtMostMaxInOrder) {
  BoundedChannel<int> channel(10);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(channel.try_push(int(i)));
  std::vector<int> out;
  EXPECT_EQ(channel.pop_batch(out, 3, 0ms), 3u);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(channel.pop_batch(out, 10, 0ms), 2u);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(BoundedChannel, PopBatchTimesOutEmpty) {
  BoundedChannel<int> channel(1);
  std::vector<int> out;
  EXPECT_EQ(channel.pop_batch(out, 1, 10ms), 0u);
}

TEST(BoundedChannel, CloseRefusesPushesButDrains) {
  BoundedChannel<int> channel(4);
  ASSERT_TRUE(channel.try_push(7));
  channel.close();
  EXPECT_FALSE(channel.try_push(8));
  std::vector<int> out;
  EXPECT_EQ(channel.pop_batch(out, 4, 0ms), 1u);
  EXPECT_EQ(channel.pop_batch(out, 4, 1s), 0u) << "closed and empty must not wait";
  EXPECT_TRUE(channel.closed());
}

TEST(BoundedChannel, CloseWakesBlockedConsumer) {
  BoundedChannel<int> channel(1);
  std::atomic<bool> returned{false};
  std::thread consumer([&] {
    std::vector<int> out;
    channel.pop_batch(out, 1, 10s);
    returned = true;
  });
  std::this_thread::sleep_for(20ms);
  channel.close();
  consumer.join();
  EXPECT_TRUE(returned);
}

TEST(BoundedChannel, ManyProducersNoItemLostOrDuplicated) {
  BoundedChannel<int> channel(100000);
  constexpr int kThreads = 8, kEach = 5000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) ASSERT_TRUE(channel.try_push(t * kEach + i));
    });
  }
  for (auto& p : producers) p.join();
  std::vector<int> out;
  while (channel.pop_batch(out, 1000, 0ms) > 0) {
  }
  ASSERT_EQ(out.size(), static_cast<std::size_t>(kThreads * kEach));
  std::sort(out.begin(), out.end());
  for (int i = 0; i < kThreads * kEach; ++i) ASSERT_EQ(out[static_cast<std::size_t>(i)], i);
}

TEST(BoundedChannel, LingerReturnsAsSoonAsTheBatchIsFull) {
  BoundedChannel<int> channel(10);
  ASSERT_TRUE(channel.try_push(1));
  std::thread producer([&] {
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(channel.try_push(2));
    ASSERT_TRUE(channel.try_push(3));
  });
  std::vector<int> out;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(channel.pop_batch(out, 3, 1s, std::chrono::microseconds(10'000'000)), 3u);
  // Woken by the push that filled the batch, not by the end of the 10 s linger.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(out, (std::vector<int>{1, 2, 3}));
  producer.join();
}

TEST(BoundedChannel, LingerEndsWithWhatCameMeanwhile) {
  BoundedChannel<int> channel(10);
  ASSERT_TRUE(channel.try_push(1));
  std::vector<int> out;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(channel.pop_batch(out, 10, 1s, std::chrono::microseconds(20'000)), 1u);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 20ms);
  EXPECT_EQ(out, (std::vector<int>{1}));
  // A full batch does not linger at all, nor does a closed channel.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(channel.try_push(int(i)));
  EXPECT_EQ(channel.pop_batch(out, 3, 0ms, std::chrono::microseconds(10'000'000)), 3u);
  ASSERT_TRUE(channel.try_push(9));
  channel.close();
  EXPECT_EQ(channel.pop_batch(out, 3, 0ms, std::chrono::microseconds(10'000'000)), 1u);
}

// Two consumers lingering while eight producers push: every item comes out exactly once, and
// what a gatherer leaves behind is handed on (nobody waits for a wake that never comes).
TEST(BoundedChannel, LingeringConsumersLoseNothing) {
  BoundedChannel<int> channel(100000);
  constexpr int kThreads = 8, kEach = 5000;
  std::mutex out_mutex;
  std::vector<int> out;
  std::vector<std::thread> consumers;
  for (int c = 0; c < 2; ++c) {
    consumers.emplace_back([&] {
      std::vector<int> mine;
      while (channel.pop_batch(mine, 64, 50ms, std::chrono::microseconds(500)) > 0 ||
             !channel.closed()) {
      }
      std::lock_guard lock(out_mutex);
      out.insert(out.end(), mine.begin(), mine.end());
    });
  }
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_TRUE(channel.try_push(t * kEach + i));
        if (i % 100 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
  }
  for (auto& p : producers) p.join();
  channel.close();
  for (auto& c : consumers) c.join();
  ASSERT_EQ(out.size(), static_cast<std::size_t>(kThreads * kEach));
  std::sort(out.begin(), out.end());
  for (int i = 0; i < kThreads * kEach; ++i) ASSERT_EQ(out[static_cast<std::size_t>(i)], i);
}

}  // namespace
}  // namespace seckill
