"""The pages in-process: sign-in, scope, suppression, the check workflow, headers and refusals."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from conftest import make_app, sign_in
from fastapi.testclient import TestClient
from world import BUSY_RW, KEL_GAMBIR, KEL_PASAR_BARU, QUIET_RW, SECOND_RW, STALE_RW, WebWorld, rw_codes

from ews.service.rw_schemas import FlagItem
from ews.service.security import hash_key


@pytest.fixture
def web(client: TestClient) -> Iterator[TestClient]:
    """The module's client, signed out."""
    client.cookies.clear()
    yield client
    client.cookies.clear()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_anonymous_visitor_is_sent_to_sign_in(web: TestClient) -> None:
    response = web.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/masuk"
    assert web.get(f"/rw/{BUSY_RW}", follow_redirects=False).headers["location"] == "/masuk"


def test_sign_in_refuses_unknown_keys_other_roles_and_missing_tokens(
    web: TestClient, web_world: WebWorld
) -> None:
    bad = sign_in(web, "ews_bukan-kunci")
    assert bad.status_code == 401 and "Kunci API tidak dikenal" in bad.text
    case_system = sign_in(web, web_world.keys["sistem-kasus"])
    assert case_system.status_code == 403 and "untuk lurah, camat dan analis" in case_system.text
    web.get("/masuk")
    no_token = web.post("/masuk", data={"api_key": web_world.keys["lurah-gambir"]}, follow_redirects=False)
    assert no_token.status_code == 400


def test_session_cookie_is_http_only_strict_and_holds_no_key(web_world: WebWorld) -> None:
    with TestClient(make_app(web_world), base_url="https://testserver") as secure:
        response = sign_in(secure, web_world.keys["lurah-gambir"])
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    assert web_world.keys["lurah-gambir"] not in cookie
    assert response.headers["location"] == "/"


