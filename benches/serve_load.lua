-- wrk script for benches/serve_load.sh: one wrk thread drives every
-- connection; each connection sends the paths of a file in turn (one
-- /api/search request a line). After a fixed number of answers the thread
-- stops and interrupts wrk, so the run ends there; throughput is answers
-- over the time from the first request to the last answer.
-- Arguments after `--`: PATHS_FILE TOTAL_REQUESTS.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } timespec_t;
  int clock_gettime(int clk_id, timespec_t *tp);
  int getpid(void);
  int kill(int pid, int sig);
]]

local function now()
  local t = ffi.new("timespec_t")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local thread_of_run
function setup(thread)
  thread_of_run = thread
end

local paths, stop_after, next_path = {}, 0, 0
answered, first, last = 0, nil, nil

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  stop_after = tonumber(args[2])
end

function request()
  first = first or now()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function response(status, headers, body)
  answered = answered + 1
  last = now()
  if answered == stop_after then
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), 2) -- SIGINT: wrk stops waiting and reports
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local n, seconds = thread_of_run:get("answered"), thread_of_run:get("last") - thread_of_run:get("first")
  io.write(string.format(
    "%d answers in %.2f s: %.0f req/s; p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; errors: connect %d, read %d, write %d, timeout %d, non-2xx %d\n",
    n, seconds, n / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
end
