"""Official days off and make-up working days that `holidays.VN` misses (project-owned data).

`holidays.VN` (>= 0.109) already has, and we rely on it for: the statutory holidays of Art. 112
of the Labour Code 2019; Tết as the PM fixes it in most years (27-31/1/2025, 16-20/2/2026); days
in lieu for holidays on a weekend (Mon 27/4/2026 for Giỗ Tổ Hùng Vương on Sun 26/4); and the
swaps Fri 2/5/2025 <-> Sat 26/4/2025 and Mon 31/8/2026 <-> Sat 22/8/2026. It also counts
24/11 ("Ngày Văn hóa Việt Nam") as a day off from 2026, which rests on NQ 80-NQ/TW while
Art. 112 is being amended (NQ 30/NQ-CP asks for it); we follow the library, and a tenant that
works that day records a working day of its own.

Below is what it lacks, each row with the notice that decided it. The weekend days of the
long breaks are listed only so that `days_off()` shows the break as the notice announces it;
they change no arithmetic. Swaps apply to cán bộ, công chức, viên chức (Sat-Sun rest days),
which is who this system serves. A tenant's own `CalendarDay` rows win over these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .enums import DayKind


@dataclass(frozen=True)
class SpecialDay:
    """A day whose status is set by a notice rather than by its weekday."""

    date: dt.date
    kind: str  # a DayKind value
    name: str  # in Vietnamese, as the notice names it
    source: str = ""

    @property
    def is_day_off(self) -> bool:
        return self.kind == DayKind.DAY_OFF


_OFF, _WORK = DayKind.DAY_OFF.value, DayKind.WORKING_DAY.value

#: Tết Ất Tỵ 2025: 9 days, Sat 25/1 to Sun 2/2 (TB 6150/TB-BLĐTBXH, after CV 8726/VPCP-KGVX).
TB_6150_2024 = "TB 6150/TB-BLĐTBXH"
#: Tết Dương lịch 2026: 4 days, Thu 1/1 to Sun 4/1; Fri 2/1 worked on Sat 10/1 (25/12/2025).
CV_12729_2025 = "CV 12729/VPCP-KGVX"
#: Tết Bính Ngọ 2026: 9 days, Sat 14/2 (27 Chạp) to Sun 22/2 (mùng 6) (TB 9441/TB-BNV 16/10/2025).
TB_9441_2025 = "TB 9441/TB-BNV"

OFFICIAL_DAYS: tuple[SpecialDay, ...] = (
    SpecialDay(dt.date(2025, 1, 25), _OFF, "Nghỉ Tết Nguyên Đán", TB_6150_2024),
    SpecialDay(dt.date(2025, 1, 26), _OFF, "Nghỉ Tết Nguyên Đán", TB_6150_2024),
    SpecialDay(dt.date(2025, 2, 2), _OFF, "Nghỉ Tết Nguyên Đán", TB_6150_2024),
    SpecialDay(dt.date(2026, 1, 2), _OFF, "Ngày nghỉ (thay cho ngày 10/01/2026)", CV_12729_2025),
    SpecialDay(dt.date(2026, 1, 3), _OFF, "Nghỉ Tết Dương lịch", CV_12729_2025),
    SpecialDay(dt.date(2026, 1, 4), _OFF, "Nghỉ Tết Dương lịch", CV_12729_2025),
    SpecialDay(dt.date(2026, 1, 10), _WORK, "Làm bù cho ngày 02/01/2026", CV_12729_2025),
    SpecialDay(dt.date(2026, 2, 14), _OFF, "Nghỉ Tết Nguyên Đán", TB_9441_2025),
    SpecialDay(dt.date(2026, 2, 15), _OFF, "Nghỉ Tết Nguyên Đán", TB_9441_2025),
    SpecialDay(dt.date(2026, 2, 21), _OFF, "Nghỉ Tết Nguyên Đán", TB_9441_2025),
    SpecialDay(dt.date(2026, 2, 22), _OFF, "Nghỉ Tết Nguyên Đán", TB_9441_2025),
)
