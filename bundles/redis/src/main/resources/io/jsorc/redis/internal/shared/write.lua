-- One committed write of a glob (JsOrc's shared glob store). Atomic: checks the store's epoch, then in mode cas
-- that this node shook hands with this run of Redis, that no re-seed is under way, and the expected revision; in
-- mode seed "absent or of a lower revision, and above its tombstone". Stores the value in hash `global` (field =
-- glob name, value = the JSON text, as Jaseci did), its revision and origin beside it, appends the change to the
-- stream and to the glob's history.
-- KEYS: global, jsorc:rev, jsorc:meta, jsorc:tomb, jsorc:epoch, jsorc:runid, jsorc:seeding, jsorc:changes,
--       jsorc:history:<NAME>
-- ARGV: epoch, run id, name, expected revision, new revision, json, meta, stream max length, history length, mode
local epoch = redis.call('GET', KEYS[5])
if epoch ~= ARGV[1] then
  return {'EPOCH', epoch or ''}
end
local name = ARGV[3]
local cur = tonumber(redis.call('HGET', KEYS[2], name) or '0')
local rev = tonumber(ARGV[5])
local tomb = redis.call('HGET', KEYS[4], name)
local trev = 0
if tomb then trev = tonumber(string.match(tomb, '^%d+')) or 0 end
if ARGV[10] == 'seed' then
  if trev >= rev then return {'TOMB', tostring(trev)} end
  if cur >= rev then return {'KEPT', tostring(cur)} end
else
  if redis.call('GET', KEYS[6]) ~= ARGV[2] then return {'EPOCH', epoch} end
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local seeding = tonumber(redis.call('GET', KEYS[7]) or '0')
  if seeding > now then return {'SEEDING', tostring(seeding - now)} end
  if cur ~= tonumber(ARGV[4]) then return {'STALE', tostring(cur)} end
  if cur == 0 and trev >= rev then return {'TOMB', tostring(trev)} end
end
redis.call('HSET', KEYS[1], name, ARGV[6])
redis.call('HSET', KEYS[2], name, ARGV[5])
redis.call('HSET', KEYS[3], name, ARGV[7])
if tomb then redis.call('HDEL', KEYS[4], name) end
local id = redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[8], '*',
  'op', 'set', 'name', name, 'rev', ARGV[5], 'meta', ARGV[7], 'json', ARGV[6])
redis.call('LPUSH', KEYS[9], ARGV[5] .. '\n' .. ARGV[7] .. '\n' .. ARGV[6])
redis.call('LTRIM', KEYS[9], 0, tonumber(ARGV[9]) - 1)
return {'OK', id}
