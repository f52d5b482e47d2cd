#include "common/base/thread_name.hpp"

#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/periodic_thread.hpp"
#include <pthread.h>

namespace seckill {
namespace {

std::string name_of_this_thread() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

TEST(ThreadName, NamesTheCallingThreadKeepingFifteenBytes) {
  std::thread([] {
    name_this_thread("writer-3");
    EXPECT_EQ(name_of_this_thread(), "writer-3");
    name_this_thread("a-name-longer-than-the-kernel-keeps");
    EXPECT_EQ(name_of_this_thread(), "a-name-longer-t");
  }).join();
}

TEST(ThreadName, APeriodicThreadRunsUnderItsName) {
  std::promise<std::string> seen;
  auto seen_name = seen.get_future();
  bool told = false;
  PeriodicThread thread("sweeper", std::chrono::milliseconds(1), [&] {
    if (told) return;
    told = true;
    seen.set_value(name_of_this_thread());
  });
  thread.start();
  EXPECT_EQ(seen_name.get(), "sweeper");
  thread.stop();
}

}  // namespace
}  // namespace seckill
