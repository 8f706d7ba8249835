-- wrk script: POST an Anthropic Messages request; the key comes from the environment.
wrk.method = "POST"
wrk.body = '{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"Hello bridge benchmark"}]}'
wrk.headers["content-type"] = "application/json"
wrk.headers["x-api-key"] = os.getenv("BENCH_KEY")
