"""Messages: Repair and swaps."""

from __future__ import annotations

from web.catalog import Message

_REPAIR: dict[str, Message] = {
    "changes.dropped_out": Message("Someone dropped out", "有人无法到岗"),
    "changes.repair_title": Message("Someone dropped out: week of {date}", "有人无法到岗：{date} 起的一周"),
    "changes.repair_intro": Message(
        "The engine keeps every other assignment where it can and changes as few as possible (changes within the "
        "next 24 hours count double). Pinned assignments never move. You see the changes before anything is "
        "published.",
        "系统尽量保留其他所有安排，只做最少的改动（24 小时内的改动加倍计算）。已固定的安排不会变动。"
        "发布前您会先看到改动。",
    ),
    "changes.based_on": Message("Repairs version {n} (the latest).", "基于第 {n} 版（最新版本）。"),
    "changes.person": Message("Who dropped out", "无法到岗的人"),
    "changes.choose_person": Message("Choose a person", "请选择人员"),
    "changes.from": Message("Unavailable from", "不可到岗开始时间"),
    "changes.to": Message("Unavailable until", "不可到岗结束时间"),
    "changes.from_help": Message("Empty: from now.", "留空表示从现在起。"),
    "changes.to_help": Message("Empty: until the end of the week.", "留空表示到本周结束。"),
    "changes.remove": Message("Remove from this week altogether", "本周剩余时间全部移出"),
    "changes.start_repair": Message("Find the fewest changes", "计算最少改动"),
    "changes.repair_job_title": Message("Repair of the week of {date}", "{date} 起一周的调整"),
    "changes.for_whom": Message(
        "{name} unavailable from {start} until {end}.", "{name} 从 {start} 到 {end} 不可到岗。"
    ),
    "changes.now": Message("now", "现在"),
    "changes.week_end": Message("the end of the week", "本周结束"),
    "changes.stage.changes": Message("Looking for the fewest changes", "正在寻找最少改动"),
    "changes.stage.objective": Message(
        "Fewest changes found; improving the rest of the rota", "已找到最少改动，正在优化其余安排"
    ),
    "changes.best_so_far": Message("Best so far", "当前最优"),
    "changes.result.optimal": Message(
        "The number of changes is proven minimal.", "已证明改动数量最少。"
    ),
    "changes.result.feasible": Message(
        "A repair meeting every hard rule; time ran out before the fewest changes were proven.",
        "满足所有硬性规则的调整；时限内未能证明改动最少。",
    ),
    "changes.result.infeasible": Message("No repair can meet every hard rule.", "没有能满足所有硬性规则的调整。"),
    "changes.result.unknown": Message("Time ran out before any repair was found.", "在时限内未找到调整方案。"),
    "changes.count": Message("{n} change(s) to assignments", "安排改动 {n} 处"),
    "changes.retimed_count": Message("{n} meal break(s) moved", "用餐时间调整 {n} 处"),
    "changes.minimal": Message("proven minimal", "已证明最少"),
    "changes.not_minimal": Message("not proven minimal", "未证明最少"),
    "changes.the_changes": Message("What changes", "改动内容"),
    "changes.new_rota": Message("The repaired rota", "调整后的排班"),
    "changes.accept": Message("Accept as the week's draft", "接受为本周草稿"),
    "changes.accept_publish": Message("Accept and publish", "接受并发布"),
    "changes.accept_help": Message(
        "Replaces the week's current draft. Publishing makes a new version; the old one stays.",
        "将替换本周现有草稿。发布后生成新版本，旧版本保留。",
    ),
    "changes.accepted": Message("The repair is now the week's draft.", "调整已设为本周草稿。"),
    "changes.accepted_by": Message("Accepted by {who}.", "已由 {who} 接受。"),
    "changes.published": Message("Published as version {n}.", "已发布为第 {n} 版。"),
    "changes.back_to_week": Message("Back to the week", "返回本周排班"),
    "changes.no_repair_explained": Message(
        "No repair exists. The reasons below say what would make one possible.",
        "不存在可行的调整。下面说明了原因及可行的调整建议。",
    ),
}

