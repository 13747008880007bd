-- One committed delete of a glob: checks epoch and seed, then the expected revision (mode cas) or "deleted at a
-- revision above what is stored and above any tombstone" (mode seed); removes it and leaves a tombstone
-- (revision, time, origin) that beats every lower revision; appends the delete to the stream.
-- KEYS: global, jsorc:rev, jsorc:meta, jsorc:tomb, jsorc:epoch, jsorc:seed, jsorc:changes
-- ARGV: epoch, seed, name, expected revision (cas) or deleted revision (seed), meta, time ms, stream max length, mode
local epoch = redis.call('GET', KEYS[5])
local seed = redis.call('GET', KEYS[6])
if epoch ~= ARGV[1] or seed ~= ARGV[2] then
  return {'EPOCH', epoch or '', seed or ''}
end
local name = ARGV[3]
local cur = tonumber(redis.call('HGET', KEYS[2], name) or '0')
local want = tonumber(ARGV[4])
if ARGV[8] == 'seed' then
  local tomb = redis.call('HGET', KEYS[4], name)
  local trev = 0
  if tomb then trev = tonumber(string.match(tomb, '^%d+')) end
  if cur >= want or trev >= want then return {'KEPT', tostring(cur)} end
else
  if cur == 0 or cur ~= want then return {'STALE', tostring(cur)} end
end
redis.call('HDEL', KEYS[1], name)
redis.call('HDEL', KEYS[2], name)
redis.call('HDEL', KEYS[3], name)
redis.call('HSET', KEYS[4], name, ARGV[4] .. '\n' .. ARGV[6] .. '\n' .. ARGV[5])
local id = redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[7], '*',
  'op', 'del', 'name', name, 'rev', ARGV[4], 'meta', ARGV[5])
return {'OK', id}
