"""Finding 1 of issue 12: officials learn nothing about a "<3" beyond the tier and the flag.

One synthetic kota is generated, trained and published for six months through
the ``ews`` command line; a gradient-boosting attacker then reads every field
of every RW's official view (the camat's ``GET /v1/rw/{code}`` and flag list,
through the service functions the API serves) and tries to tell 1-2 recent
cases from none among the RWs whose 3-month count reads "<3". The control
runs the same attacker on what officials saw before the official view, so the
attack is shown to have the power to find a leak.
"""

from __future__ import annotations

import pytest

from security.attack import AttackResult, attack, collect, publish_world

pytestmark = pytest.mark.slow

SEED = 5
MONTHS = ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]
MAX_GAIN = 0.02


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> str:
    return publish_world(tmp_path_factory.mktemp("attack"), SEED, MONTHS)


@pytest.fixture(scope="module")
def official(published: str) -> AttackResult:
    return attack(collect(published, MONTHS), SEED)


def test_the_attacker_gains_at_most_two_points_over_tier_and_flag(official: AttackResult) -> None:
    assert official.positives >= 100 and official.masked - official.positives >= 500, official
    assert official.auc_base > 0.6, official  # tier and flag alone do carry the risk
    assert official.gain <= MAX_GAIN, official


def test_the_same_attacker_finds_the_leak_in_the_view_officials_had_before(
    published: str, official: AttackResult
) -> None:
    before = attack(collect(published, MONTHS, legacy=True), SEED)
    assert before.gain >= 0.1, before
    assert before.auc_base == pytest.approx(official.auc_base)
