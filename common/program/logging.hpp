// glog set-up shared by every program: logs to stderr unless told otherwise.
#pragma once

namespace seckill {

void init_logging(const char* argv0);

}  // namespace seckill
