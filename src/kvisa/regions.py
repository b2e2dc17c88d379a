"""World regions of a nationality: the UN M49 geographic regions and sub-regions.

Source: United Nations Statistics Division, *Standard country or area codes
for statistical use* (M49), https://unstats.un.org/unsd/methodology/m49/ —
status: official.  The grouping is M49's as published (two-level: the five
regions and their sub-regions, with "Latin America and the Caribbean" and
"Sub-Saharan Africa" as the sub-regions M49 defines above its intermediate
regions); the names come from the Unicode CLDR data shipped with Babel, in
English and Chinese, so no translation is ours.  Codes outside ISO 3166
(stateless, refugee) and the few uninhabited territories M49 leaves
ungrouped have no region.

Written out here rather than taken from a package: no maintained,
permissively licensed Python package carries the M49 membership table.
"""

from __future__ import annotations

from functools import lru_cache

from kvisa.i18n import reader_locale

# sub-region code -> (region code, ISO 3166-1 alpha-3 members)
SUB_REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "015": ("002", ("DZA", "EGY", "LBY", "MAR", "SDN", "TUN", "ESH")),
    "202": ("002", (
        "BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "MRT", "NER",
        "NGA", "SHN", "SEN", "SLE", "TGO",                                  # Western Africa
        "BDI", "COM", "DJI", "ERI", "ETH", "KEN", "MDG", "MWI", "MUS", "MYT", "MOZ", "REU",
        "RWA", "SYC", "SOM", "SSD", "TZA", "UGA", "ZMB", "ZWE", "IOT", "ATF",  # Eastern
        "AGO", "CMR", "CAF", "TCD", "COG", "COD", "GNQ", "GAB", "STP",      # Middle Africa
        "BWA", "LSO", "NAM", "ZAF", "SWZ")),                                # Southern Africa
    "419": ("019", (
        "AIA", "ATG", "ABW", "BHS", "BRB", "BES", "VGB", "CYM", "CUB", "CUW", "DMA", "DOM",
        "GRD", "GLP", "HTI", "JAM", "MTQ", "MSR", "PRI", "BLM", "KNA", "LCA", "MAF", "VCT",
        "SXM", "TTO", "TCA", "VIR",                                         # Caribbean
        "BLZ", "CRI", "SLV", "GTM", "HND", "MEX", "NIC", "PAN",            # Central America
        "ARG", "BOL", "BRA", "CHL", "COL", "ECU", "FLK", "GUF", "GUY", "PRY", "PER", "SUR",
        "URY", "VEN", "BVT", "SGS")),                                       # South America
    "021": ("019", ("BMU", "CAN", "GRL", "SPM", "USA")),
    "030": ("142", ("CHN", "HKG", "JPN", "PRK", "KOR", "MAC", "MNG", "TWN")),
    "034": ("142", ("AFG", "BGD", "BTN", "IND", "IRN", "MDV", "NPL", "PAK", "LKA")),
    "035": ("142", ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS",
                    "VNM")),
    "143": ("142", ("KAZ", "KGZ", "TJK", "TKM", "UZB")),
    "145": ("142", ("ARM", "AZE", "BHR", "CYP", "GEO", "IRQ", "ISR", "JOR", "KWT", "LBN",
                    "OMN", "PSE", "QAT", "SAU", "SYR", "TUR", "ARE", "YEM")),
    "151": ("150", ("BLR", "BGR", "CZE", "HUN", "MDA", "POL", "ROU", "RUS", "SVK", "UKR")),
    "154": ("150", ("ALA", "DNK", "EST", "FRO", "FIN", "GGY", "ISL", "IRL", "IMN", "JEY",
                    "LVA", "LTU", "NOR", "SJM", "SWE", "GBR")),
    "155": ("150", ("AUT", "BEL", "FRA", "DEU", "LIE", "LUX", "MCO", "NLD", "CHE")),
    "039": ("150", ("ALB", "AND", "BIH", "HRV", "GIB", "GRC", "VAT", "ITA", "MKD", "MLT",
                    "MNE", "PRT", "SMR", "SRB", "SVN", "ESP")),
    "053": ("009", ("AUS", "NZL", "NFK", "CXR", "CCK", "HMD")),
    "054": ("009", ("FJI", "NCL", "PNG", "SLB", "VUT")),
    "057": ("009", ("GUM", "KIR", "MHL", "FSM", "NRU", "MNP", "PLW", "UMI")),
    "061": ("009", ("ASM", "COK", "PYF", "NIU", "PCN", "WSM", "TKL", "TON", "TUV", "WLF")),
}
SUB_REGION_OF: dict[str, str] = {alpha3: sub for sub, (_region, members) in SUB_REGIONS.items()
                                 for alpha3 in members}


def sub_region(alpha3: str | None) -> str | None:
    """The M49 sub-region code of a nationality (None for a code M49 does not group)."""
    return SUB_REGION_OF.get(alpha3 or "")


def region(alpha3: str | None) -> str | None:
    """The M49 region code (002 Africa, 009 Oceania, 019 Americas, 142 Asia, 150 Europe)."""
    sub = sub_region(alpha3)
    return SUB_REGIONS[sub][0] if sub else None


@lru_cache(maxsize=8)
def _territories(lang: str) -> dict[str, str]:
    return dict(reader_locale(lang).territories)


def region_name(code: str | None, lang: str = "en") -> str | None:
    """A region's or sub-region's name from CLDR (``"142"`` → Asia / 亚洲)."""
    return _territories(lang).get(code) if code else None
