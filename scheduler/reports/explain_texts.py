"""The words of explanations (scheduler.solve.explain, scheduler.solve.explain_count), in English and Chinese, by
message code; part of the catalogue's TEXTS (scheduler.reports.catalogue_texts). Parameters: see
`scheduler.domain.messages`; {detail} is a headline's rendered detail clauses (scheduler.domain.explanation).
"""

from __future__ import annotations

EXPLAIN_TEXTS: dict[str, tuple[str, str]] = {
    "explain.separator": ("; ", "；"),
    "explain.need_each_one": ("{count} on each {each_shift} shift", "每个{each_shift} {count} 人"),
    "explain.need_each": ("{count} on each {each_shift} shift", "{each_shift}各 {count} 人"),
    "explain.need_meal": (
        "{count} on each {each_shift} shift, so that they can take turns to go home to eat",
        "{each_shift}各 {count} 人，以便轮流回家吃饭",
    ),
    "explain.need_up_to": ("up to {count} on each {each_shift} shift", "{each_shift}每班至多 {count} 人"),
    "explain.need_duty": ("{count} on each {place} duty", "{place}每次 {count} 人"),
    "explain.role_short_week": (
        "{role}: this week needs {needed|shift|shifts} ({detail}); the {people|person|people} with this role can "
        "work at most {most}. Add {extra|more person|more people} with this role, or lower the number needed on the "
        "{reduce_shift} shifts.",
        "{role}：本周需要 {needed} 个班次（{detail}），{people} 名{role}最多 {most} 个。再增加 {extra} 名{role}，"
        "或降低{reduce_shift}的{role}人数。",
    ),
    "explain.role_short_period": (
        "{role}: {days|day needs|days need} {needed|shift|shifts} ({detail}); the {people|person|people} with this "
        "role can work at most {most}. Add {extra|more person|more people} with this role, or lower the number "
        "needed on the {reduce_shift} shifts.",
        "{role}：这 {days} 天需要 {needed} 个班次（{detail}），{people} 名{role}最多 {most} 个。再增加 {extra} 名"
        "{role}，或降低{reduce_shift}的{role}人数。",
    ),
    "explain.role_nights_week": (
        "{role}: this week needs {needed|night shift|night shifts} ({detail}); the {people|person|people} with this "
        "role can work at most {most} of them. Add {extra|more person|more people} with this role who can work "
        "nights, or lower the number needed on the {reduce_shift} shifts.",
        "{role}：本周需要 {needed} 个夜班（{detail}），{people} 名{role}最多 {most} 个。再增加 {extra} 名能上夜班的"
        "{role}，或降低{reduce_shift}的{role}人数。",
    ),
    "explain.role_nights_period": (
        "{role}: {days|day needs|days need} {needed|night shift|night shifts} ({detail}); the "
        "{people|person|people} with this role can work at most {most} of them. Add {extra|more person|more people} "
        "with this role who can work nights, or lower the number needed on the {reduce_shift} shifts.",
        "{role}：这 {days} 天需要 {needed} 个夜班（{detail}），{people} 名{role}最多 {most} 个。再增加 {extra} 名"
        "能上夜班的{role}，或降低{reduce_shift}的{role}人数。",
    ),
    "explain.all_short_week": (
        "Everyone: this week needs {needed|shift|shifts} ({detail}); the {people|person|people} can work at most "
        "{most}. Add {extra|more person|more people}, or lower the number needed on the {reduce_shift} shifts.",
        "总人数：本周需要 {needed} 个班次（{detail}），{people} 人最多 {most} 个。再增加 {extra} 人，"
        "或降低{reduce_shift}的人数。",
    ),
    "explain.all_short_period": (
        "Everyone: {days|day needs|days need} {needed|shift|shifts} ({detail}); the {people|person|people} can work at "
        "most {most}. Add {extra|more person|more people}, or lower the number needed on the {reduce_shift} shifts.",
        "总人数：这 {days} 天需要 {needed} 个班次（{detail}），{people} 人最多 {most} 个。再增加 {extra} 人，"
        "或降低{reduce_shift}的人数。",
    ),
    "explain.all_nights_week": (
        "Everyone: this week needs {needed|night shift|night shifts} ({detail}); the {people|person|people} can work "
        "at most {most} of them. Add {extra|more person|more people} who can work nights, or lower the number needed "
        "on the {reduce_shift} shifts.",
        "总人数：本周需要 {needed} 个夜班（{detail}），{people} 人最多 {most} 个。再增加 {extra} 名能上夜班的人，"
        "或降低{reduce_shift}的人数。",
    ),
    "explain.all_nights_period": (
        "Everyone: {days|day needs|days need} {needed|night shift|night shifts} ({detail}); the {people|person|people} "
        "can work at most {most} of them. Add {extra|more person|more people} who can work nights, or lower the "
        "number needed on the {reduce_shift} shifts.",
        "总人数：这 {days} 天需要 {needed} 个夜班（{detail}），{people} 人最多 {most} 个。再增加 {extra} 名能上夜班"
        "的人，或降低{reduce_shift}的人数。",
    ),
    "explain.meal_rule_max_away": (
        "{place}, {each_shift} shift: at most {max_away} away at once cannot hold: {count} people need "
        "{break_length} minutes each within {window_length} minutes while {stay} stay ({meal}).",
        "{place}{each_shift}：“同时最多 {max_away} 人离开”无法做到：{count} 人每人要用 {break_length} 分钟，"
        "都须在{meal}的 {window_length} 分钟内，同时要有 {stay} 人留守。",
    ),
    "explain.meal_rule_max_away_fix": (
        "{place}, {each_shift} shift: at most {max_away} away at once cannot hold: {count} people need "
        "{break_length} minutes each within {window_length} minutes while {stay} stay ({meal}). {detail}",
        "{place}{each_shift}：“同时最多 {max_away} 人离开”无法做到：{count} 人每人要用 {break_length} 分钟，"
        "都须在{meal}的 {window_length} 分钟内，同时要有 {stay} 人留守。{detail}",
    ),
    "explain.meal_rule_scarce": (
        "{place}, {each_shift} shift: never two people as {role} away at once cannot hold: {count} of them need "
        "{break_length} minutes each within {window_length} minutes while {stay} stay ({meal}).",
        "{place}{each_shift}：“{role}不能两人同时离开”无法做到：{count} 名{role}每人要用 {break_length} 分钟，"
        "都须在{meal}的 {window_length} 分钟内，同时要有 {stay} 名留守。",
    ),
    "explain.meal_rule_scarce_fix": (
        "{place}, {each_shift} shift: never two people as {role} away at once cannot hold: {count} of them need "
        "{break_length} minutes each within {window_length} minutes while {stay} stay ({meal}). {detail}",
        "{place}{each_shift}：“{role}不能两人同时离开”无法做到：{count} 名{role}每人要用 {break_length} 分钟，"
        "都须在{meal}的 {window_length} 分钟内，同时要有 {stay} 名留守。{detail}",
    ),
    "explain.meal_rule_fix": (
        "The meal rule contradicts the coverage rules: allow more people away at once, widen the {meal} window or "
        "shorten the break; more people cannot help.",
        "用餐规则与人数要求互相矛盾：请允许更多人同时离开、放宽{meal}时间或缩短用餐时间；增加人手无济于事。",
    ),
    "explain.meal_rule_fix_scarce": (
        "The meal rule contradicts the coverage rules: let two people as {role} be away at once, widen the {meal} "
        "window or shorten the break; more people cannot help.",
        "用餐规则与人数要求互相矛盾：请允许两名{role}同时离开、放宽{meal}时间或缩短用餐时间；增加人手无济于事。",
    ),
    "explain.summary_count": (
        "No rota meets every hard rule: over the period the rules need more shifts than the people can work. The "
        "count gives the fewest extra people; it does not prove that they are enough.",
        "没有能满足所有硬性规则的排班：整个周期内规则需要的班次多于人员最多能上的班次。按人数计算得出的是至少要增加的"
        "人数，并不保证一定够。",
    ),
    "explain.summary_rule": (
        "No rota meets every hard rule: a meal rule contradicts the coverage rules, whatever the staffing.",
        "没有能满足所有硬性规则的排班：用餐规则与人数要求互相矛盾，再多人手也无法满足。",
    ),
    "explain.summary_both": (
        "No rota meets every hard rule: a meal rule contradicts the coverage rules, and over the period the rules "
        "need more shifts than the people can work. The count gives the fewest extra people; it does not prove that "
        "they are enough.",
        "没有能满足所有硬性规则的排班：用餐规则与人数要求互相矛盾，且整个周期内规则需要的班次多于人员最多能上的班次。"
        "按人数计算得出的是至少要增加的人数，并不保证一定够。",
    ),
    "explain.add_people": (
        "{extra|more person|more people} as {role} for the period",
        "本周期再增加 {extra} 名{role}",
    ),
    "explain.blocked_inactive": ("inactive", "已停用"),
    "explain.blocked_team_role": ("does not hold a role of this team", "没有该小组需要的角色"),
    "explain.blocked_nights": ("does not do night shifts", "不上夜班"),
    "explain.blocked_availability": ("outside their availability", "不在其可值班时间内"),
    "explain.blocked_away_plain": ("away", "请假"),
    "explain.blocked_away": ("away ({reason})", "请假（{reason}）"),
    "explain.blocked_banned": ("banned from this shift by the coordinator", "协调人已安排其不上此班"),
    "explain.blocked_counted": ("already counted there then", "当时已在该处计入"),
    "explain.blocked_other_role": ("already there then, in another role", "当时已在该处担任其他角色"),
    "explain.blocked_post": ("not assigned to {place}", "不在{place}的人员名单中"),
    "explain.blocked_never": ("never works shift {never_shift}", "从不上{never_shift}"),
    "explain.pin_no_shift": (
        "Pin of {person} on {place} {pin_shift} {day}: that shift does not run on that day.",
        "{person}被固定在{day}{place}{pin_shift}：那天没有这个班次。",
    ),
    "explain.pin_blocked": (
        "Pin of {person} on {slot} contradicts their situation: {reason}.",
        "{person}被固定在{slot}，与其情况矛盾：{reason}。",
    ),
    "explain.pin_inactive": (
        "Pin of {person} on {slot} contradicts their situation: inactive.",
        "{person}被固定在{slot}，与其情况矛盾：已停用。",
    ),
    "explain.pin_team_role": (
        "Pin of {person} on {slot} contradicts their situation: does not hold a role of this team.",
        "{person}被固定在{slot}，与其情况矛盾：没有该小组需要的角色。",
    ),
    "explain.pin_nights": (
        "Pin of {person} on {slot} contradicts their situation: does not do night shifts.",
        "{person}被固定在{slot}，与其情况矛盾：不上夜班。",
    ),
    "explain.pin_availability": (
        "Pin of {person} on {slot} contradicts their situation: outside their availability.",
        "{person}被固定在{slot}，与其情况矛盾：不在其可值班时间内。",
    ),
    "explain.pin_away_plain": (
        "Pin of {person} on {slot} contradicts their situation: away.",
        "{person}被固定在{slot}，与其情况矛盾：请假。",
    ),
    "explain.pin_away": (
        "Pin of {person} on {slot} contradicts their situation: away ({reason}).",
        "{person}被固定在{slot}，与其情况矛盾：请假（{reason}）。",
    ),
    "explain.pin_banned": (
        "Pin of {person} on {slot} contradicts their situation: banned from this shift by the coordinator.",
        "{person}被固定在{slot}，与其情况矛盾：协调人已安排其不上此班。",
    ),
    "explain.pin_post": (
        "Pin of {person} on {slot} contradicts their situation: not assigned to {place}.",
        "{person}被固定在{slot}，与其情况矛盾：不在{place}的人员名单中。",
    ),
    "explain.pin_never": (
        "Pin of {person} on {slot} contradicts their situation: never works shift {never_shift}.",
        "{person}被固定在{slot}，与其情况矛盾：从不上{never_shift}。",
    ),
    "explain.pin_role": (
        "Pin of {person} on {slot}: they do not hold the role {role}.",
        "{person}被固定在{slot}：此人没有“{role}”角色。",
    ),
    "explain.summary_static_gaps": (
        "No rota can meet every hard rule: {gaps} place(s) and time(s) have fewer qualified, available people "
        "than the rules need.",
        "没有能满足所有硬性规则的排班：{gaps} 处时段具备资格、能到岗的人少于规则要求。",
    ),
    "explain.summary_static_pins": (
        "No rota can meet every hard rule: {pins} pin(s) contradict the person's availability or roles.",
        "没有能满足所有硬性规则的排班：{pins} 个固定安排与当事人的可值班时间或角色矛盾。",
    ),
    "explain.summary_static_both": (
        "No rota can meet every hard rule: {gaps} place(s) and time(s) have fewer qualified, available people "
        "than the rules need; {pins} pin(s) contradict the person's availability or roles.",
        "没有能满足所有硬性规则的排班：{gaps} 处时段具备资格、能到岗的人少于规则要求；{pins} 个固定安排与当事人的"
        "可值班时间或角色矛盾。",
    ),
    "explain.short_static": (
        "{place}, {when}: {needed} needed{as_role}, {short} short (fewer qualified people exist).",
        "{place} {when}：需要 {needed} 人{as_role}，缺 {short} 人（具备资格的人不够）。",
    ),
    "explain.short_elastic": (
        "{place}, {when}: {needed} needed{as_role}, {short} short (fewer people can be there).",
        "{place} {when}：需要 {needed} 人{as_role}，缺 {short} 人（能到岗的人不够）。",
    ),
    "explain.short_no_shift": (
        "{place}, {when}: {needed} needed{as_role}, {short} short (no shift of the post runs then).",
        "{place} {when}：需要 {needed} 人{as_role}，缺 {short} 人（该岗位此时没有班次）。",
    ),
    "explain.shift_covering": (
        "a shift covering {place}, {when} (a shift given by its end time follows the clock across a clock change)",
        "增加一个覆盖{place} {when}的班次（按结束时间设定的班次在夏令时切换时跟随时钟）",
    ),
    "explain.more_for": (
        "{short|more person|more people}{as_role} for {place}, {when}",
        "{place} {when}再增加 {short} 人{as_role}",
    ),
    "explain.short_meal": (
        "{place}, {day} {window}: {on} on duty{as_role}, at least {needed} needed: not everyone can leave for "
        "{meal} ({short} short while someone is away, {when}); {extra|more person|more people} on the {duty} shift "
        "would fix it.",
        "{place} {day} {window}：在岗 {on} 人{as_role}，至少需要 {needed} 人：无法每人都离开去吃{meal}（有人离开时缺 "
        "{short} 人，{when}）；{duty}的班次再增加 {extra} 人即可。",
    ),
    "explain.short_meal_duty": (
        "{place}, {day} {window}: {on} on duty{as_role}, at least {needed} needed: not everyone can leave for "
        "{meal} ({short} short while someone is away, {when}); {extra|more person|more people} on that duty would "
        "fix it.",
        "{place} {day} {window}：在岗 {on} 人{as_role}，至少需要 {needed} 人：无法每人都离开去吃{meal}（有人离开时缺 "
        "{short} 人，{when}）；该小组再增加 {extra} 人即可。",
    ),
    "explain.more_meal": (
        "{extra|more person|more people}{as_role} on {slot}, to cover {meal}",
        "{slot}再增加 {extra} 人{as_role}，以便轮流吃{meal}",
    ),
    "explain.summary_elastic": (
        "No rota meets every hard rule. The closest rota is short of {person_minutes} in {count} place(s) and "
        "time(s); adding those people is the smallest change that makes a rota possible.",
        "没有能满足所有硬性规则的排班。最接近的排班在 {count} 处时段共缺 {person_minutes}；补上这些人手是能排出班的"
        "最小改动。",
    ),
    "explain.summary_elastic_unproven": (
        "No rota meets every hard rule. The closest rota found is short of {person_minutes} in {count} place(s) "
        "and time(s); adding those people is a small (not proven smallest) change that makes a rota possible.",
        "没有能满足所有硬性规则的排班。找到的最接近的排班在 {count} 处时段共缺 {person_minutes}；补上这些人手即可"
        "排出班（未证明是最小改动）。",
    ),
    "explain.summary_elastic_meals": (
        "No rota meets every hard rule. The closest rota is short of {person_minutes} in {count} place(s) and "
        "time(s); adding those people is the smallest change that makes a rota possible. Some shortages fall in "
        "meal windows: the people on duty cannot all go home to eat.",
        "没有能满足所有硬性规则的排班。最接近的排班在 {count} 处时段共缺 {person_minutes}；补上这些人手是能排出班的"
        "最小改动。有些缺口在用餐时段：在岗的人无法都回家吃饭。",
    ),
    "explain.summary_elastic_unproven_meals": (
        "No rota meets every hard rule. The closest rota found is short of {person_minutes} in {count} place(s) "
        "and time(s); adding those people is a small (not proven smallest) change that makes a rota possible. Some "
        "shortages fall in meal windows: the people on duty cannot all go home to eat.",
        "没有能满足所有硬性规则的排班。找到的最接近的排班在 {count} 处时段共缺 {person_minutes}；补上这些人手即可"
        "排出班（未证明是最小改动）。有些缺口在用餐时段：在岗的人无法都回家吃饭。",
    ),
    "explain.summary_unknown": (
        "No rota was found and the search ran out of time before it could tell why; try a longer time limit.",
        "没有找到排班，且在查明原因之前已到时限；请延长时限再试。",
    ),
    "explain.summary_rules": (
        "No rota meets every hard rule, even with extra people: rules contradict each other.",
        "即使增加人手也无法满足所有硬性规则：规则之间互相矛盾。",
    ),
    "explain.summary_rules_several": (
        "No rota meets every hard rule, even with extra people: rules contradict each other. No single rule "
        "family is to blame; several conflict at once.",
        "即使增加人手也无法满足所有硬性规则：规则之间互相矛盾。不是某一类规则单独造成的，而是几类规则同时冲突。",
    ),
    "explain.without_pins": (
        "Without the coordinator's pins, a rota exists: they conflict with the other rules.",
        "去掉协调人的固定安排就能排出班：它们与其他规则冲突。",
    ),
    "explain.without_pins_example": (
        "Without the coordinator's pins, a rota exists: they conflict with the other rules. "
        "For example, without them:",
        "去掉协调人的固定安排就能排出班：它们与其他规则冲突。例如去掉后：",
    ),
    "explain.without_workload": (
        "Without the hour and shift limits, a rota exists: they conflict with the other rules.",
        "去掉工时和班次上限就能排出班：它们与其他规则冲突。",
    ),
    "explain.without_workload_example": (
        "Without the hour and shift limits, a rota exists: they conflict with the other rules. "
        "For example, without them:",
        "去掉工时和班次上限就能排出班：它们与其他规则冲突。例如去掉后：",
    ),
    "explain.without_consecutive": (
        "Without the consecutive-day rules, a rota exists: they conflict with the other rules.",
        "去掉连续工作天数规则就能排出班：它们与其他规则冲突。",
    ),
    "explain.without_consecutive_example": (
        "Without the consecutive-day rules, a rota exists: they conflict with the other rules. "
        "For example, without them:",
        "去掉连续工作天数规则就能排出班：它们与其他规则冲突。例如去掉后：",
    ),
    "explain.without_rest": (
        "Without the rest-between-shifts rule, a rota exists: they conflict with the other rules.",
        "去掉班次间休息规则就能排出班：它们与其他规则冲突。",
    ),
    "explain.without_rest_example": (
        "Without the rest-between-shifts rule, a rota exists: they conflict with the other rules. "
        "For example, without them:",
        "去掉班次间休息规则就能排出班：它们与其他规则冲突。例如去掉后：",
    ),
    "explain.without_succession": (
        "Without the forbidden shift successions, a rota exists: they conflict with the other rules.",
        "去掉禁止的班次衔接就能排出班：它们与其他规则冲突。",
    ),
    "explain.without_succession_example": (
        "Without the forbidden shift successions, a rota exists: they conflict with the other rules. "
        "For example, without them:",
        "去掉禁止的班次衔接就能排出班：它们与其他规则冲突。例如去掉后：",
    ),
    "explain.without_pairs": (
        "Without the pairs who must be apart, a rota exists: they conflict with the other rules.",
        "去掉不能同时值班的人员组合就能排出班：它们与其他规则冲突。",
    ),
    "explain.without_pairs_example": (
        "Without the pairs who must be apart, a rota exists: they conflict with the other rules. "
        "For example, without them:",
        "去掉不能同时值班的人员组合就能排出班：它们与其他规则冲突。例如去掉后：",
    ),
    "explain.add_people_nights": (
        "{extra|more person|more people} as {role} who can work nights, for the period",
        "本周期再增加 {extra} 名能上夜班的{role}",
    ),
    "explain.add_anyone_nights": (
        "{extra|more person|more people} who can work nights, for the period",
        "本周期再增加 {extra} 名能上夜班的人",
    ),
    "explain.most_none": ("{person}: none of these shifts", "{person}：这些班次都不能上"),
    "explain.most_free": (
        "{person}: at most {most}, the shifts they may take one after another",
        "{person}：最多 {most} 个（其可上且能衔接的班次）",
    ),
    "explain.most_week_shifts": (
        "{person}: at most {most} (at most {limit} shifts a week)",
        "{person}：最多 {most} 个（每周最多 {limit} 个班次）",
    ),
    "explain.most_week_hours": (
        "{person}: at most {most} (at most {limit_minutes} a week)",
        "{person}：最多 {most} 个（每周最多 {limit_minutes}）",
    ),
    "explain.most_week_nights": (
        "{person}: at most {most} (at most {limit} nights a week)",
        "{person}：最多 {most} 个（每周最多 {limit} 个夜班）",
    ),
    "explain.most_total_hours": (
        "{person}: at most {most} (at most {limit_minutes} in all)",
        "{person}：最多 {most} 个（总共最多 {limit_minutes}）",
    ),
    "explain.most_consecutive": (
        "{person}: at most {most} (at most {limit} days in a row)",
        "{person}：最多 {most} 个（最多连续 {limit} 天）",
    ),
    "explain.fixes": ("What would fix it:", "解决办法："),
    "explain.add_anyone": ("{extra|more person|more people} for the period", "本周期再增加 {extra} 人"),
}
