"""Messages: Spreadsheet import and availability."""

from __future__ import annotations

from web.catalog import Message

COLUMNS: dict[str, Message] = {
    "import.col.id": Message("Id", "编号"),
    "import.col.id.help": Message(
        "Short id without spaces, commas, colons or slashes, e.g. wang-fang. An id already on file updates that "
        "person; a new id adds a person. Empty (or no such column): the id of the one person on file with that "
        "name, else one made from the name's pinyin (王芳 becomes wang-fang, or wang-fang-2 when taken).",
        "不含空格、逗号、冒号或斜杠的简短编号，如 wang-fang。已有的编号会更新此人，新编号会添加人员。"
        "留空（或没有此列）时：若已有唯一一位同名人员则更新此人，否则按姓名拼音生成（王芳为 wang-fang，"
        "已被使用时在后面加上数字）。",
    ),
    "import.col.name": Message("Name", "姓名"),
    "import.col.name.help": Message(
        "Required. Display name, up to 64 characters.",
        "必填。显示的姓名，最多 64 个字符。",
    ),
    "import.col.roles": Message("Roles", "角色"),
    "import.col.roles.help": Message(
        "Required. One or more role ids or names, separated by commas (, ，) or 、.",
        "必填。一个或多个角色编号或名称，用逗号（, ，）或顿号（、）分隔。",
    ),
    "import.col.posts": Message("May work at", "可安排的岗位"),
    "import.col.posts.help": Message(
        "Post or team duty ids or names, separated like roles. Empty: everywhere.",
        "岗位或小组任务的编号或名称，分隔方式同角色。留空表示所有岗位。",
    ),
    "import.col.phone": Message("Phone", "电话"),
    "import.col.phone.help": Message(
        "Phone number for the coordinator (keep the column as text).",
        "协调员联系用电话（请把此列设为文本格式）。",
    ),
    "import.col.language": Message("Calendar language", "日历语言"),
    "import.col.language.help": Message(
        "zh (中文) or en (English). Empty: zh.",
        "zh（中文）或 en（英文）。留空为中文。",
    ),
    "import.col.meal_minutes": Message("Own meal break (minutes)", "个人用餐时长（分钟）"),
    "import.col.meal_minutes.help": Message(
        "Whole minutes, 5 to 240, fitting the meal windows. Empty: the meal rule's length.",
        "5 到 240 的整数分钟，须放得进用餐时段。留空则用用餐规则的时长。",
    ),
    "import.col.nights_allowed": Message("Night shifts", "夜班"),
    "import.col.nights_allowed.help": Message(
        "yes/no (是/否). Empty: community default.", "yes/no（是/否）。留空则用社区默认值。"
    ),
    "import.col.max_hours_per_week": Message("Max hours per week", "每周最多小时数"),
    "import.col.max_hours_per_week.help": Message(
        "A number ≥ 0. Empty: community default.",
        "不小于 0 的数。留空则用社区默认值。",
    ),
    "import.col.max_shifts_per_week": Message("Max shifts per week", "每周最多班次"),
    "import.col.max_shifts_per_week.help": Message(
        "A whole number ≥ 0. Empty: community default.", "不小于 0 的整数。留空则用社区默认值。"
    ),
    "import.col.max_nights_per_week": Message("Max nights per week", "每周最多夜班"),
    "import.col.max_nights_per_week.help": Message(
        "A whole number ≥ 0. Empty: community default.", "不小于 0 的整数。留空则用社区默认值。"
    ),
    "import.col.min_rest_hours": Message("Min rest between shifts (hours)", "两班之间最少休息（小时）"),
    "import.col.min_rest_hours.help": Message("0 to 72. Empty: community default.", "0 到 72。留空则用社区默认值。"),
    "import.col.active": Message("Active", "在岗"),
    "import.col.active.help": Message(
        "yes/no (是/否). Empty: yes. Inactive people stay on file but are never scheduled.",
        "yes/no（是/否）。留空为是。停用的人员保留记录但不排班。",
    ),
}

