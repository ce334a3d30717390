"""The engine's words, in English and Chinese, by message code (rendered by `scheduler.reports.catalogue`).

Kept apart from the renderer so that translators read one table. Parameters: see `scheduler.domain.messages`.
"""

from __future__ import annotations

from scheduler.reports.explain_texts import EXPLAIN_TEXTS
from scheduler.reports.input_texts import INPUT_TEXTS, RULE_TEXTS

TEXTS: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------------------------------------- eligibility
    "eligibility.inactive": ("{person} on {slot}: the person is inactive", "{person}（{slot}）：此人已停用"),
    "eligibility.role": ("{person} on {slot}: does not hold the role {role}", "{person}（{slot}）：没有“{role}”角色"),
    "eligibility.post": ("{person} on {slot}: may not be put on {place}", "{person}（{slot}）：不能安排在{place}"),
    "eligibility.no_nights": ("{person} on {slot}: may not work night shifts", "{person}（{slot}）：不能上夜班"),
    "eligibility.shift_never": (
        "{person} on {slot}: may never work the {never_shift} shift",
        "{person}（{slot}）：不能上{never_shift}",
    ),
    "eligibility.banned": (
        "{person} on {slot}: the coordinator has kept them off it that day",
        "{person}（{slot}）：协调人已安排其当天不上此班",
    ),
    "availability.outside": (
        "{person} on {slot}: outside their availability windows",
        "{person}（{slot}）：不在其可值班的时间内",
    ),
    "availability.absent": ("{person} on {slot}: overlaps an absence", "{person}（{slot}）：与其请假时间重叠"),
    # ---------------------------------------------------------------------------------------------- consecutive
    "consecutive.max_days": (
        "{person}: {count} working days in a row (max {limit}), {first} – {last}",
        "{person}：连续工作 {count} 天（最多 {limit} 天），{first}至{last}",
    ),
    "consecutive.min_days": (
        "{person}: only {count} working days in a row (min {limit}), {first} – {last}",
        "{person}：只连续工作 {count} 天（至少 {limit} 天），{first}至{last}",
    ),
    "consecutive.min_days_off": (
        "{person}: only {count} days off in a row (min {limit}), {first} – {last}",
        "{person}：只连续休息 {count} 天（至少 {limit} 天），{first}至{last}",
    ),
    # ------------------------------------------------------------------------------------------------- coverage
    "coverage.window_under": (
        "{place} {when}: {have} {role} on duty, at least {need} needed",
        "{place} {when}：在岗{role} {have} 人，至少需要 {need} 人",
    ),
    "coverage.window_over": (
        "{place} {when}: {have} {role} on duty, at most {need} allowed",
        "{place} {when}：在岗{role} {have} 人，最多 {need} 人",
    ),
    "coverage.window_missing": (
        "{place} {when}: {person_minutes} of {role} missing",
        "{place} {when}：{role}缺 {person_minutes}",
    ),
    "coverage.window_extra": (
        "{place} {when}: {person_minutes} of {role} more than wanted",
        "{place} {when}：{role}多出 {person_minutes}",
    ),
    "coverage.shift_under": ("{slot}: {count} {role} missing", "{slot}：缺{role} {count} 人"),
    "coverage.shift_over": ("{slot}: {count} {role} too many", "{slot}：{role}多出 {count} 人"),
    # ---------------------------------------------------------------------------------------------- meal breaks
    "meal_breaks.not_given": (
        "{person} has a meal break on {slot}, which gets none",
        "{person}在 {slot} 安排了用餐，但这个班不安排用餐",
    ),
    "meal_breaks.outside_window": (
        "{person}'s break {break} on {slot} is not inside a meal window",
        "{person}在 {slot} 的用餐时间 {break} 不在用餐时段内",
    ),
    "meal_breaks.length": (
        "{person}'s break {break} on {slot} lasts {length} minutes, not {needed}",
        "{person}在 {slot} 的用餐时间 {break} 为 {length} 分钟，应为 {needed} 分钟",
    ),
    "meal_breaks.grid": (
        "{person}'s break {break} on {slot} does not start on the {grid}-minute grid of {window}",
        "{person}在 {slot} 的用餐时间 {break} 没有按 {window} 内每 {grid} 分钟的间隔开始",
    ),
    "meal_breaks.missing": (
        "{person} needs one {meal} break in {window} on {slot}, has {count}",
        "{person}在 {slot} 需要在 {window} 内用一次{meal}，现有 {count} 次",
    ),
    "meal_breaks.too_many_away": (
        "{place} {when}: {count} people away on a meal break at once, at most {limit} allowed",
        "{place} {when}：同时有 {count} 人回家用餐，最多允许 {limit} 人",
    ),
    "meal_breaks.too_many_away_role": (
        "{place} {when}: {count} {role} away on a meal break at once, at most {limit} allowed",
        "{place} {when}：同时有 {count} 名{role}回家用餐，最多允许 {limit} 名",
    ),
    "meal_breaks.off_middle": (
        "{person}'s break {break} on {slot}: {steps} grid step(s) from the middle of {window}",
        "{person}在 {slot} 的用餐时间 {break}：离 {window} 的中间差 {steps} 个间隔",
    ),
    "meal_breaks.latest_slot": (
        "{person} has the latest {meal} slot at {place} {count} times (first one free)",
        "{person}在{place}排到最晚的{meal}时段 {count} 次（第一次不计）",
    ),
    # ------------------------------------------------------------------------------------------------ pairs, pins
    "pairs.together": (
        "{person} ({slot}) and {other} ({other_slot}) must not be on duty at the same time",
        "{person}（{slot}）和{other}（{other_slot}）不能同时在岗",
    ),
    "pairs.apart": (
        "{person} works {count|shift|shifts} without {other}",
        "{person}有 {count} 个班次没有与{other}同班",
    ),
    "pins.not_running": (
        "{person} is pinned to {place} {pinned_shift} on {day}{as_role}, which does not run that day",
        "{person}被固定在{day}{place}{pinned_shift}{as_role}，但该班当天不开",
    ),
    "pins.missing": (
        "{person} is pinned to {slot}{as_role} but is not on it",
        "{person}被固定在 {slot}{as_role}，但没有排上",
    ),
    # ---------------------------------------------------------------------------------------------- rest, overlap
    "overlap.shifts": (
        "{person} is on {first_slot} and {slot} at the same time", "{person}同时排在 {first_slot} 和 {slot}",
    ),
    "overlap.history": (
        "{person} is on the previous rota's shift {first_when} and {slot} at the same time",
        "{person}上一期的班次 {first_when} 与 {slot} 时间重叠",
    ),
    "overlap.history_after": (
        "{person} is on {first_slot} and the previous rota's shift {when} at the same time",
        "{person}的 {first_slot} 与上一期的班次 {when} 时间重叠",
    ),
    "rest.shifts": (
        "{person} has only {gap_minutes} rest between {first_slot} and {slot} (min {rest_minutes})",
        "{person}在 {first_slot} 和 {slot} 之间只休息 {gap_minutes}（至少 {rest_minutes}）",
    ),
    "rest.history": (
        "{person} has only {gap_minutes} rest between the previous rota's shift {first_when} and {slot} (min "
        "{rest_minutes})",
        "{person}在上一期的班次 {first_when} 和 {slot} 之间只休息 {gap_minutes}（至少 {rest_minutes}）",
    ),
    "rest.history_after": (
        "{person} has only {gap_minutes} rest between {first_slot} and the previous rota's shift {when} (min "
        "{rest_minutes})",
        "{person}在 {first_slot} 和上一期的班次 {when} 之间只休息 {gap_minutes}（至少 {rest_minutes}）",
    ),
    # ------------------------------------------------------------------------------------------------ structure
    "structure.period": (
        "the rota is for {rota_days} days from {rota_start} in {rota_zone}, but the scenario is for {days} "
        "days from {start_day} in {zone}",
        "排班表是 {rota_zone} 时区自 {rota_start} 起 {rota_days} 天，而设置是 {zone} 时区自 {start_day} 起 {days} 天",
    ),
    "structure.unknown_person": (
        "assignment to {id_place} on {date} names an unknown person {id_person}",
        "{date} {id_place} 的安排中有不存在的人员 {id_person}",
    ),
    "structure.no_post": (
        "{person} on {id_place} {date}: there is no post {id_place}",
        "{person}（{date}）：没有岗位 {id_place}",
    ),
    "structure.no_duty": (
        "{person} on {id_place} {date}: there is no team duty {id_place}",
        "{person}（{date}）：没有值勤任务 {id_place}",
    ),
    "structure.post_needs_shift": (
        "{person} on {place} {date}: an assignment to a post needs a shift",
        "{person}（{place} {date}）：岗位的安排需要注明班次",
    ),
    "structure.duty_no_shift": (
        "{person} on {place} {date}: a team duty has no shifts",
        "{person}（{place} {date}）：值勤任务没有班次",
    ),
    "structure.no_shift": (
        "{person} on {place} {id_shift} {date}: post {place} has no shift {id_shift}",
        "{person}（{date}）：{place}没有班次 {id_shift}",
    ),
    "structure.outside_period": (
        "{person} on {place} {date}: {date} is outside the period {first} – {last}",
        "{person}（{place} {date}）：不在排班期 {first}至{last} 内",
    ),
    "structure.not_running": (
        "{person} on {place} {day}: that shift does not run that day", "{person}（{place} {day}）：该班当天不开",
    ),
    "structure.times_differ": (
        "{person} on {slot}: the assignment's times {given} differ from the shift's",
        "{person}（{slot}）：安排的时间 {given} 与班次时间不符",
    ),
    "structure.twice": ("{person} is assigned twice to {slot}", "{person}在 {slot} 被重复安排"),
    "structure.break_outside": (
        "{person}'s break on {slot} lies outside the shift",
        "{person}在 {slot} 的用餐时间不在班次时间内",
    ),
    # ------------------------------------------------------------------------------------ successions, teams
    "succession.forbidden": (
        "{person} works {slot} the day after {first_slot}: a {then_shift} shift may not follow a {first_shift} shift",
        "{person}在 {first_slot} 之后第二天又上 {slot}：{first_shift}之后不能接{then_shift}",
    ),
    "teams.count": (
        "{slot}: {count} {role} on duty, exactly {need} needed",
        "{slot}：{role} {count} 人，应为 {need} 人",
    ),
    "teams.role": (
        "{slot}: {person} is on it as {role}, which the duty does not need",
        "{slot}：{person}以“{role}”身份在岗，该任务不需要",
    ),
    # ------------------------------------------------------------------------------------------------ workload
    "workload.week_hours": (
        "{person} works {minutes} in week {week} ({first} – {last}) (max {limit_minutes})",
        "{person}第 {week} 周（{first}至{last}）工作 {minutes}（最多 {limit_minutes}）",
    ),
    "workload.week_shifts": (
        "{person} works {count} shifts in week {week} ({first} – {last}) (max {limit})",
        "{person}第 {week} 周（{first}至{last}）上 {count} 个班（最多 {limit} 个）",
    ),
    "workload.week_nights": (
        "{person} works {count} night shifts in week {week} ({first} – {last}) (max {limit})",
        "{person}第 {week} 周（{first}至{last}）上 {count} 个夜班（最多 {limit} 个）",
    ),
    "workload.total_max": (
        "{person} works {minutes} over the period (max {limit_minutes})",
        "{person}整个排班期工作 {minutes}（最多 {limit_minutes}）",
    ),
    "workload.total_min": (
        "{person} works {minutes} over the period (min {limit_minutes})",
        "{person}整个排班期工作 {minutes}（至少 {limit_minutes}）",
    ),
    "workload.weekends": (
        "{person} works {count} weekends (max {limit})",
        "{person}有 {count} 个周末上班（最多 {limit} 个）",
    ),
    "workload.shift_count": (
        "{person} works {count} {counted_shift} shifts (max {limit})",
        "{person}上 {count} 个{counted_shift}（最多 {limit} 个）",
    ),
    "workload.shift_count_at": (
        "{person} works {count} {counted_shift} shifts at {place} (max {limit})",
        "{person}在{place}上 {count} 个{counted_shift}（最多 {limit} 个）",
    ),
    # ----------------------------------------------------------------------------------- soft: wishes, fairness
    "preferences.wants_shift": (
        "{person} wants the {wished_shift} shift on {day}: unmet",
        "{person}希望{day}上{wished_shift}：未满足",
    ),
    "preferences.avoids_shift": (
        "{person} avoids the {wished_shift} shift on {day}: unmet",
        "{person}不希望{day}上{wished_shift}：未满足",
    ),
    "preferences.wants_shift_at": (
        "{person} wants the {wished_shift} shift at {place} on {day}: unmet",
        "{person}希望{day}在{place}上{wished_shift}：未满足",
    ),
    "preferences.avoids_shift_at": (
        "{person} avoids the {wished_shift} shift at {place} on {day}: unmet",
        "{person}不希望{day}在{place}上{wished_shift}：未满足",
    ),
    "preferences.wants_day": ("{person} wants to work on {day}: unmet", "{person}希望{day}上班：未满足"),
    "preferences.avoids_day": ("{person} avoids working on {day}: unmet", "{person}不希望{day}上班：未满足"),
    "preferences.wants_weekday": (
        "{person} wants to work on {weekday}s: unmet {count|time|times}",
        "{person}希望{weekday}上班：{count} 次未满足",
    ),
    "preferences.avoids_weekday": (
        "{person} avoids working on {weekday}s: unmet {count|time|times}",
        "{person}不希望{weekday}上班：{count} 次未满足",
    ),
    "preferences.wants_nights": (
        "{person} wants night shifts: unmet {count|time|times}",
        "{person}希望上夜班：{count} 次未满足",
    ),
    "preferences.avoids_nights": (
        "{person} avoids night shifts: unmet {count|time|times}",
        "{person}不希望上夜班：{count} 次未满足",
    ),
    "fairness.hours": (
        "{person} has {minutes}, fair share {share_minutes} (fair up to {high_minutes})",
        "{person}共 {minutes}，应分担 {share_minutes}（合理上限 {high_minutes}）",
    ),
    "fairness.shifts": (
        "{person} has {count|shift|shifts}, fair share {share} (fair up to {high})",
        "{person}共 {count} 个班次，应分担 {share} 个（合理上限 {high} 个）",
    ),
    "fairness.nights": (
        "{person} has {count|night shift|night shifts}, fair share {share} (fair up to {high})",
        "{person}共 {count} 个夜班，应分担 {share} 个（合理上限 {high} 个）",
    ),
    "fairness.weekends": (
        "{person} has {count|weekend|weekends}, fair share {share} (fair up to {high})",
        "{person}共 {count} 个周末班，应分担 {share} 个（合理上限 {high} 个）",
    ),
    "fairness.hours_past": (
        "{person} has {minutes} now and {past_minutes} in the {weeks} weeks before, fair share of both "
        "{share_minutes} (fair up to {high_minutes})",
        "{person}本期 {minutes}，此前 {weeks} 周 {past_minutes}，"
        "两者合计应分担 {share_minutes}（合理上限 {high_minutes}）",
    ),
    "fairness.nights_past": (
        "{person} has {count|night shift|night shifts} now and {past_count} in the {weeks} weeks before, fair share "
        "of both {share} (fair up to {high})",
        "{person}本期 {count} 个夜班，此前 {weeks} 周 {past_count} 个，两者合计应分担 {share} 个（合理上限 {high} 个）",
    ),
    "fairness.weekends_past": (
        "{person} has {count|weekend|weekends} now and {past_count} in the {weeks} weeks before, fair share of both "
        "{share} (fair up to {high})",
        "{person}本期 {count} 个周末班，此前 {weeks} 周 {past_count} 个，"
        "两者合计应分担 {share} 个（合理上限 {high} 个）",
    ),
    "staffing.post": ("{person_minutes} on duty at {place}", "{place}在岗共 {person_minutes}"),
    **EXPLAIN_TEXTS,
    **INPUT_TEXTS,
    **RULE_TEXTS,
}

