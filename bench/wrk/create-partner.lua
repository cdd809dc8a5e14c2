-- POST /api/partners with a new external id every time (unique per thread and request).
local token = os.getenv("NODIREF_TOKEN")
local counter = 0
local thread_tag

function setup(thread)
  thread:set("tag", tostring(math.random(1, 1e9)))
end

function init(args)
  thread_tag = tag
end

request = function()
  counter = counter + 1
  local body = '{"name":"Bench Partner ' .. counter .. '","external_id":"bench_' .. thread_tag .. '_' .. counter .. '","project_id":1}'
  return wrk.format("POST", "/api/partners", { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

-- Report non-2xx answers, so a run full of errors cannot pass for a fast one.
done = function(summary, latency, requests)
  io.write(string.format("non-201 answers: %d\n", summary.errors.status))
end
