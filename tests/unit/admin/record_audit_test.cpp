#include "tools/admin/audit/record_audit.hpp"

#include <gtest/gtest.h>

#include "tests/unit/admin/audit_checks.hpp"

namespace seckill::admin {
namespace {

ProductAuditData in_redis() {
  ProductAuditData data;
  data.id = 7;
  data.last_entry_id = "1700000000000-3";
  data.orders = {{"7-1", {"paid", "100"}}, {"7-2", {"expired", "200"}}};
  return data;
}

RecordData in_postgres() {
  RecordData record;
  record.read_position = "1700000000000-3";
  record.orders = {{"7-1", {"paid", "100"}}, {"7-2", {"expired", "200"}}};
  return record;
}

TEST(RecordAudit, TheSameOrdersInBothPass) {
  auto result = audit_record(in_redis(), in_postgres());
  EXPECT_TRUE(result.ok()) << result.breaches.front();
  EXPECT_EQ(result.checked.size(), 6U);
}

TEST(RecordAudit, EachDifferenceIsABreachNamingIt) {
  auto behind = in_postgres();
  behind.read_position = "1700000000000-2";
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), behind), "read the order stream"));
  auto never_read = in_postgres();
  never_read.read_position.clear();
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), never_read), "read to nothing"));

  auto missing = in_postgres();
  missing.orders.erase("7-2");
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), missing), "1 missing"));
  auto unknown = in_postgres();
  unknown.orders["7-3"] = {"paid", "300"};
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), unknown), "1 unknown"));
  auto other_state = in_postgres();
  other_state.orders["7-2"].state = "pending_payment";
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), other_state), "1 differ"));
  auto other_buyer = in_postgres();
  other_buyer.orders["7-1"].user_id = "101";
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), other_buyer), "1 differ"));
  auto twice = in_postgres();
  twice.created_twice = 1;
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), twice), "1 twice"));
  auto conflict = in_postgres();
  conflict.conflicts = 2;
  EXPECT_TRUE(breach_mentions(audit_record(in_redis(), conflict), "2 conflicts"));
}

TEST(RecordAudit, AProductThatNeverSoldNeedsNoReadPosition) {
  ProductAuditData quiet;
  quiet.id = 8;
  EXPECT_TRUE(audit_record(quiet, RecordData{}).ok());
}

TEST(RecordAudit, StreamIdsCompareAsNumbers) {
  EXPECT_TRUE(stream_id_at_or_after("1700000000000-10", "1700000000000-9"));
  EXPECT_TRUE(stream_id_at_or_after("1700000000001-0", "1700000000000-99"));
  EXPECT_TRUE(stream_id_at_or_after("5-5", "5-5"));
  EXPECT_FALSE(stream_id_at_or_after("999-0", "1000-0"));
}

}  // namespace
}  // namespace seckill::admin
