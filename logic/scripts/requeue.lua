-- Puts back every request held in a group's processing lists at the head of the group's queue,
-- oldest first, so they are decided next (decisions are idempotent, so a request decided already
-- gets its remembered answer, or "expired" past its deadline, and changes nothing).
--
-- KEYS[1] the group's queue   KEYS[2..] processing lists of that group (one slot: one group)
-- Returns how many requests were moved.
--
-- Whether the lists' owner is gone is checked by the caller first: its heartbeat lives under
-- another tag, which a script in this slot cannot read on a cluster. Should the owner turn out
-- alive after all, nothing is lost: a request it still decides is decided twice, to one answer.
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
