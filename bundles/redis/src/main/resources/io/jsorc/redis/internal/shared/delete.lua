-- One committed delete of a glob: checks the epoch, then in mode cas the run id, that no re-seed is under way and
-- the expected revision; in mode seed "deleted at a revision not below what is stored and above any tombstone".
-- Removes it and leaves a tombstone (revision, time, origin) that beats every revision up to its own; appends the
-- delete to the stream.
-- KEYS: global, jsorc:rev, jsorc:meta, jsorc:tomb, jsorc:epoch, jsorc:runid, jsorc:seeding, jsorc:changes
-- ARGV: epoch, run id, name, expected revision (cas) or deleted revision (seed), meta, time ms, stream max length,
--       mode
local epoch = redis.call('GET', KEYS[5])
if epoch ~= ARGV[1] then
  return {'EPOCH', epoch or ''}
end
local name = ARGV[3]
local cur = tonumber(redis.call('HGET', KEYS[2], name) or '0')
local want = tonumber(ARGV[4])
if ARGV[8] == 'seed' then
  local tomb = redis.call('HGET', KEYS[4], name)
  local trev = 0
  if tomb then trev = tonumber(string.match(tomb, '^%d+')) or 0 end
  -- the revision deleted is the one stored: the delete beats it (a later revision beats the delete)
  if cur > want or trev >= want then return {'KEPT', tostring(cur)} end
else
  if redis.call('GET', KEYS[6]) ~= ARGV[2] then return {'EPOCH', epoch} end
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local seeding = tonumber(redis.call('GET', KEYS[7]) or '0')
  if seeding > now then return {'SEEDING', tostring(seeding - now)} end
  if cur == 0 or cur ~= want then return {'STALE', tostring(cur)} end
end
redis.call('HDEL', KEYS[1], name)
redis.call('HDEL', KEYS[2], name)
redis.call('HDEL', KEYS[3], name)
redis.call('HSET', KEYS[4], name, ARGV[4] .. '\n' .. ARGV[6] .. '\n' .. ARGV[5])
local id = redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[7], '*',
  'op', 'del', 'name', name, 'rev', ARGV[4], 'meta', ARGV[5])
return {'OK', id}
