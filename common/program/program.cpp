#include "common/program/program.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <glog/logging.h>

#include "common/program/logging.hpp"

namespace seckill {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

std::vector<std::string> init_program(int argc, char** argv, Flags& flags, std::string_view usage) {
  const std::string program = std::filesystem::path(argv[0]).filename().string();
  bool help = false;
  bool version = false;
  std::string log_dir;
  int verbose = 0;
  flags.add("log-dir", log_dir, "write log files there instead of logging to stderr", "DIR")
      .add("verbose", verbose, "more detailed logs: 1 or 2")
      .add("help", help, "show this text and exit")
      .add("version", version, "show the version and exit");
  std::vector<std::string> rest;
  try {
    rest = flags.parse(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const FlagError& error) {
    std::cerr << program << ": " << error.what() << "\n"
              << "usage: " << usage << "\n(" << program << " --help lists every flag)\n";
    std::exit(2);
  }
  if (help) {
    std::cout << "usage: " << usage << "\n\nflags:\n" << flags.help();
    std::exit(0);
  }
  if (version) {
    std::cout << program << " " << SECKILL_VERSION << "\n";
    std::exit(0);
  }
  // Only when given: glog's own GLOG_log_dir and GLOG_v environment variables stay honoured.
  if (flags.given("log-dir")) FLAGS_log_dir = log_dir;
  if (flags.given("verbose")) FLAGS_v = verbose;
  init_logging(argv[0]);
  // A write to a socket the peer has closed (Redis after "max number of clients reached", a
  // client gone mid-answer) must come back as EPIPE, which every caller handles as a broken
  // connection, not kill the process. Ignored dispositions are inherited by every thread.
  std::signal(SIGPIPE, SIG_IGN);
  return rest;
}

void init_program_flags_only(int argc, char** argv, Flags& flags, std::string_view usage) {
  const std::vector<std::string> rest = init_program(argc, argv, flags, usage);
  if (rest.empty()) return;
  std::cerr << std::filesystem::path(argv[0]).filename().string()
            << ": takes no arguments, only flags (got \"" << rest.front() << "\")\nusage: " << usage
            << "\n";
  std::exit(2);
}

void block_stop_signals() {
  sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_stop_signal() {
  sigset_t set = stop_signals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  return signal_number;
}

}  // namespace seckill
