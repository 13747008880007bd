-- Forgets tombstones older than the cut-off (30 days): a deleted glob then no longer beats a lower revision.
-- KEYS: jsorc:tomb
-- ARGV: cut-off time, epoch ms
local all = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #all, 2 do
  local t = tonumber(string.match(all[i + 1], '^%d+\n(%d+)'))
  if t and t < tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], all[i])
    n = n + 1
  end
end
return n