_PROBLEMS: dict[str, Message] = {
    "changes.problem.not_published": Message(
        "This week has no published version to repair.", "本周还没有已发布的版本，无法调整。"
    ),
    "changes.problem.end_before_start": Message("The end must be after the start.", "结束时间必须晚于开始时间。"),
    "changes.problem.outside_week": Message("This period ends before the week starts.", "该时段在本周开始前已结束。"),
    "changes.problem.no_repair": Message("This repair has no repaired rota.", "此次调整没有可用的排班。"),
    "changes.problem.stale_repair": Message(
        "Version {n} is no longer the latest: start the repair again from the latest version.",
        "第 {n} 版已不是最新版本，请基于最新版本重新调整。",
    ),
    "changes.problem.not_your_shift": Message(
        "This is not one of your published shifts.", "这不是您已发布的班次。"
    ),
    "changes.problem.started": Message("This shift has already started.", "该班次已经开始。"),
    "changes.problem.pinned": Message(
        "The coordinator fixed this shift: ask them directly.", "协调员已固定该班次，请直接联系协调员。"
    ),
    "changes.problem.already_offered": Message("You already offered this shift.", "您已提出转让该班次。"),
    "changes.problem.no_swap": Message("No such swap.", "没有此换班申请。"),
    "changes.problem.own_offer": Message("This is your own offer.", "这是您自己的申请。"),
    "changes.problem.not_open": Message("This swap is no longer open.", "此换班申请已不再开放。"),
    "changes.problem.not_accepted": Message(
        "Nobody has taken this shift yet.", "还没有人接受该班次。"
    ),
    "changes.problem.stale_swap": Message(
        "The shift changed since it was offered.", "该班次在提出转让后已有变动。"
    ),
    "changes.problem.breaks_rules": Message(
        "Taking this shift would break a rule: {reasons}", "接受该班次会违反规则：{reasons}"
    ),
    "changes.problem.lacks_role": Message(
        "{name} does not hold the role {role}.", "{name} 不具备“{role}”角色。"
    ),
    "changes.problem.not_in_week": Message(
        "This person is not on this week's rota.", "此人不在本周排班名单中。"
    ),
}

_SWAPS: dict[str, Message] = {
    "changes.swaps_title": Message("Swap shifts", "换班"),
    "changes.swaps_for": Message("Swap shifts: {name}", "换班：{name}"),
    "changes.swaps_intro": Message(
        "Offer a shift you cannot work; someone who may take it accepts; the coordinator approves, and your "
        "calendar updates by itself.",
        "提出转让无法上的班次；符合条件的人接受后，由协调员批准，日历会自动更新。",
    ),
    "changes.my_shifts": Message("Your coming shifts", "您即将到来的班次"),
    "changes.no_shifts": Message("No coming published shifts.", "没有即将到来的已发布班次。"),
    "changes.offer": Message("Offer this shift", "转让此班次"),
    "changes.offered": Message("Offered", "已提出转让"),
    "changes.taken_by": Message("Taken by {name}: waiting for the coordinator", "{name} 已接受，等待协调员批准"),
    "changes.withdraw": Message("Withdraw", "撤回"),
    "changes.open_offers": Message("Shifts you could take", "您可以接的班次"),
    "changes.no_offers": Message("No open offers you could take.", "暂无您可以接的班次。"),
    "changes.offered_by": Message("offered by {name}", "由 {name} 转让"),
    "changes.take": Message("Take this shift", "接此班次"),
    "changes.my_requests": Message("Your swaps", "您的换班记录"),
    "changes.did_offer": Message("Your offer is open.", "已提出转让。"),
    "changes.did_accept": Message(
        "You took the shift; the coordinator will approve it.", "您已接受该班次，等待协调员批准。"
    ),
    "changes.did_withdraw": Message("Your offer was withdrawn.", "已撤回转让。"),
    "changes.status.offered": Message("offered", "待接受"),
    "changes.status.accepted": Message("awaiting approval", "待批准"),
    "changes.status.approved": Message("approved", "已批准"),
    "changes.status.refused": Message("refused", "已拒绝"),
    "changes.status.withdrawn": Message("withdrawn", "已撤回"),
    "changes.reason": Message("Reason: {reason}", "原因：{reason}"),
    "changes.personal_page": Message("Your page", "我的页面"),
    "changes.pending": Message("Awaiting a decision", "待处理"),
    "changes.no_pending": Message("No swaps are waiting.", "没有待处理的换班。"),
    "changes.decided": Message("Decided recently", "最近已处理"),
    "changes.swap_line": Message("{giver} → {taker}", "{giver} → {taker}"),
    "changes.nobody_yet": Message("nobody yet", "尚无人接受"),
    "changes.approve": Message("Approve and publish", "批准并发布"),
    "changes.refuse": Message("Refuse", "拒绝"),
    "changes.refuse_reason": Message("Reason (optional)", "原因（可选）"),
    "changes.approved": Message("Swap approved: published as version {n}.", "换班已批准，发布为第 {n} 版。"),
    "changes.refused": Message("Swap refused: {reason}", "换班被拒绝：{reason}"),
    "changes.refused_plain": Message("Swap refused.", "换班已拒绝。"),
    "changes.changed_since": Message(
        "The shift changed since it was offered.", "该班次在提出转让后已有变动。"
    ),
    "changes.direct_swap": Message(
        "To swap two people yourself, open the week's rota and choose a name in the grid.",
        "如需直接调换两人，请打开该周排班，在表格中点击姓名。",
    ),
    "changes.swaps_link": Message("Swaps", "换班"),
}

