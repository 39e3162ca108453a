"""Configuration: one typed object, read from ``KG_*`` environment variables.

Nothing reads the environment at import time: ``Settings.from_env()`` is
called by the CLI (and by ``kg serve`` for the web app), and tests build
their own ``Settings(...)``. Every variable is documented here and in the
README's configuration table; the two must agree.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The repository (or installed source tree) this package lives in: the home
#: of ``data/``, ``ontology/``, ``shapes/`` and ``queries/`` by default.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """All settings of the build and the service, with safe public defaults."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="forbid", frozen=True)

    base_iri: str = Field(
        "https://data.lokaalcirculair.be",
        description="Canonical base of every IRI in the data (KG_BASE_IRI). No trailing slash.",
    )
    store: str = Field(
        str(PROJECT_ROOT / "var" / "store"),
        description=(
            "Where the graph lives (KG_STORE): a folder for the embedded Oxigraph store "
            "(default ./var/store), or the http(s) URL of a SPARQL 1.1 query endpoint."
        ),
    )
    update_url: str | None = Field(
        None, description="SPARQL 1.1 update endpoint of a remote store (KG_UPDATE_URL); derived from KG_STORE when unset."
    )
    gsp_url: str | None = Field(
        None, description="Graph Store Protocol endpoint of a remote store (KG_GSP_URL); derived from KG_STORE when unset."
    )
    store_engine: Literal["oxigraph", "virtuoso"] = Field(
        "oxigraph",
        description=(
            "Which SPARQL server a remote KG_STORE is (KG_STORE_ENGINE): oxigraph (also any server with SPARQL 1.1 "
            "Protocol and Graph Store Protocol, one dataset PUT) or virtuoso; kg/store/engines.py says what differs."
        ),
    )
    store_user: str | None = Field(
        None, description="User for the update and Graph Store Protocol endpoints of a remote store (KG_STORE_USER).",
    )
    store_password: SecretStr | None = Field(
        None, description="Password of KG_STORE_USER (KG_STORE_PASSWORD); sent as the engine's scheme wants (digest for Virtuoso).",
    )
    data_dir: Path = Field(PROJECT_ROOT / "data", description="Curated records (KG_DATA_DIR).")
    ontology_dir: Path = Field(PROJECT_ROOT / "ontology", description="Ontology and vocabularies (KG_ONTOLOGY_DIR).")
    shapes_dir: Path = Field(PROJECT_ROOT / "shapes", description="SHACL shapes (KG_SHAPES_DIR).")
    queries_dir: Path = Field(PROJECT_ROOT / "queries", description="Example SPARQL queries (KG_QUERIES_DIR).")
    artefacts_dir: Path | None = Field(
        None,
        description=(
            "Where dumps, reports and the LDES history of a remote store are kept (KG_ARTEFACTS_DIR); "
            "for the embedded store they live beside it."
        ),
    )
    validator: Literal["sparql", "pyshacl"] = Field(
        "sparql",
        description=(
            "SHACL engine of the build gate (KG_VALIDATOR): sparql (shapes compiled to SPARQL on Oxigraph, fast) "
            "or pyshacl (the reference implementation, slow on large data)."
        ),
    )
    keep_builds: int = Field(3, ge=2, description="How many finished builds to keep on disk (KG_KEEP_BUILDS).")
    documents_ahead: bool = Field(
        True,
        description=(
            "Write every /doc/ page in Turtle at build time, so that a first visit costs one table lookup "
            "(KG_DOCUMENTS_AHEAD); off, the build is shorter and the pages describe things when asked."
        ),
    )

    query_timeout: float = Field(30.0, gt=0, description="Hard deadline per SPARQL query, seconds (KG_QUERY_TIMEOUT).")
    max_result_rows: int = Field(10_000, gt=0, description="Most rows/triples one query answer carries (KG_MAX_RESULT_ROWS).")
    max_result_bytes: int = Field(50_000_000, gt=0, description="Most bytes one query answer carries (KG_MAX_RESULT_BYTES).")
    max_body_bytes: int = Field(1_000_000, gt=0, description="Largest request body accepted (KG_MAX_BODY_BYTES).")
    answer_cache_bytes: int = Field(
        64 * 1024 * 1024,
        ge=0,
        description=(
            "Bytes of finished SPARQL answers each web process keeps for the live build (KG_ANSWER_CACHE_BYTES); "
            "0 turns the answer cache off."
        ),
    )
    query_workers: int = Field(2, ge=1, description="Worker processes that run SPARQL queries (KG_QUERY_WORKERS).")
    query_reserve_workers: int = Field(
        1, ge=0,
        description=(
            "Query workers started beside KG_QUERY_WORKERS and kept for clients with no query running "
            "(KG_QUERY_RESERVE_WORKERS): one client's runaway queries never hold up another's first query."
        ),
    )
    client_concurrent_queries: int = Field(
        4, ge=1,
        description=(
            "Uncached SPARQL queries one client may have running or waiting at once (KG_CLIENT_CONCURRENT_QUERIES); "
            "more are answered 429 with Retry-After."
        ),
    )
    client_query_seconds: float = Field(
        60.0, gt=0,
        description=(
            "Seconds of query-worker time one client may use per minute (KG_CLIENT_QUERY_SECONDS); "
            "past it, 429 with Retry-After until the budget has refilled."
        ),
    )
    queue_timeout: float = Field(
        10.0, gt=0,
        description=(
            "Longest wait for a free query worker, seconds (KG_QUEUE_TIMEOUT); then 503 with Retry-After "
            "(never longer than KG_QUERY_TIMEOUT)."
        ),
    )
    trusted_proxies: str = Field(
        "",
        description=(
            "Reverse proxies whose Forwarded / X-Forwarded-For header names the client (KG_TRUSTED_PROXIES): "
            "comma-separated addresses or networks, e.g. 127.0.0.1,10.0.0.0/8; none by default."
        ),
    )
    public_url: str | None = Field(
        None,
        description=(
            "Public root URL of the service, e.g. https://data.lokaalcirculair.be (KG_PUBLIC_URL); "
            "when unset it is taken from each request."
        ),
    )
    short_links_dir: Path | None = Field(
        None,
        description=(
            "Where the query page's short links are kept, across builds (KG_SHORT_LINKS_DIR); "
            "default: the folder short-links in the embedded store folder, or in KG_ARTEFACTS_DIR for a remote store."
        ),
    )
    ldes_page_size: int = Field(100, ge=1, description="Members per LDES page (KG_LDES_PAGE_SIZE).")
    # Who publishes this deployment: a fact of the deployment, not of the sources (docs/harvesting.md).
    publisher_iri: str = Field(
        "https://data.lokaalcirculair.be/ns/circulair#projectteam",
        description="IRI of the publisher of the catalogue, dataset and services (KG_PUBLISHER_IRI); default the project team.",
    )
    publisher_name: str = Field(
        "Projectteam Lokaal Circulair-kennisgraaf", min_length=1,
        description="Dutch name of the publisher (KG_PUBLISHER_NAME).",
    )
    publisher_name_en: str = Field(
        "Lokaal Circulair knowledge graph project team", min_length=1,
        description="English name of the publisher (KG_PUBLISHER_NAME_EN).",
    )
    publisher_url: str | None = Field(
        None, description="Home page of the publisher (KG_PUBLISHER_URL); when unset, the service's public URL.",
    )
    publisher_type: str = Field(
        "http://purl.org/adms/publishertype/NonProfitOrganisation",
        description="Kind of publisher, an IRI of the ADMS publisher-type list (KG_PUBLISHER_TYPE).",
    )
    contact_email: str | None = Field(
        None, description="Organisational mailbox of the catalogue's contact point (KG_CONTACT_EMAIL); when unset, its URL.",
    )
    reload_interval: float = Field(1.0, gt=0, description="Seconds between checks for a new build (KG_RELOAD_INTERVAL).")
    # The curator workspace (/beheer, /api/records): off unless asked for; docs in the README's "Curating data".
    curation: bool = Field(
        False, description="Turn on the curator workspace and the write API (KG_CURATION=on); off, the service is read-only.",
    )
    curation_dir: Path = Field(
        PROJECT_ROOT / "var" / "curation",
        description=(
            "Accounts, sessions, the publication journal and the audit log of the workspace (KG_CURATION_DIR); "
            "never inside KG_DATA_DIR."
        ),
    )
    session_hours: float = Field(8.0, gt=0, description="Hours a curator's browser session lasts (KG_SESSION_HOURS).")

    @field_validator("base_iri")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("KG_BASE_IRI must be an http(s) IRI, e.g. https://data.lokaalcirculair.be")
        return value.rstrip("/")

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"{part!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8)") from None
        return value

    @field_validator("publisher_iri", "publisher_url", "publisher_type")
    @classmethod
    def _an_http_iri(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) IRI, e.g. https://www.example.be/")
        return value

    @field_validator("contact_email")
    @classmethod
    def _a_mailbox(cls, value: str | None) -> str | None:
        if value is not None and (value.count("@") != 1 or " " in value or value.startswith("mailto:")):
            raise ValueError("must be an e-mail address such as info@example.be (without mailto:)")
        return value

    @model_validator(mode="after")
    def _curation_outside_data(self) -> "Settings":
        data, curation = self.data_dir.resolve(), self.curation_dir.resolve()
        if curation == data or data in curation.parents:
            raise ValueError(f"KG_CURATION_DIR ({self.curation_dir}) must not lie inside KG_DATA_DIR ({self.data_dir})")
        return self

    @classmethod
    def from_env(cls, **overrides: Any) -> "Settings":
        """Read ``KG_*`` variables, then apply explicit overrides (CLI options)."""
        return cls(**{k: v for k, v in overrides.items() if v is not None})

    @property
    def is_remote(self) -> bool:
        """True when the store is a SPARQL server rather than a local folder."""
        return self.store.startswith(("http://", "https://"))

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some settings changed (settings are immutable)."""
        data: Mapping[str, Any] = self.model_dump()
        return type(self)(**{**data, **changes})