PROBLEMS: dict[str, Message] = {
    "import.problem.empty": Message("The file is empty.", "文件是空的。"),
    "import.problem.too_big": Message("The file is larger than {mb} MB.", "文件超过 {mb} MB。"),
    "import.problem.too_many_rows": Message(
        "The file has more than {n} people; split it into several files.", "文件超过 {n} 人，请拆成几个文件。"
    ),
    "import.problem.file_type": Message(
        "Not a spreadsheet this page reads: upload a .csv or .xlsx file.", "无法读取此文件：请上传 .csv 或 .xlsx 文件。"
    ),
    "import.problem.old_xls": Message(
        "Old Excel .xls files are not read: save it as .xlsx (Excel Workbook) or CSV.",
        "不支持旧版 Excel .xls 文件：请另存为 .xlsx（Excel 工作簿）或 CSV。",
    ),
    "import.problem.bad_xlsx": Message(
        "The file is not a readable .xlsx workbook.", "此文件不是可读取的 .xlsx 工作簿。"
    ),
    "import.problem.encoding": Message(
        "The CSV file's text encoding is not recognised: save it as CSV UTF-8.",
        "无法识别 CSV 文件的编码：请另存为“CSV UTF-8”。",
    ),
    "import.problem.bad_csv": Message("The file is not a readable CSV file.", "此文件不是可读取的 CSV 文件。"),
    "import.problem.no_people": Message(
        "The file has a header row but no people.", "文件只有表头，没有人员。"
    ),
    "import.problem.unknown_column": Message("unknown column '{value}'.", "未知的列“{value}”。"),
    "import.problem.duplicate_column": Message(
        "the column '{value}' appears twice.", "列“{value}”出现了两次。"
    ),
    "import.problem.missing_column": Message("the required column is missing.", "缺少必需的列。"),
    "import.problem.outside_columns": Message(
        "a value in a column without a header.", "此列没有表头，却填了值。"
    ),
    "import.problem.required": Message("required.", "必填。"),
    "import.problem.unknown_role": Message("unknown role '{value}'.", "未知的角色“{value}”。"),
    "import.problem.unknown_post": Message("unknown post or duty '{value}'.", "未知的岗位或任务“{value}”。"),
    "import.problem.repeated": Message("'{value}' is listed twice.", "“{value}”重复出现。"),
    "import.problem.duplicate_id": Message(
        "the id '{value}' is also used in row {other}.", "编号“{value}”在第 {other} 行也用过。"
    ),
    "import.problem.bad_id": Message(
        "'{value}' is not a valid id: no spaces, colons, commas or slashes, at most 64 characters.",
        "“{value}”不是有效编号：不能有空格、冒号、逗号或斜杠，最多 64 个字符。",
    ),
    "import.problem.not_number": Message("'{value}' is not a number.", "“{value}”不是数字。"),
    "import.problem.not_whole": Message("'{value}' is not a whole number.", "“{value}”不是整数。"),
    "import.problem.min": Message("must be at least {n}.", "不能小于 {n}。"),
    "import.problem.max": Message("must be at most {n}.", "不能大于 {n}。"),
    "import.problem.too_long": Message("at most {n} characters.", "最多 {n} 个字符。"),
    "import.problem.bad_characters": Message(
        "contains {code}: no control, line-break or text-direction characters.",
        "含有 {code}：不能包含控制、换行或文字方向字符。",
    ),
    "import.problem.not_yes_no": Message("'{value}' is not yes or no.", "“{value}”不是 yes/no（是/否）。"),
    "import.problem.language": Message("'{value}' is not zh or en.", "“{value}”不是 zh 或 en。"),
    "import.problem.date_cell": Message(
        "a date or time where text or a number belongs: format the column as text and type the value.",
        "此处应为文本或数字，却是日期或时间：请把此列设为文本格式后重新输入。",
    ),
    "import.problem.formula": Message(
        "a formula without a saved value: open and save the file in Excel, or type the value.",
        "公式没有计算结果：请在 Excel 中打开并保存，或直接输入值。",
    ),
    "import.problem.formula_error": Message("the formula gives the error {value}.", "公式出错：{value}。"),
    "import.problem.meal_too_long": Message(
        "a {value}-minute break does not fit the {window} meal window at {post}.",
        "{value} 分钟的用餐时间放不进 {post} 的用餐时段 {window}。",
    ),
    "import.problem.invalid": Message("invalid value: {value}", "值无效：{value}"),
    "import.problem.scenario": Message(
        "with these people the community's rules are invalid: {value}", "导入后社区规则无效：{value}"
    ),
}

