// Thread names: what `top -H`, `ps -L`, /proc/<pid>/task/*/comm and perf show for a thread, so
// an operator (or a profile) sees which of a process's threads spends the CPU.
#pragma once

#include <string>

namespace seckill {

/// Names the calling thread; Linux keeps the first 15 bytes.
void name_this_thread(const std::string& name);

}  // namespace seckill
