"""Scores, realised performance, checks, alerts and the HTML page on tiny hand-built frames."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ews.monitor.alerts import alerts, source_kalimat, source_sentence, top_signals
from ews.monitor.checks import check_outcomes
from ews.monitor.html import render
from ews.monitor.realised import Expectation, expectation_from_folds, realised
from ews.monitor.result import ChecksPart, MonitorReport, ScoresPart, SourceChange
from ews.monitor.scores import score_drift
from ews.monitor.settings import MonitorSettings
from ews.monitor.store import checks_table
from ews.months import parse_month

SETTINGS = MonitorSettings()
RWS = [f"31.71.01.1001.{n:03d}" for n in range(1, 21)]


def scores_for(month: str, top: float = 0.5, kota: str = "31.71") -> pd.DataFrame:
    """20 RWs; the first 4 flagged with score ``top``, the rest 0.05."""
    return pd.DataFrame(
        {
            "as_of": month,
            "rw_code": RWS,
            "kota_code": kota,
            "score": [top] * 4 + [0.05] * 16,
            "tier": ["sangat_tinggi"] * 4 + ["rendah"] * 16,
            "flagged": [True] * 4 + [False] * 16,
            "top_factors": [json.dumps([{"feature": "calls_3m_rate"}, {"feature": "cases_12m"}])] * 20,
        }
    )


def cases_in(rws: list[str], date: str) -> pd.DataFrame:
    stamp = pd.Timestamp(date)
    return pd.DataFrame(
        {"rw_code": rws, "incident_date": [stamp] * len(rws), "reported_at": [stamp] * len(rws)}
    )


def test_scores_compare_this_month_per_kota_with_the_months_before() -> None:
    history = pd.concat(
        [scores_for(f"2025-0{m}", top=0.2) for m in range(1, 6)] + [scores_for("2025-06", top=0.6)]
    )
    part = score_drift(history, "2025-06", SETTINGS)
    assert part.available and part.month == "2025-06" and len(part.before) == 5
    (kota,) = part.kota
    assert kota.kota_code == "31.71" and kota.n == 20 and kota.flag_share == 0.2
    assert kota.p90 == pytest.approx(0.6) and kota.p50 == pytest.approx(0.05)
    assert not kota.moved  # the median RW did not move, nor did the flag share
    moved = score_drift(
        pd.concat([history, scores_for("2025-07", top=0.6).assign(score=0.3)]), "2025-07", SETTINGS
    )
    assert moved.kota[0].moved


def test_scores_without_a_publication_say_so() -> None:
    part = score_drift(scores_for("2025-06"), "2025-05", SETTINGS)
    assert not part.available and "2025-05" in part.reason


def test_realised_precision_and_calibration_of_matured_months_only() -> None:
    published = pd.concat([scores_for("2025-01", top=0.5), scores_for("2025-06", top=0.5)])
    # 2025-01: 2 of the 4 flagged RWs and 1 other got a case; one reported after the as-of month is unknown.
    cases = pd.concat(
        [
            cases_in([*RWS[:2], RWS[10]], "2025-01-15"),
            cases_in([RWS[3]], "2025-01-20").assign(reported_at=pd.Timestamp("2025-09-03")),
        ]
    )
    expectation = Expectation(precision_mean=0.5, precision_sd=0.05)
    months = realised(published, cases, parse_month("2025-08"), expectation, SETTINGS)
    assert [m.month for m in months] == ["2025-01"]  # 2025-06 needs until 2026-01 to mature
    (month,) = months
    assert month.precision == 0.5 and month.n_flagged == 4 and month.observed_rate == 0.15
    assert month.mean_predicted == pytest.approx(0.14) and month.calibration == pytest.approx(
        0.14 / 0.15, abs=1e-3
    )
    assert month.expected_low is not None and month.expected_low < 0.5 < (month.expected_high or 0)
    assert not month.outside and not month.calibration_outside


def test_realised_precision_below_its_range_alerts_and_recommends_retraining() -> None:
    published = scores_for("2025-01", top=0.9)
    expectation = Expectation(precision_mean=0.9, precision_sd=0.01)
    none = cases_in([RWS[10]], "2025-09-15")  # reported after the as-of month: not known yet
    months = realised(published, none, parse_month("2025-08"), expectation, SETTINGS)
    assert months[0].precision == 0.0 and months[0].outside and months[0].calibration_outside
    assert months[0].calibration is None  # nothing observed: no ratio
    found = alerts([], ScoresPart(available=False), months, set(), {})
    kinds = [a.kind for a in found]
    assert kinds == ["realised", "calibration", "retrain"]
    assert "below the" in found[0].text and found[-1].text.startswith("Retrain recommended")
    assert "di bawah rentang" in found[0].text_id and "meleset" in found[1].text_id
    assert found[-1].text_id.startswith("Disarankan melatih ulang model: presisi nyata 2025-01")


def test_expectation_from_the_backtest_folds() -> None:
    folds = pd.DataFrame({"scorer": ["model", "model", "cases_12m"], "precision_flagged": [0.2, 0.3, 0.1]})
    found = expectation_from_folds(folds)
    assert found is not None and found.precision_mean == pytest.approx(0.25)
    low, high = found.range(100)
    assert 0 < low < 0.25 < high < 1
    assert expectation_from_folds(pd.DataFrame({"scorer": ["x"]})) is None


def reviews(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["rw_code", "as_of", "outcome", "visit_date"])
    return frame.assign(
        id=range(len(frame)), author_role="lurah", visit_date=pd.to_datetime(frame["visit_date"])
    )


def test_checks_by_tier_are_shares_among_checked_rws() -> None:
    published = scores_for("2025-05")
    publications = pd.DataFrame(
        {"as_of": ["2025-05"], "published_at": [pd.Timestamp("2025-05-02 08:00", tz="UTC")]}
    )
    done = reviews(
        [
            (RWS[0], "2025-05", "sudah_dicek_aman", "2025-05-04"),
            (RWS[0], "2025-05", "ada_indikasi", "2025-05-10"),  # the latest outcome of an RW-month counts
            (RWS[1], "2025-05", "dirujuk_uptd_ppa", "2025-05-12"),
            (RWS[2], "2025-05", "tidak_dapat_dicek", "2025-05-22"),
            (RWS[15], "2025-05", "sudah_dicek_aman", "2025-05-07"),
            (RWS[3], "2025-05", "ada_indikasi", "2025-06-03"),  # after the as-of month: unknown
        ]
    )
    part = check_outcomes(done, published, publications, parse_month("2025-06"), SETTINGS)
    tiers = {t.tier: t for t in part.by_tier}
    top = tiers["sangat_tinggi"]
    assert (top.checked, top.concern, top.concern_share, top.not_checkable) == (2, 2, 1.0, 1)
    assert (tiers["rendah"].checked, tiers["rendah"].concern_share) == (1, 0.0)
    assert tiers["tinggi"].concern_share is None
    assert (part.flags, part.flags_checked, part.flags_checked_share) == (4, 3, 0.75)
    assert part.days_to_check_median == 10.0 and "among checked RWs" in part.note


def test_checks_without_publications_in_the_window_are_not_available() -> None:
    empty = pd.DataFrame({"as_of": [], "published_at": []})
    part = check_outcomes(reviews([]), scores_for("2025-05"), empty, parse_month("2025-06"), SETTINGS)
    assert not part.available


def test_a_shift_in_a_signal_behind_a_top_feature_recommends_retraining() -> None:
    shift = SourceChange(
        signal="calls", area_code="31.71", kind="shift", from_month="2025-03", size=1.2, area_level="kota"
    )
    seasonal = shift.model_copy(update={"kind": "seasonal", "signal": "posts"})
    top = top_signals(scores_for("2025-05"), ["calls", "posts"], 5)
    assert top == {"calls"}
    found = alerts([shift, seasonal], ScoresPart(available=False), [], top, {"31.71": "Jakarta Pusat"})
    assert [a.kind for a in found] == ["source_shift", "retrain"]
    assert found[0].text == (
        "calls rose 120% in kota Jakarta Pusat (31.71) from 2025-03 against its own trailing 12 months."
    )
    assert "calls changed" in found[1].text
    assert found[0].text_id == (
        "calls naik 120% di kota Jakarta Pusat (31.71) sejak 2025-03 dibanding 12 bulan sebelumnya."
    )
    assert "calls berubah" in found[1].text_id


@pytest.mark.parametrize(
    ("kind", "size", "words", "kata"),
    [
        ("started", 0.8, "started reporting", "mulai dilaporkan di provinsi"),
        ("stopped", 4, "no report", "tidak ada laporan"),
        ("paused", 2, "then resumed", "lalu berlanjut"),
    ],
)
def test_every_kind_reads_as_one_sentence(kind: str, size: float, words: str, kata: str) -> None:
    change = SourceChange(
        signal="calls", area_code="31", kind=kind, from_month="2025-01", to_month="2025-02", size=size,
        area_level="province",
    )  # fmt: skip
    text = source_sentence(change, {})
    assert words in text and text.endswith(".") and text.count(".") == 1
    kalimat = source_kalimat(change, {})
    assert kata in kalimat and kalimat.endswith(".") and kalimat.count(".") == 1


def test_the_html_page_holds_every_part_and_escapes_text() -> None:
    published = scores_for("2025-01", top=0.5)
    months = realised(published, cases_in(RWS[:2], "2025-01-15"), parse_month("2025-08"), None, SETTINGS)
    report = MonitorReport(
        as_of="2025-08",
        sources=[],
        scores=ScoresPart(available=False, reason="<no database>"),
        realised=months,
        checks=ChecksPart(available=False, reason="none"),
        alerts=[],
    )
    page = render(report)
    assert page.startswith("<!doctype html>") and "<svg" in page and "&lt;no database&gt;" in page


def test_checks_table_keeps_the_contract_columns_and_roles_only() -> None:
    frame = reviews([(RWS[0], "2025-05", "ada_indikasi", "2025-05-10")]).assign(note="secret", author="ani")
    frame = pd.concat([frame, frame.assign(author_role="admin")])
    table = checks_table(frame)
    assert list(table.columns) == ["rw_code", "visit_date", "outcome", "role"]
    assert table.to_dict("records") == [
        {"rw_code": RWS[0], "visit_date": "2025-05-10", "outcome": "ada_indikasi", "role": "lurah"}
    ]
