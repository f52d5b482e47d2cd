#include "tests/support/servers/postgres_server.hpp"

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "tests/support/free_port.hpp"
#include "tests/support/process.hpp"
#include <unistd.h>

namespace seckill::test {
namespace {

// The newest installed server's programs (/usr/lib/postgresql/<version>/bin).
std::string server_bin_dir() {
  std::string best;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql")) {
    const std::string bin = entry.path().string() + "/bin";
    if (std::filesystem::exists(bin + "/initdb") && bin > best) best = bin;
  }
  if (best.empty()) throw std::runtime_error("no PostgreSQL server under /usr/lib/postgresql");
  return best;
}

}  // namespace

PostgresServer::PostgresServer() : bin_(server_bin_dir()), data_(dir_.file("data")) {
  std::filesystem::create_directories(data_);
  if (geteuid() == 0) {
    // The postgres user must reach its data and socket directory.
    std::filesystem::permissions(
        dir_.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                         std::filesystem::perms::others_exec | std::filesystem::perms::group_read |
                         std::filesystem::perms::others_read);
    run_program({"/bin/chown", "-R", "postgres:postgres", data_});
    run_program({"/bin/chown", "postgres:postgres", dir_.path()});
  }
  run_as_owner({bin_ + "/initdb", "-D", data_, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                "--no-sync", "--no-instructions"});
  port_ = free_port();
  start();
}

PostgresServer::~PostgresServer() {
  if (running_) {
    try {
      run_as_owner({bin_ + "/pg_ctl", "-D", data_, "-m", "immediate", "-w", "stop"});
    } catch (const std::exception&) {
      // Already gone: nothing to stop.
    }
  }
}

std::string PostgresServer::run_as_owner(const std::vector<std::string>& argv) const {
  std::vector<std::string> command;
  // From a directory the postgres user may enter (else psql and pg_ctl complain into the output).
  if (geteuid() == 0)
    command = {"/usr/sbin/runuser", "-u", "postgres", "--", "/usr/bin/env", "-C", dir_.path()};
  command.insert(command.end(), argv.begin(), argv.end());
  RunResult result = run_program(command, std::chrono::seconds(60));
  if (result.status != 0) {
    throw std::runtime_error(argv.front() + " failed (" + std::to_string(result.status) +
                             "): " + result.output);
  }
  return result.output;
}

std::string PostgresServer::dsn() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=postgres dbname=postgres connect_timeout=2";
}

void PostgresServer::start() {
  run_as_owner({bin_ + "/pg_ctl", "-D", data_, "-l", dir_.file("postgres.log"), "-w", "-o",
                "-p " + std::to_string(port_) + " -k " + dir_.path() +
                    " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
                "start"});
  running_ = true;
}

void PostgresServer::stop() {
  run_as_owner({bin_ + "/pg_ctl", "-D", data_, "-m", "fast", "-w", "stop"});
  running_ = false;
}

void PostgresServer::restart() {
  stop();
  start();
}

std::string PostgresServer::query(const std::string& sql) const {
  return run_as_owner({bin_ + "/psql", "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p",
                       std::to_string(port_), "-U", "postgres", "-d", "postgres", "-v",
                       "ON_ERROR_STOP=1", "-c", sql});
}

}  // namespace seckill::test
