"""Messages: Community set-up."""

from __future__ import annotations

from web.catalog import Message

_PAGES: dict[str, Message] = {
    "setup.title": Message("Community set-up", "社区设置"),
    "setup.general.title": Message("General settings", "基本设置"),
    "setup.roles.title": Message("Roles", "角色"),
    "setup.roles.add": Message("Add a role", "添加角色"),
    "setup.roles.edit": Message("Edit role {id}", "编辑角色 {id}"),
    "setup.roles.help": Message(
        "Roles people hold, e.g. volunteer or security officer. Rules and team duties count people by role.",
        "人员担任的角色，如志愿者、安保人员。值守规则和小组任务按角色计人数。",
    ),
    "setup.posts.title": Message("Posts and shifts", "岗位与班次"),
    "setup.posts.add": Message("Add a post", "添加岗位"),
    "setup.posts.edit": Message("Edit post {id}", "编辑岗位 {id}"),
    "setup.posts.help": Message(
        "Places that are staffed, each with the shifts worked there.",
        "需要值守的地点，以及各自的班次。",
    ),
    "setup.shifts": Message("Shifts", "班次"),
    "setup.shifts.add": Message("Add a shift", "添加班次"),
    "setup.shifts.add_at": Message("Add a shift at {post}", "为 {post} 添加班次"),
    "setup.shifts.edit": Message("Edit shift {id} at {post}", "编辑 {post} 的班次 {id}"),
    "setup.first_shift": Message("First shift (add more later)", "第一个班次（之后可再添加）"),
    "setup.coverage.title": Message("Coverage rules", "值守人数规则"),
    "setup.coverage.add": Message("Add a coverage rule", "添加值守规则"),
    "setup.coverage.edit": Message("Edit coverage rule", "编辑值守规则"),
    "setup.coverage.help": Message(
        "How many people a post needs, all day, in a time window, or on one of its shifts.",
        "岗位需要多少人：全天、某个时段或某个班次。",
    ),
    "setup.meals.title": Message("Meal breaks", "用餐轮换"),
    "setup.meals.add": Message("Add a meal rule", "添加用餐规则"),
    "setup.meals.edit": Message("Edit meal rule of {id}", "编辑 {id} 的用餐规则"),
    "setup.meals.help": Message(
        "Staggered meal breaks: people on duty go to eat in turns within the meal windows (one rule per post).",
        "错开用餐：值班人员在用餐时段内轮流用餐（每个岗位一条规则）。",
    ),
    "setup.successions.title": Message("Shifts that may not follow", "不可接连的班次"),
    "setup.successions.add": Message("Add a rule", "添加规则"),
    "setup.successions.edit": Message("Edit the rule", "编辑规则"),
    "setup.successions.help": Message(
        "A shift that may not be worked the day after another, e.g. no early shift the morning after a late one.",
        "某班次的次日不可接着上的班次，例如晚班后的次日不排早班。",
    ),
    "setup.successions.post": Message("At post", "岗位"),
    "setup.successions.any_post": Message("Any post", "所有岗位"),
    "setup.successions.first": Message("After the shift", "上完此班次后"),
    "setup.successions.then": Message("the next day no", "次日不可上"),
    "setup.successions.row": Message("{first} → not {then} the next day", "{first} → 次日不上 {then}"),
    "setup.duties.title": Message("Team duties", "小组任务"),
    "setup.duties.add": Message("Add a team duty", "添加小组任务"),
    "setup.duties.edit": Message("Edit team duty {id}", "编辑小组任务 {id}"),
    "setup.duties.help": Message(
        "Daily duties done by teams of exactly one person of each listed role.",
        "每天由小组完成的任务，每组由所列每个角色各一人组成。",
    ),
    "setup.manage": Message("Manage", "管理"),
    "setup.change": Message("Change", "修改"),
    "setup.edit": Message("Edit", "编辑"),
    "setup.delete": Message("Delete", "删除"),
    "setup.none": Message("None yet.", "暂无。"),
    "setup.saved": Message("Saved.", "已保存。"),
    "setup.deleted": Message("Deleted.", "已删除。"),
    "setup.not_deleted": Message("Not deleted. {reasons}", "未删除。{reasons}"),
    "setup.not_saved": Message("Not saved:", "未保存："),
    "setup.optional": Message("Optional.", "选填。"),
    "setup.choose": Message("Choose…", "请选择……"),
    "setup.yes": Message("Yes", "是"),
    "setup.no": Message("No", "否"),
    "setup.night_auto": Message("From the night window", "按夜间时段判断"),
    "setup.not_set": Message("Not set", "不设定"),
}

