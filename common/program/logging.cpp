#include "common/program/logging.hpp"

#include <glog/logging.h>

namespace seckill {

void init_logging(const char* argv0) {
  // Services run under a supervisor that collects stderr; files in /tmp surprise operators.
  if (FLAGS_log_dir.empty()) FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv0);
  google::InstallFailureSignalHandler();
}

}  // namespace seckill
