-- Moves up to ARGV[1] requests from the head of the request list (KEYS[1]) to the end of a
-- worker's processing list (KEYS[2]), in one atomic step, and returns them: a crash can never
-- fall between taking a request and holding it where it will be found again.
local items = redis.call('LPOP', KEYS[1], ARGV[1])
if not items then
  return {}
end
-- In slices: unpack() of a very long table would overflow Lua's C stack.
for from = 1, #items, 200 do
  redis.call('RPUSH', KEYS[2], unpack(items, from, math.min(from + 199, #items)))
end
return items
