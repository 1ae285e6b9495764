#!/usr/bin/env python3
"""A small Prometheus exporter for the tests: one model serving steady traffic.

Serves /metrics in the Prometheus text format with what a model server exports: requests by status
code (10/s succeed, 0.2/s fail), a request-duration histogram and a replica gauge, for model
`fraud` in `prod`. Values grow with time since start, so rates are stable.
Usage: model_exporter.py PORT
"""
import http.server
import sys
import time

START = time.time()
BUCKETS = [(0.01, 0.10), (0.025, 0.45), (0.05, 0.90), (0.1, 0.99), (0.25, 1.0)]


def metrics() -> str:
    elapsed = time.time() - START
    ok, failed = int(10 * elapsed), int(0.2 * elapsed)
    total = ok + failed
    lines = [
        "# HELP model_requests_total Requests served by the model.",
        "# TYPE model_requests_total counter",
        f'model_requests_total{{model="fraud",env="prod",code="200"}} {ok}',
        f'model_requests_total{{model="fraud",env="prod",code="500"}} {failed}',
        "# HELP model_request_duration_seconds Time to answer a request.",
        "# TYPE model_request_duration_seconds histogram",
    ]
    for bound, share in BUCKETS:
        lines.append(f'model_request_duration_seconds_bucket{{model="fraud",env="prod",le="{bound}"}} {int(total * share)}')
    lines += [
        f'model_request_duration_seconds_bucket{{model="fraud",env="prod",le="+Inf"}} {total}',
        f'model_request_duration_seconds_sum{{model="fraud",env="prod"}} {total * 0.03:.3f}',
        f'model_request_duration_seconds_count{{model="fraud",env="prod"}} {total}',
        "# HELP model_replicas Replicas ready.",
        "# TYPE model_replicas gauge",
        'model_replicas{model="fraud",env="prod"} 3',
    ]
    return "\n".join(lines) + "\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = metrics().encode()
        self.send_response(200 if self.path == "/metrics" else 404)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
