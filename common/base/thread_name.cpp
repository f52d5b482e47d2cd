#include "common/base/thread_name.hpp"

#include <pthread.h>

namespace seckill {

void name_this_thread(const std::string& name) {
  constexpr std::size_t kMaxBytes = 15;  // the kernel's limit, without the terminating zero
  pthread_setname_np(pthread_self(), name.substr(0, kMaxBytes).c_str());
}

}  // namespace seckill
