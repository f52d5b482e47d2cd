// Redis Cluster hash slots: which of the 16384 slots a key lives in.
//
// The slot is CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key modulo 16384. When
// the key holds a hash tag, only the tag is hashed: the text between the first '{' and the first
// '}' after it, if that text is not empty. Every key of one group starts with the group's tag,
// so a decision script's keys share a slot. Pure; unit tested against the cluster spec's vector.
#pragma once

#include <cstdint>
#include <string_view>

namespace seckill {

inline constexpr int kClusterSlots = 16384;

/// CRC16/XMODEM of `bytes` ("123456789" -> 0x31C3).
std::uint16_t crc16_xmodem(std::string_view bytes);

/// The part of `key` that is hashed: its hash tag when it has a non-empty one, else all of it.
std::string_view hash_tag_of(std::string_view key);

/// The cluster slot of `key`, 0..16383.
int cluster_slot(std::string_view key);

}  // namespace seckill
