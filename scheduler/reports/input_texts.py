"""The words for a scenario or rota file the engine refuses, in English and Chinese (rendered by
`scheduler.reports.catalogue`). `{field}` is the field's path as the file writes it; `{problem}` is the English
detail, shown where no Chinese words exist for it (a rule's own check of the file). The command line shows a
refused file's problems in the validator's own English words, and these texts in any other language."""

from __future__ import annotations

INPUT_TEXTS: dict[str, tuple[str, str]] = {
    "input.not_found": ("file not found", "找不到文件"),
    "input.unreadable": ("cannot read the file: {problem}", "无法读取文件：{problem}"),
    "input.too_large": (
        "the file is larger than {mb} MB, the limit (rota's --max-file-mb raises it)",
        "文件超过 {mb} MB 的上限（可用 --max-file-mb 调高）",
    ),
    "input.empty": ("the file is empty", "文件是空的"),
    "input.nested": ("the file is nested too deeply", "文件嵌套层数过多"),
    "input.json": (
        "line {line}, column {column}: invalid JSON: {problem}",
        "第 {line} 行第 {column} 列：JSON 格式有误（{problem}）",
    ),
    "input.yaml": (
        "line {line}, column {column}: invalid YAML: {problem}",
        "第 {line} 行第 {column} 列：YAML 格式有误（{problem}）",
    ),
    "input.yaml_anywhere": ("invalid YAML: {problem}", "YAML 格式有误（{problem}）"),
    "input.yaml_cycle": ("the YAML contains itself through an alias", "YAML 通过别名引用了自身"),
    "input.yaml_nodes": (
        "the YAML expands to more than {limit} nodes (aliases repeated?)",
        "YAML 展开后超过 {limit} 个节点（别名重复使用？）",
    ),
    "input.yaml_aliases": (
        "the YAML's aliases add {count} nodes, more than the limit of {limit}",
        "YAML 的别名增加了 {count} 个节点，超过 {limit} 的上限",
    ),
    "input.top_level": ("expected a mapping of fields at the top level", "文件最外层应为字段映射"),
    "input.limit": ("{problem}", "超出上限：{problem}"),
    "input.text": ("{problem}", "{problem}"),
    "input.field": ("{field}: {problem}", "{field}：{problem}"),
    "input.missing": ("{field}: required", "{field}：必填"),
    "input.unknown_field": ("{field}: no such field (a typo?)", "{field}：没有这个字段（拼写有误？）"),
    "input.not_whole": ("{field}: should be a whole number", "{field}：应为整数"),
    "input.not_number": ("{field}: should be a number", "{field}：应为数字"),
    "input.too_long": ("{field}: at most {bound} characters", "{field}：最多 {bound} 个字符"),
    "input.too_short": ("{field}: at least {bound} characters", "{field}：至少 {bound} 个字符"),
    "input.too_many": ("{field}: at most {bound} items", "{field}：最多 {bound} 项"),
    "input.too_few": ("{field}: at least {bound} items", "{field}：至少 {bound} 项"),
    "input.at_least": ("{field}: at least {bound}", "{field}：不能小于 {bound}"),
    "input.more_than": ("{field}: more than {bound}", "{field}：应大于 {bound}"),
    "input.at_most": ("{field}: at most {bound}", "{field}：不能大于 {bound}"),
    "input.less_than": ("{field}: less than {bound}", "{field}：应小于 {bound}"),
    "input.not_date": ("{field}: should be a date (YYYY-MM-DD)", "{field}：应为日期（YYYY-MM-DD）"),
    "input.not_yes_no": ("{field}: should be true or false", "{field}：应为 true 或 false"),
    "input.not_a_choice": ("{field}: one of {bound}", "{field}：只能是 {bound}"),
    "input.not_text": ("{field}: should be text", "{field}：应为文字"),
    "input.not_list": ("{field}: should be a list", "{field}：应为列表"),
    "input.not_mapping": ("{field}: should be a mapping of fields", "{field}：应为字段映射"),
    "input.pattern": ("{field}: not in the expected form", "{field}：格式不符"),
}

