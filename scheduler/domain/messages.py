"""Words a person reads, as data: a code and its parameters. `scheduler.reports.catalogue` renders them, in Chinese
or English, with the scenario's names and local times.

A parameter's name says what its value is, so that one renderer names it right in either language:

    person, other        a person's id                  -> the person's name
    people               person ids                     -> their names
    place                a post's or team duty's id     -> its name
    role                 a role's id                    -> its name
    shift                a shift's id (at `place`)      -> the shift's name
    start, end           ISO 8601 moments               -> local clock times; both give {when}, the local span,
                                                           and with `place` {slot}: the place, shift and span
    day, first, last     ISO dates                      -> dates ('12月7日 周一', 'Mon 7 Dec')
    weekday              'mon' ... 'sun'                -> the weekday's name
    window               'HH:MM–HH:MM'                  -> as given
    minutes, *_minutes   a duration in minutes          -> hours to the half hour ('7.5 h', '7.5 小时')
    anything else        a count or a text              -> as given

Codes are `rule.what` (e.g. 'eligibility.no_nights'); each has one entry in the catalogue, in both languages.
"""

from __future__ import annotations

from pydantic import Field

from scheduler.domain.base import StrictModel

Param = str | int | float | bool | None | list[str]


class Message(StrictModel):
    """One thing to tell a person: what (`code`) and about whom, where and when (`params`)."""

    code: str = Field(description="What is said, e.g. 'eligibility.no_nights'; see the catalogue.")
    params: dict[str, Param] = Field(default_factory=dict, description="Who, where, when and how many.")
