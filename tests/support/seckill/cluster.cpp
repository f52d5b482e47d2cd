#include "tests/support/seckill/cluster.hpp"

#include <stdexcept>
#include <thread>

#include "common/base/clock.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/servers/redis_server.hpp"

namespace seckill::test {

std::string sale_page_config(bool demo_login) {
  return R"("web":{"static_dir":")" + source_path("proxy/web") + R"(","demo_login":)" +
         (demo_login ? "true" : "false") + "}";
}

Cluster::Cluster(ClusterOptions options)
    : options_(std::move(options)), redis_(std::make_unique<RedisServer>(options_.redis_args)) {
  const std::string redis_json =
      "\"redis\":{\"host\":\"127.0.0.1\",\"port\":" + std::to_string(redis_->port()) + "}";
  proxy_config_ = dir_.write(
      "proxy.json", "{\"secret\":\"" + std::string(kSecret) +
                        "\",\"request_timeout_ms\":" + std::to_string(options_.request_timeout_ms) +
                        "," + (options_.proxy_extra.empty() ? "" : options_.proxy_extra + ",") +
                        options_.guard_json + "," + redis_json + "}");
  logic_config_ = dir_.write("logic.json",
                             "{\"workers\":" + std::to_string(options_.logic_workers) + "," +
                                 (options_.logic_extra.empty() ? "" : options_.logic_extra + ",") +
                                 redis_json + "}");
  logics_.resize(static_cast<std::size_t>(options_.logics));
  for (int i = 0; i < options_.logics; ++i) start_logic(i);
  proxies_.resize(static_cast<std::size_t>(options_.proxies));
  proxy_ports_.resize(static_cast<std::size_t>(options_.proxies));
  for (int i = 0; i < options_.proxies; ++i) start_proxy(i);
}

Cluster::~Cluster() {
  for (auto& proxy : proxies_) proxy.stop();
  for (auto& logic : logics_) logic.stop();
}

void Cluster::start_logic(int i) {
  logics_.at(static_cast<std::size_t>(i))
      .start({binary_path("seckill-logic"), "--config", logic_config_, "--logic-id",
              "e2e-logic-" + std::to_string(i)},
             dir_.file("logic" + std::to_string(i) + ".log"));
}

void Cluster::start_proxy(int i) {
  const auto index = static_cast<std::size_t>(i);
  // A taken port makes the proxy exit at once; try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    proxy_ports_[index] = free_port();
    proxies_[index].start(
        {binary_path("seckill-proxy"), "--config", proxy_config_, "--port",
         std::to_string(proxy_ports_[index]), "--proxy-id", "e2e-proxy-" + std::to_string(i)},
        dir_.file("proxy" + std::to_string(i) + ".log"));
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < give_up && proxies_[index].running()) {
      HttpClient client(proxy_ports_[index], std::chrono::milliseconds(500));
      if (client.get("/healthz").status != 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    proxies_[index].kill_hard();
  }
  throw std::runtime_error("seckill-proxy did not start; log:\n" + proxies_[index].log_tail());
}

RunResult Cluster::admin(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {binary_path("seckill-admin"), "--redis", redis_->address()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}

void Cluster::load_products(const std::string& json) {
  auto result = admin({"load", dir_.write("products.json", json)});
  if (result.status != 0) throw std::runtime_error("admin load failed: " + result.output);
}

void Cluster::wait_ready(long long product_id) {
  const std::string target = "/secinfo?product_id=" + std::to_string(product_id);
  for (int i = 0; i < options_.proxies; ++i) {
    HttpClient client(proxy_port(i));
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (client.get(target).code != 0 || client.get("/healthz").status != 200) {
      if (std::chrono::steady_clock::now() > give_up) {
        throw std::runtime_error("proxy " + std::to_string(i) + " not ready; log:\n" +
                                 proxies_[static_cast<std::size_t>(i)].log_tail());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

}  // namespace seckill::test
