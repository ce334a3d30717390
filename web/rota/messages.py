"""Messages: Rota view, adjust, publish."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "rota.title": Message("Rota", "排班表"),
    "rota.week_title": Message("Rota for the week of {date}", "{date} 起的一周排班"),
    "rota.choose": Message("Week starting", "起始日期"),
    "rota.open": Message("Open", "打开"),
    "rota.weeks": Message("Weeks with a rota", "已有排班的周"),
    "rota.no_weeks": Message("No drafts or published rotas yet.", "还没有草稿或已发布的排班。"),
    "rota.draft_badge": Message("draft", "草稿"),
    "rota.versions_badge": Message("{n} published", "已发布 {n} 版"),
    "rota.nothing": Message(
        "No rota for this week yet. Generate one, then choose \"Use this rota\" on the result.",
        "本周还没有排班。请先生成排班，再在结果页选择“使用此排班”。",
    ),
    "rota.generate": Message("Generate a rota", "生成排班"),
    "rota.latest_job": Message(
        "The latest solve for this week found no complete rota.", "本周最近一次计算未找到完整排班。"
    ),
    "rota.job_link": Message("Solve #{n}", "计算 #{n}"),
    "rota.draft": Message("Draft", "草稿"),
    "rota.draft_from": Message("From solve #{n}; last change by {who}.", "来自计算 #{n}；最后修改：{who}。"),
    "rota.has_violations": Message(
        "Warning: this draft breaks {n} hard rule(s). It was saved anyway.",
        "警告：本草稿违反 {n} 条硬性规则（已强行保存）。",
    ),
    "rota.valid": Message("This draft keeps every hard rule.", "本草稿满足所有硬性规则。"),
    "rota.cost": Message("Total cost {cost}", "总代价 {cost}"),
    "rota.use": Message("Use this rota", "使用此排班"),
    "rota.use_help": Message(
        "Makes it the week's draft (replacing the current draft).", "设为本周草稿（替换现有草稿）。"
    ),
    "rota.drafted": Message("The rota is now the draft of the week.", "已设为本周草稿。"),
    "rota.drafted_from_version": Message(
        "Version {n} is now the draft of the week: adjust it, then publish it as the next version.",
        "第 {n} 版已设为本周草稿：调整后可发布为新版本。",
    ),
    "rota.edit_version": Message("Edit as the week's draft", "以此版本为草稿修改"),
    "rota.edit_version_help": Message(
        "Replaces the week's current draft, if any. This version itself never changes.",
        "将替换本周现有草稿（如有）。此版本本身不会改变。",
    ),
    "rota.problem.no_snapshot": Message(
        "This version was published without its rules, so it cannot be checked as a draft.",
        "此版本发布时未保存规则，无法作为草稿检查。",
    ),
    "rota.by_post": Message("By post", "按岗位"),
    "rota.by_person": Message("By person", "按人员"),
    "rota.fairness": Message("Fairness", "公平性"),
    "rota.views": Message("Views of the week", "本周视图"),
    "rota.people_tab": Message("By person and fairness", "按人员与公平性"),
    "rota.people_title": Message(
        "People and fairness, week of {date}", "{date} 起的一周：按人员与公平性"
    ),
    "rota.shown_draft": Message("Showing the draft.", "显示的是草稿。"),
    "rota.shown_version": Message("Showing version {n}.", "显示的是第 {n} 版。"),
    "rota.checks": Message("Rules and costs", "规则与代价"),
    "rota.violations": Message("Broken hard rules", "违反的硬性规则"),
    "rota.no_violations": Message("No hard rule is broken.", "没有违反硬性规则。"),
    "rota.penalties": Message("Costs (soft rules)", "代价（软性规则）"),
    "rota.no_penalties": Message("No costs.", "没有代价。"),
    "rota.person": Message("Person", "人员"),
    "rota.shifts": Message("Shifts", "班次数"),
    "rota.hours": Message("Hours", "小时"),
    "rota.nights": Message("Nights", "夜班"),
    "rota.weekends": Message("Weekends", "周末班"),
    "rota.night_mark": Message("night", "夜"),
    "rota.weekend_mark": Message("weekend", "周末"),
    "rota.pinned": Message("pinned", "已固定"),
    "rota.no_shifts": Message("No shifts.", "无班次。"),
    "rota.group": Message("{role}", "{role}"),
    "rota.group_places": Message("{role} at {places}", "{role}（{places}）"),
    "rota.fair_band": Message("fair {low}–{high}", "合理 {low}–{high}"),
    "rota.staffing.fewest": Message(
        "{shifts} shifts, {hours} person-hours at the posts: the fewest possible.",
        "岗位共 {shifts} 个班次、{hours} 人时：已是最少。",
    ),
    "rota.staffing.plain": Message(
        "{shifts} shifts, {hours} person-hours at the posts.", "岗位共 {shifts} 个班次、{hours} 人时。"
    ),
    "rota.staffing.more": Message(
        "{shifts} shifts, {hours} person-hours at the posts; the fewest possible is {fewest} person-hours.",
        "岗位共 {shifts} 个班次、{hours} 人时；最少只需 {fewest} 人时。",
    ),
    "rota.staffing.bound": Message(
        "{shifts} shifts, {hours} person-hours at the posts; the hard rules need at least {fewest} person-hours.",
        "岗位共 {shifts} 个班次、{hours} 人时；硬性规则至少需要 {fewest} 人时。",
    ),
    "rota.outside": Message("{n} above the fair band", "超出公平范围 {n}"),
    "rota.fair_cost": Message("Cost", "代价"),
    "rota.fair_past": Message("{n} in the {weeks} weeks before", "此前 {weeks} 周 {n}"),
    "rota.fair_past_help": Message(
        "What people served in the {weeks} weeks before this one counts too (the service record; set-up, general): "
        "the fair band is for those weeks and this one together, so who served more recently gets less now.",
        "此前 {weeks} 周的服务记录也计入（见设置·常规）：合理范围按那几周与本周合计，最近服务多的人本周少排。",
    ),
    "rota.fair_help": Message(
        "Within each group (same first role, same posts), each person's share follows their availability; "
        "within the band it is fair (work comes in whole shifts).",
        "每组（首要角色和岗位相同）内按可用时间分配份额；在合理范围内即为公平（班次不可拆分）。",
    ),
    "rota.adjust": Message("Change", "调整"),
    "wechat.title": Message("Message for the group chat · {date}", "微信群消息 · {date}"),
    "wechat.help": Message(
        "The day's shifts as text, in the community's language: who is on, the one to call with their phone, meal "
        "times. Copy it and paste it into the WeChat group.",
        "当天的班次文字（社区语言）：谁上岗、每班联系人及电话、用餐时间。复制后粘贴到微信群。",
    ),
    "wechat.days": Message("Day", "日期"),
    "wechat.text": Message("Text to paste", "要粘贴的文字"),
    "wechat.copy": Message("Copy", "复制"),
    "wechat.copied": Message("Copied", "已复制"),
    "wechat.back": Message("Back to the week", "返回本周排班"),
    "rota.add": Message("Add", "添加"),
    "rota.add_title": Message("Add a person to {what}", "为 {what} 添加人员"),
    "rota.adjust_title": Message("Change {name} on {what}", "调整 {name} 的 {what}"),
    "rota.pin": Message("Pin", "固定"),
    "rota.picks.left_out": Message("{n} more may not be chosen: {reasons}.", "另有 {n} 人不可选：{reasons}。"),
    "rota.picks.reason": Message("{reason} {n}", "{reason} {n}"),
    "rota.picks.separator": Message(", ", "，"),
    "rota.picks.role": Message("without the role", "没有该角色"),
    "rota.picks.post": Message("not for this post", "不在岗位范围"),
    "rota.picks.time": Message("not available then", "时间不便"),
    "rota.picks.busy": Message("on another shift then", "同时另有班次"),
    "rota.picks.limits": Message("over a limit", "超出限制"),
    "rota.picks.none": Message("Nobody else may take this shift.", "没有其他人可以接这个班次。"),
    "rota.unpin": Message("Unpin", "取消固定"),
    "rota.pin_help": Message(
        "A pinned assignment is kept by later re-solves and cannot be moved until unpinned.",
        "固定后重新计算时会保留，取消固定前不能移动。",
    ),
    "rota.move": Message("Give to", "交给"),
    "rota.move_submit": Message("Move", "移交"),
    "rota.swap": Message("Swap with", "与其交换"),
    "rota.swap_submit": Message("Swap", "交换"),
    "rota.remove": Message("Remove from this shift", "移出此班次"),
    "rota.break_label_one": Message("Meal break starts at", "用餐开始时间"),
    "rota.break_label": Message("Meal break {n} starts at", "第 {n} 次用餐开始时间"),
    "rota.break_submit": Message("Move the break", "调整用餐时间"),
    "rota.role": Message("Role", "角色"),
    "rota.add_submit": Message("Add", "添加"),
    "rota.back": Message("Back to the week", "返回本周"),
    "rota.confirm_title": Message("This change breaks hard rules", "此调整违反硬性规则"),
    "rota.confirm_help": Message(
        "Save it anyway? The draft will carry a visible warning until the problems are fixed.",
        "仍要保存吗？在问题解决前草稿会显示警告。",
    ),
    "rota.confirm": Message("Save anyway", "仍然保存"),
    "rota.saved": Message("Saved.", "已保存。"),
    "rota.saved_warning": Message("Saved with {n} broken hard rule(s).", "已保存，但违反 {n} 条硬性规则。"),
    "rota.publish": Message("Publish", "发布"),
    "rota.publish_note": Message("Note (optional)", "备注（可选）"),
    "rota.publish_confirm": Message("Publish despite the broken rules", "尽管违反规则仍然发布"),
    "rota.published": Message("Published as version {n}.", "已发布为第 {n} 版。"),
    "rota.changes_to_latest": Message("Changes against version {n}", "相对第 {n} 版的变化"),
    "rota.no_changes": Message("No changes.", "没有变化。"),
    "rota.versions": Message("Published versions", "已发布的版本"),
    "rota.no_versions": Message("Nothing published yet.", "尚未发布。"),
    "rota.version_title": Message("Version {n} of the week of {date}", "{date} 起一周的第 {n} 版"),
    "rota.version_line": Message("Version {n}", "第 {n} 版"),
    "rota.published_by": Message("Published by {who} at {at}.", "{who} 发布于 {at}。"),
    "rota.changes_to_previous": Message("Changes against version {n}", "相对第 {n} 版的变化"),
    "rota.first_version": Message("The first published version.", "首个发布版本。"),
    "rota.change.added": Message("gains", "新增"),
    "rota.change.removed": Message("loses", "取消"),
    "rota.change.retimed": Message("retimed", "时间调整"),
    "rota.week_link": Message("The week's draft", "本周草稿"),
    "rota.versions_link": Message("Versions", "版本"),
    "rota.problem.no_draft": Message("This week has no draft.", "本周没有草稿。"),
    "rota.problem.no_rota": Message("This solve has no complete rota.", "此次计算没有完整排班。"),
    "rota.problem.no_assignment": Message("No such assignment in the draft.", "草稿中没有该安排。"),
    "rota.problem.pinned": Message("The assignment is pinned: unpin it first.", "该安排已固定，请先取消固定。"),
    "rota.problem.unknown_person": Message("Unknown person {person}.", "未知人员 {person}。"),
    "rota.problem.unknown_role": Message("Unknown role {role}.", "未知角色 {role}。"),
    "rota.problem.already_on": Message("{person} is already on that shift.", "{person} 已在该班次。"),
    "rota.problem.same_person": Message("Choose another person's assignment.", "请选择其他人的安排。"),
    "rota.problem.no_shift": Message("That shift does not run on that day.", "该班次当天不开设。"),
    "rota.problem.violations": Message(
        "The draft breaks {n} hard rule(s): confirm to publish it anyway.", "草稿违反 {n} 条硬性规则，请确认后再发布。"
    ),
    "rota.problem.publish_race": Message(
        "Someone published this week at the same moment. Please try again.", "有人同时发布了本周排班，请重试。"
    ),
    "rota.problem.draft_changed": Message(
        "The draft was changed (last by {who}) after this page was opened. Look at it again, then repeat.",
        "打开此页面后，草稿已被修改（最后修改者：{who}）。请重新查看后再操作。",
    ),
    "rota.problem.no_break": Message("That assignment has no such meal break.", "该安排没有这次用餐。"),
    "rota.problem.break_outside": Message(
        "The break must lie within the shift.", "用餐时间必须在班次之内。"
    ),
    "rota.problem.bad_request": Message("Incomplete change: choose what to do.", "调整不完整，请选择操作。"),
}