PAGES: dict[str, Message] = {
    "import.title": Message("Import people from a spreadsheet", "从表格导入人员"),
    "import.link": Message("Import from a spreadsheet", "从表格导入"),
    "import.intro": Message(
        "Fill in the template in Excel, WPS or any spreadsheet and upload it as .xlsx or .csv (UTF-8 or GBK). "
        "Nothing is imported until the whole file is correct: every problem is listed with its row and column.",
        "用 Excel、WPS 等填写模板，以 .xlsx 或 .csv（UTF-8 或 GBK）上传。整个文件无误后才会导入："
        "每个问题都会列出所在的行和列。",
    ),
    "import.template": Message("Download the template", "下载模板"),
    "import.template_xlsx": Message("Excel template (.xlsx)", "Excel 模板（.xlsx）"),
    "import.template_csv": Message("CSV template", "CSV 模板"),
    "import.columns": Message("Columns", "各列说明"),
    "import.column_id": Message("Column", "列"),
    "import.column_meaning": Message("Meaning", "含义"),
    "import.columns_help": Message(
        "The first row holds the column ids below (or their Chinese names). Only name and roles are required (an "
        "empty id is made from the name); "
        "columns left out keep what is on file for people already there; an empty cell means the community "
        "default. Availability, absences and wishes are edited per person, not in the spreadsheet.",
        "第一行是下列列名（也可用中文名）。只有姓名、角色必填（编号留空则按姓名生成）；没写的列对已有人员保持原值；"
        "空单元格表示使用社区默认值。可排班时间、请假和意愿在每个人的页面上编辑，不在表格中。",
    ),
    "import.roles_here": Message("Roles of this community", "本社区的角色"),
    "import.posts_here": Message("Posts and duties of this community", "本社区的岗位和任务"),
    "import.file": Message(
        "Spreadsheet file (.xlsx or .csv, at most {mb} MB)",
        "表格文件（.xlsx 或 .csv，最多 {mb} MB）",
    ),
    "import.check": Message("Check the file", "检查文件"),
    "import.no_file": Message("Choose a file.", "请选择文件。"),
    "import.problems": Message(
        "{n} problems in {file}; nothing was imported. Correct them and upload the file again.",
        "{file} 中有 {n} 个问题，未导入任何内容。请修改后重新上传。",
    ),
    "import.where_cell": Message("Row {row}, column {column}", "第 {row} 行，{column} 列"),
    "import.where_row": Message("Row {row}", "第 {row} 行"),
    "import.where_column": Message("Column {column}", "{column} 列"),
    "import.where_file": Message("File", "文件"),
    "import.row": Message("Row", "行"),
    "import.column": Message("Column", "列"),
    "import.problem": Message("Problem", "问题"),
    "import.preview": Message("Check before importing", "导入前确认"),
    "import.summary": Message(
        "{file}: {new} new people, {updated} updated.", "{file}：新增 {new} 人，更新 {updated} 人。"
    ),
    "import.new": Message("New", "新增"),
    "import.updated": Message("Updated", "更新"),
    "import.confirm": Message("Import", "确认导入"),
    "import.again": Message("Upload another file", "重新上传"),
    "import.expired": Message(
        "This preview has expired or was altered. Upload the file again.", "预览已过期或被改动，请重新上传文件。"
    ),
    "import.done": Message(
        "Imported {new} new people and updated {updated}.",
        "已导入：新增 {new} 人，更新 {updated} 人。",
    ),
    "import.conflict": Message(
        "Someone changed the people meanwhile. Upload the file again.", "人员数据在此期间被他人修改，请重新上传。"
    ),
}

