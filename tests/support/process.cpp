#include "tests/support/process.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace seckill::test {
namespace {

int decode_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

}  // namespace

ChildProcess::~ChildProcess() {
  if (pid_ > 0) stop();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), status_(other.status_), log_file_(std::move(other.log_file_)) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) stop();
    pid_ = other.pid_;
    status_ = other.status_;
    log_file_ = std::move(other.log_file_);
    other.pid_ = -1;
  }
  return *this;
}

void ChildProcess::start(const std::vector<std::string>& argv, const std::string& log_file) {
  log_file_ = log_file;
  status_.reset();
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    // Programs under test take their secret from the configs the tests write, never from a
    // SECKILL_SECRET the developer happens to have exported.
    ::unsetenv("SECKILL_SECRET");
    // The test runner may block signals in its threads; the child starts with none blocked.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(args[0], args.data());
    std::perror("execv");
    ::_exit(127);
  }
  pid_ = pid;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int raw = 0;
  pid_t done = ::waitpid(pid_, &raw, WNOHANG);
  if (done == pid_) {
    status_ = decode_status(raw);
    pid_ = -1;
    return false;
  }
  return true;
}

void ChildProcess::signal(int signal_number) const {
  if (pid_ > 0) ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= give_up) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return status_.value_or(-1);
  signal(SIGCONT);  // a stopped process cannot act on SIGTERM
  signal(SIGTERM);
  if (auto status = wait_exit(grace)) return *status;
  kill_hard();
  return status_.value_or(-1);
}

void ChildProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int raw = 0;
  ::waitpid(pid_, &raw, 0);
  status_ = decode_status(raw);
  pid_ = -1;
}

std::string ChildProcess::log_tail(std::size_t max_bytes) const {
  std::ifstream in(log_file_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() <= max_bytes ? all : all.substr(all.size() - max_bytes);
}

RunResult run_program(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  char path[] = "/tmp/seckill-run-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd >= 0) ::close(fd);
  ChildProcess child;
  child.start(argv, path);
  RunResult result;
  auto status = child.wait_exit(timeout);
  if (!status) {
    child.kill_hard();
    result.status = -1;
  } else {
    result.status = *status;
  }
  result.output = child.log_tail(1 << 20);
  ::unlink(path);
  return result;
}

RunResult rerun_until_success(const std::function<RunResult()>& run,
                              std::chrono::milliseconds patience) {
  RunResult last;
  const auto give_up = std::chrono::steady_clock::now() + patience;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    last = run();
  } while (last.status != 0 && std::chrono::steady_clock::now() < give_up);
  return last;
}

}  // namespace seckill::test
