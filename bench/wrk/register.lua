-- Registration POSTs as a browser sends them: the csrftoken cookie and the form's token come from
-- one GET of the form (done by bench/run.py and passed in BENCH_COOKIE / BENCH_BODY); every
-- request carries a fresh e-mail address: EMAILXXXX@example.se with EMAILXXXX = run id, thread, counter,
-- and a fresh idempotency token in place of IDEMKEYXXXX (bench/browser.py KEY_MARK), as every browser that
-- fetched the form has its own: one token re-sent with other addresses costs each sign-up a refused INSERT.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local counter = 0
thread_id = 0  -- set per thread by setup() (thread:set makes it a global of that thread)
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local body_template = os.getenv("BENCH_BODY")
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
  wrk.headers["Referer"] = os.getenv("BENCH_REFERER")
end

function request()
  counter = counter + 1
  local email = string.format("post.%s.t%d.n%d", run_id, thread_id, counter)
  local key = string.format("bench-%s-t%d-n%d", run_id, thread_id, counter)
  local body = string.gsub(string.gsub(body_template, "EMAILXXXX", email), "IDEMKEYXXXX", key)
  return wrk.format(nil, nil, nil, body)
end
