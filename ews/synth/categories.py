"""SIMFONI-PPA-style category mixes of reported cases (shares per row sum to 1).

Rows are conditioned on the victim group or the perpetrator relation so that
combinations stay plausible (a guru acts at school, a partner at home). The
mixes give about 56% of cases in the household, as reported for 2025.
"""

from __future__ import annotations

from typing import Final

from ews.data.schema import PERPETRATOR_RELATIONS, PLACES, VICTIM_GROUPS, VIOLENCE_TYPES

GROUP_SHARES: Final = dict(zip(VICTIM_GROUPS, (0.46, 0.36, 0.18), strict=True))

# fisik, psikis, seksual, penelantaran, eksploitasi, tppo, lainnya
VIOLENCE_BY_GROUP: Final = {
    "perempuan_dewasa": (0.38, 0.32, 0.12, 0.10, 0.02, 0.02, 0.04),
    "anak_perempuan": (0.18, 0.20, 0.46, 0.08, 0.03, 0.02, 0.03),
    "anak_laki_laki": (0.38, 0.22, 0.24, 0.10, 0.03, 0.01, 0.02),
}

# pasangan, orang_tua, keluarga, pacar_teman, tetangga, guru, majikan_rekan_kerja, orang_asing, lainnya
RELATION_BY_GROUP: Final = {
    "perempuan_dewasa": (0.62, 0.01, 0.08, 0.10, 0.05, 0.00, 0.05, 0.06, 0.03),
    "anak_perempuan": (0.02, 0.24, 0.15, 0.22, 0.14, 0.07, 0.01, 0.11, 0.04),
    "anak_laki_laki": (0.00, 0.30, 0.14, 0.15, 0.15, 0.10, 0.01, 0.11, 0.04),
}

# rumah_tangga, fasilitas_umum, sekolah, tempat_kerja, kos, lainnya
PLACE_BY_RELATION: Final = {
    "pasangan": (0.88, 0.03, 0.00, 0.01, 0.06, 0.02),
    "orang_tua": (0.92, 0.02, 0.01, 0.00, 0.02, 0.03),
    "keluarga": (0.85, 0.04, 0.01, 0.01, 0.04, 0.05),
    "pacar_teman": (0.18, 0.15, 0.12, 0.02, 0.20, 0.33),
    "tetangga": (0.40, 0.20, 0.02, 0.01, 0.10, 0.27),
    "guru": (0.02, 0.03, 0.85, 0.00, 0.00, 0.10),
    "majikan_rekan_kerja": (0.08, 0.05, 0.00, 0.75, 0.05, 0.07),
    "orang_asing": (0.05, 0.45, 0.05, 0.03, 0.05, 0.37),
    "lainnya": (0.25, 0.20, 0.05, 0.05, 0.10, 0.35),
}

# Relative channel weights before adjustments; complaint posts get POST_WEIGHT * reach on top.
CHANNEL_WEIGHTS: Final = {
    "pos_pengaduan": 0.0,
    "siaga_112": 0.16,
    "hotline": 0.55,
    "sapa_129": 0.08,
    "datang_langsung": 1.0,
    "rujukan_polisi": 0.14,
    "rujukan_faskes": 0.10,
    "rujukan_lain": 0.07,
}
POST_WEIGHT: Final = 4.2

ORDERED: Final = {
    "victim_group": VICTIM_GROUPS,
    "violence_type": VIOLENCE_TYPES,
    "perpetrator_relation": PERPETRATOR_RELATIONS,
    "place": PLACES,
}
