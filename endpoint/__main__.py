"""``python -m endpoint``: run the web service under uvicorn.

``kg serve`` checks the settings and the store, then replaces itself with this (the ``kg``
package imports no web framework). Settings come from the ``KG_*`` environment, read by
:func:`endpoint.app.factory` in every web worker.
"""

from __future__ import annotations

import argparse

import uvicorn


def main(argv: list[str] | None = None) -> None:
    """Parse ``--host``, ``--port`` and ``--workers`` and serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m endpoint", description="Serve the knowledge graph (see `kg serve`).")
    parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on.")
    parser.add_argument("--port", type=int, default=8000, help="Port.")
    parser.add_argument("--workers", type=int, default=1, help="Web worker processes.")
    args = parser.parse_args(argv)
    # endpoint.uvicorn_http: uvicorn's httptools protocol writing each answer in one system call.
    # proxy_headers=False: who the client is behind a proxy is KG_TRUSTED_PROXIES' decision
    # (endpoint.sparql.fairness), not uvicorn's default of trusting X-Forwarded-For from 127.0.0.1.
    uvicorn.run("endpoint.app:factory", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level="warning", access_log=False, proxy_headers=False, http="endpoint.uvicorn_http:HttpProtocol")


if __name__ == "__main__":  # not when a worker process imports it
    main()