_FIELDS: dict[str, Message] = {
    "setup.id": Message("Id", "编号"),
    "setup.id_help": Message(
        "Short id without spaces, e.g. gate. Rules and people refer to it.",
        "不含空格的简短编号，如 gate，供规则和人员引用。",
    ),
    "setup.id_is": Message("id {id}", "编号 {id}"),
    "setup.name": Message("Name", "名称"),
    "setup.name_zh": Message("Chinese", "中文"),
    "setup.name_en": Message("English", "英文"),
    "setup.mark": Message("Mark", "标记"),
    "setup.mark_help": Message(
        "Up to 4 characters shown beside names on the rota, e.g. 安.",
        "排班表上姓名旁的标记，最多 4 个字，如“安”。",
    ),
    "setup.location": Message("Location", "地点"),
    "setup.shift_id": Message("Shift id", "班次编号"),
    "setup.shift_id_help": Message("Unique within the post, e.g. day.", "在本岗位内唯一，如 day。"),
    "setup.start": Message("Start", "开始时间"),
    "setup.clock_help": Message("24-hour clock, e.g. 08:00.", "24 小时制，如 08:00。"),
    "setup.hours": Message("Length in hours", "时长（小时）"),
    "setup.end": Message("Or end", "或结束时间"),
    "setup.end_help": Message(
        "Instead of a length: the clock time it ends, e.g. 07:00 (a night over a clock change is then an hour "
        "shorter or longer).",
        "可不填时长，改填结束时间，如 07:00（遇夏令时切换时，该夜班会短或长一小时）。",
    ),
    "setup.days": Message("Weekdays", "星期"),
    "setup.night": Message("Night shift", "夜班"),
    "setup.post": Message("Post", "岗位"),
    "setup.place": Message("Post or team duty", "岗位或小组任务"),
    "setup.when": Message("When", "时间"),
    "setup.when_help": Message(
        "A daily window, or one shift, or neither for the whole day.",
        "每日时段，或某个班次；都不填表示全天。",
    ),
    "setup.window_start": Message("From", "从"),
    "setup.window_end": Message("To", "到"),
    "setup.shift": Message("Shift", "班次"),
    "setup.no_shift": Message("No shift", "不指定班次"),
    "setup.shift_help": Message("A shift of the chosen post.", "须为所选岗位的班次。"),
    "setup.role": Message("Role", "角色"),
    "setup.min": Message("At least (people)", "最少人数"),
    "setup.max": Message("At most (people)", "最多人数"),
    "setup.min_cost": Message("Cost of a missing person", "缺一人的代价"),
    "setup.min_cost_help": Message(
        "Empty: the minimum is a hard rule. A number makes it soft.",
        "留空表示最少人数为硬性规则；填数字则为软性。",
    ),
    "setup.max_cost": Message("Cost of an extra person", "多一人的代价"),
    "setup.max_cost_help": Message("Empty: the maximum is a hard rule.", "留空表示最多人数为硬性规则。"),
    "setup.dates": Message("Only on dates", "仅限日期"),
    "setup.dates_help": Message(
        "Optional: dates such as 2026-12-24, separated by commas.",
        "选填：如 2026-12-24，多个日期用逗号分隔。",
    ),
    "setup.rule_name": Message("Rule name", "规则名称"),
    "setup.rule_name_help": Message("Optional: shown in penalties and explanations.", "选填：用于代价和说明中。"),
    "setup.meal_windows": Message("Meal windows", "用餐时段"),
    "setup.meal_windows_help": Message(
        "Each break lies within a window. Leave a row empty to skip it; save to get another empty row.",
        "休息须在时段之内。空行不计；保存后会再多一个空行。",
    ),
    "setup.meal_shifts": Message("Shifts that get a break", "享有用餐休息的班次"),
    "setup.meal_shifts_help": Message(
        "None ticked: every shift (or the duty) that contains a whole window.",
        "都不勾选：凡完整包含用餐时段的班次（或任务）。",
    ),
    "setup.break_minutes": Message("Break length (minutes)", "用餐时长（分钟）"),
    "setup.break_minutes_help": Message(
        "Unless a person has their own length.", "个人另有设置时以个人为准。"
    ),
    "setup.grid_minutes": Message("Breaks start every (minutes)", "休息开始间隔（分钟）"),
    "setup.grid_minutes_help": Message("From the window's start.", "从时段开始计。"),
    "setup.max_away": Message("At most away at once", "同时离岗最多人数"),
    "setup.max_away_help": Message("Empty: no limit.", "留空表示不限。"),
    "setup.scarce_roles": Message("Scarce roles", "稀缺角色"),
    "setup.scarce_roles_help": Message(
        "Never two people filling one of these roles on a break at once.",
        "担任这些角色的人不会两人同时休息。",
    ),
    "setup.middle_cost": Message("Cost per step from the middle", "偏离中间的代价（每格）"),
    "setup.middle_cost_help": Message("0: no preference for the middle.", "0 表示不偏好中间时段。"),
    "setup.late_cost": Message("Cost of a late slot", "最晚时段的代价"),
    "setup.late_cost_help": Message(
        "Per break in the latest slot beyond a person's first.",
        "同一人第二次起排在最晚时段时，每次的代价。",
    ),
    "setup.team_roles": Message("Team: one person of each role", "小组组成：每个角色各一人"),
    "setup.team_roles_help": Message(
        "Tick each role a team needs exactly one of.", "勾选每组需要各一人的角色。"
    ),
    "setup.teams": Message("Teams per day", "每天小组数"),
    "setup.community_name": Message("Community name", "社区名称"),
    "setup.timezone": Message("Time zone", "时区"),
    "setup.timezone_help": Message("An IANA name, e.g. Asia/Shanghai.", "IANA 时区名，如 Asia/Shanghai。"),
    "setup.night_window": Message("Night", "夜间时段"),
    "setup.night_window_help": Message(
        "A shift overlapping this window is a night shift.", "与此时段重叠的班次算作夜班。"
    ),
    "setup.coordinator": Message("Coordinator contact", "协调员联系方式"),
    "setup.coordinator_help": Message("Name and phone, shown in calendars.", "姓名和电话，显示在日历中。"),
    "setup.language": Message("Language of the print-outs", "打印排班表的语言"),
    "setup.language_help": Message(
        "The printed weekly rota and its phone images use it, whoever prints them; a person's calendar follows the "
        "language chosen for that person.",
        "打印的周排班表和手机图片都用这种语言，与谁打印无关；个人日历用为本人选定的语言。",
    ),
    "setup.default_limits": Message("Default limits", "默认限制"),
    "setup.default_limits_help": Message(
        "For everyone, unless their role or they themselves have their own. Empty: no limit.",
        "适用于所有人，角色或个人另有设置者除外。留空表示不限。",
    ),
    "setup.role_limits": Message("Limits of this role", "此角色的限制"),
    "setup.role_limits_help": Message(
        "For everyone holding this role, unless a person has their own; someone with several roles gets the "
        "strictest. Empty: the community default.",
        "适用于担任此角色的所有人，个人另有设置者除外；身兼多个角色者取最严格的值。留空则用社区默认值。",
    ),
    "setup.limit_is": Message("{limit}: {value}", "{limit}：{value}"),
    "setup.limit.max_hours_per_week": Message("Max hours per week", "每周最多小时数"),
    "setup.limit.max_shifts_per_week": Message("Max shifts per week", "每周最多班次"),
    "setup.limit.min_hours_total": Message("Min hours in the period", "周期内最少小时数"),
    "setup.limit.max_hours_total": Message("Max hours in the period", "周期内最多小时数"),
    "setup.limit.max_consecutive_days": Message("Max working days in a row", "最多连续工作天数"),
    "setup.limit.min_consecutive_days": Message("Min working days in a row", "最少连续工作天数"),
    "setup.limit.min_consecutive_days_off": Message("Min days off in a row", "最少连续休息天数"),
    "setup.limit.min_rest_hours": Message("Min rest between shifts (hours)", "两班之间最少休息（小时）"),
    "setup.limit.max_nights_per_week": Message("Max nights per week", "每周最多夜班"),
    "setup.limit.max_weekends": Message("Max weekends in the period", "周期内最多周末数"),
    "setup.limit.nights_allowed": Message("Night shifts allowed", "可排夜班"),
    "setup.lead": Message("Leads the shift", "带班（每班联系人）"),
    "setup.lead_help": Message(
        "The printed rota names whoever holds this role as the one to call on the shift.",
        "打印的排班表会把担任此角色的人标为该班次的联系人。",
    ),
    "setup.pairs.title": Message("Pairs of people", "人员搭配"),
    "setup.pairs.help": Message(
        "Two people who must never be on duty at the same time (say, two parents of one child), or who should "
        "work together (a newcomer with an experienced member).",
        "两人绝不同时在岗（例如同一孩子的父母），或宜同班（例如新人与有经验的人）。",
    ),
    "setup.pairs.add": Message("Add a pair", "添加搭配"),
    "setup.pairs.kind": Message("Rule", "规则"),
    "setup.pairs.kind.apart": Message("Never on duty at the same time", "绝不同时在岗"),
    "setup.pairs.kind.together": Message("Should work together", "宜同班"),
    "setup.pairs.first": Message("Person", "人员"),
    "setup.pairs.then": Message("and", "与"),
    "setup.pairs.weight": Message("Cost per shift apart", "每次未同班的代价"),
    "setup.pairs.weight_help": Message(
        "Only for 'should work together': each shift the first works without the second costs this.",
        "仅用于“宜同班”：前者每个没有后者同班的班次计此代价。",
    ),
    "setup.pairs.row.apart": Message(
        "{first} and {then}: never on duty at the same time", "{first} 与 {then}：绝不同时在岗"
    ),
    "setup.pairs.row.together": Message("{first} with {then}: should work together", "{first} 与 {then}：宜同班"),
    "setup.pairs.weight_is": Message("cost {weight} per shift apart", "每次未同班代价 {weight}"),
    "setup.pairs.exists": Message("These two already have a rule: delete it first.", "这两人已有规则，请先删除。"),
    "setup.weights": Message("What matters more", "各目标的权重"),
    "setup.weights_help": Message(
        "Whole numbers, 0 or more: how much each goal counts when no rota meets them all. 0 ignores the goal. "
        "Missing staff costs what each staffing rule says.",
        "0 或正整数：无法兼顾时各目标的分量，0 表示不考虑。缺人的代价由各人员配置规则设定。",
    ),
    "setup.weight.staffing": Message("No one called out unneeded", "不多叫人"),
    "setup.weight.staffing_help": Message(
        "Cost per person-hour on duty at a post. Keep it above the fairness weights (an unneeded 8-hour shift then "
        "costs more than any fairness it could buy) and below the cost per person-hour short of the staffing rules "
        "that should call people out.",
        "岗位上每人每小时的代价。应高于均衡各项的权重（这样多叫一个 8 小时班的代价高于它能换来的均衡），并低于"
        "需要叫人补足的人员配置规则每缺一人时的代价。",
    ),
    "setup.weight.fairness_hours": Message("Even hours", "工时均衡"),
    "setup.weight.fairness_hours_help": Message(
        "Cost per hour a person's total is above their fair share.", "每人总工时超出其应得份额，每小时的代价。"
    ),
    "setup.weight.fairness_nights": Message("Even night shifts", "夜班均衡"),
    "setup.weight.fairness_nights_help": Message(
        "Cost per night shift above the fair share.", "夜班数超出应得份额，每个夜班的代价。"
    ),
    "setup.weight.fairness_weekends": Message("Even weekend shifts", "周末班均衡"),
    "setup.weight.fairness_weekends_help": Message(
        "Cost per weekend shift above the fair share.", "周末班数超出应得份额，每个班次的代价。"
    ),
    "setup.weight.fairness_weeks": Message("Weeks of past service counted", "计入均衡的往期周数"),
    "setup.weight.fairness_weeks_help": Message(
        "Fairness also counts what people served in this many weeks before (the service record): who served more "
        "recently gets less this week. 0 compares this week alone.",
        "均衡时也计入此前这么多周的服务记录：最近服务多的人本周少排。0 表示只比较本周。",
    ),
    "setup.weight.preferences": Message("People's wishes", "个人意愿"),
    "setup.weight.preferences_help": Message(
        "Multiplies the weight of every wish (a shift wanted or not wanted).",
        "乘以每条意愿（想上或不想上某班）的权重。",
    ),
}

