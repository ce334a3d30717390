"""Messages: roles, the accounts page, invitations and the account commands."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "accounts.forbidden": Message(
        "Your account's role does not allow this. Ask an admin if you need it.",
        "您的账户角色无权执行此操作。如有需要，请联系管理员。",
    ),
    "accounts.nav": Message("Accounts", "账户管理"),
    "accounts.title": Message("Accounts", "账户管理"),
    "accounts.role": Message("Role", "角色"),
    "accounts.role.admin": Message("Admin", "管理员"),
    "accounts.role.coordinator": Message("Coordinator", "协调员"),
    "accounts.role.viewer": Message("Viewer", "只读"),
    "accounts.roles_help": Message(
        "Admins manage accounts and the community's set-up; coordinators make, adjust and publish rotas and look "
        "after people; viewers can read everything but change nothing.",
        "管理员管理账户和社区设置；协调员生成、调整和发布排班并管理人员；只读用户可以查看所有内容但不能修改。",
    ),
    "accounts.username": Message("User name", "用户名"),
    "accounts.status": Message("Status", "状态"),
    "accounts.active": Message("Active", "启用"),
    "accounts.inactive": Message("Deactivated", "已停用"),
    "accounts.sessions": Message("Sessions", "登录会话"),
    "accounts.last_login": Message("Last login", "上次登录"),
    "accounts.never": Message("never", "从未"),
    "accounts.you": Message("(you)", "（您）"),
    "accounts.change_role": Message("Change role", "修改角色"),
    "accounts.deactivate": Message("Deactivate", "停用"),
    "accounts.reactivate": Message("Reactivate", "重新启用"),
    "accounts.end_sessions": Message("End sessions", "结束登录会话"),
    "accounts.role_changed": Message("{name} is now: {role}.", "{name} 的角色已改为：{role}。"),
    "accounts.deactivated": Message(
        "{name} is deactivated and logged out everywhere.", "{name} 已停用，并已在所有设备上退出登录。"
    ),
    "accounts.reactivated": Message("{name} can log in again.", "{name} 已可重新登录。"),
    "accounts.sessions_ended": Message("{n} session(s) of {name} ended.", "已结束 {name} 的 {n} 个登录会话。"),
    "accounts.no_such": Message("There is no such account.", "没有该账户。"),
    "accounts.unknown_role": Message("Unknown role: {role}.", "未知角色：{role}。"),
    "accounts.bad_name": Message("User name: {problem}", "用户名：{problem}"),
    "accounts.name_taken": Message("The user name {name} is already taken.", "用户名 {name} 已被使用。"),
    "accounts.bad_password": Message("Password: {problem}", "密码：{problem}"),
    "accounts.not_yourself": Message(
        "You cannot demote or deactivate your own account; another admin can.",
        "不能降低或停用自己的账户权限，请由其他管理员操作。",
    ),
    "accounts.last_admin": Message(
        "This is the last active admin: make another account admin first.",
        "这是最后一个启用的管理员账户，请先将另一个账户设为管理员。",
    ),
    "accounts.invitations": Message("Invitations", "邀请"),
    "accounts.invite": Message("Invite someone", "邀请新用户"),
    "accounts.invite_help": Message(
        "An invitation is a one-time link, valid for {days} days: the person opens it, chooses a user name and a "
        "password, and is logged in with the role you chose.",
        "邀请是一个一次性链接，{days} 天内有效：对方打开链接，设置用户名和密码后即以您选择的角色登录。",
    ),
    "accounts.invite_create": Message("Create invitation link", "生成邀请链接"),
    "accounts.invite_created": Message(
        "Send this link to the person ({role}). It is shown only now, works once, and until {until}:",
        "请把此链接发给对方（{role}）。链接只显示这一次，只能使用一次，有效期至 {until}：",
    ),
    "accounts.invite_none": Message("No open invitations.", "没有未使用的邀请。"),
    "accounts.invite_row": Message(
        "{role}, made by {by}, valid until {until}", "{role}，由 {by} 创建，有效期至 {until}"
    ),
    "accounts.invite_revoke": Message("Revoke", "撤销"),
    "accounts.invite_revoked_done": Message("The invitation was revoked.", "邀请已撤销。"),
    "accounts.invite_unknown": Message("This invitation link is not valid.", "此邀请链接无效。"),
    "accounts.invite_used": Message(
        "This invitation link has already been used. Ask an admin for a new one.",
        "此邀请链接已被使用。请向管理员索取新的链接。",
    ),
    "accounts.invite_revoked": Message(
        "This invitation link was revoked. Ask an admin for a new one.", "此邀请链接已被撤销。请向管理员索取新的链接。"
    ),
    "accounts.invite_expired": Message(
        "This invitation link has expired. Ask an admin for a new one.", "此邀请链接已过期。请向管理员索取新的链接。"
    ),
    "accounts.join_title": Message("Create your account", "创建您的账户"),
    "accounts.join_intro": Message(
        "You are invited as: {role}. Choose a user name and a password of at least {n} characters.",
        "您受邀的角色是：{role}。请设置用户名和至少 {n} 个字符的密码。",
    ),
    "accounts.join": Message("Create account", "创建账户"),
    "accounts.welcome": Message("Welcome, {name}.", "欢迎，{name}。"),
    # the server's commands (rota admin ...)
    "accounts.cli.created": Message("Account {name} created ({role}).", "已创建账户 {name}（{role}）。"),
    "accounts.cli.one_time": Message(
        "One-time password for {name}: {password} (it must be changed at the first login).",
        "{name} 的一次性密码：{password}（首次登录时必须修改）。",
    ),
    "accounts.cli.reset": Message(
        "Password of {name} reset; {n} session(s) ended.", "已重置 {name} 的密码，并结束了 {n} 个登录会话。"
    ),
    "accounts.cli.unknown_user": Message("There is no account named {name}.", "没有名为 {name} 的账户。"),
    "accounts.cli.prompt": Message("Password", "密码"),
    "accounts.cli.no_stdin": Message("No password on standard input.", "标准输入中没有密码。"),
}
