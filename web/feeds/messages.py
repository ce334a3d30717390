"""Messages: Calendars, personal pages, print-outs."""

from __future__ import annotations

from web.catalog import Message

_COORDINATOR: dict[str, Message] = {
    "feeds.person_link": Message("Calendar and personal link", "日历与个人链接"),
    "feeds.person_title": Message("Calendar and personal page of {name}", "{name} 的日历与个人页面"),
    "feeds.person_intro": Message(
        "Send this secret link to {name} only: it opens their coming shifts and their calendar feed without a "
        "login. Anyone who has the link can see them.",
        "此秘密链接只发给 {name} 本人：无需登录即可查看其后续班次并订阅日历。任何拿到链接的人都能看到这些内容。",
    ),
    "feeds.personal_page": Message("Personal page", "个人页面"),
    "feeds.webcal": Message("Subscribe in a phone calendar (webcal)", "在手机日历中订阅（webcal）"),
    "feeds.https": Message("Calendar address (https)", "日历地址（https）"),
    "feeds.qr_alt": Message("QR code of the personal page link", "个人页面链接的二维码"),
    "feeds.qr_help": Message("Scan with a phone to open the personal page.", "用手机扫码打开个人页面。"),
    "feeds.none": Message("No link yet.", "还没有链接。"),
    "feeds.make": Message("Make a link", "生成链接"),
    "feeds.renew": Message("Renew the link", "更换链接"),
    "feeds.renew_help": Message(
        "Makes a new link; the old one stops working at once (a lost phone, a forwarded link).",
        "生成新链接，旧链接立即失效（手机丢失、链接被转发时使用）。",
    ),
    "feeds.revoke": Message("Revoke the link", "停用链接"),
    "feeds.renewed": Message("A new link was made; the old one no longer works.", "已生成新链接，旧链接已失效。"),
    "feeds.revoked": Message("The link no longer works.", "链接已停用。"),
    "feeds.inactive": Message(
        "This person is inactive: their link opens nothing until they are reactivated.",
        "此人已停用：恢复之前其链接无法打开。",
    ),
    "feeds.back_person": Message("Back to {name}", "返回 {name}"),
    "feeds.posts_title": Message("Whole-rota calendar feeds", "整岗日历订阅"),
    "feeds.posts_intro": Message(
        "One calendar per post with everyone on each shift and their meal breaks, e.g. for the post's own phone. "
        "The links are secret: renew one that was passed on too far.",
        "每个岗位一个日历，列出每班所有人员及用餐时间，可供岗位值班手机订阅。链接保密：外传过广时请更换。",
    ),
    "feeds.posts_link": Message("Calendar feeds of the posts", "岗位日历订阅"),
    "feeds.in_zh": Message("in Chinese", "中文"),
    "feeds.in_en": Message("in English", "英文"),
    "feeds.post_renewed": Message(
        "New link for {post}; the old one no longer works.", "{post} 已生成新链接，旧链接已失效。"
    ),
    "feeds.post_revoked": Message("The link of {post} no longer works.", "{post} 的链接已停用。"),
}

_PERSONAL: dict[str, Message] = {
    "personal.title": Message("{name}'s shifts", "{name} 的班次"),
    "personal.private": Message(
        "This page is yours alone: do not pass its link on.", "此页面仅供您本人使用，请勿转发链接。"
    ),
    "personal.none": Message("No coming shifts are published for you yet.", "暂时没有为您发布的后续班次。"),
    "personal.coming": Message("Coming shifts", "后续班次"),
    "personal.role": Message("Role", "角色"),
    "personal.where": Message("Where", "地点"),
    "personal.breaks": Message("Meal break", "用餐"),
    "personal.with": Message("With", "同班"),
    "personal.alone": Message("Nobody else on this shift.", "本班次没有其他人。"),
    "personal.subscribe": Message("Add your shifts to your phone calendar", "把班次添加到手机日历"),
    "personal.subscribe_link": Message("Subscribe", "订阅日历"),
    "personal.subscribe_help": Message(
        "Tap Subscribe: your calendar then updates itself when the rota changes, with a reminder before each shift.",
        "点“订阅日历”：排班变更时日历会自动更新，每班开始前会提醒。",
    ),
    "personal.subscribe_https": Message(
        "If your calendar asks for an address, copy this one:", "如果日历应用要求输入地址，请复制："
    ),
    "personal.qr_help": Message("Scan to open this page on a phone.", "扫码在手机上打开本页。"),
    "personal.qr_alt": Message("QR code of this page's link", "本页链接的二维码"),
    "personal.print": Message("Printable list", "打印版清单"),
    "personal.print_hint": Message(
        "Use your browser's Print command to print this list.", "请使用浏览器的“打印”功能打印此清单。"
    ),
    "personal.print_button": Message("Print", "打印"),
    "personal.back": Message("Back to my page", "返回我的页面"),
    "personal.coordinator": Message("Coordinator", "协调员"),
    "personal.swaps": Message("Offer or take a shift swap", "换班：发布或接受"),
    "personal.version": Message("version {n}", "第 {n} 版"),
}

_PRINT: dict[str, Message] = {
    "print.heading": Message("Print-outs", "打印"),
    "print.view": Message("Print view (A4)", "打印视图（A4）"),
    "print.pdf": Message("PDF", "PDF"),
    "print.xlsx": Message("Spreadsheet (XLSX)", "表格（XLSX）"),
    "print.wechat": Message("Text for the group chat", "微信群文字"),
    "print.images": Message("Images for the chat group:", "群聊图片："),
    "print.draft_label": Message("draft", "草稿"),
}

MESSAGES: dict[str, Message] = {**_COORDINATOR, **_PERSONAL, **_PRINT}
