"""Messages: sign-up rounds (the coordinator's pages and the volunteer's sign-up page)."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "signup.nav": Message("Sign-up", "报名"),
    "signup.title": Message("Sign-up rounds", "报名轮次"),
    "signup.intro": Message(
        "Open a period for sign-up: each volunteer's personal page then lists the shifts they may take, and they mark "
        "\"I'll do it\" or \"I'd rather not\" until the deadline. When you generate the rota, sign-ups count as strong "
        "wishes (never calling out anyone the rota does not need), or as fixed shifts if you choose so.",
        "开放一个时段报名：每位志愿者的个人页面会列出其可以承担的班次，截止前可选择“我来”或“不想”。生成排班时，报名"
        "作为强烈意愿计入（绝不会为此多叫人），也可以选择直接固定到班次。",
    ),
    "signup.none": Message("No sign-up round yet.", "还没有报名轮次。"),
    "signup.open_heading": Message("Open a round", "开放报名"),
    "signup.week": Message("First day", "开始日期"),
    "signup.days": Message("Days", "天数"),
    "signup.deadline": Message("Deadline (local time)", "截止时间（本地时间）"),
    "signup.as_pins": Message(
        "Put people on the shifts they sign up for (fixed), instead of counting sign-ups as wishes",
        "直接把报名的人固定到所报班次（而非作为意愿）",
    ),
    "signup.open": Message("Open for sign-up", "开放报名"),
    "signup.status_open": Message("Open until {deadline}", "开放中，截止 {deadline}"),
    "signup.status_closed": Message("Closed", "已截止"),
    "signup.round_title": Message("Sign-up for the week of {date}", "{date} 起的报名"),
    "signup.answered": Message("{n} people answered", "{n} 人已回复"),
    "signup.mode_pins": Message("Sign-ups are fixed on the rota.", "报名将直接固定到排班。"),
    "signup.mode_wishes": Message("Sign-ups count as strong wishes.", "报名作为强烈意愿计入。"),
    "signup.need": Message("at least {n} needed", "至少需 {n} 人"),
    "signup.yes_count": Message("{n} will do it", "{n} 人报名"),
    "signup.no_count": Message("{n} would rather not", "{n} 人不想"),
    "signup.thin": Message("Thin", "人手不足"),
    "signup.nobody_yet": Message("nobody yet", "暂无"),
    "signup.thin_count": Message("{n} shifts are thin", "{n} 个班次人手不足"),
    "signup.close": Message("Close now", "立即截止"),
    "signup.reopen": Message("Reopen until", "重新开放至"),
    "signup.delete": Message("Delete this round and its answers", "删除本轮及所有回复"),
    "signup.delete_confirm": Message("Yes, delete everyone's answers", "确认删除所有人的回复"),
    "signup.delete_unconfirmed": Message("Tick the box to delete the round.", "请勾选确认后再删除。"),
    "signup.generate": Message("Generate the rota for this week", "生成本周排班"),
    "signup.opened": Message("Sign-up is open.", "报名已开放。"),
    "signup.closed_now": Message("Sign-up is closed.", "报名已截止。"),
    "signup.reopened": Message("Sign-up is open again.", "报名已重新开放。"),
    "signup.deleted": Message("The round is deleted.", "本轮已删除。"),
    "signup.back": Message("All rounds", "所有轮次"),
    "signup.problem.exists": Message("This period has a sign-up round already.", "该时段已有报名轮次。"),
    "signup.problem.days": Message("Give 1 to {max} days.", "天数应为 1 至 {max}。"),
    "signup.problem.deadline_past": Message("The deadline must be in the future.", "截止时间必须晚于现在。"),
    "signup.problem.deadline_late": Message(
        "The deadline must be before the period begins.", "截止时间必须早于该时段开始。"
    ),
    "signup.problem.deadline_format": Message("Give a date and time.", "请填写日期和时间。"),
    "signup.problem.closed": Message(
        "Sign-up for this period is closed: ask the coordinator.", "该时段报名已截止，请联系协调人。"
    ),
    "signup.problem.too_many": Message("Too many answers in one form.", "一次提交的回复过多。"),
    # the volunteer's page
    "signup.personal_banner": Message(
        "Sign-up is open for the week of {date}, until {deadline}.", "{date} 起的一周正在报名，截止 {deadline}。"
    ),
    "signup.personal_link": Message("Sign up for shifts", "报名班次"),
    "signup.personal_title": Message("Sign up · week of {date}", "报名 · {date} 起"),
    "signup.personal_intro": Message(
        "These are the shifts you may take. Mark those you will do, and those you would rather not; leave the rest. "
        "The coordinator makes the rota after {deadline}, and puts nobody on a shift the post does not need.",
        "以下是您可以承担的班次。请标出愿意上的和不想上的，其余可以不选。协调人将在 {deadline} 后排班，不会安排岗位"
        "不需要的人。",
    ),
    "signup.personal_closed": Message(
        "Sign-up closed at {deadline}. Your answers are below.", "报名已于 {deadline} 截止。以下是您的回复。"
    ),
    "signup.choice_yes": Message("I'll do it", "我来"),
    "signup.choice_no": Message("I'd rather not", "不想"),
    "signup.choice_none": Message("No answer", "不选"),
    "signup.patterns": Message("Every week the same", "按星期统一选择"),
    "signup.patterns_help": Message(
        "One answer for a weekday's shift, for every such day of the period (an answer for a single day above wins).",
        "对某个星期几的班次统一作答，适用于该时段内每个这样的日子（上面对单日的选择优先）。",
    ),
    "signup.every": Message("Every {weekday}: {shift}", "每{weekday}：{shift}"),
    "signup.save": Message("Save my answers", "保存我的选择"),
    "signup.saved": Message("Saved: {n} answers.", "已保存：{n} 项选择。"),
    "signup.nothing_offered": Message(
        "No shift of this period fits your roles, posts and availability. Ask the coordinator if that is wrong.",
        "本时段没有符合您角色、岗位和可用时间的班次。如有疑问请联系协调人。",
    ),
    "signup.personal_back": Message("Back to my page", "返回我的页面"),
}
