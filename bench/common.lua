-- Shared by the wrk scenario scripts of bench/load.sh.
--
-- Each wrk thread plays ONE session (a line of the sessions file given as the first
-- script argument): every request of the thread carries that session's cookie or token,
-- so every response must belong to that session's tenant. The checks count:
--   non2xx        responses whose status is not 2xx
--   cross_tenant  responses that carry another tenant's data (the isolation failure)
--   unverified    2xx responses with no tenant marker to check (e.g. an empty table)
-- and done() prints them with throughput and latency on one `KYROS_RESULT` line that
-- load.sh parses.
--
-- Sessions file: one session per line, fields separated by single spaces:
--   label tenant_id canary_prefix dashboard email credential
-- where canary_prefix is the first 6 hex digits of the tenant id, upper-cased: the
-- generator writes it into every customer id (C-XXXXXX-0000001) and account id
-- (A-XXXXXX-0000001) of that tenant, so any other prefix in a body is another tenant's row.

local M = {}

-- Main state -----------------------------------------------------------------------------

local threads = {}

function M.setup(thread)
  table.insert(threads, thread)
  thread:set("kyros_index", #threads)
end

local function sum(name)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (tonumber(t:get(name)) or 0)
  end
  return total
end

function M.done(summary, latency, _requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    "KYROS_RESULT requests=%d rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f "
      .. "non2xx=%d cross_tenant=%d unverified=%d socket_errors=%d\n",
    summary.requests,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(90) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    sum("kyros_non2xx"),
    sum("kyros_cross"),
    sum("kyros_unverified"),
    socket_errors
  ))
  for _, t in ipairs(threads) do
    local label = t:get("kyros_label") or "?"
    local note = t:get("kyros_first_problem")
    if note then
      io.write(string.format("  session %s: %s\n", label, note))
    end
  end
end

-- Thread state ---------------------------------------------------------------------------

kyros_non2xx = 0
kyros_cross = 0
kyros_unverified = 0

local function note(problem)
  if kyros_first_problem == nil then
    kyros_first_problem = problem
  end
end

-- Loads this thread's session from the file named by args[1]; returns it as a table.
function M.session(args)
  local path = args[1]
  assert(path, "usage: wrk ... -s <script> <url> -- <sessions file> [threads]")
  local lines = {}
  for line in io.lines(path) do
    if line:match("%S") then
      table.insert(lines, line)
    end
  end
  assert(#lines > 0, "no session in " .. path)
  local line = lines[((kyros_index or 1) - 1) % #lines + 1]
  local f = {}
  for field in line:gmatch("%S+") do
    table.insert(f, field)
  end
  assert(#f == 6, "bad session line: " .. line)
  local s = {
    label = f[1], tenant = f[2], prefix = f[3], dashboard = f[4], email = f[5], credential = f[6],
    index = kyros_index or 1, threads = tonumber(args[2]) or #lines,
  }
  kyros_label = s.label
  return s
end

-- Counts a non-2xx status; true when the response is a success to be checked further.
function M.ok(status, body)
  if status >= 200 and status < 300 then
    return true
  end
  kyros_non2xx = kyros_non2xx + 1
  note(string.format("HTTP %d %s", status, (body or ""):sub(1, 160)))
  return false
end

function M.cross(reason)
  kyros_cross = kyros_cross + 1
  note("CROSS-TENANT: " .. reason)
end

function M.unverified()
  kyros_unverified = kyros_unverified + 1
end

-- Chart payloads: every customer/account id in the body must carry the session's
-- tenant prefix. Returns nothing; counts. Ids are found with plain (memchr-based)
-- searches for their opening `"C-` / `"A-` and then matched in place: a pattern scan
-- of a 27 KB body per response would cost the load generator more than the server's
-- answer, on the same two cores.
local ID_SHAPE = "^%x%x%x%x%x%x%-%d%d%d%d%d%d%d\""

function M.check_canaries(s, body)
  local own = 0
  for _, lead in ipairs({ '"C-', '"A-' }) do
    local init = 1
    while true do
      local at = string.find(body, lead, init, true)
      if at == nil then
        break
      end
      if string.find(body, ID_SHAPE, at + 3) then
        local prefix = string.sub(body, at + 3, at + 8)
        if prefix == s.prefix then
          own = own + 1
        else
          M.cross(string.format("%s got a row of tenant prefix %s (own %s)", s.label, prefix, s.prefix))
          return
        end
      end
      init = at + 3
    end
  end
  if own == 0 then
    M.unverified()
  end
end

-- base64url (no padding) → string, for the payload of a JWT.
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local B64_INDEX = {}
for i = 1, #B64 do
  B64_INDEX[B64:sub(i, i)] = i - 1
end

function M.base64url_decode(text)
  local out, bits, value = {}, 0, 0
  for i = 1, #text do
    local v = B64_INDEX[text:sub(i, i)]
    if v == nil then
      return nil
    end
    value = value * 64 + v
    bits = bits + 6
    if bits >= 8 then
      bits = bits - 8
      local byte = math.floor(value / 2 ^ bits)
      table.insert(out, string.char(byte))
      value = value - byte * 2 ^ bits
    end
  end
  return table.concat(out)
end

-- Escapes Lua pattern magic characters.
function M.literal(text)
  return (text:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end

return M
