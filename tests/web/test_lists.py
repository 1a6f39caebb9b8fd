"""The "Semua RW" list (every RW of the area within two taps, checks for any of them) and the printout."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import sign_in
from fastapi.testclient import TestClient
from world import KEL_GAMBIR, KEL_PASAR_BARU, STALE_RW, WebWorld, rw_codes

from ews.service.areas import AreaRw
from ews.web.lists import PAGE_SIZE, search


def _rw(code: str, kelurahan: str = "Gambir", kecamatan: str = "Gambir") -> AreaRw:
    return AreaRw(code, code[:13], kelurahan, code[:8], kecamatan, "Jakarta Pusat", "rendah", 1, False, 0, 0)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("5", ["31.71.01.1001.005"]),
        ("rw 5", ["31.71.01.1001.005"]),
        ("RW015", ["31.71.01.1002.015"]),
        ("005", ["31.71.01.1001.005"]),
        ("cideng", ["31.71.01.1002.015", "31.71.01.1002.050"]),
        ("CIDENG 50", ["31.71.01.1002.050"]),
        ("", ["31.71.01.1001.005", "31.71.01.1002.015", "31.71.01.1002.050"]),
        ("menteng", []),
    ],
)
def test_search_matches_rw_numbers_exactly_and_names_in_part(query: str, expected: list[str]) -> None:
    rws = [_rw("31.71.01.1002.050", "Cideng"), _rw("31.71.01.1001.005"), _rw("31.71.01.1002.015", "Cideng")]
    assert [rw.rw_code for rw in search(rws, query)] == expected


@pytest.fixture
def web(client: TestClient) -> Iterator[TestClient]:
    """The module's client, signed out."""
    client.cookies.clear()
    yield client
    client.cookies.clear()


def _links(html: str) -> list[str]:
    return re.findall(r'class="rw-list-link" href="/rw/([0-9.]+)\?', html)


def test_a_lurah_reaches_an_unflagged_rw_in_two_taps_and_records_a_check(
    web: TestClient, web_world: WebWorld
) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    home = web.get("/").text
    assert 'href="/semua-rw"' in home  # tap 1: the menu
    listed = web.get("/semua-rw").text
    codes = _links(listed)
    assert codes == [c for c in rw_codes() if c.startswith(KEL_GAMBIR)]  # all 8, flagged or not
    assert STALE_RW in codes and "Perlu dicek" in listed
    page = web.get(f"/rw/{STALE_RW}").text  # tap 2: the RW
    assert "Catat hasil pengecekan" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    form = {
        "csrf": csrf.group(1),
        "bulan": "2024-06",
        "outcome": "sudah_dicek_aman",
        "visit_date": "2024-06-10",
    }
    stored = web.post(f"/rw/{STALE_RW}/cek", data=form, follow_redirects=False)
    assert stored.status_code == 303
    assert "Sudah dicek, aman" in web.get(f"/rw/{STALE_RW}").text


def test_the_list_stays_inside_the_callers_area(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["camat-gambir"])
    codes = _links(web.get("/semua-rw?cari=pasar").text)
    assert codes == []  # Pasar Baru lies in another kecamatan: not even found
    everything = _links(web.get("/semua-rw").text)
    assert len(everything) == 25 and not any(c.startswith(KEL_PASAR_BARU) for c in everything)


def test_the_list_pages_and_searches_for_the_analyst(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["analis-dinas"])
    assert len(rw_codes()) < PAGE_SIZE  # one page here; paging is checked on the unit below
    found = _links(web.get("/semua-rw?cari=pasar+baru+3").text)
    assert found == [f"{KEL_PASAR_BARU}.003"]
    beyond = web.get("/semua-rw?hal=99").text  # clamped to the last page
    assert "Halaman" not in beyond and len(_links(beyond)) == len(rw_codes())


def test_list_page_clamps_and_counts_pages() -> None:
    from ews.web.lists import list_page

    rws = [_rw(f"31.71.01.1001.{i:03d}") for i in range(1, 2 * PAGE_SIZE + 11)]
    last = list_page(rws, {}, "2024-06", "", 99)
    assert (last.page, last.pages, last.total, len(last.rows)) == (3, 3, 2 * PAGE_SIZE + 10, 10)
    assert list_page(rws, {}, "2024-06", "", 0).rows[0].rw_code.endswith(".001")


def test_the_printable_list_has_one_sheet_per_kelurahan_flagged_first(
    web: TestClient, web_world: WebWorld
) -> None:
    sign_in(web, web_world.keys["camat-gambir"])
    html = web.get("/cetak").text
    assert html.count('class="print-sheet"') == 3
    assert "Kelurahan Gambir" in html and "Pasar Baru" not in html
    css = web.get("/aset/dasbor.css").text
    assert "@media print" in css and ".print-sheet { break-before: page; }" in css
    assert not re.search(r"\d+,\d%", html)  # no score anywhere
    gambir = html[html.index("Kelurahan Gambir") :]
    assert gambir.index("Perlu dicek bulan ini") < gambir.index("RW lain")


def test_an_analyst_picks_a_kelurahan_to_print(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["analis-dinas"])
    picker = web.get("/cetak").text
    assert picker.count('class="print-sheet"') == 0 and picker.count("/cetak?bulan=") == 4
    one = web.get(f"/cetak?kelurahan={KEL_PASAR_BARU}").text
    assert one.count('class="print-sheet"') == 1 and "Kelurahan Pasar Baru" in one


def test_a_lurah_cannot_print_another_kelurahan(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    other = web.get(f"/cetak?kelurahan={KEL_PASAR_BARU}").text
    assert 'class="print-sheet"' not in other and "Pasar Baru" not in other


def test_a_kelurahan_map_stays_inside_the_callers_area(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    own = web.get(f"/peta?kelurahan={KEL_GAMBIR}")
    assert own.status_code == 200 and len(_links(own.text)) == 8 and "svg" in own.text
    for other in (KEL_PASAR_BARU, "31.71.01.1002", "bukan"):
        refused = web.get(f"/peta?kelurahan={other}")
        assert refused.status_code == 404 and "tidak ada di wilayah Anda" in refused.text, other
