"""Messages: the Now page (who is on duty now)."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "now.nav": Message("Now", "当前"),
    "now.title": Message("On duty now", "当前在岗"),
    "now.as_of": Message("As of {moment} ({zone}); this page refreshes itself every minute.",
                         "截至 {moment}（{zone}）；本页每分钟自动刷新。"),
    "now.empty": Message(
        "Nothing is published for today. Publish the week's rota and this page shows who is on duty now.",
        "今天没有已发布的排班。发布本周排班后，本页会显示当前在岗人员。",
    ),
    "now.open_rota": Message("Open the rota", "打开排班"),
    "now.current": Message("Now", "当前班次"),
    "now.next": Message("Next", "下一班"),
    "now.no_current": Message("No shift is running now.", "当前没有班次。"),
    "now.no_next": Message("No later shift is published.", "之后没有已发布的班次。"),
    "now.nobody": Message("Nobody is on this shift.", "此班次无人在岗。"),
    "now.call": Message("To call", "联系人"),
    "now.no_call": Message("Nobody on duty has a phone number.", "在岗人员都没有电话号码。"),
    "now.eating": Message("eating until {time}", "用餐中，至 {time}"),
    "now.gaps": Message("Gaps now and in the next 24 hours", "当前及未来 24 小时的缺口"),
    "now.gap_now": Message("Gap now", "当前缺口"),
    "now.gap_soon": Message("Gap soon", "即将缺口"),
    "now.no_gaps": Message("No gaps now or in the next 24 hours.", "当前及未来 24 小时没有缺口。"),
    "now.gap_count": Message("Gaps: {n}", "缺口：{n}"),
    "now.published": Message(
        "Published rota: week of {week}, version {version}", "已发布排班：{week} 周，第 {version} 版"
    ),
}