AVAILABILITY: dict[str, Message] = {
    "avail.title": Message("Availability of {name}", "{name} 的可排班时间"),
    "avail.link": Message("Availability", "可排班时间"),
    "avail.weekly": Message("Weekly availability", "每周可排班时间"),
    "avail.empty_means": Message(
        "Tick the half-hours this person can work. An empty grid means available at any time.",
        "勾选此人每周可排班的半小时段。全部不勾表示任何时间都可以。",
    ),
    "avail.midnight": Message(
        "Ticks that run past midnight make one window into the next day (e.g. Sat 22:00–06:00).",
        "跨过午夜的连续勾选会成为跨天的时段（如周六 22:00–06:00）。",
    ),
    "avail.now": Message("Saved windows", "已保存的时段"),
    "avail.always": Message("Available at any time.", "任何时间都可以。"),
    "avail.off_grid": Message(
        "Some saved windows do not start or end on the half hour; the grid shows them widened to the half hour, "
        "and saving the grid stores them that way.",
        "部分已保存的时段不在整半小时开始或结束；表格按半小时放宽显示，保存表格后即按此存储。",
    ),
    "avail.time": Message("Time", "时间"),
    "avail.quick": Message("Add a window", "添加时段"),
    "avail.quick_help": Message(
        "Optional: tick days and give a time range; it is added to the grid when you save.",
        "可选：勾选星期并填写时间段，保存时加入表格。",
    ),
    "avail.from": Message("From", "从"),
    "avail.to": Message("To", "到"),
    "avail.save": Message("Save weekly availability", "保存每周时间"),
    "avail.clear": Message("Clear (available at any time)", "清空（任何时间都可以）"),
    "avail.saved": Message("Saved the availability of {name}.", "已保存 {name} 的可排班时间。"),
    "avail.bad_time": Message("Use a time such as 07:30.", "请填写 07:30 这样的时间。"),
    "avail.same_time": Message("Start and end are the same.", "开始和结束时间相同。"),
    "avail.need_days": Message("Tick at least one day.", "请至少勾选一天。"),
    "avail.need_times": Message("Give a start and an end.", "请填写开始和结束时间。"),
    "avail.bad_slot": Message("The grid was sent with unknown cells.", "表格提交了无效的格子。"),
    "avail.absences": Message("Absences and other dated exceptions", "请假等特定日期例外"),
    "avail.no_absences": Message("No absences.", "没有请假记录。"),
    "avail.absence_from": Message("First day", "开始日期"),
    "avail.absence_until": Message("Last day (empty: one day)", "结束日期（留空为一天）"),
    "avail.absence_start": Message("From time (empty: whole day)", "开始时间（留空为全天）"),
    "avail.absence_end": Message("To time", "结束时间"),
    "avail.absence_reason": Message("Reason (seen only by coordinators)", "原因（只有协调员可见）"),
    "avail.absence_add": Message("Add the absence", "添加请假"),
    "avail.absence_added": Message("Absence added.", "已添加请假。"),
    "avail.absence_removed": Message("Absence removed.", "已删除请假。"),
    "avail.absence_gone": Message(
        "That absence was changed meanwhile; nothing was removed.", "该请假记录已被修改，未删除任何内容。"
    ),
    "avail.remove": Message("Remove", "删除"),
    "avail.whole_day": Message("whole day", "全天"),
    "avail.bad_date": Message("Give a date such as 2026-12-07.", "请填写 2026-12-07 这样的日期。"),
    "avail.too_many": Message("At most {n} absences: remove old ones first.", "最多 {n} 条请假：请先删除旧的。"),
    "avail.until_before": Message("The last day is before the first.", "结束日期早于开始日期。"),
    "avail.both_times": Message(
        "Give both times, or neither for whole days.",
        "请同时填写两个时间，或都不填表示全天。",
    ),
    "avail.end_before_start": Message(
        "The end must be after the start; split an absence across midnight into two.",
        "结束时间须晚于开始时间；跨午夜的请假请分成两条。",
    ),
    "avail.back": Message("Back to the people", "返回人员列表"),
    "avail.edit_person": Message("Edit details", "编辑资料"),
}