RULE_TEXTS: dict[str, tuple[str, str]] = {
    # a field refused by its own rule ({field} is where)
    "input.weekday_twice": ("{field}: a weekday is listed twice", "{field}：某个星期几重复出现"),
    "input.clock_number": (
        "{field}: expected a clock time such as '07:30' in quotes, got the number {value}",
        "{field}：时间要加引号写，如 '07:30'，而不是数字 {value}",
    ),
    "input.clock_form": (
        "{field}: expected a clock time such as '07:30', got {value}",
        "{field}：应为时间，如 '07:30'，而不是 {value}",
    ),
    "input.clock_minutes": ("{field}: minutes must be below 60 in {value}", "{field}：{value} 中的分钟应小于 60"),
    "input.clock_range": (
        "{field}: clock time must be between 00:00 and 24:00, got {value}",
        "{field}：时间应在 00:00 到 24:00 之间，而不是 {value}",
    ),
    "input.shift_whole_minutes": (
        "{field}: shift length must be a whole number of minutes",
        "{field}：班次时长应为整数分钟",
    ),
    "input.shift_length_missing": (
        "{field}: give the shift's 'hours' (its length) or its 'end' (clock time)",
        "{field}：请写出班次的 hours（时长）或 end（结束时间）",
    ),
    "input.shift_length_both": ("{field}: give either 'hours' or 'end', not both", "{field}：hours 和 end 只能写一个"),
    "input.shift_end_is_start": (
        "{field}: 'end' equals 'start': for a 24-hour shift give 'hours: 24'",
        "{field}：end 与 start 相同；24 小时的班次请写 hours: 24",
    ),
    "input.shift_id_twice": (
        "{field}: shift id {id} is used twice in this post",
        "{field}：班次编号 {id} 在该岗位重复使用",
    ),
    "input.window_empty": ("{field}: window is empty: start equals end", "{field}：时段为空，开始与结束相同"),
    "input.window_or_shift": (
        "{field}: give either 'window' or 'shift', not both",
        "{field}：window 和 shift 只能写一个",
    ),
    "input.max_below_min": ("{field}: max ({max}) is below min ({min})", "{field}：max（{max}）小于 min（{min}）"),
    "input.max_cost_needs_max": ("{field}: max_cost needs a max", "{field}：写了 max_cost 就要写 max"),
    "input.team_role_twice": (
        "{field}: a role is listed twice; a team has exactly one person per role",
        "{field}：角色重复；每个小组每种角色只有一人",
    ),
    "input.meal_window_order": (
        "{field}: a meal window ends after it starts, on the same day", "{field}：用餐时段须在同一天内，且结束晚于开始",
    ),
    "input.break_does_not_fit": (
        "{field}: a {length}-minute break does not fit in the window {window}",
        "{field}：{length} 分钟的用餐放不进时段 {window}",
    ),
    "input.meal_windows_overlap": (
        "{field}: meal windows {window_a} and {window_b} overlap", "{field}：用餐时段 {window_a} 和 {window_b} 重叠",
    ),
    "input.until_before_date": (
        "{field}: 'until' ({until}) is before 'date' ({date})",
        "{field}：until（{until}）早于 date（{date}）",
    ),
    "input.absence_times": (
        "{field}: give both 'start' and 'end', or neither for the whole day",
        "{field}：start 和 end 要么都写，要么都不写（全天）",
    ),
    "input.absence_order": (
        "{field}: 'end' must be after 'start' (split an absence across midnight into two)",
        "{field}：end 须晚于 start（跨午夜的请假请分成两条）",
    ),
    "input.wish_kind": (
        "{field}: give exactly one of: 'date' (optionally with 'shift'), 'weekday', 'nights'",
        "{field}：date（可加 shift）、weekday、nights 三者只能写一个",
    ),
    "input.wish_shift_needs_date": ("{field}: 'shift' needs a 'date'", "{field}：写了 shift 就要写 date"),
    "input.wish_post_needs_shift": ("{field}: 'post' goes with 'shift'", "{field}：post 要和 shift 一起写"),
    "input.pair_two_people": ("{field}: a pair needs two different people", "{field}：一对须是两个不同的人"),
    "input.history_offsets": (
        "{field}: give an offset on both 'start' and 'end', or on neither",
        "{field}：start 和 end 要么都带时区偏移，要么都不带",
    ),
    "input.end_after_start": ("{field}: 'end' must be after 'start'", "{field}：end 须晚于 start"),
    "input.post_or_duty": (
        "{field}: an assignment has either a post or a duty",
        "{field}：一条安排只能有岗位或值勤任务之一",
    ),
    "input.needs_offset": ("{field}: start and end need a UTC offset", "{field}：start 和 end 须带 UTC 偏移"),
    "input.unknown_zone": (
        "{field}: unknown time zone {name} (use an IANA name such as 'Asia/Shanghai')",
        "{field}：未知时区 {name}（请用 IANA 名称，如 'Asia/Shanghai'）",
    ),
    # the whole scenario's references ({where} is where)
    "input.nothing_to_staff": (
        "the scenario has no posts and no team duties: there is nothing to staff",
        "设置中没有岗位，也没有值勤任务：没有需要排班的地方",
    ),
    "input.id_twice_role": ("role id {id} is used twice", "角色编号 {id} 重复使用"),
    "input.id_twice_place": ("post or duty id {id} is used twice", "岗位或值勤任务编号 {id} 重复使用"),
    "input.id_twice_person": ("person id {id} is used twice", "人员编号 {id} 重复使用"),
    "input.unknown_role": ("{where}: unknown role {value}", "{where}：没有角色 {value}"),
    "input.unknown_post": ("{where}: unknown post {value}", "{where}：没有岗位 {value}"),
    "input.unknown_shift": ("{where}: unknown shift {value}", "{where}：没有班次 {value}"),
    "input.unknown_person": ("{where}: unknown person {value}", "{where}：没有人员 {value}"),
    "input.unknown_place": ("{where}: unknown post or duty {value}", "{where}：没有岗位或值勤任务 {value}"),
    "input.outside_period": (
        "{where}: {date} is outside the period {period_from}–{period_to}",
        "{where}：{date} 不在排班期 {period_from}–{period_to} 内",
    ),
    "input.pin_needs_shift": ("{where}: a pin on a post needs a shift", "{where}：固定到岗位的安排须写班次"),
    "input.duty_has_no_shifts": (
        "{where}: {duty} is a team duty, which has no shifts",
        "{where}：{duty} 是值勤任务，没有班次",
    ),
    "input.meal_rule_twice": (
        "{where}: {place_id} already has a meal rule (one rule per post)",
        "{where}：{place_id} 已有用餐规则（每个岗位一条）",
    ),
    "input.person_break_does_not_fit": (
        "{where}: a {length}-minute break does not fit in {rule}'s window {window} at {place_id}",
        "{where}：{length} 分钟的用餐放不进 {rule} 在 {place_id} 的时段 {window}",
    ),
}
