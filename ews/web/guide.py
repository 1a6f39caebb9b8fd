"""What a check involves, per tier, and what to do after each outcome: the RW page's guidance.

Plain Indonesian for a lurah or camat who may never have done such a check.
Contacts are the public channels named in the domain notes (Jakarta Siaga 112,
SAPA 129, UPTD PPA through the kecamatan's complaint post); no local number
is invented here.
"""

from __future__ import annotations

from typing import Final

DO_NOT: Final = (
    "Jangan mendatangi atau menanyai terduga korban di depan orang lain, dan jangan menulis nama, "
    "alamat, atau identitas siapa pun di catatan."
)
CHECK_STEPS: Final = {
    "sangat_tinggi": (
        "Minggu ini, temui ketua RW dan kader (PKK, Dasawisma, posyandu) secara tertutup.",
        "Tanyakan apakah ada rumah dengan keributan berulang, anak yang sering tidak sekolah atau "
        "tampak takut pulang, atau warga yang pernah meminta tolong.",
        "Pastikan warga tahu pos pengaduan di kecamatan, Jakarta Siaga 112, dan SAPA 129.",
    ),
    "tinggi": (
        "Bulan ini, temui ketua RW dan kader secara tertutup.",
        "Tanyakan apakah ada tanda kekerasan di rumah tangga atau terhadap anak yang mereka dengar.",
        "Ingatkan warga tentang pos pengaduan di kecamatan, Jakarta Siaga 112, dan SAPA 129.",
    ),
    "sedang": (
        "Tanyakan kepada kader RW pada pertemuan rutin apakah ada hal yang perlu diperhatikan.",
        "Ingatkan informasi layanan pengaduan.",
    ),
    "rendah": ("Tidak perlu pengecekan khusus; catat bila kader melaporkan sesuatu.",),
}
NEXT_STEPS: Final = {
    "ada_indikasi": (
        "Laporkan ke UPTD PPA dalam 1×24 jam, melalui pos pengaduan di kecamatan, agar petugas "
        "menjangkau keluarga itu. Bila ada bahaya saat ini, hubungi Jakarta Siaga 112. "
        "Layanan nasional: SAPA 129."
    ),
    "dirujuk_uptd_ppa": (
        "UPTD PPA menindaklanjuti dan, bila perlu, berkoordinasi dengan polisi dalam 3×24 jam. "
        "Pantau bersama kader tanpa menyebut identitas; bila ada bahaya saat ini, hubungi Jakarta Siaga 112."
    ),
    "tidak_dapat_dicek": "Coba lagi minggu ini bersama kader RW, atau minta camat menugaskan petugas lain.",
    "sudah_dicek_aman": "Tidak ada langkah lanjutan; RW ini tetap dipantau bulan depan.",
}


def check_steps(tier: str) -> tuple[str, ...]:
    """What checking an RW of ``tier`` involves, step by step."""
    return CHECK_STEPS.get(tier, CHECK_STEPS["sedang"])


def next_step(outcome: str | None) -> str | None:
    """What to do after a check with ``outcome`` (None when there is no check or it is unknown)."""
    return None if outcome is None else NEXT_STEPS.get(outcome)