LIST: dict[str, Message] = {
    "people.search": Message("Search", "搜索"),
    "people.search_hint": Message("Name, pinyin, id or phone", "姓名、拼音、编号或电话"),
    "people.any_role": Message("Every role", "所有角色"),
    "people.any_post": Message("Every post", "所有岗位"),
    "people.any_status": Message("Active and inactive", "在岗与停用"),
    "people.filter": Message("Show", "筛选"),
    "people.clear": Message("Clear", "清除"),
    "people.shown": Message("{n} of {total} shown.", "显示 {total} 人中的 {n} 人。"),
    "people.no_match": Message("Nobody matches.", "没有符合条件的人员。"),
    "people.everywhere": Message("Everywhere", "所有岗位"),
    "people.actions": Message("Actions", "操作"),
    "people.key_generated": Message(
        "Empty: made from the name, e.g. 王芳 becomes wang-fang.", "留空则按姓名拼音生成，如王芳为 wang-fang。"
    ),
    "people.deactivate_title": Message("Deactivate {name}?", "停用 {name}？"),
    "people.deactivate_what": Message(
        "{name} stays on file with their history and published rotas, but is no longer planned in new rotas and "
        "their calendar link stops working. You can reactivate them at any time.",
        "{name} 的资料、历史记录和已发布的排班都会保留，但以后生成排班时不再安排此人，其日历链接也会失效。"
        "之后可以随时恢复。",
    ),
    "people.deactivate_confirm": Message("Yes, deactivate", "确认停用"),
    "people.cancel": Message("Cancel", "取消"),
    "people.already_inactive": Message("{name} is already inactive.", "{name} 已经停用。"),
    "people.erased_name": Message("Erased volunteer {n}", "已删除的志愿者 {n}"),
    "people.export": Message("Download their data (JSON)", "下载个人数据（JSON）"),
    "people.erase": Message("Erase", "删除个人数据"),
    "people.erase_title": Message("Erase the personal data of {name}?", "删除 {name} 的个人数据？"),
    "people.erase_what": Message(
        "The name becomes an anonymous label; the phone, availability, absences and their reasons, wishes and "
        "limits are deleted; {name} is deactivated, their links stop working and the reasons of their swaps are "
        "cleared. The name and phone are also removed from every stored rota, draft and solve. This cannot be "
        "undone.",
        "姓名改为匿名标识；电话、可用时间、请假及原因、意愿和限制全部删除；{name} 将被停用，其链接失效，换班理由清除。"
        "所有已保存的排班、草稿和计算中的姓名和电话也会一并删除。此操作无法撤销。",
    ),
    "people.erase_kept": Message(
        "Their service record (published shifts, check-ins) stays, under the anonymous label.",
        "其服务记录（已发布的班次、签到）以匿名标识保留。",
    ),
    "people.erase_export_first": Message(
        "If the person asked for a copy, download it first.", "如本人要求获得副本，请先下载。"
    ),
    "people.erase_confirm": Message("Yes, erase", "确认删除"),
    "people.erased": Message("Personal data erased; now shown as {name}.", "个人数据已删除，现显示为 {name}。"),
    "people.already_erased": Message("{name}: personal data already erased.", "{name}：个人数据已删除。"),
}

MESSAGES: dict[str, Message] = {**COLUMNS, **PROBLEMS, **PAGES, **AVAILABILITY, **LIST}
