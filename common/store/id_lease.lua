-- Takes or renews a process's lease on its id (common/store/id_lease.hpp), in one atomic step.
--
-- KEYS[1] the lease key
-- ARGV[1] this process's holder name  ARGV[2] lease time ms, or 0 to give the lease up
-- ARGV[3] a holder known to be dead (a crashed process of this host) that may be replaced, or ''
--
-- Returns 1 when the lease is now ours for ARGV[2] ms (or, given up, no longer anybody's),
-- else the name of the process holding it.
local current = redis.call('GET', KEYS[1])
if ARGV[2] == '0' then
  if current == ARGV[1] then redis.call('DEL', KEYS[1]) end
  return 1
end
if current == false or current == ARGV[1] or (ARGV[3] ~= '' and current == ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return current
