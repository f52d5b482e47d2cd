// The sale page in a real browser (headless Chromium through chromedriver) against the real
// proxy and logic binaries and a real redis-server.
//
// Screenshots of every state are saved under build/.../artifacts/browser/ for a person to look
// at; the assertions read the page the way a buyer sees it (texts, the button's state).
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "common/base/clock.hpp"
#include "common/token/token.hpp"
#include "tests/browser/webdriver.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/seckill/cluster.hpp"

namespace seckill::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string artifact(const std::string& name) {
  const std::filesystem::path folder = std::filesystem::path(SECKILL_ARTIFACT_DIR) / "browser";
  std::filesystem::create_directories(folder);
  return (folder / name).string();
}

ClusterOptions page_cluster(int logics, int request_timeout_ms) {
  ClusterOptions options;
  options.logics = logics;
  options.request_timeout_ms = request_timeout_ms;
  options.proxy_extra = sale_page_config(true);
  return options;
}

std::string named_product(long long id, const std::string& name, long long total,
                          long long start_ms, long long end_ms) {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"" + name +
         "\",\"total\":" + std::to_string(total) + ",\"start\":" + std::to_string(start_ms) +
         ",\"end\":" + std::to_string(end_ms) + "}";
}

/// A product on sale now at 1,999.00 CNY, whose orders must be paid within `pay_within_s`.
std::string payable_product(long long id, const std::string& name, long long total,
                            int pay_within_s) {
  const long long now = unix_ms_now();
  return with_payment(named_product(id, name, total, now - 60'000, now + 3'600'000), 199900,
                      pay_within_s);
}

/// `product` with a description and a picture served by the proxy's own site.
std::string with_picture(std::string product) {
  product.pop_back();  // the closing brace
  return product + R"(,"description":"限量 100 台","image_url":"/favicon.svg"})";
}

/// JavaScript that finds product `id`'s card.
std::string card(long long id) {
  return "document.querySelector('li[data-product=\"" + std::to_string(id) + "\"]')";
}

std::string card_css(long long id, const std::string& part) {
  return "li[data-product=\"" + std::to_string(id) + "\"] " + part;
}

void sign_in(Browser& browser, const std::string& user) {
  ASSERT_TRUE(browser.wait_until("!document.getElementById('sign-in').hidden"));
  browser.type("#user-id", user);
  browser.click("#sign-in-button");
  ASSERT_TRUE(browser.wait_until("document.getElementById('user-name').textContent === '" + user +
                                 "' && !document.getElementById('signed-in').hidden"))
      << browser.text("#sign-in-message");
}

TEST(SalePage, CountdownUnlocksAtTheStartBuysOnceThenShowsSoldOut) {
  Cluster cluster(page_cluster(1, 2000));
  ChromeDriver driver;
  Browser alice(driver);

  // Starts a few seconds from now: long enough to see the countdown, short enough for a test.
  const long long start_ms = unix_ms_now() + 7000;
  const long long end_ms = start_ms + 3'600'000;
  cluster.load_products(products_json(
      {named_product(1, "Browser phone", 1, start_ms, end_ms),
       named_product(2, "Later tablet", 50, start_ms + 86'400'000, end_ms + 86'400'000)}));
  cluster.wait_ready(1);
  const std::string site = "http://127.0.0.1:" + std::to_string(cluster.proxy_port(0));

  alice.open(site + "/");
  ASSERT_TRUE(alice.wait_until(card(1) + " && " + card(2)));
  EXPECT_EQ(alice.text(card_css(1, ".name")), "Browser phone");
  EXPECT_EQ(alice.text(card_css(1, ".buy")), "Sign in to buy");
  EXPECT_EQ(alice.run("return " + card(1) + ".querySelector('.buy').disabled"), "true");
  alice.screenshot(artifact("01-signed-out.png"));

  sign_in(alice, "501");
  ASSERT_LT(unix_ms_now(), start_ms - 1000)
      << "the browser started too slowly to see the countdown";
  ASSERT_TRUE(alice.wait_until(card(1) + ".dataset.state === 'upcoming'"));
  EXPECT_TRUE(alice.text(card_css(1, ".countdown")).starts_with("Starts in 00:00:0"))
      << alice.text(card_css(1, ".countdown"));
  EXPECT_EQ(alice.text(card_css(1, ".left")), "1 of 1 left");
  EXPECT_EQ(alice.run("return " + card(1) + ".querySelector('.buy').disabled"), "true");
  alice.screenshot(artifact("02-countdown.png"));

  // The button unlocks at the start on the server's clock: not before, and promptly after.
  ASSERT_TRUE(alice.wait_until("!" + card(1) + ".querySelector('.buy').disabled", seconds(20)));
  const long long unlocked_ms = unix_ms_now();
  EXPECT_GE(unlocked_ms, start_ms - 300);
  EXPECT_LE(unlocked_ms, start_ms + 1500);
  EXPECT_EQ(alice.text(card_css(1, ".buy")), "Buy now");
  EXPECT_EQ(alice.run_for_text("return " + card(1) + ".dataset.state;"), "active");
  alice.screenshot(artifact("03-on-sale.png"));

  alice.click(card_css(1, ".buy"));
  ASSERT_TRUE(alice.wait_until(card(1) + ".querySelector('.outcome').dataset.code === '0'"))
      << alice.text(card_css(1, ".outcome"));
  const std::string outcome = alice.text(card_css(1, ".outcome"));
  // The order id the page shows is the one recorded for this user.
  HttpClient api(cluster.proxy_port(0));
  auto result = api.get("/result?" + buyer_query(1, 501, Cluster::kSecret));
  ASSERT_EQ(result.code, 0) << result.body;
  EXPECT_NE(outcome.find(result.order_id), std::string::npos) << outcome;
  EXPECT_TRUE(outcome.starts_with("You got it!")) << outcome;
  // Stock and state refresh live: the only unit is gone.
  ASSERT_TRUE(alice.wait_until(card(1) + ".dataset.state === 'sold_out'", seconds(5)));
  EXPECT_EQ(alice.text(card_css(1, ".left")), "0 of 1 left");
  // Her limit is reached: the button says so and stays locked.
  ASSERT_TRUE(alice.wait_until(card(1) + ".querySelector('.buy').textContent === 'Bought'"));
  EXPECT_EQ(alice.run("return " + card(1) + ".querySelector('.buy').disabled"), "true");
  alice.screenshot(artifact("04-bought.png"));

  // Another buyer, with a browser of their own, comes after the sell-out.
  Browser bob(driver);
  bob.open(site + "/");
  sign_in(bob, "502");
  ASSERT_TRUE(bob.wait_until(card(1) + ".dataset.state === 'sold_out'"));
  EXPECT_EQ(bob.text(card_css(1, ".state")), "SOLD OUT");  // shown upper-case by the CSS
  EXPECT_EQ(bob.text(card_css(1, ".buy")), "Sold out");
  EXPECT_EQ(bob.run("return " + card(1) + ".querySelector('.buy').disabled"), "true");
  bob.screenshot(artifact("05-sold-out-for-the-next-buyer.png"));

  // Traversal attempts from the address bar reach no file.
  for (const char* path : {"/..%2fconfig%2fproxy.json", "/%2e%2e/%2e%2e/etc/passwd",
                           "/static/..%5c..%5cCMakeLists.txt"}) {
    bob.open(site + path);
    const std::string body = bob.run_for_text("return document.body.innerText;");
    EXPECT_NE(body.find("\"code\":4004"), std::string::npos) << path << ": " << body;
  }
  bob.screenshot(artifact("06-traversal-refused.png"));

  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

TEST(SalePage, AnUndecidedPurchasePollsResultUntilItKnows) {
  // No logic process: the purchase waits for its deadline (5004) and can never become an order.
  Cluster cluster(page_cluster(0, 1000));
  ChromeDriver driver;
  Browser carol(driver);
  const long long now = unix_ms_now();
  cluster.load_products(
      products_json({named_product(7, "Slow speaker", 10, now - 60'000, now + 3'600'000)}));
  cluster.wait_ready(7);
  carol.open("http://127.0.0.1:" + std::to_string(cluster.proxy_port(0)) + "/");
  sign_in(carol, "703");
  ASSERT_TRUE(carol.wait_until("!" + card(7) + ".querySelector('.buy').disabled"));

  carol.click(card_css(7, ".buy"));
  // In flight: the button stays locked, so the buyer cannot send it twice.
  EXPECT_EQ(carol.run("return " + card(7) + ".querySelector('.buy').disabled"), "true");
  ASSERT_TRUE(
      carol.wait_until(card(7) + ".querySelector('.outcome').dataset.code === '5004'", seconds(5)));
  EXPECT_EQ(carol.text(card_css(7, ".buy")), "Buying…");
  carol.screenshot(artifact("07-deciding.png"));

  // /result answers "no order" and the page trusts it once the deadline is safely past.
  ASSERT_TRUE(
      carol.wait_until(card(7) + ".querySelector('.outcome').dataset.code === '1006'", seconds(15)))
      << carol.text(card_css(7, ".outcome"));
  EXPECT_TRUE(carol.text(card_css(7, ".outcome")).starts_with("The shop could not decide in time"));
  EXPECT_EQ(carol.run("return " + card(7) + ".querySelector('.buy').disabled"), "false");
  carol.screenshot(artifact("08-not-bought-after-timeout.png"));

  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test

namespace seckill::test {
namespace {

// After a purchase the page shows the price and the time left to pay; the demo's Pay button
// pays the order as a provider's signed callback would; an order left unpaid expires, and the
// page says its unit went back on sale.
TEST(SalePage, APendingOrderIsPaidWithTheDemoButtonAndAnUnpaidOneExpires) {
  ClusterOptions options = page_cluster(1, 2000);
  options.proxy_extra += R"(,"payments":{"secret":"browser-payments","demo":true})";
  Cluster cluster(options);
  ChromeDriver driver;
  Browser dana(driver);
  cluster.load_products(products_json(
      {payable_product(1, "Payable phone", 5, 900), payable_product(2, "Quick deal", 5, 3)}));
  cluster.wait_ready(1);
  dana.open("http://127.0.0.1:" + std::to_string(cluster.proxy_port(0)) + "/");
  sign_in(dana, "601");
  ASSERT_TRUE(dana.wait_until("!" + card(1) + ".querySelector('.buy').disabled"));
  EXPECT_NE(dana.text(card_css(1, ".price")).find("1,999.00"), std::string::npos)
      << dana.text(card_css(1, ".price"));

  dana.click(card_css(1, ".buy"));
  ASSERT_TRUE(dana.wait_until("!" + card(1) + ".querySelector('.pay').hidden"))
      << dana.text(card_css(1, ".outcome"));
  const std::string pay_by = dana.text(card_css(1, ".pay-by"));
  EXPECT_TRUE(pay_by.find("within 15:00,") != std::string::npos ||
              pay_by.find("within 14:5") != std::string::npos)
      << pay_by;
  EXPECT_NE(dana.text(card_css(1, ".pay")).find("1,999.00"), std::string::npos);
  dana.screenshot(artifact("09-awaiting-payment.png"));

  dana.click(card_css(1, ".pay"));
  ASSERT_TRUE(dana.wait_until(card(1) + ".querySelector('.pay-by').dataset.kind === 'success'"))
      << dana.text(card_css(1, ".pay-by")) << " / " << dana.text(card_css(1, ".outcome"));
  EXPECT_NE(dana.text(card_css(1, ".pay-by")).find("is paid"), std::string::npos);
  EXPECT_EQ(dana.run("return " + card(1) + ".querySelector('.pay').hidden"), "true");
  HttpClient api(cluster.proxy_port(0));
  auto result = api.get("/result?" + buyer_query(1, 601, Cluster::kSecret));
  EXPECT_NE(result.body.find(R"("state":"paid")"), std::string::npos) << result.body;
  dana.screenshot(artifact("10-paid.png"));

  // Left unpaid: three seconds later the logic's reaper expires it.
  dana.click(card_css(2, ".buy"));
  ASSERT_TRUE(dana.wait_until("!" + card(2) + ".querySelector('.pay').hidden"));
  ASSERT_TRUE(dana.wait_until(card(2) + ".querySelector('.pay-by').textContent.includes('expired')",
                              seconds(10)))
      << dana.text(card_css(2, ".pay-by"));
  EXPECT_EQ(dana.run("return " + card(2) + ".querySelector('.pay').hidden"), "true");
  dana.screenshot(artifact("11-expired.png"));

  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test

namespace seckill::test {
namespace {

// Without the demo sign-in: a wrong token is refused at sign-in, with a word; with a limit of
// two, each order is listed and the button says "Bought" at the second; while the shop cannot
// be reached, Buy is locked.
TEST(SalePage, TheTokenIsCheckedAtSignInOrdersAreListedAndAnUnreachableShopLocksBuy) {
  ClusterOptions options;
  options.proxy_extra = sale_page_config(false);
  Cluster cluster(options);
  ChromeDriver driver;
  Browser erin(driver);
  const long long now = unix_ms_now();
  cluster.load_products(products_json(
      {product_on_sale(1, 5, 2), product_on_sale(2, 5),
       with_picture(named_product(3, "秒杀手机 タイムセール", 5, now - 60'000, now + 3'600'000))}));
  cluster.wait_ready(1);
  erin.open("http://127.0.0.1:" + std::to_string(cluster.proxy_port(0)) + "/");
  ASSERT_TRUE(erin.wait_until("!document.getElementById('sign-in').hidden"));
  ASSERT_TRUE(erin.wait_until(card(1) + " !== null"));
  erin.type("#user-id", "801");
  erin.type("#token", std::string(64, '0'));
  erin.click("#sign-in-button");
  ASSERT_TRUE(erin.wait_until(
      "document.getElementById('sign-in-message').textContent.includes('does not belong')"))
      << erin.text("#sign-in-message");
  EXPECT_EQ(erin.run("return document.getElementById('signed-in').hidden"), "true");

  // A v2 token, as seckill-admin or the shop's login issues it: an expired one is refused by the
  // page at once, a valid one signs in.
  TokenConfig keys;
  finalize_token_config(keys, Cluster::kSecret);
  const TokenKeyring tokens(keys, Cluster::kSecret);
  erin.run("document.getElementById('token').value = ''; return 0;");
  erin.type("#token", tokens.issue(801, now / 1000 - 10));
  erin.click("#sign-in-button");
  ASSERT_TRUE(
      erin.wait_until("document.getElementById('sign-in-message').textContent.includes('expired')"))
      << erin.text("#sign-in-message");
  erin.run("document.getElementById('token').value = ''; return 0;");
  erin.type("#token", tokens.issue(801, now / 1000 + 3600));
  erin.click("#sign-in-button");
  ASSERT_TRUE(erin.wait_until("!document.getElementById('signed-in').hidden"))
      << erin.text("#sign-in-message");

  ASSERT_TRUE(erin.wait_until("!" + card(1) + ".querySelector('.buy').disabled"));
  erin.click(card_css(1, ".buy"));
  ASSERT_TRUE(erin.wait_until(card(1) + ".querySelector('.outcome').dataset.code === '0'"))
      << erin.text(card_css(1, ".outcome"));
  ASSERT_TRUE(erin.wait_until("!" + card(1) + ".querySelector('.buy').disabled"));
  EXPECT_EQ(erin.text(card_css(1, ".buy")), "Buy now") << "one of two bought";
  erin.click(card_css(1, ".buy"));
  ASSERT_TRUE(erin.wait_until(card(1) + ".querySelector('.buy').textContent === 'Bought'"))
      << erin.text(card_css(1, ".outcome"));
  EXPECT_EQ(erin.run("return " + card(1) + ".querySelector('.buy').disabled"), "true");
  const std::string listed = erin.text(card_css(1, ".orders"));
  EXPECT_NE(listed.find("1-1"), std::string::npos) << listed;
  EXPECT_NE(listed.find("1-2"), std::string::npos) << listed;
  EXPECT_EQ(erin.text(card_css(3, ".name")), "秒杀手机 タイムセール") << "Chinese and Japanese";
  EXPECT_EQ(erin.text(card_css(3, ".description")), "限量 100 台");
  EXPECT_EQ(
      erin.run_for_text("return " + card(3) + ".querySelector('.picture').getAttribute('src');"),
      "/favicon.svg");
  EXPECT_EQ(erin.run("return " + card(3) + ".querySelector('.picture').hidden"), "false");
  EXPECT_EQ(erin.run("return " + card(1) + ".querySelector('.picture').hidden"), "true");
  erin.screenshot(artifact("12-two-orders.png"));

  EXPECT_EQ(erin.run("return " + card(2) + ".querySelector('.buy').disabled"), "false");
  cluster.proxy(0).kill_hard();
  ASSERT_TRUE(erin.wait_until("!document.getElementById('banner').hidden", seconds(10)));
  EXPECT_EQ(erin.run("return " + card(2) + ".querySelector('.buy').disabled"), "true")
      << "nothing can be bought while the shop cannot be reached";
  erin.screenshot(artifact("13-unreachable.png"));
}

// A product with a challenge and a 12-bit puzzle, opening a few seconds after the page loads:
// the page fetches the buyer's challenge at the start, solves it in a Web Worker, and the
// purchase carries it (without it the proxy answers 4005).
TEST(SalePage, AChallengeIsFetchedAtTheStartAndSolvedBeforeTheBuy) {
  Cluster cluster(page_cluster(1, 2000));
  ChromeDriver driver;
  Browser gina(driver);
  const long long start = unix_ms_now() + 4000;
  std::string product = named_product(1, "Guarded phone", 5, start, start + 3'600'000);
  product.pop_back();
  cluster.load_products(products_json({product + R"(,"challenge":true,"pow_bits":12})"}));
  cluster.wait_ready(1);
  gina.open("http://127.0.0.1:" + std::to_string(cluster.proxy_port(0)) + "/");
  sign_in(gina, "901");
  ASSERT_TRUE(gina.wait_until("!" + card(1) + ".querySelector('.buy').disabled", seconds(15)));
  gina.click(card_css(1, ".buy"));
  ASSERT_TRUE(
      gina.wait_until(card(1) + ".querySelector('.outcome').dataset.code === '0'", seconds(15)))
      << gina.text(card_css(1, ".outcome"));
  HttpClient api(cluster.proxy_port(0));
  auto bare = api.get("/seckill?" + buyer_query(1, 902, Cluster::kSecret));
  EXPECT_EQ(bare.code, 4005) << "the page's purchase went through only with the challenge";
}

// A sale that takes a reservation with a draw: the card counts down to the opening, the buyer
// reserves while it is open, the page shows the draw and its seed once made, and only the user
// drawn may buy; one who never reserved is told so and cannot press Buy.
TEST(SalePage, AReservedBuyerIsDrawnAndBuysOneWhoDidNotReserveCannot) {
  Cluster cluster(page_cluster(1, 2000));
  ChromeDriver driver;
  Browser hana(driver);
  const long long now = unix_ms_now();
  const long long closes = now + 7000;
  auto reserved = [](std::string product, long long opens_ms, long long closes_ms) {
    product.pop_back();  // the closing brace
    return product + R"(,"reservation":{"opens":)" + std::to_string(opens_ms) + R"(,"closes":)" +
           std::to_string(closes_ms) + R"(,"draw":1}})";
  };
  cluster.load_products(products_json(
      {reserved(named_product(1, "Reserved console", 5, closes + 2000, closes + 3'600'000),
                now - 1000, closes),
       reserved(named_product(2, "Next month's console", 5, now + 7'200'000, now + 9'000'000),
                now + 3'600'000, now + 7'200'000)}));
  cluster.wait_ready(1);
  hana.open("http://127.0.0.1:" + std::to_string(cluster.proxy_port(0)) + "/");
  sign_in(hana, "801");

  EXPECT_TRUE(hana.text(card_css(2, ".reservation-state")).starts_with("Reservations open in"))
      << hana.text(card_css(2, ".reservation-state"));
  EXPECT_EQ(hana.run("return " + card(2) + ".querySelector('.reserve').disabled"), "true");
  ASSERT_TRUE(hana.wait_until("!" + card(1) + ".querySelector('.reserve').disabled"))
      << hana.text(card_css(1, ".reservation-state"));
  EXPECT_NE(hana.text(card_css(1, ".reservation-state")).find("1 buyer is drawn"),
            std::string::npos)
      << hana.text(card_css(1, ".reservation-state"));
  hana.click(card_css(1, ".reserve"));
  ASSERT_TRUE(hana.wait_until(card(1) + ".querySelector('.reserve').textContent === 'Reserved'"))
      << hana.text(card_css(1, ".reservation-outcome"));
  EXPECT_EQ(hana.text(card_css(1, ".reservation-outcome")),
            "You are on the list: the draw is at the close.");
  hana.screenshot(artifact("14-reserved.png"));

  // The only one on the list is drawn; the page shows the seed /secinfo publishes.
  ASSERT_TRUE(hana.wait_until(card(1) + ".querySelector('.reservation-outcome').textContent" +
                                  " === 'You were drawn: you may buy.'",
                              seconds(20)))
      << hana.text(card_css(1, ".reservation-state"));
  // /reserve may tell before this proxy's /secinfo shows the draw: the seed follows within a
  // refresh.
  ASSERT_TRUE(hana.wait_until(card(1) + ".querySelector('.seed') !== null", seconds(5)));
  HttpClient api(cluster.proxy_port(0));
  const std::string info = api.get("/secinfo?product_id=1").body;
  const auto seed_at = info.find("\"seed\":\"");
  ASSERT_NE(seed_at, std::string::npos) << info;
  const std::string seed = info.substr(seed_at + 8, 32);
  EXPECT_NE(hana.text(card_css(1, ".seed")).find(seed), std::string::npos)
      << hana.text(card_css(1, ".seed")) << " / " << info;
  ASSERT_TRUE(hana.wait_until("!" + card(1) + ".querySelector('.buy').disabled", seconds(15)));
  hana.screenshot(artifact("15-drawn.png"));
  hana.click(card_css(1, ".buy"));
  ASSERT_TRUE(hana.wait_until(card(1) + ".querySelector('.outcome').dataset.code === '0'"))
      << hana.text(card_css(1, ".outcome"));

  // Another user on the same browser never reserved: the page says so and Buy stays locked, as
  // the shop would refuse it (1008).
  hana.click("#switch-user");
  hana.run("document.getElementById('user-id').value = ''; return 0;");
  sign_in(hana, "802");
  ASSERT_TRUE(hana.wait_until(card(1) +
                              ".querySelector('.buy').textContent === " + "'Reserved buyers only'"))
      << hana.text(card_css(1, ".buy"));
  EXPECT_EQ(hana.run("return " + card(1) + ".querySelector('.buy').disabled"), "true");
  EXPECT_EQ(hana.text(card_css(1, ".reservation-outcome")),
            "You did not reserve: this sale sells only to those who did.");
  hana.screenshot(artifact("16-not-reserved.png"));
  EXPECT_EQ(api.get("/seckill?" + buyer_query(1, 802, Cluster::kSecret)).code, 1008);
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

// Where a user may hold several units the card asks how many: three bought at once cost three
// times the price, the Pay button pays all three; a second buyer asking for more than is left
// is told how many are.
TEST(SalePage, SeveralUnitsAreBoughtAndPaidAtOnce) {
  ClusterOptions options = page_cluster(1, 2000);
  options.proxy_extra += R"(,"payments":{"secret":"browser-payments","demo":true})";
  Cluster cluster(options);
  ChromeDriver driver;
  Browser erin(driver);
  std::string product = payable_product(1, "Family pack", 4, 900);
  product.pop_back();
  cluster.load_products(products_json({product + R"(,"per_user_limit":3})"}));
  cluster.wait_ready(1);
  const std::string page = "http://127.0.0.1:" + std::to_string(cluster.proxy_port(0)) + "/";
  erin.open(page);
  sign_in(erin, "701");
  ASSERT_TRUE(erin.wait_until("!" + card(1) + ".querySelector('.buy').disabled"));
  EXPECT_EQ(erin.run("return " + card(1) + ".querySelector('.quantity-field').hidden"), "false");
  EXPECT_EQ(erin.run_for_text("return " + card(1) + ".querySelector('.quantity').max"), "3");
  erin.run(card(1) + ".querySelector('.quantity').value = '3'; return 0;");
  erin.click(card_css(1, ".buy"));
  ASSERT_TRUE(erin.wait_until("!" + card(1) + ".querySelector('.pay').hidden"))
      << erin.text(card_css(1, ".outcome"));
  EXPECT_NE(erin.text(card_css(1, ".pay")).find("5,997.00"), std::string::npos)
      << erin.text(card_css(1, ".pay"));
  EXPECT_NE(erin.text(card_css(1, ".orders")).find("\u00d73"), std::string::npos)
      << erin.text(card_css(1, ".orders"));
  EXPECT_EQ(erin.text(card_css(1, ".buy")), "Bought") << "three of three";
  erin.click(card_css(1, ".pay"));
  ASSERT_TRUE(erin.wait_until(card(1) + ".querySelector('.pay-by').dataset.kind === 'success'"))
      << erin.text(card_css(1, ".pay-by")) << " / " << erin.text(card_css(1, ".outcome"));

  Browser finn(driver);
  finn.open(page);
  sign_in(finn, "702");
  ASSERT_TRUE(finn.wait_until("!" + card(1) + ".querySelector('.buy').disabled"));
  finn.run(card(1) + ".querySelector('.quantity').value = '2'; return 0;");
  finn.click(card_css(1, ".buy"));
  ASSERT_TRUE(
      finn.wait_until(card(1) + ".querySelector('.outcome').textContent.includes('Only 1')"))
      << finn.text(card_css(1, ".outcome"));
  auto audit = cluster.admin({"audit"});
  EXPECT_EQ(audit.status, 0) << audit.output;
}

}  // namespace
}  // namespace seckill::test
