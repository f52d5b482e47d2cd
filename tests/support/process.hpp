// ChildProcess: a program the tests start, signal and stop (real binaries, real redis-server).
//
// Output goes to a log file, so a failing test can print what the program said. The destructor
// stops the process (SIGTERM, then SIGKILL after a grace period) and reaps it: a failed test
// never leaves servers behind.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace seckill::test {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;

  /// Starts argv[0] (a path) with stdout and stderr appended to `log_file`.
  void start(const std::vector<std::string>& argv, const std::string& log_file);
  bool running();
  void signal(int signal_number) const;
  /// Waits up to `timeout` for the process to exit; its exit status (code, or 128+signal).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  /// SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit status.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  void kill_hard();

  pid_t pid() const { return pid_; }
  const std::string& log_file() const { return log_file_; }
  /// The last `max_bytes` of the log, for failure messages.
  std::string log_tail(std::size_t max_bytes = 4000) const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_file_;
};

/// Runs a program to completion; returns {exit status, stdout+stderr}.
struct RunResult {
  int status = -1;
  std::string output;
};
RunResult run_program(const std::vector<std::string>& argv,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(60000));
/// Calls `run` every 200 ms until it exits 0 or `patience` has passed (an audit waiting for
/// seckill-orders to catch up); the last run.
RunResult rerun_until_success(const std::function<RunResult()>& run,
                              std::chrono::milliseconds patience);

}  // namespace seckill::test
