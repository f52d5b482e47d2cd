// What every seckill program's main() does the same way: flags, logging, stop signals.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/program/flags.hpp"

namespace seckill {

/// Parses the command line with `flags` plus the ones every program has (--help and --version,
/// which print and exit 0; --log-dir and --verbose for glog), sets up glog and ignores SIGPIPE.
/// A bad flag prints what is wrong and exits 2. Returns the arguments that are not flags.
/// `usage` is the synopsis line(s) shown first by --help and after an error.
std::vector<std::string> init_program(int argc, char** argv, Flags& flags, std::string_view usage);
/// init_program for a program that takes flags only: an argument exits 2, naming it.
void init_program_flags_only(int argc, char** argv, Flags& flags, std::string_view usage);

/// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards; call before
/// starting threads, then wait_for_stop_signal() in main.
void block_stop_signals();

/// Waits for SIGINT or SIGTERM; returns the signal number.
int wait_for_stop_signal();

}  // namespace seckill