def test_lurah_home_shows_only_the_kelurahan(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    html = web.get("/").text
    shown = set(re.findall(r"31\.71\.\d\d\.\d{4}\.\d{3}", html))
    assert shown and all(code.startswith(KEL_GAMBIR) for code in shown)
    assert {BUSY_RW, SECOND_RW} <= shown
    assert "Kelurahan Gambir" in html and "Cideng" not in html and "Pasar Baru" not in html
    assert "Skor ini membantu pengecekan, bukan keputusan" in html
    assert web_world.keys["lurah-gambir"] not in html


def test_camat_home_summarises_every_kelurahan_of_the_kecamatan(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["camat-gambir"])
    html = web.get("/").text
    cards = html[html.index('class="summary-cards"') :]
    assert re.findall(r"<h3>([^<]+)</h3>", cards) == ["Gambir", "Cideng", "Petojo Utara"]
    assert "Pasar Baru" not in html
    # Kelurahan case totals are for analysts: with tier and flag they told a camat about a "<3".
    assert "Kasus 12 bulan" not in cards
    web.cookies.clear()
    sign_in(web, web_world.keys["analis-dinas"])
    analyst = web.get("/").text
    assert "Kasus 12 bulan" in analyst[analyst.index('class="summary-cards"') :]


def test_rw_outside_the_area_is_a_404_page_not_json(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    response = web.get(f"/rw/{KEL_PASAR_BARU}.003")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "tidak ada di wilayah Anda" in response.text
    assert web.get("/rw/bukan-kode").status_code == 404
    assert web.get("/?bulan=2099-01").status_code == 404


def test_small_case_counts_are_suppressed_for_officials_only(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    lurah = web.get(f"/rw/{QUIET_RW}").text
    assert "&lt;3" in lurah
    web.cookies.clear()
    sign_in(web, web_world.keys["analis-dinas"])
    analyst = web.get(f"/rw/{QUIET_RW}").text
    counts = re.findall(r"<dd>([^<]+)</dd>", analyst)
    assert counts[:2] == ["1", "1"]


def test_rw_page_shows_reasons_trend_and_freshness(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["analis-dinas"])
    html = web.get(f"/rw/{STALE_RW}").text
    assert "tertinggal 3 bulan" in html  # last signal 2024-02, as of 2024-06
    assert html.count('class="chart factor-bar"') == 3
    assert html.count("<circle") >= 12  # one dot per month of the trend
    # No case or victim identifiers; hidden form values (a random CSRF token) are left out, since
    # a urlsafe token can hold "K-0" by chance.
    shown = re.sub(r'<input type="hidden"[^>]*>', "", html)
    assert "K-0" not in shown and "V0" not in shown


def test_officials_see_tiers_and_plain_reasons_not_scores(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    flagged = web.get(f"/rw/{BUSY_RW}").text
    assert "Risiko lebih dari 4 kali risiko rata-rata RW" in flagged or "kali risiko rata-rata RW" in flagged
    assert "Riwayat kasus di RW ini dan sekitarnya ikut dihitung" in flagged
    assert 'class="chart factor-bar"' not in flagged and "peringkat" not in flagged
    assert 'class="tier-months"' in flagged and "Kasus dilaporkan, 12 bulan terakhir" not in flagged
    quiet = web.get(f"/rw/{STALE_RW}").text  # not flagged: no reasons, no history
    assert "Alasan rinci hanya ditampilkan untuk RW yang perlu dicek bulan ini." in quiet
    assert "tertinggal 3 bulan" in quiet  # freshness is not case data


def test_rw_page_names_the_source_that_stopped(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    stale = web.get(f"/rw/{STALE_RW}").text
    assert (
        "Sumber data “kontak ke pos pengaduan” tidak dilaporkan sejak Februari 2024 "
        "(tertinggal 3 bulan); skor memakai data lama untuk sumber ini." in stale
    )
    assert "Sumber data" not in web.get(f"/rw/{BUSY_RW}").text  # every source current


def _post_check(web: TestClient, rw_code: str, **fields: str) -> httpx.Response:
    page = web.get(f"/rw/{rw_code}")
    data = {
        "csrf": _csrf(page.text),
        "bulan": "2024-06",
        "outcome": "ada_indikasi",
        "visit_date": dt.date.today().isoformat(),
        "note": "",
        **fields,
    }
    return web.post(f"/rw/{rw_code}/cek", data=data, follow_redirects=False)


def test_check_is_stored_listed_and_counted_for_the_camat(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["camat-gambir"])
    response = _post_check(web, SECOND_RW, note="Ditindaklanjuti bersama Puskesmas.")
    assert response.status_code == 303
    html = web.get(f"/rw/{SECOND_RW}?tersimpan=1").text
    assert "Hasil pengecekan tersimpan." in html and "Ditindaklanjuti bersama Puskesmas." in html
    assert "Ada indikasi, ditindaklanjuti" in html
    home = web.get("/").text
    gambir = re.search(r"<h3>Gambir</h3>(.*?)</dl>", home, re.S)
    assert gambir is not None
    concerns = re.search(r"<dt>Perlu tindak lanjut</dt><dd>(\d+)</dd>", gambir.group(1))
    assert concerns is not None and concerns.group(1) != "0"  # an open concern now


def test_a_check_form_sent_twice_is_stored_once(web: TestClient, web_world: WebWorld) -> None:
    # A retry on a flaky connection resends the same form, with the id drawn into it.
    sign_in(web, web_world.keys["lurah-gambir"])
    page = web.get(f"/rw/{BUSY_RW}").text
    client_id = re.search(r'name="client_id" value="([^"]+)"', page)
    assert client_id is not None and len(client_id.group(1)) >= 16
    before = page.count('class="check-item"')
    sent = [_post_check(web, BUSY_RW, client_id=client_id.group(1), note="Sekali saja.") for _ in range(2)]
    assert [r.status_code for r in sent] == [303, 303]
    after = web.get(f"/rw/{BUSY_RW}").text
    assert after.count('class="check-item"') == before + 1 and after.count("Sekali saja.") == 1
    assert client_id.group(1) not in after  # a fresh form gets a fresh id


def test_check_form_refuses_bad_input_in_indonesian(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    before = web.get(f"/rw/{BUSY_RW}").text.count('class="check-item"')
    stale = _post_check(web, BUSY_RW, csrf="palsu")
    assert stale.status_code == 400 and "kedaluwarsa" in stale.text
    wrong = _post_check(web, BUSY_RW, outcome="beres")
    assert wrong.status_code == 422 and "Pilih hasil pengecekan." in wrong.text
    future = _post_check(web, BUSY_RW, visit_date=(dt.date.today() + dt.timedelta(days=10)).isoformat())
    assert future.status_code == 422 and "masa depan" in future.text
    ancient = _post_check(web, BUSY_RW, visit_date="0001-01-01")
    assert ancient.status_code == 422 and "harus antara 01-01-2000 dan hari ini" in ancient.text
    assert web.get(f"/rw/{BUSY_RW}").text.count('class="check-item"') == before


def test_pages_carry_security_headers_and_no_outside_resources(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    response = web.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert not re.search(r'(src|href)="(https?:)?//', response.text)
    assert web.get("/aset/dasbor.css").status_code == 200


def test_analyst_view_is_for_analysts(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    assert web.get("/analis").status_code == 403
    web.cookies.clear()
    sign_in(web, web_world.keys["analis-dinas"])
    html = web.get("/analis").text
    assert "ews-rw-risk v3" in html and "Juni 2024" in html
    home = web.get("/").text
    assert "Ringkasan per kota" in home and set(re.findall(r"31\.71\.\d\d\.\d{4}\.\d{3}", home)) <= set(
        rw_codes()
    )


def test_revoking_the_key_ends_the_session(web_world: WebWorld) -> None:
    from ews.db import accounts
    from ews.db.engine import Store

    with TestClient(make_app(web_world, cookie_secure=False)) as web:
        store = Store.open(web_world.url)
        with store.session() as session:
            accounts.add_account(session, "lurah-sementara", "lurah", KEL_GAMBIR, hash_key("ews_sementara"))
        sign_in(web, "ews_sementara")
        assert web.get("/", follow_redirects=False).status_code == 200
        with store.session() as session:
            accounts.revoke_account(session, "lurah-sementara")
        store.close()
        assert web.get("/", follow_redirects=False).headers["location"] == "/masuk"


def test_sign_out_needs_the_token_and_ends_the_session(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    web.post("/keluar", data={"csrf": "palsu"})
    assert web.get("/", follow_redirects=False).status_code == 200
    web.post("/keluar", data={"csrf": _csrf(web.get("/").text)})
    assert web.get("/", follow_redirects=False).status_code == 303


def test_rw_page_says_what_a_check_involves_and_what_to_do_next(web: TestClient, web_world: WebWorld) -> None:
    sign_in(web, web_world.keys["lurah-gambir"])
    page = web.get(f"/rw/{SECOND_RW}").text
    assert "Apa yang dicek?" in page and "jangan menulis nama" in page
    response = _post_check(web, SECOND_RW, outcome="ada_indikasi")
    assert response.status_code == 303
    after = web.get(f"/rw/{SECOND_RW}?tersimpan=1").text
    assert "Langkah berikutnya:" in after
    assert "UPTD PPA dalam 1×24 jam" in after and "Jakarta Siaga 112" in after and "SAPA 129" in after
    quiet = web.get(f"/rw/{STALE_RW}").text  # unflagged, tier rendah or sedang
    assert "Apa yang dicek?" in quiet and "Minggu ini, temui ketua RW" not in quiet


def test_home_flag_list_pages_by_twenty_and_clamps(web: TestClient, web_world: WebWorld) -> None:
    from ews.web.views import flag_rows

    sign_in(web, web_world.keys["analis-dinas"])
    first = web.get("/").text
    beyond = web.get("/?hal=99").text  # past the last page: the last page
    positions = re.findall(r'<span class="pos" aria-hidden="true">(\d+)</span>', first)
    assert positions and positions == re.findall(r'<span class="pos" aria-hidden="true">(\d+)</span>', beyond)
    assert len(positions) <= 20 and 'href="/semua-rw?bulan=' in first
    items = web.get("/v1/flags", headers={"Authorization": f"Bearer {web_world.keys['analis-dinas']}"}).json()
    rows = flag_rows([FlagItem(**i) for i in items["items"][:2]], {}, "2024-06", start=21)
    assert [r.position for r in rows] == [21, 22]
