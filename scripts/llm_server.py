"""Serves a GGUF model with llama.cpp's server (the xllamacpp wheel) until killed.

Usage: python llm_server.py MODEL.gguf PORT [--threads N] [--parallel N] [--ctx N] [--embeddings]
"""
import argparse
import signal
import sys
import time

import xllamacpp

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("port", type=int)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--parallel", type=int, default=2)
parser.add_argument("--ctx", type=int, default=4096)
parser.add_argument("--embeddings", action="store_true", help="serve /v1/embeddings (and nothing else)")
args = parser.parse_args()

params = xllamacpp.CommonParams()
params.model.path = args.model
params.hostnames = ["127.0.0.1"]
params.port = args.port
params.model_alias = {"local"}
params.n_ctx = args.ctx
params.n_parallel = args.parallel
params.cpuparams.n_threads = args.threads
params.cpuparams_batch.n_threads = args.threads
params.use_jinja = True
params.endpoint_metrics = True
params.embedding = args.embeddings
if args.embeddings:
    # Mean pooling: the only kind the OpenAI-compatible /v1/embeddings accepts for this model.
    params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN

server = xllamacpp.Server(params)
stop = False


def request_stop(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, request_stop)
signal.signal(signal.SIGINT, request_stop)
while not stop:
    time.sleep(0.2)
del server
sys.exit(0)
