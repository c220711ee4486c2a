"""The same app on PostgreSQL (skipped when no server answers; each test in its own schema)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from web.models import Lead, LeadMatch

pytestmark = pytest.mark.postgres

CHIP = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
        "配套建设封装测试中试线。")


@pytest.fixture
def pg_app(pg_url):
    from tests_conftest_shim import make_app  # noqa: F401  # replaced below
