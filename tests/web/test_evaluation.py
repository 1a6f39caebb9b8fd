"""The analyst view's models (version, training month, backtest table and chart, bias audit) and the
RW page's reason codes, whose small counts officials never see."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from conftest import sign_in
from fastapi.testclient import TestClient
from world import KEL_GAMBIR, WebWorld, rw_scores

from ews.config import RW_MODEL_NAME
from ews.service.live import LiveModels
from ews.service.model_info import backtest_out
from ews.service.model_schemas import AuditGroup, ModelInfo
from ews.web.evaluation import chart, metric_rows, model_view, shown

METRICS = {
    "backtest.model.precision_at_5pct": 0.42,
    "backtest.model.pr_auc": 0.31,
    "backtest.model.calibration_ratio": 1.05,
    "backtest.cases_12m.precision_at_5pct": 0.30,
    "backtest.population.precision_at_5pct": 0.12,
    "backtest.truth.precision_at_5pct": 0.55,
    "backtest.folds": 6.0,
}
RW_INFO = ModelInfo(
    name=RW_MODEL_NAME, version="7", alias="champion", trained_as_of="2024-05", model_id="feedbeef",
    kind="hgb",
    backtest=backtest_out(METRICS, "precision_at_5pct"),
    bias_audit=[
        AuditGroup(dimension="poverty_tercile", group="T1", n=120, flag_rate=0.04, observed_rate=0.06,
                   precision=0.35, recall=None),
        AuditGroup(dimension="kota", group="31.71", n=31, flag_rate=0.1, observed_rate=0.05,
                   precision=0.3, recall=0.4),
    ],
)  # fmt: skip


@pytest.fixture(scope="module")
def analyst_client(web_world: WebWorld) -> Iterator[TestClient]:
    from ews.app import create_app
    from ews.config import ServeSettings

    settings = ServeSettings(
        database_url=web_world.url, data_dir=str(web_world.data_dir), session_secret="s", cookie_secure=False
    )
    app = create_app(settings, model_loader=lambda _s: LiveModels(info=(RW_INFO,)))
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def test_analyst_page_shows_version_backtest_chart_and_audit(
    analyst_client: TestClient, web_world: Any
) -> None:
    analyst_client.cookies.clear()
    sign_in(analyst_client, web_world.keys["analis-dinas"])
    html = unescape(analyst_client.get("/analis").text)
    assert "Model risiko RW versi 7" in html and "Mei 2024" in html and "feedbeef" in html
    # model vs best baseline (cases_12m, not population) vs truth, Indonesian percentages
    assert re.search(r"Presisi 5% teratas</th><td class=\"num\">42,0%</td><td class=\"num\">30,0%</td>"
                     r"<td class=\"num\">55,0%</td>", html)  # fmt: skip
    assert "Pembanding terbaik (cases_12m)" in html and "1,050" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'class="chart bars"' in html
    assert "Tersil kemiskinan" in html and "T1 (sepertiga terendah)" in html and "35,0%" in html
    # Kota by name (from the published regions), not by code.
    assert '<th scope="row">Kota</th><td>Jakarta Pusat</td>' in html
    assert ">31.71<" not in html


def test_lurah_gets_no_analyst_page(analyst_client: TestClient, web_world: Any) -> None:
    analyst_client.cookies.clear()
    sign_in(analyst_client, web_world.keys["lurah-gambir"])
    assert analyst_client.get("/analis").status_code == 403


def test_metric_rows_and_chart_compare_with_the_best_baseline() -> None:
    assert RW_INFO.backtest is not None
    rows = {r.label: r for r in metric_rows(RW_INFO.backtest)}
    assert (rows["PR-AUC"].model, rows["PR-AUC"].baseline, rows["PR-AUC"].truth) == ("0,310", "–", "–")
    svg = str(chart(RW_INFO.backtest, "uji"))
    assert svg.count("<rect") == 4  # precision@5%: model, cases_12m, truth; PR-AUC: model only
    assert "Pembanding: cases_12m" in svg and "population" not in svg
    assert (shown("recall_flagged", 0.125), shown("brier", 0.0412), shown("pr_auc", None)) == (
        "12,5%",
        "0,041",
        "–",
    )


def test_a_model_without_figures_still_shows_its_version() -> None:
    view = model_view(ModelInfo(name="ews-case-reopen", version="2"))
    assert (view.title, view.version, view.trained_as_of) == (
        "Model kasus dibuka kembali",
        "2",
        "tidak diketahui",
    )
    assert (view.metrics, view.chart, view.audit) == ([], None, [])


def _small_neighbour_rw() -> tuple[str, float]:
    """A Gambir RW whose reason codes include the neighbour count ``nbr_cases_3m`` below 3."""
    scores = rw_scores()
    for code, factors in zip(scores["rw_code"], scores["top_factors"], strict=True):
        for factor in json.loads(factors):
            if code.startswith(KEL_GAMBIR) and factor["feature"] == "nbr_cases_3m" and factor["value"] < 3:
                return str(code), float(factor["value"])
    raise AssertionError("the web world has no small neighbour count in kelurahan Gambir")


def test_rw_page_withholds_small_reason_counts_from_officials(
    analyst_client: TestClient, web_world: Any
) -> None:
    rw_code, _value = _small_neighbour_rw()
    withheld = "Kasus di RW tetangga dalam 3 bulan terakhir"
    for who in ("lurah-gambir", "camat-gambir"):
        analyst_client.cookies.clear()
        sign_in(analyst_client, web_world.keys[who])
        html = unescape(analyst_client.get(f"/rw/{rw_code}").text)
        assert withheld not in html and "peringkat" not in html, who
        assert not re.search(r"skor \d", html.lower()), who
    analyst_client.cookies.clear()
    sign_in(analyst_client, web_world.keys["analis-dinas"])
    html = unescape(analyst_client.get(f"/rw/{rw_code}").text)
    assert withheld not in html and "Ada kasus di RW tetangga dalam 3 bulan terakhir" in html
