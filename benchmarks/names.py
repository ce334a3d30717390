"""Fictional Chinese names with pinyin ids, the six roles and clock texts of every generated community.

Used by `benchmarks.generator` and by `examples/make_grid.py`; kept apart so the generator reads as capacity
arithmetic.
"""

from __future__ import annotations

import random

from scheduler import LocalizedText, Role

SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("赵", "zhao"),
    ("黄", "huang"),
    ("周", "zhou"),
    ("吴", "wu"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("胡", "hu"),
    ("朱", "zhu"),
    ("高", "gao"),
    ("林", "lin"),
    ("何", "he"),
    ("郭", "guo"),
    ("马", "ma"),
    ("罗", "luo"),
    ("梁", "liang"),
    ("宋", "song"),
    ("郑", "zheng"),
    ("谢", "xie"),
    ("韩", "han"),
    ("唐", "tang"),
    ("冯", "feng"),
    ("于", "yu"),
    ("董", "dong"),
    ("萧", "xiao"),
    ("程", "cheng"),
    ("曹", "cao"),
    ("袁", "yuan"),
    ("邓", "deng"),
    ("许", "xu"),
    ("傅", "fu"),
    ("沈", "shen"),
    ("曾", "zeng"),
    ("彭", "peng"),
    ("吕", "lyu"),
    ("苏", "su"),
    ("卢", "lu"),
    ("蒋", "jiang"),
    ("蔡", "cai"),
    ("贾", "jia"),
    ("丁", "ding"),
    ("魏", "wei"),
    ("薛", "xue"),
    ("叶", "ye"),
    ("阎", "yan"),
    ("余", "yu"),
    ("潘", "pan"),
    ("杜", "du"),
    ("戴", "dai"),
)
GIVEN: tuple[tuple[str, str], ...] = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂", "gui"),
    ("英", "ying"),
    ("华", "hua"),
    ("建", "jian"),
    ("国", "guo"),
    ("文", "wen"),
    ("海", "hai"),
    ("燕", "yan"),
    ("红", "hong"),
    ("梅", "mei"),
    ("志", "zhi"),
    ("春", "chun"),
    ("晓", "xiao"),
    ("东", "dong"),
    ("玉", "yu"),
    ("兰", "lan"),
    ("波", "bo"),
    ("斌", "bin"),
    ("鹏", "peng"),
    ("辉", "hui"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("佳", "jia"),
    ("欣", "xin"),
    ("宇", "yu"),
    ("浩", "hao"),
    ("凯", "kai"),
    ("琳", "lin"),
    ("荣", "rong"),
    ("德", "de"),
    ("新", "xin"),
    ("峰", "feng"),
    ("亮", "liang"),
    ("云", "yun"),
)


def hhmm(hours: int, minutes: int = 0) -> str:
    """A clock time as scenario files write it: hhmm(8) == "08:00"; hhmm(24) == "24:00"."""
    return f"{hours:02d}:{minutes:02d}"


def roles() -> list[Role]:
    """The six roles of every generated community."""
    spec = (
        ("party", "党员", "Party member", "党"),
        ("volunteer", "志愿者", "Volunteer", "志"),
        ("security", "保安", "Security officer", "安"),
        ("secretary", "社区书记", "Community secretary", "书"),
        ("health", "卫生员", "Health officer", "卫"),
        ("police", "民警", "Police officer", "警"),
    )
    return [Role(id=i, name=LocalizedText(zh=zh, en=en), mark=m) for i, zh, en, m in spec]


class NameMaker:
    """Unique fictional Chinese names with pinyin ids, deterministic for a random generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self._ids: set[str] = set()

    def make(self) -> tuple[str, str]:
        """Return (person id, name)."""
        for _ in range(1000):
            surname, s_py = self._rng.choice(SURNAMES)
            parts = [self._rng.choice(GIVEN) for _ in range(self._rng.choice((1, 2, 2, 2)))]
            name = surname + "".join(zh for zh, _ in parts)
            if name in self._names:
                continue
            base = f"{s_py}-{''.join(py for _, py in parts)}"
            person_id, n = base, 2
            while person_id in self._ids:
                person_id, n = f"{base}-{n}", n + 1
            self._names.add(name)
            self._ids.add(person_id)
            return person_id, name
        raise RuntimeError("ran out of names")
