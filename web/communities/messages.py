"""Messages: communities (the switcher, creating one, members)."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "communities.title": Message("Communities", "社区"),
    "communities.switch": Message("Switch community", "切换社区"),
    "communities.help": Message(
        "Every page shows one community's people, rotas and messages: the one chosen here.",
        "每个页面只显示一个社区的人员、排班和消息：即在此选择的社区。",
    ),
    "communities.current": Message("Current", "当前社区"),
    "communities.choose": Message("Choose", "选择"),
    "communities.chosen": Message("Now showing {name}.", "现在显示：{name}。"),
    "communities.people": Message("People: {n}", "人员：{n}"),
    "communities.members": Message("Members: {n}", "成员：{n}"),
    "communities.none_for_you": Message(
        "Your account is not a member of any community yet. Ask an admin to add you to one.",
        "您的账户尚未加入任何社区。请联系管理员将您加入社区。",
    ),
    "communities.stale": Message(
        "This page was for another community: the current one was switched since, in another window. Nothing was "
        "changed; open the page again.",
        "此页面属于另一个社区：当前社区已在其他窗口中切换。未做任何更改；请重新打开此页面。",
    ),
    "communities.cli.unknown": Message("There is no community named {name}.", "没有名为 {name} 的社区。"),
    "communities.none": Message("No community yet.", "尚无社区。"),
    "communities.admin_help": Message(
        "As an admin (the street office) you see every community; coordinators and viewers see only those they "
        "are members of.",
        "作为管理员（街道办），您可以查看所有社区；协调员和只读用户只能查看其所属的社区。",
    ),
    "communities.new": Message("New community", "新建社区"),
    "communities.name": Message("Name", "名称"),
    "communities.timezone": Message("Time zone", "时区"),
    "communities.language": Message("Language of the print-outs", "打印排班表的语言"),
    "communities.lang.zh": Message("Chinese", "中文"),
    "communities.lang.en": Message("English", "英文"),
    "communities.create": Message("Create", "创建"),
    "communities.created": Message(
        "Community {name} created. Choose it, then set up its roles, posts and people.",
        "已创建社区 {name}。请选择该社区，然后设置其角色、岗位和人员。",
    ),
    "communities.bad_name": Message("Give a name of 1 to 64 characters.", "请填写 1 至 64 个字符的名称。"),
    "communities.name_taken": Message("A community with this name exists already.", "已有同名社区。"),
    "communities.bad_timezone": Message(
        "Unknown time zone: give one such as Asia/Shanghai.", "未知时区：请填写如 Asia/Shanghai 的时区。"
    ),
    "communities.bad_language": Message("Choose Chinese or English.", "请选择中文或英文。"),
    "communities.member_list": Message("Members", "成员"),
    "communities.no_members": Message("No members yet.", "尚无成员。"),
    "communities.username": Message("User name", "用户名"),
    "communities.add_member": Message("Add member", "添加成员"),
    "communities.remove_member": Message("Remove", "移除"),
    "communities.member_added": Message("{user} is now a member of {name}.", "{user} 已加入 {name}。"),
    "communities.member_removed": Message("{user} is no longer a member of {name}.", "{user} 已退出 {name}。"),
    "communities.member_already": Message("{user} is a member of {name} already.", "{user} 已是 {name} 的成员。"),
    "communities.member_not": Message("{user} was not a member of {name}.", "{user} 不是 {name} 的成员。"),
    "communities.unknown_user": Message("No account has this user name.", "没有此用户名的账户。"),
    "communities.admin_sees_all": Message(
        "{user} is an admin and sees every community without being a member.",
        "{user} 是管理员，无需加入即可查看所有社区。",
    ),
}
