from collections.abc import Iterator
from pathlib import Path

import pytest

from socialbasis.settings import Settings
from tests.helpers import make_settings
from tests.loaders.server import FakeService, running

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
CONSTRUCTED = Path(__file__).resolve().parents[1] / "fixtures" / "constructed"


@pytest.fixture
def service() -> Iterator[FakeService]:
    with running(FakeService()) as fake:
        yield fake


@pytest.fixture
def service_settings(service: FakeService, tmp_path: Path) -> Settings:
    """Settings whose every base URL points at the local fake service, fast retries."""
    return make_settings(
        tmp_path,
        pdok_url=f"{service.url}/pdok",
        cbs_odata_url=f"{service.url}/cbs",
        rivm_odata_url=f"{service.url}/rivm",
        overpass_url=f"{service.url}/overpass",
        locatieserver_url=f"{service.url}/ls",
        http_retries=2,
        http_backoff=0.01,
        http_timeout=2.0,
    )
