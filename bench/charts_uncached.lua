-- Scenario (b): uncached chart requests. Every request carries a filter combination no
-- other request of the run uses (request n of thread i of T gets combination n*T + i), so
-- the engine computes every answer from the Parquet files. Filters follow the dashboard
-- specs (engine/specs/*.json):
--   customer-lifetime-value: cohort_from/cohort_to (2022-01..2024-12), region, segment
--   risk-analysis:           earn_month_from/earn_month_to (2023-01..2024-12),
--                            risk_score_from (0.00..0.95), region
-- Every body must contain only the session tenant's rows (common.lua).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local kyros = require("common")

setup = kyros.setup
done = kyros.done

local REGIONS = { "North%20America", "EMEA", "APAC", "LATAM" }
local SEGMENTS = { "Consumer", "SMB", "Mid-Market", "Enterprise" }

local function months(first_year, last_year)
  local list = {}
  for y = first_year, last_year do
    for m = 1, 12 do
      table.insert(list, string.format("%04d-%02d", y, m))
    end
  end
  return list
end

-- All (from, to) month pairs with from <= to.
local function month_pairs(list)
  local pairs_ = {}
  for i = 1, #list do
    for j = i, #list do
      table.insert(pairs_, { list[i], list[j] })
    end
  end
  return pairs_
end

local CLV_PAIRS = month_pairs(months(2022, 2024)) -- 666
local RISK_PAIRS = month_pairs(months(2023, 2024)) -- 300

-- Combination k of the dashboard's filter space (cycled if a run outgrows it).
local function query(dashboard, k)
  if dashboard == "customer-lifetime-value" then
    local n = k % (#CLV_PAIRS * 25)
    local p = CLV_PAIRS[n % #CLV_PAIRS + 1]
    local rest = math.floor(n / #CLV_PAIRS)
    local q = "cohort_from=" .. p[1] .. "&cohort_to=" .. p[2]
    local region, segment = rest % 5, math.floor(rest / 5)
    if region > 0 then q = q .. "&region=" .. REGIONS[region] end
    if segment > 0 then q = q .. "&segment=" .. SEGMENTS[segment] end
    return q
  else
    local n = k % (#RISK_PAIRS * 100)
    local p = RISK_PAIRS[n % #RISK_PAIRS + 1]
    local rest = math.floor(n / #RISK_PAIRS)
    local q = "earn_month_from=" .. p[1] .. "&earn_month_to=" .. p[2]
      .. string.format("&risk_score_from=%.2f", (rest % 20) * 0.05)
    local region = math.floor(rest / 20)
    if region > 0 then q = q .. "&region=" .. REGIONS[region] end
    return q
  end
end

local s, headers, path
local n = 0

function init(args)
  s = kyros.session(args)
  headers = { ["Cookie"] = "__Host-kyros_session=" .. s.credential }
  path = "/bff/dashboards/" .. s.dashboard .. "/charts?"
end

function request()
  local k = n * s.threads + (s.index - 1)
  n = n + 1
  return wrk.format("GET", path .. query(s.dashboard, k), headers)
end

function response(status, _headers, body)
  if kyros.ok(status, body) then
    kyros.check_canaries(s, body)
  end
end
