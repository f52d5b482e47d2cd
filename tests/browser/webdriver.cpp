#include "tests/browser/webdriver.hpp"

#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "proxy/api/api_answer.hpp"
#include "tests/support/free_port.hpp"

namespace seckill::test {
namespace {

// W3C WebDriver names an element reference by this fixed key.
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

rapidjson::Document parse(const std::string& json, const std::string& what) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  if (document.HasParseError()) throw std::runtime_error(what + ": not JSON: " + json);
  return document;
}

std::string base64_decode(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) throw std::runtime_error("screenshot: bad base64");
  // EVP_DecodeBlock counts the padding's zero bytes too.
  std::size_t size = static_cast<std::size_t>(written);
  if (text.ends_with("=="))
    size -= 2;
  else if (text.ends_with('='))
    size -= 1;
  out.resize(size);
  return out;
}

std::string chromium_capabilities(const std::string& profile) {
  // Headless, and quiet on the network: this machine (and CI) has no internet, and Chromium's
  // background services would otherwise try to reach Google at every start.
  const std::vector<std::string> args = {
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--window-size=1100,760",
      "--user-data-dir=" + profile,
  };
  std::string list;
  for (const auto& arg : args) list += (list.empty() ? "" : ",") + proxy::json_quote(arg);
  return R"({"capabilities":{"alwaysMatch":{"browserName":"chrome","goog:chromeOptions":{"binary":)" +
         proxy::json_quote(kChromiumPath) + R"(,"args":[)" + list + "]}}}}";
}

}  // namespace

ChromeDriver::ChromeDriver() {
  for (const char* program : {kChromiumPath, kChromeDriverPath}) {
    if (!std::ifstream(program)) {
      throw std::runtime_error(std::string(program) +
                               " is missing: install chromium and chromium-driver "
                               "(tools/install-deps.sh does)");
    }
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    process_.start(
        {kChromeDriverPath, "--port=" + std::to_string(port_), "--allowed-ips=127.0.0.1"},
        dir_.file("chromedriver.log"));
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < give_up && process_.running()) {
      HttpClient client(port_, std::chrono::milliseconds(1000));
      auto status = client.get("/status");
      if (status.status == 200 && status.body.find("\"ready\":true") != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    process_.stop();
  }
  throw std::runtime_error("chromedriver did not start; log:\n" + process_.log_tail());
}

ChromeDriver::~ChromeDriver() {
  process_.stop();
}

Browser::Browser(ChromeDriver& driver)
    // Starting Chromium takes a few seconds on a busy two-core machine.
    : client_(std::make_unique<HttpClient>(driver.port(), std::chrono::seconds(60))) {
  const std::string value = command("POST", "/session", chromium_capabilities(profile_.path()));
  auto document = parse(value, "new session");
  if (!document.IsObject() || !document.HasMember("sessionId") ||
      !document["sessionId"].IsString()) {
    throw std::runtime_error("new session: no session id in " + value);
  }
  session_ = std::string("/session/") + document["sessionId"].GetString();
}

Browser::~Browser() {
  if (session_.empty()) return;
  try {
    command("DELETE", session_);
  } catch (const std::exception&) {
    // Chromium is gone already: chromedriver's own shutdown reaps it.
  }
}

std::string Browser::command(const std::string& method, const std::string& path,
                             const std::string& body) {
  auto answer = client_->request(method, path, {{"Content-Type", "application/json"}},
                                 method == "GET" || method == "DELETE" ? "" : body);
  if (answer.status == 0) throw std::runtime_error(method + " " + path + ": " + answer.error);
  auto document = parse(answer.body, method + " " + path);
  if (!document.IsObject() || !document.HasMember("value")) {
    throw std::runtime_error(method + " " + path + ": unexpected answer " + answer.body);
  }
  const rapidjson::Value& value = document["value"];
  if (answer.status != 200) {
    std::string message = answer.body;
    if (value.IsObject() && value.HasMember("message") && value["message"].IsString()) {
      message = value["message"].GetString();
    }
    throw std::runtime_error(method + " " + path + ": " + message);
  }
  return to_json(value);
}

void Browser::open(const std::string& url) {
  command("POST", session_ + "/url", "{\"url\":" + proxy::json_quote(url) + "}");
}

std::string Browser::run(const std::string& body) {
  return command("POST", session_ + "/execute/sync",
                 "{\"script\":" + proxy::json_quote(body) + ",\"args\":[]}");
}

std::string Browser::run_for_text(const std::string& body) {
  const std::string value = run(body);
  auto document = parse(value, "script");
  if (!document.IsString()) throw std::runtime_error("script returned " + value + ", not text");
  return document.GetString();
}

bool Browser::wait_until(const std::string& condition, std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  const std::string script =
      "try { return Boolean(" + condition + "); } catch (e) { return false; }";
  while (true) {
    if (run(script) == "true") return true;
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string Browser::element(const std::string& css) {
  const std::string value =
      command("POST", session_ + "/element",
              "{\"using\":\"css selector\",\"value\":" + proxy::json_quote(css) + "}");
  auto document = parse(value, "find " + css);
  if (!document.IsObject() || !document.HasMember(kElementKey)) {
    throw std::runtime_error("find " + css + ": " + value);
  }
  return document[kElementKey].GetString();
}

void Browser::click(const std::string& css) {
  command("POST", session_ + "/element/" + element(css) + "/click");
}

void Browser::type(const std::string& css, const std::string& text) {
  command("POST", session_ + "/element/" + element(css) + "/value",
          "{\"text\":" + proxy::json_quote(text) + "}");
}

std::string Browser::text(const std::string& css) {
  auto document = parse(command("GET", session_ + "/element/" + element(css) + "/text"), "text");
  return document.IsString() ? document.GetString() : "";
}

void Browser::screenshot(const std::string& file) {
  auto document = parse(command("GET", session_ + "/screenshot"), "screenshot");
  if (!document.IsString()) throw std::runtime_error("screenshot: no image");
  std::ofstream out(file, std::ios::binary);
  const std::string png = base64_decode(document.GetString());
  out.write(png.data(), static_cast<std::streamsize>(png.size()));
  if (!out) throw std::runtime_error("cannot write " + file);
}

}  // namespace seckill::test
