-- Puts back every request held in processing lists at the head of the request list, oldest
-- first, so they are decided next (decisions are idempotent, so a request decided already gets
-- its remembered answer, or "expired" past its deadline, and changes nothing).
--
-- KEYS[1] the request list   KEYS[2..] processing lists
-- ARGV[1] (optional) a heartbeat key: when it exists, its owner lives and nothing is moved
-- Returns how many requests were moved, or -1 when the owner turned out to be alive.
if ARGV[1] and redis.call('EXISTS', ARGV[1]) == 1 then
  return -1
end
local moved = 0
for i = 2, #KEYS do
  while true do
    -- Newest first onto the head: the oldest ends up in front.
    local item = redis.call('RPOP', KEYS[i])
    if not item then
      break
    end
    redis.call('LPUSH', KEYS[1], item)
    moved = moved + 1
  end
end
return moved
