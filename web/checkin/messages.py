"""Messages: check-in at the post (the volunteer's page, the lead's team list, the QR poster, the day sheet)."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "checkin.section": Message("Check in at the post", "到岗签到"),
    "checkin.none_open": Message(
        "No shift of yours runs now or starts within the hour.", "您当前没有进行中或一小时内开始的班次。"
    ),
    "checkin.none_here": Message(
        "You have no shift at {post} now or within the hour.", "您当前在{post}没有进行中或一小时内开始的班次。"
    ),
    "checkin.arrive": Message("Arrived", "到岗"),
    "checkin.leave": Message("Leaving", "离岗"),
    "checkin.no_location": Message(
        "Only the time is recorded; never your location.", "只记录时间，从不记录您的位置。"
    ),
    "checkin.team": Message("Your team on this shift", "本班次的队员"),
    "checkin.mark_arrived": Message("Arrived", "已到岗"),
    "checkin.mark_no_show": Message("No-show", "缺勤"),
    "checkin.status": Message("Status", "状态"),
    "checkin.status.none": Message("Not recorded yet", "尚未记录"),
    "checkin.status.arrived": Message("Arrived", "已到岗"),
    "checkin.status.late": Message("Late", "迟到"),
    "checkin.status.no_show": Message("No-show", "缺勤"),
    "checkin.status.left_early": Message("Left early", "早退"),
    "checkin.arrived_at": Message("Arrived at {time}", "{time} 到岗"),
    "checkin.left_at": Message("left at {time}", "{time} 离岗"),
    "checkin.did_arrive": Message("Arrival recorded: {status}.", "已记录到岗：{status}。"),
    "checkin.did_leave": Message("Departure recorded: {status}.", "已记录离岗：{status}。"),
    "checkin.did_mark": Message("{name}: {status}.", "{name}：{status}。"),
    "checkin.problem.not_arrived": Message(
        "You have not checked in on this shift: tap Arrived first.", "您尚未在本班次到岗签到：请先点“到岗”。"
    ),
    "checkin.problem.not_on_shift": Message(
        "This shift is not open for check-in for this person.", "此人的这个班次当前不能签到。"
    ),
    "checkin.problem.not_lead": Message(
        "Only the shift's lead checks in the team.", "只有本班次的负责人可以为队员签到。"
    ),
    "checkin.problem.no_person": Message("No such person.", "没有这个人。"),
    "checkin.problem.status": Message("Status: choose one of the list.", "状态：请从列表中选择。"),
    "checkin.problem.arrived": Message(
        "Arrival: a time as HH:MM (needed for arrived, late and left early).",
        "到岗时间：请填写时间，如 08:05（到岗、迟到、早退都需要）。",
    ),
    "checkin.problem.left": Message(
        "Departure: a time as HH:MM (needed for left early).", "离岗时间：请填写时间，如 16:00（早退需要）。"
    ),
    "checkin.problem.order": Message("Departure: must come after the arrival.", "离岗时间：必须晚于到岗时间。"),
    "checkin.problem.no_show_times": Message(
        "Arrival: a no-show has no times; leave them empty.", "到岗时间：缺勤不填时间，请留空。"
    ),
    "checkin.problem.no_slot": Message("No such shift on the published rota.", "已发布的排班中没有这个班次。"),
    "checkin.scan.title": Message("Check in", "到岗签到"),
    "checkin.scan.open_link": Message(
        "This phone does not know you yet. Open your personal link (from the message you got) once on this phone, "
        "then scan the code at the post again.",
        "这部手机还不认识您。请先在这部手机上打开一次您的个人链接（您收到的消息中的链接），然后再扫描岗位上的二维码。",
    ),
    "checkin.scan.post": Message("Post: {post}", "岗位：{post}"),
    "checkin.poster.title": Message("Check-in poster: {post}", "签到海报：{post}"),
    "checkin.poster.caption": Message("Check in", "到岗签到"),
    "checkin.poster.help": Message(
        "Scan with your phone's camera at the start and the end of your shift. Open your personal link once on the "
        "phone first. Only the time is recorded, never a location.",
        "上岗和下岗时用手机相机扫码。请先在手机上打开一次您的个人链接。只记录时间，从不记录位置。",
    ),
    "checkin.poster.print": Message("Print this page (A4).", "打印本页（A4）。"),
    "checkin.poster.link": Message("Check-in poster", "签到海报"),
    "checkin.links": Message("Check-in QR", "签到二维码"),
    "checkin.renewed": Message("{post}: new check-in code; print the poster again.",
                               "{post}：已生成新的签到码；请重新打印海报。"),
    "checkin.revoked": Message("{post}: check-in code revoked.", "{post}：签到码已停用。"),
    "checkin.renew": Message("New check-in code", "重新生成签到码"),
    "checkin.revoke": Message("Revoke check-in code", "停用签到码"),
    "checkin.no_link": Message("No check-in code yet.", "尚无签到码。"),
    "checkin.day.title": Message("Check-ins of {day}", "{day} 签到"),
    "checkin.day.pick": Message("Day", "日期"),
    "checkin.day.show": Message("Show", "查看"),
    "checkin.day.empty": Message("Nothing is published for this day.", "这一天没有已发布的排班。"),
    "checkin.day.person": Message("Person", "人员"),
    "checkin.day.times": Message("Times", "时间"),
    "checkin.day.recorded_by": Message("Recorded by", "记录人"),
    "checkin.day.correct": Message("Correct", "更正"),
    "checkin.day.arrived": Message("Arrival", "到岗时间"),
    "checkin.day.left": Message("Departure", "离岗时间"),
    "checkin.day.corrected": Message("{name}: corrected.", "{name}：已更正。"),
    "checkin.by.self": Message("themselves", "本人"),
    "checkin.by.lead": Message("the shift's lead", "班次负责人"),
    "checkin.by.coordinator": Message("coordinator {name}", "协调员 {name}"),
    "checkin.day.link": Message("Today's check-ins and corrections", "今日签到与更正"),
}
