"""The shared frontier's Lua scripts, each run by Redis as one atomic step.

The keys they read and change, and the queue items' format, are those described in
:mod:`crawler.distributed.frontier`, whose :class:`~crawler.distributed.frontier.SharedFrontier`
registers them; ARGV[1] is always the key prefix.
"""

PUSH = """
local p, key, host, item = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if ARGV[6] ~= '1' and redis.call('SADD', p..'seen', ARGV[7]) == 0 then return 0 end
if ARGV[5] == '1' then redis.call('LPUSH', p..'q:'..host, item)
else redis.call('RPUSH', p..'q:'..host, item) end
if redis.call('SADD', p..'hosts', host) == 1 then redis.call('RPUSH', p..'ring', host) end
redis.call('INCR', p..'queued')
redis.call('DEL', p..'finished')
return 1
"""

POP = """
local p, worker, lease_ms, scan = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local n = math.min(redis.call('LLEN', p..'ring'), scan)
for i = 1, n do
  local host = redis.call('LMOVE', p..'ring', p..'ring', 'LEFT', 'RIGHT')
  local q = p..'q:'..host
  if redis.call('LLEN', q) == 0 then
    redis.call('SREM', p..'hosts', host)
    redis.call('LREM', p..'ring', -1, host)
  else
    local item = redis.call('LINDEX', q, 0)
    local sep = string.find(item, '\\n', 1, true)
    local key = string.sub(item, 1, sep - 1)
    if redis.call('SET', p..'lease:'..host, worker..'\\n'..key, 'NX', 'PX', lease_ms) then
      redis.call('LPOP', q)
      redis.call('DECR', p..'queued')
      redis.call('HSET', p..'inflight:'..worker, key, item)
      if redis.call('LLEN', q) == 0 then
        redis.call('SREM', p..'hosts', host)
        redis.call('LREM', p..'ring', -1, host)
      end
      return item
    end
  end
end
return false
"""

# ARGV: prefix, worker, key, host ('': the in-flight entry's), delay_ms, forget ('1': the
# in-flight entry goes too).  A lease in its crawl delay is no longer the request's ('cooldown').
RELEASE = """
local p, worker, key, host, delay = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if host == '' then
  local item = redis.call('HGET', p..'inflight:'..worker, key)
  if item then
    local s1 = string.find(item, '\\n', 1, true)
    local s2 = string.find(item, '\\n', s1 + 1, true)
    host = string.sub(item, s1 + 1, s2 - 1)
  end
end
if ARGV[6] == '1' then redis.call('HDEL', p..'inflight:'..worker, key) end
if host ~= '' and redis.call('GET', p..'lease:'..host) == worker..'\\n'..key then
  if delay > 0 then redis.call('SET', p..'lease:'..host, 'cooldown', 'PX', delay)
  else redis.call('DEL', p..'lease:'..host) end
end
return 1
"""

REAP = """
local p, me = ARGV[1], ARGV[2]
local requeued = 0
for _, w in ipairs(redis.call('SMEMBERS', p..'workers')) do
  if w ~= me and redis.call('EXISTS', p..'hb:'..w) == 0 then
    local entries = redis.call('HGETALL', p..'inflight:'..w)
    for i = 1, #entries, 2 do
      local item = entries[i + 1]
      local s1 = string.find(item, '\\n', 1, true)
      local s2 = string.find(item, '\\n', s1 + 1, true)
      local host = string.sub(item, s1 + 1, s2 - 1)
      redis.call('LPUSH', p..'q:'..host, item)
      if redis.call('SADD', p..'hosts', host) == 1 then redis.call('RPUSH', p..'ring', host) end
      redis.call('INCR', p..'queued')
      local lease = redis.call('GET', p..'lease:'..host)
      if lease and string.sub(lease, 1, #w + 1) == w..'\\n' then redis.call('DEL', p..'lease:'..host) end
      requeued = requeued + 1
    end
    redis.call('DEL', p..'inflight:'..w)
    redis.call('SREM', p..'workers', w)
  end
end
if requeued > 0 then redis.call('DEL', p..'finished') end
return requeued
"""

# ARGV: prefix, worker, key, host, item, most.  The entry goes back to the end of its host's queue
# (fetched again by any worker) or, past `most` failures, to `unpublished`.  Returns 1 or 0.
REQUEUE = """
local p, worker, key, host, item, most = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local failures = redis.call('HINCRBY', p..'publish_failures', key, 1)  -- first: refused if OOM
redis.call('HDEL', p..'inflight:'..worker, key)
if redis.call('GET', p..'lease:'..host) == worker..'\\n'..key then redis.call('DEL', p..'lease:'..host) end
if failures > most then
  redis.call('HSET', p..'unpublished', key, item)
  return 0
end
redis.call('RPUSH', p..'q:'..host, item)
if redis.call('SADD', p..'hosts', host) == 1 then redis.call('RPUSH', p..'ring', host) end
redis.call('INCR', p..'queued')
redis.call('DEL', p..'finished')
return 1
"""

FINISHED = """
local p = ARGV[1]
if redis.call('EXISTS', p..'finished') == 1 then return 1 end
if tonumber(redis.call('GET', p..'queued') or '0') > 0 then return 0 end
for _, w in ipairs(redis.call('SMEMBERS', p..'workers')) do
  if redis.call('HLEN', p..'inflight:'..w) > 0 then return 0 end
end
redis.call('SET', p..'finished', '1')
return 1
"""
