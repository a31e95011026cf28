"""The bare-stack ceiling for benchmarks/bench_api.py: the same server stack (uvicorn with
httptools and uvloop, FastAPI, orjson responses) answering POST /v1/score with a constant
verdict, reading and parsing the body but scoring nothing.

    .venv/bin/python -m uvicorn benchmarks.bare_app:create_app --factory --port 8766
"""

from __future__ import annotations

from fastapi import FastAPI, Request

from api.jsonresp import FastJSONResponse

#: A verdict shaped like the API's (values made up; nothing is scored).
VERDICT = {"id": None, "fraud_probability": 0.93, "risk": "high", "language": "zh",
           "model_version": "bare", "model_probability": 0.93, "confidence": "normal",
           "flags": []}


def create_app() -> FastAPI:
    app = FastAPI()

    @app.post("/v1/score")
    async def score(request: Request) -> FastJSONResponse:
        await request.json()
        return FastJSONResponse(VERDICT)

    @app.get("/v1/health")
    async def health() -> FastJSONResponse:
        return FastJSONResponse({"status": "ok"})

    return app