_SUMMARIES: dict[str, Message] = {
    "setup.every_day": Message("every day", "每天"),
    "setup.all_day": Message("all day", "全天"),
    "setup.on_shift": Message("shift {shift}", "班次 {shift}"),
    "setup.anyone": Message("anyone", "任何人"),
    "setup.count_min": Message("at least {min}", "至少 {min} 人"),
    "setup.count_range": Message("{min} to {max}", "{min} 至 {max} 人"),
    "setup.hard": Message("hard rule", "硬性规则"),
    "setup.soft": Message("soft, cost {cost}", "软性，代价 {cost}"),
    "setup.break_summary": Message(
        "{minutes} min breaks, starting every {grid} min",
        "用餐 {minutes} 分钟，每 {grid} 分钟可开始",
    ),
    "setup.all_shifts": Message("every shift containing a window", "所有包含用餐时段的班次"),
    "setup.for_shifts": Message("shifts {shifts}", "班次 {shifts}"),
    "setup.max_away_is": Message("at most {n} away at once", "同时最多 {n} 人离岗"),
    "setup.scarce_are": Message("scarce: {roles}", "稀缺角色：{roles}"),
    "setup.team_is": Message("{teams} × team of {team}", "{teams} 组，每组：{team}"),
}

_ERRORS: dict[str, Message] = {
    "setup.problem": Message("{who}: {what}", "{who}：{what}"),
    "setup.unknown.role": Message("uses the role “{id}”, which does not exist", "使用了不存在的角色“{id}”"),
    "setup.unknown.post": Message("uses the post “{id}”, which does not exist", "使用了不存在的岗位“{id}”"),
    "setup.unknown.place": Message(
        "uses the post or duty “{id}”, which does not exist",
        "使用了不存在的岗位或任务“{id}”",
    ),
    "setup.unknown.shift": Message("uses the shift “{id}”, which does not exist", "使用了不存在的班次“{id}”"),
    "setup.unknown.shift_at": Message(
        "uses the shift “{id}”, which the post “{post}” does not have",
        "使用了岗位“{post}”没有的班次“{id}”",
    ),
    "setup.unknown.person": Message("names the person “{id}”, who does not exist", "引用了不存在的人员“{id}”"),
    "setup.duplicate": Message("the id “{id}” is already used", "编号“{id}”已被使用"),
    "setup.duplicate_shift": Message("This post already has a shift with this id.", "本岗位已有此编号的班次。"),
    "setup.nothing_to_staff": Message(
        "a community needs at least one post or team duty", "社区至少需要一个岗位或小组任务"
    ),
    "setup.meal_twice": Message("“{id}” already has a meal rule", "“{id}”已有用餐规则"),
    "setup.duty_no_shifts": Message("“{id}” is a team duty, which has no shifts", "“{id}”是小组任务，没有班次"),
    "setup.meal_too_short": Message(
        "their own {minutes}-minute meal break does not fit the window {window}",
        "其个人 {minutes} 分钟的用餐时长超出时段 {window}",
    ),
    "setup.scenario_invalid": Message("{error}", "{error}"),
    "setup.id_in_use": Message(
        "“{id}” is still in use, so its id cannot change (see above).",
        "“{id}”仍在使用中，编号不能修改（见上）。",
    ),
    "setup.id_invalid": Message(
        "Use letters, digits and dashes; no spaces, colons, commas or slashes.",
        "不能包含空格、冒号、逗号或斜杠。",
    ),
    "setup.choose_one": Message("Choose at least one.", "请至少选择一项。"),
    "setup.date_invalid": Message("Write dates as 2026-12-24.", "日期格式如 2026-12-24。"),
    "setup.clock_invalid": Message(
        "Write a time such as 07:30 (00:00 to 24:00).",
        "时间格式如 07:30（00:00 至 24:00）。",
    ),
    "setup.whole_minutes": Message("Use whole minutes, e.g. 8 or 7.5.", "须为整分钟，如 8 或 7.5。"),
    "setup.window_empty": Message("The end equals the start.", "结束时间与开始时间相同。"),
    "setup.window_order": Message(
        "A meal window ends after it starts, on the same day.",
        "用餐时段须在同一天内，结束晚于开始。",
    ),
    "setup.windows_overlap": Message("Two meal windows overlap.", "两个用餐时段重叠。"),
    "setup.break_too_long": Message("The break does not fit in every meal window.", "用餐时长超出了某个用餐时段。"),
    "setup.window_or_shift": Message("Give a time window or a shift, not both.", "时段与班次只能选一个。"),
    "setup.hours_or_end": Message(
        "Give the length in hours or the end time, one of the two.", "请填写时长或结束时间，二者选一。"
    ),
    "setup.end_equals_start": Message(
        "The end equals the start; for a 24-hour shift give a length of 24.",
        "结束时间与开始时间相同；24 小时班次请填时长 24。",
    ),
    "setup.max_below_min": Message("Must not be below the minimum.", "不能小于最少人数。"),
    "setup.max_cost_needs_max": Message("A cost for extra people needs a maximum.", "设置多一人的代价须先填最多人数。"),
    "setup.timezone_invalid": Message(
        "Unknown time zone; use a name such as Asia/Shanghai.",
        "未知时区，请用如 Asia/Shanghai 的名称。",
    ),
    "setup.listed_twice": Message("Listed twice.", "重复选择。"),
    "setup.last_role": Message("A community needs at least one role.", "社区至少需要一个角色。"),
    "setup.last_shift": Message(
        "A post needs at least one shift: delete the post instead.",
        "岗位至少需要一个班次；可改为删除该岗位。",
    ),
}

