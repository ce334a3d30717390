"""Weekly availability as a grid of half-hour slots (7 weekdays x 48), and back to `WeeklyWindow` entries.

The week is a ring of 336 slots (Sunday night runs into Monday morning, as "windows of the day before count" in
docs/rules.md). Windows -> grid marks every slot a window touches (a window off the half-hour grid is widened).
Grid -> windows takes each run of ticked slots (around the ring), cuts it into windows of at most a day, so a run
from Saturday 22:00 to Sunday 06:00 becomes one window crossing midnight, and groups windows with the same times
into one entry listing their weekdays. An empty grid is an empty list: available at any time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scheduler import ALL_WEEKDAYS, MINUTES_PER_DAY, Weekday, WeeklyWindow, format_clock
from web.validation import whole_number

SLOT_MINUTES = 30
SLOTS_PER_DAY = MINUTES_PER_DAY // SLOT_MINUTES
WEEK_SLOTS = 7 * SLOTS_PER_DAY
WEEK_MINUTES = 7 * MINUTES_PER_DAY

Slot = tuple[int, int]
"""(weekday index 0 = Monday, slot index 0 = 00:00–00:30)."""


def slot_name(day: int, slot: int) -> str:
    """The form value of a grid cell, e.g. '0-14' for Monday 07:00."""
    return f"{day}-{slot}"


def parse_slot(value: str) -> Slot | None:
    day, _, slot = value.partition("-")
    d, s = whole_number(day), whole_number(slot)
    if d is None or s is None:
        return None
    return (d, s) if d < 7 and s < SLOTS_PER_DAY else None


def slot_label(slot: int) -> str:
    start = slot * SLOT_MINUTES
    return f"{format_clock(start)}–{format_clock(start + SLOT_MINUTES)}"


def _window_spans(window: WeeklyWindow) -> Iterable[tuple[int, int]]:
    """(start, end) in minutes from Monday 00:00, one per weekday; end may pass the end of the week."""
    length = window.end - window.start if window.end > window.start else window.end + MINUTES_PER_DAY - window.start
    for day in window.days:
        start = day.index * MINUTES_PER_DAY + window.start
        yield start, start + length


def windows_to_slots(windows: Sequence[WeeklyWindow]) -> set[Slot]:
    ticked: set[Slot] = set()
    for window in windows:
        for start, end in _window_spans(window):
            first = start // SLOT_MINUTES
            last = -(-end // SLOT_MINUTES)  # ceiling: a partly covered slot is shown ticked
            for index in range(first, last):
                ring = index % WEEK_SLOTS
                ticked.add((ring // SLOTS_PER_DAY, ring % SLOTS_PER_DAY))
    return ticked


def on_grid(windows: Sequence[WeeklyWindow]) -> bool:
    """Whether every window starts and ends on the half hour (else the grid widens it)."""
    return all(w.start % SLOT_MINUTES == 0 and w.end % SLOT_MINUTES == 0 for w in windows)


def _runs(ticked: set[Slot]) -> list[tuple[int, int]]:
    """(first slot, length) of each run of ticked slots around the week's ring."""
    flags = [(i // SLOTS_PER_DAY, i % SLOTS_PER_DAY) in ticked for i in range(WEEK_SLOTS)]
    if all(flags):
        return [(0, WEEK_SLOTS)]
    begin = flags.index(False) + 1  # start scanning just after a gap, so no run is split at the ring's seam
    runs: list[tuple[int, int]] = []
    length = 0
    for step in range(WEEK_SLOTS):
        index = (begin + step) % WEEK_SLOTS
        if flags[index]:
            length += 1
            continue
        if length:
            runs.append(((index - length) % WEEK_SLOTS, length))
        length = 0
    if length:
        runs.append(((begin + WEEK_SLOTS - length) % WEEK_SLOTS, length))
    return runs


def _cut(start: int, minutes: int) -> list[tuple[int, int, int]]:
    """(weekday, start, end) clock windows covering `minutes` from minute `start` of the week.

    One window when it fits in a day (crossing midnight is fine); a longer run is cut at midnights.
    A run of exactly 24 hours that does not start at midnight cannot be one window (start would equal end).
    """
    pieces: list[tuple[int, int, int]] = []
    while minutes > 0:
        day, clock = divmod(start % WEEK_MINUTES, MINUTES_PER_DAY)
        if minutes < MINUTES_PER_DAY or (minutes == MINUTES_PER_DAY and clock == 0):
            end = clock + minutes
            pieces.append((day, clock, end if end <= MINUTES_PER_DAY else end - MINUTES_PER_DAY))
            break
        piece = MINUTES_PER_DAY - clock
        pieces.append((day, clock, MINUTES_PER_DAY))
        start, minutes = start + piece, minutes - piece
    return pieces


def slots_to_windows(ticked: set[Slot]) -> list[WeeklyWindow]:
    """The fewest entries: adjacent slots merged, runs past midnight kept whole, equal times on several days
    grouped, ordered by start time."""
    by_times: dict[tuple[int, int], list[int]] = {}
    for first, length in _runs(ticked):
        for day, start, end in _cut(first * SLOT_MINUTES, length * SLOT_MINUTES):
            by_times.setdefault((start, end), []).append(day)
    return [
        WeeklyWindow.model_validate(
            {"days": [ALL_WEEKDAYS[d] for d in sorted(set(days))], "start": format_clock(start),
             "end": format_clock(end)}
        )
        for (start, end), days in sorted(by_times.items())
    ]


def window_slots(days: Iterable[Weekday], start: int, end: int) -> set[Slot]:
    """The slots of a window typed in the quick-add fields (end at or before start: into the next day)."""
    window = WeeklyWindow.model_validate(
        {"days": list(days), "start": format_clock(start), "end": format_clock(end)}
    )
    return windows_to_slots([window])