CLI_TEXTS: dict[str, tuple[str, str]] = {
    "cli.invalid_input": ("Invalid input in {path}:", "输入有误（{path}）："),
    "cli.invalid_option": ("Invalid input in {option} {text}: {error}", "输入有误（{option} {text}）：{error}"),
    "cli.invalid": ("Invalid input:", "输入有误："),
    "cli.bad_lang": ("--lang must be zh or en, not {value}", "--lang 只能是 zh 或 en，不能是 {value}"),
    "cli.wrote": ("Wrote {path}", "已写入 {path}"),
    "cli.wrote_calendars": ("Wrote {count} calendars in {path}", "已在 {path} 写入 {count} 个日历"),
    "cli.searching": ("Looking for a rota… {seconds} s", "正在寻找排班… {seconds} 秒"),
    "cli.improving": (
        "A rota is found · it may still improve · {seconds} s", "已找到排班 · 可能还能更好 · {seconds} 秒",
    ),
    "cli.optimal": ("Best rota, proven: no rota costs less.", "已证明最优：没有代价更低的排班。"),
    "cli.feasible": (
        "A rota that meets every hard rule; a better one may exist.", "排班满足所有硬性规则，可能还能更好。",
    ),
    "cli.figures": (
        "Cost {objective}, lower bound {bound}, gap {gap}; first rota after {first_after} s, {total} s in all.",
        "代价 {objective}，下界 {bound}，差距 {gap}；{first_after} 秒找到第一个排班，共用 {total} 秒。",
    ),
    "cli.no_rota_in_time": (
        "No rota found within {seconds} s. The rules may still allow one: try a longer --time-limit.",
        "{seconds} 秒内未找到排班。规则可能仍允许排班：请加长 --time-limit。",
    ),
    "cli.no_repair_in_time": (
        "No repair found within {seconds} s. Try a longer --time-limit.",
        "{seconds} 秒内未找到调整方案。请加长 --time-limit。",
    ),
    "cli.staffing_fewest": (
        "{shifts} shifts, {hours} person-hours at the posts: the fewest possible.",
        "岗位共 {shifts} 个班次、{hours} 人时：已是最少。",
    ),
    "cli.staffing_plain": (
        "{shifts} shifts, {hours} person-hours at the posts.",
        "岗位共 {shifts} 个班次、{hours} 人时。",
    ),
    "cli.staffing_more": (
        "{shifts} shifts, {hours} person-hours at the posts; the fewest possible is {fewest} person-hours.",
        "岗位共 {shifts} 个班次、{hours} 人时；最少可为 {fewest} 人时。",
    ),
    "cli.staffing_bound": (
        "{shifts} shifts, {hours} person-hours at the posts; the hard rules need at least {fewest} person-hours.",
        "岗位共 {shifts} 个班次、{hours} 人时；硬性规则至少需要 {fewest} 人时。",
    ),
    "cli.day": ("Day", "日期"),
    "cli.duty": ("duty", "值勤"),
    "cli.hours_per_person": ("Hours per person", "每人值班时长"),
    "cli.person": ("Person", "姓名"),
    "cli.roles": ("Roles", "角色"),
    "cli.shifts": ("Shifts", "班次"),
    "cli.hours": ("Hours", "小时"),
    "cli.no_penalties": (
        "No soft penalties: every wish and fairness goal is met.", "没有扣分项：所有意愿和公平目标都已满足。",
    ),
    "cli.penalties_by_rule": ("Penalties by rule: {list}", "各规则的代价：{list}"),
    "cli.largest_penalties": ("Largest penalties (of {count})", "代价最大的几项（共 {count} 项）"),
    "cli.rule": ("Rule", "规则"),
    "cli.cause": ("Cause", "原因"),
    "cli.cost": ("Cost", "代价"),
    "cli.broken": ("{count} hard rule(s) broken:", "违反 {count} 条硬性规则："),
    "cli.all_hold": ("Every hard rule holds. Cost {objective}.", "所有硬性规则均满足。代价 {objective}。"),
    "cli.smallest_change": ("Smallest change that would make a rota possible:", "能排出班的最小改动："),
    "cli.changes": ("Changes ({count})", "改动（{count} 处）"),
    "cli.when": ("When", "时间"),
    "cli.where": ("Where", "地点"),
    "cli.role": ("Role", "角色"),
    "cli.who": ("Who", "人员"),
    "cli.where_shift": ("{place} {where_shift}", "{place} {where_shift}"),
    "cli.change": ("Change", "改动"),
    "cli.gains": ("gains", "新增"),
    "cli.loses": ("loses", "取消"),
    "cli.break_moved": ("meal break moved", "用餐时间调整"),
    "cli.proven_minimal": ("proven minimal", "已证明最少"),
    "cli.not_proven_minimal": ("not proven minimal (time limit)", "未证明最少（时间已到）"),
    "cli.repair_summary": (
        "{count} changed assignment(s), weighted {weighted} ({proof}); {retimed} meal break(s) moved; cost "
        "{objective}; {total} s.",
        "改动 {count} 处安排，加权 {weighted}（{proof}）；调整用餐 {retimed} 次；代价 {objective}；用时 {total} 秒。",
    ),
    "cli.no_rota": ("No rota meets every hard rule.", "没有能满足所有硬性规则的排班。"),
    "cli.no_repair": ("No repair meets every hard rule.", "没有能满足所有硬性规则的调整方案。"),
}

RULE_NAMES: dict[str, tuple[str, str]] = {
    "structure": ("references", "数据引用"), "eligibility": ("eligibility", "资格"),
    "availability": ("availability", "可值班时间"), "coverage": ("staffing levels", "人数要求"),
    "staffing": (
        "people called out", "出勤人时"), "teams": ("teams", "小组"), "meal_breaks": ("meal breaks",
        "轮流用餐",
    ),
    "pins": ("pins", "固定安排"), "overlap": ("overlaps", "时间重叠"), "rest": ("rest", "休息"),
    "workload": ("workload", "工作量"), "consecutive": ("days in a row", "连续天数"),
    "succession": ("shift order", "班次衔接"), "pairs": ("pairs", "搭档"), "preferences": ("wishes", "意愿"),
    "fairness": ("fairness", "公平"),
}
"""Each rule's name as a reader sees it (the rule's id is for files and code)."""
