// The identifiers of the order lifecycle, checked wherever they come in (admin, callbacks).
#pragma once

#include <optional>
#include <string_view>

#include "common/base/ids.hpp"

namespace seckill {

/// The product an order id ("<product>-<seq>") belongs to, or nothing when it is not one.
std::optional<ProductId> product_of_order(std::string_view order_id);

/// Whether `text` can be a payment id: 1-64 of letters, digits, - _ . :
bool is_payment_id(std::string_view text);

}  // namespace seckill
