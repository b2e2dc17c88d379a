"""Lists a reader scans (nationalities) come in the reader's order: by name, and in
Chinese by pinyin, as lists in China are ordered — not by character code."""

from __future__ import annotations

from kvisa.reference import country_choices


def test_nationalities_in_chinese_follow_pinyin() -> None:
    names = [label.split(" (")[0] for _code, label in country_choices("zh")]
    # A-fu-han (Afghanistan) before Ba-xi (Brazil) before Zhong-guo (China); by code
    # point 中 (U+4E2D) would come before 巴 (U+5DF4) and 阿 (U+963F)
    assert names.index("阿富汗") < names.index("巴西") < names.index("中国")
    assert names[0].startswith("阿")


def test_nationalities_in_english_follow_the_alphabet() -> None:
    names = [label for _code, label in country_choices("en")]
    assert names.index("Afghanistan (AFG)") < names.index("Brazil (BRA)") < names.index(
        "China (CHN)")
