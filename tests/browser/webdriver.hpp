// A small W3C WebDriver client for the browser tests: Debian's chromedriver driving Debian's
// headless Chromium, spoken to over HTTP/JSON with the tests' own HttpClient.
//
// Only what the sale page's tests need: open a page, find, click and type like a user, run a
// script to read the page's state, wait for a condition, and save screenshots. Every failure
// throws std::runtime_error with WebDriver's own message, so a test says what went wrong.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace seckill::test {

/// Where Debian installs them (packages chromium and chromium-driver).
inline constexpr const char* kChromiumPath = "/usr/bin/chromium";
inline constexpr const char* kChromeDriverPath = "/usr/bin/chromedriver";

/// One chromedriver process on a free loopback port, stopped with the object.
class ChromeDriver {
 public:
  ChromeDriver();
  ~ChromeDriver();
  ChromeDriver(const ChromeDriver&) = delete;
  ChromeDriver& operator=(const ChromeDriver&) = delete;
  ChromeDriver(ChromeDriver&&) = delete;
  ChromeDriver& operator=(ChromeDriver&&) = delete;

  int port() const { return port_; }

 private:
  TempDir dir_;
  int port_ = 0;
  ChildProcess process_;
};

/// One headless Chromium with a fresh profile (its own cookies): one buyer.
class Browser {
 public:
  explicit Browser(ChromeDriver& driver);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;
  Browser(Browser&&) = delete;
  Browser& operator=(Browser&&) = delete;

  void open(const std::string& url);
  /// Runs `body` (a function body: use `return`) in the page; its result as JSON text.
  std::string run(const std::string& body);
  /// Runs `body` and reads its result as a string (throws when it is not one).
  std::string run_for_text(const std::string& body);
  /// Polls `condition` (a JavaScript expression) until it is true; false after `timeout`.
  bool wait_until(const std::string& condition,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Clicks the element `css` selects, as a user would (WebDriver element click).
  void click(const std::string& css);
  /// Types `text` into the input `css` selects.
  void type(const std::string& css, const std::string& text);
  /// The visible text of the element `css` selects.
  std::string text(const std::string& css);
  /// Saves a PNG of the viewport.
  void screenshot(const std::string& file);

 private:
  /// Sends one WebDriver command; the JSON text of its "value". Throws on a WebDriver error.
  std::string command(const std::string& method, const std::string& path,
                      const std::string& body = "{}");
  std::string element(const std::string& css);

  TempDir profile_;
  std::unique_ptr<HttpClient> client_;
  std::string session_;  // "/session/<id>"
};

}  // namespace seckill::test
