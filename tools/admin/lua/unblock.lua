-- Lifts a block and a temporary ban of one user or address at once. The lift is written with
-- Redis's clock, the one every proxy's cursor over the lifts follows, whichever host runs the
-- admin; lifts older than an hour are pruned (every proxy reads them within a second).
-- KEYS[1] the blocklist hash   KEYS[2] the bans set   KEYS[3] the ban lifts set
-- ARGV[1] the blocklist field (a user id, or the address or range as blocked)
-- ARGV[2] the ban member ("user:42", "ip:198.51.100.7")
-- Returns {was blocked (0|1), was listed as banned (0|1)}.
local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local unblocked = redis.call('HDEL', KEYS[1], ARGV[1])
local banned = redis.call('ZSCORE', KEYS[2], ARGV[2])
local was_banned = 0
if banned and tonumber(banned) > now_ms then
  was_banned = 1
end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], now_ms, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (now_ms - 3600000))
return {unblocked, was_banned}
