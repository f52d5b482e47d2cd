#include "common/program.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <gflags/gflags.h>

#include "common/logging.hpp"

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

void init_program(int& argc, char**& argv, const char* usage) {
  // gflags knows only underscores; rewrite "--proxy-id=x" as "--proxy_id=x" in place (the name
  // part only, never the value).
  for (int i = 1; i < argc; ++i) {
    char* arg = argv[i];
    if (std::strncmp(arg, "--", 2) != 0) continue;
    for (char* c = arg + 2; *c != '\0' && *c != '='; ++c) {
      if (*c == '-') *c = '_';
    }
  }
  gflags::SetUsageMessage(usage);
  // Our own --help: the usage and this program's flags only (not glog's), and exit 0.
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      gflags::ShowUsageWithFlagsRestrict(argv[0], "main.cpp");
      std::exit(0);
    }
  }
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  init_logging(argv[0]);
  // A write to a socket the peer has closed (Redis after "max number of clients reached", a
  // client gone mid-answer) must come back as EPIPE, which every caller handles as a broken
  // connection, not kill the process. Ignored dispositions are inherited by every thread.
  std::signal(SIGPIPE, SIG_IGN);
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
