"""Messages: the service record (its page, charts, spreadsheet and certificate)."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "record.nav": Message("Service record", "服务记录"),
    "record.title": Message("Volunteer service record", "志愿服务记录"),
    "record.intro": Message(
        "Shifts served and ended, from the check-ins at the posts; a shift nobody recorded counts as published and "
        "is marked “from the rota”. Meal breaks do not count; a no-show is not a turn served.",
        "已结束的服务班次，依据岗位到岗签到；无人记录的班次按已发布排班计算，并标为“按排班”。用餐时间不计入时长；"
        "缺勤不计为服务次数。",
    ),
    "record.from": Message("From", "开始日期"),
    "record.to": Message("To (included)", "结束日期（含）"),
    "record.by": Message("Group by", "分组"),
    "record.by.week": Message("Week", "按周"),
    "record.by.month": Message("Month", "按月"),
    "record.by.year": Message("Year", "按年"),
    "record.show": Message("Show", "查看"),
    "record.range": Message("{start} to {end}", "{start} 至 {end}"),
    "record.range_too_long": Message("At most {n} days from the first day.", "从开始日期起最多 {n} 天。"),
    "record.to_before_from": Message("The last day is before the first.", "结束日期早于开始日期。"),
    "record.name": Message("Name", "姓名"),
    "record.turns": Message("Turns", "次数"),
    "record.hours": Message("Hours", "时长（小时）"),
    "record.nights": Message("Nights", "夜班"),
    "record.weekends": Message("Weekends", "周末"),
    "record.sources": Message("Check-in / rota", "签到 / 按排班"),
    "record.chart": Message("Hours per week", "每周时长"),
    "record.certificate": Message("Certificate", "证明"),
    "record.total": Message("Total", "合计"),
    "record.none": Message("No shift served and ended in this period.", "这段时间没有已结束的服务班次。"),
    "record.summary": Message(
        "{turns} turns, {hours} hours: {checkin} recorded at check-in, {rota} from the published rota (nobody "
        "recorded them).",
        "共 {turns} 次、{hours} 小时：{checkin} 次依据到岗签到，{rota} 次依据已发布排班（无人记录）。",
    ),
    "record.periods": Message("By period", "分期明细"),
    "record.period.week": Message("Week of {day}", "{day} 起一周"),
    "record.period.month": Message("{month}", "{month}"),
    "record.period.year": Message("{year}", "{year} 年"),
    "record.bar": Message("Week of {week}: {hours} hours", "{week} 起一周：{hours} 小时"),
    "record.download": Message("Spreadsheet (XLSX)", "下载表格（XLSX）"),
    "record.source.checkin": Message("check-in", "签到"),
    "record.source.rota": Message("from the rota", "按排班"),
    "record.status.arrived": Message("arrived", "到岗"),
    "record.status.late": Message("late", "迟到"),
    "record.status.no_show": Message("no-show", "缺勤"),
    "record.status.left_early": Message("left early", "早退"),
    "record.by_self": Message("{name} (self)", "{name}（本人）"),
    "record.by_lead": Message("{name} (shift lead)", "{name}（带班）"),
    "record.by_coordinator": Message("{name} (coordinator)", "{name}（协调员）"),
    "record.by_nobody": Message("nobody (from the rota)", "无人记录（按排班）"),
    # the heat map of a post's week
    "record.coverage": Message("Coverage of a post's week", "岗位一周覆盖"),
    "record.coverage.title": Message("Coverage: {post}, week of {week}", "覆盖情况：{post}，{week} 起一周"),
    "record.coverage.post": Message("Post", "岗位"),
    "record.coverage.week": Message("Week starting", "起始日期"),
    "record.coverage.intro": Message(
        "People at the post hour by hour (meal breaks taken off), from the published rota, against the coverage "
        "minimum. Each cell shows the fewest people present in that hour.",
        "按已发布排班逐小时统计在岗人数（用餐时间已扣除），与最低覆盖人数对比。每格显示该小时内最少在岗人数。",
    ),
    "record.coverage.none": Message("Nothing is published for this week.", "该周没有已发布排班。"),
    "record.coverage.short": Message("below the minimum", "低于最低人数"),
    "record.coverage.met": Message("minimum met", "达到最低人数"),
    "record.coverage.free": Message("no minimum, nobody", "无要求、无人"),
    "record.coverage.extra": Message("people beyond any minimum", "无要求、有人"),
    "record.coverage.cell": Message(
        "{day} {hour}: {n} present, {min} needed", "{day} {hour}：在岗 {n} 人，至少 {min} 人"
    ),
    "record.coverage.published": Message("Published rota: version {version}", "已发布排班：第 {version} 版"),
    "record.coverage.open": Message("Show the heat map", "查看热图"),
    # the spreadsheet
    "record.sheet.shifts": Message("Service record", "服务记录"),
    "record.sheet.people": Message("Per person", "按人员汇总"),
    "record.col.name": Message("Name", "姓名"),
    "record.col.content": Message("Service content", "服务内容"),
    "record.col.place": Message("Place", "服务地点"),
    "record.col.start": Message("Start", "开始"),
    "record.col.end": Message("End", "结束"),
    "record.col.hours": Message("Hours", "时长"),
    "record.col.organisation": Message("Organisation", "组织"),
    "record.col.recorder": Message("Recorded by", "记录人"),
    "record.col.source": Message("Source", "来源"),
    "record.col.status": Message("Status", "状态"),
    "record.col.checkin_turns": Message("Turns from check-ins", "签到次数"),
    "record.col.rota_turns": Message("Turns from the rota", "按排班次数"),
    "record.col.period": Message("Period", "时段"),
    # the certificate (always in Chinese; the English is for the catalogue's completeness)
    "record.cert.title": Message("Certificate of volunteer service", "志愿服务证明"),
    "record.cert.number": Message("No. {number}", "编号：{number}"),
    "record.cert.body": Message(
        "This certifies that {name} served as a volunteer with {organisation} from {start} to {end}: {turns} turns, "
        "{hours} hours in all.",
        "兹证明 {name} 于 {start} 至 {end} 期间在 {organisation} 参加志愿服务，"
        "累计服务 {turns} 次，共计 {hours} 小时。",
    ),
    "record.cert.nights": Message("Of these, {n} were night shifts.", "其中夜间服务 {n} 次。"),
    "record.cert.sources": Message(
        "{checkin} turns are recorded by check-in at the post; {rota} follow the published rota, nobody having "
        "recorded them.",
        "其中 {checkin} 次依据岗位到岗签到记录，{rota} 次依据已发布排班（无人记录）。",
    ),
    "record.cert.volunteer": Message("Volunteer", "志愿者"),
    "record.cert.number_label": Message("Volunteer number", "志愿者编号"),
    "record.cert.identity": Message(
        "Identity document and number (this system keeps none): ______________",
        "证件类型及号码（本系统不保存，如需请手写）：______________",
    ),
    "record.cert.content": Message("Service content", "服务内容"),
    "record.cert.place": Message("Place", "服务地点"),
    "record.cert.organisation": Message("Issued by", "出具组织"),
    "record.cert.contact": Message("Person in charge and contact", "负责人及联系方式"),
    "record.cert.handler": Message("Handled by", "经办人"),
    "record.cert.issued": Message("Date issued", "出具日期"),
    "record.cert.seal": Message("(seal)", "（盖章）"),
    "record.cert.basis": Message(
        "Issued under the Measures for recording volunteer service and issuing certificates of it (trial), Order "
        "No. 67 of the Ministry of Civil Affairs.",
        "依据《志愿服务记录与证明出具办法（试行）》（民政部令第67号）出具。",
    ),
}
