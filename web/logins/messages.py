"""Messages: the account page (password, sessions) and login throttling."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "logins.nav": Message("Account", "账户"),
    "logins.throttled": Message(
        "Too many failed logins. Try again in {minutes} min.",
        "登录失败次数过多，请 {minutes} 分钟后再试。",
    ),
    "logins.current": Message("Current password", "当前密码"),
    "logins.wrong_current": Message("This is not your current password.", "当前密码不正确。"),
    "logins.same_as_current": Message(
        "Choose a password other than the current one.", "新密码不能与当前密码相同。"
    ),
    "logins.changed": Message(
        "Your password was changed. Your other sessions were ended.", "密码已修改，其他设备上的登录已结束。"
    ),
    "logins.sessions": Message("Sessions", "登录会话"),
    "logins.sessions_intro": Message(
        "You are logged in on {n} browser(s) or device(s), this one included. A session ends after {idle} h "
        "without use, and {days} days after the login at the latest.",
        "您目前在 {n} 个浏览器或设备上登录（包括本设备）。登录闲置 {idle} 小时后结束，最长在登录 {days} 天后结束。",
    ),
    "logins.end_all": Message("Log out everywhere", "在所有设备上退出"),
    "logins.ended_all": Message(
        "You have been logged out everywhere, this browser included.", "已在所有设备（包括本浏览器）上退出登录。"
    ),
}