_AUDIT: dict[str, Message] = {
    "changes.audit_title": Message("Changes to this week", "本周变更记录"),
    "changes.audit_none": Message("No changes recorded yet.", "还没有变更记录。"),
    "changes.audit_when": Message("When", "时间"),
    "changes.audit_who": Message("Who", "操作人"),
    "changes.audit_what": Message("What", "内容"),
    "changes.audit.rota.draft": Message("Made a solve the draft", "将计算结果设为草稿"),
    "changes.audit.rota.publish": Message("Published version {version}", "发布第 {version} 版"),
    "changes.audit.rota.adjust.pin": Message("Pinned an assignment", "固定了一项安排"),
    "changes.audit.rota.adjust.unpin": Message("Unpinned an assignment", "取消固定一项安排"),
    "changes.audit.rota.adjust.move": Message("Handed a shift to someone else", "将班次交给他人"),
    "changes.audit.rota.adjust.remove": Message("Took someone off a shift", "将某人移出班次"),
    "changes.audit.rota.adjust.add": Message("Added someone to a shift", "为班次添加人员"),
    "changes.audit.rota.adjust.swap": Message("Swapped two assignments", "调换了两项安排"),
    "changes.audit.repair.start": Message("Repair started: {name} dropped out", "开始调整：{name} 无法到岗"),
    "changes.audit.repair.accept": Message(
        "Accepted a repair of version {version} ({changes} changes)", "接受了第 {version} 版的调整（{changes} 处改动）"
    ),
    "changes.audit.repair.cancel": Message("Cancelled a repair", "取消了一次调整"),
    "changes.audit.swap.offer": Message("{giver} offered a shift", "{giver} 提出转让班次"),
    "changes.audit.swap.accept": Message("{taker} took {giver}'s shift", "{taker} 接受了 {giver} 的班次"),
    "changes.audit.swap.withdraw": Message("{giver} withdrew an offer", "{giver} 撤回了转让"),
    "changes.audit.swap.approve": Message(
        "Approved a swap {giver} → {taker} (version {version})", "批准换班 {giver} → {taker}（第 {version} 版）"
    ),
    "changes.audit.swap.refuse": Message("Refused a swap", "拒绝了换班"),
    "changes.audit.volunteer": Message("volunteer", "志愿者"),
}

MESSAGES: dict[str, Message] = {**_REPAIR, **_PROBLEMS, **_SWAPS, **_AUDIT}
