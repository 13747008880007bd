-- One glob, for the write path: its JSON text, revision and origin, read together; refused ('EPOCH') when the store
-- is not the one this node shook hands with (emptied or replaced under a live connection).
-- KEYS: global, jsorc:rev, jsorc:meta, jsorc:tomb, jsorc:epoch
-- ARGV: name, epoch
if redis.call('GET', KEYS[5]) ~= ARGV[2] then
  return {'EPOCH'}
end
return {'OK', redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HGET', KEYS[2], ARGV[1]),
  redis.call('HGET', KEYS[3], ARGV[1])}
