// What every seckill program's main() does the same way: flags, logging, stop signals.
#pragma once

namespace seckill {

/// Accepts the dashed flag names the README documents (--proxy-id) for gflags (--proxy_id), then
/// parses the flags, sets up glog and ignores SIGPIPE. Exits 2 on an unknown flag, as gflags does.
void init_program(int& argc, char**& argv, const char* usage);

/// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards; call before
/// starting threads, then wait_for_stop_signal() in main.
void block_stop_signals();

/// Waits for SIGINT or SIGTERM; returns the signal number.
int wait_for_stop_signal();

}  // namespace seckill
