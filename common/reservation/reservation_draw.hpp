// The reservation draw (预约抽签), as anyone can redo it from what the sale publishes.
//
// Each listed user gets a ticket, the lowercase hex SHA-1 of "<seed>:<user id>", and the users
// with the N smallest tickets win (a tie, which SHA-1 makes practically impossible, falls to the
// user id's text). The seed is drawn at random when the reservation closes, after the list is
// final, so nobody can pick a user id that will win; it is published in /secinfo afterwards, so
// anybody holding the list can check the winners. draw.lua makes the draw inside Redis by the
// same rule; this is the same rule in C++, for `seckill-admin verify-draw` and the tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seckill {

/// The ticket of `user` in the draw seeded with `seed`: hex SHA-1 of "<seed>:<user>".
std::string draw_ticket(std::string_view seed, std::string_view user);

/// The users the draw seeded with `seed` picks out of `listed`: the `winners` with the smallest
/// tickets (everyone when fewer are listed), in ticket order.
std::vector<std::string> draw_winners(const std::vector<std::string>& listed, std::string_view seed,
                                      std::int64_t winners);

/// A fresh seed: 16 random bytes from the system's CSPRNG, as 32 lowercase hex digits.
std::string new_draw_seed();

/// Whether `seed` can seed a draw: 16 to 64 lowercase hex digits.
bool valid_draw_seed(std::string_view seed);

}  // namespace seckill