_WHO: dict[str, Message] = {
    "setup.who.person": Message("{name} ({id})", "{name}（{id}）"),
    "setup.who.coverage": Message("Coverage rule {n} ({label})", "值守规则 {n}（{label}）"),
    "setup.who.duty": Message("Team duty {id}", "小组任务 {id}"),
    "setup.who.meal": Message("Meal rule of {post}", "{post} 的用餐规则"),
    "setup.who.succession": Message("Succession {first} → {then}", "班次衔接 {first} → {then}"),
    "setup.who.pin": Message("Pinned shift of {person} on {date}", "{person} 在 {date} 的固定排班"),
    "setup.who.ban": Message("Ban of {person} on {date}", "{person} 在 {date} 的禁排"),
    "setup.who.pair": Message("Pair {first} and {then}", "搭配 {first} 与 {then}"),
    "setup.who.history": Message("Past shift of {person}", "{person} 的历史班次"),
    "setup.who.roles": Message("Roles", "角色"),
    "setup.who.places": Message("Posts and duties", "岗位与任务"),
    "setup.who.scenario": Message("With the community's people", "结合社区人员"),
}

_BANS: dict[str, Message] = {
    "setup.bans.title": Message("Kept off a shift", "禁排"),
    "setup.bans.help": Message(
        "Keep a person off a post, or off one of its shifts, on one date: they will not be scheduled there that "
        "day, and the rest of the rota is made as usual. For a whole day off, add an absence on the person's "
        "availability page instead.",
        "在某一天不把某人排到某个岗位（或其某个班次），其余照常排班。如需整天不排班，请在此人的“可排班时间”"
        "页面添加请假。",
    ),
    "setup.bans.add": Message("Keep someone off", "添加禁排"),
    "setup.bans.person": Message("Person", "人员"),
    "setup.bans.date": Message("Date", "日期"),
    "setup.bans.place": Message("Post or team duty", "岗位或小组任务"),
    "setup.bans.shift": Message("Shift", "班次"),
    "setup.bans.every_shift": Message("every shift", "所有班次"),
    "setup.bans.shift_help": Message(
        "Leave “every shift” to keep them off the whole post that day. A team duty has no shifts.",
        "选“所有班次”表示当天整个岗位都不排此人。小组任务没有班次。",
    ),
    "setup.bans.past": Message(
        "Past dates: kept for the record, they no longer change any rota.",
        "已过去的日期：仅作记录，不再影响排班。",
    ),
    "setup.bans.exists": Message("This person is already kept off there that day.", "此人当天已在此禁排。"),
    "setup.bans.pinned": Message(
        "This person is pinned there that day: remove the pin first.", "此人当天已被固定排在这里，请先取消固定排班。"
    ),
}

MESSAGES: dict[str, Message] = {**_PAGES, **_FIELDS, **_SUMMARIES, **_ERRORS, **_WHO, **_BANS}
