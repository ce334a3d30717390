"""The words for a scenario or rota file the engine refuses, in English and Chinese (rendered by
`scheduler.reports.catalogue`). `{field}` is the field's path as the file writes it; `{problem}` is the English
detail, shown where no Chinese words exist for it (a rule's own check of the file). The command line shows a
refused file's problems in the validator's own English words, and these texts in any other language."""

from __future__ import annotations

INPUT_TEXTS: dict[str, tuple[str, str]] = {
    "input.not_found": ("file not found", "找不到文件"),
    "input.unreadable": ("cannot read the file: {problem}", "无法读取文件：{problem}"),
    "input.too_large": (
        "the file is larger than {mb} MB, the limit (rota's --max-file-mb raises it)",
        "文件超过 {mb} MB 的上限（可用 --max-file-mb 调高）",
    ),
    "input.empty": ("the file is empty", "文件是空的"),
    "input.nested": ("the file is nested too deeply", "文件嵌套层数过多"),
    "input.json": (
        "line {line}, column {column}: invalid JSON: {problem}",
        "第 {line} 行第 {column} 列：JSON 格式有误（{problem}）",
    ),
    "input.yaml": (
        "line {line}, column {column}: invalid YAML: {problem}",
        "第 {line} 行第 {column} 列：YAML 格式有误（{problem}）",
    ),
    "input.yaml_anywhere": ("invalid YAML: {problem}", "YAML 格式有误（{problem}）"),
    "input.yaml_cycle": ("the YAML contains itself through an alias", "YAML 通过别名引用了自身"),
    "input.yaml_nodes": (
        "the YAML expands to more than {limit} nodes (aliases repeated?)",
        "YAML 展开后超过 {limit} 个节点（别名重复使用？）",
    ),
    "input.yaml_aliases": (
        "the YAML's aliases add {count} nodes, more than the limit of {limit}",
        "YAML 的别名增加了 {count} 个节点，超过 {limit} 的上限",
    ),
    "input.top_level": ("expected a mapping of fields at the top level", "文件最外层应为字段映射"),
    "input.limit": ("{problem}", "超出上限：{problem}"),
    "input.text": ("{problem}", "{problem}"),
    "input.field": ("{field}: {problem}", "{field}：{problem}"),
    "input.missing": ("{field}: required", "{field}：必填"),
    "input.unknown_field": ("{field}: no such field (a typo?)", "{field}：没有这个字段（拼写有误？）"),
    "input.not_whole": ("{field}: should be a whole number", "{field}：应为整数"),
    "input.not_number": ("{field}: should be a number", "{field}：应为数字"),
    "input.too_long": ("{field}: at most {bound} characters", "{field}：最多 {bound} 个字符"),
    "input.too_short": ("{field}: at least {bound} characters", "{field}：至少 {bound} 个字符"),
    "input.too_many": ("{field}: at most {bound} items", "{field}：最多 {bound} 项"),
    "input.too_few": ("{field}: at least {bound} items", "{field}：至少 {bound} 项"),
    "input.at_least": ("{field}: at least {bound}", "{field}：不能小于 {bound}"),
    "input.more_than": ("{field}: more than {bound}", "{field}：应大于 {bound}"),
    "input.at_most": ("{field}: at most {bound}", "{field}：不能大于 {bound}"),
    "input.less_than": ("{field}: less than {bound}", "{field}：应小于 {bound}"),
    "input.not_date": ("{field}: should be a date (YYYY-MM-DD)", "{field}：应为日期（YYYY-MM-DD）"),
    "input.not_yes_no": ("{field}: should be true or false", "{field}：应为 true 或 false"),
    "input.not_a_choice": ("{field}: one of {bound}", "{field}：只能是 {bound}"),
    "input.not_text": ("{field}: should be text", "{field}：应为文字"),
    "input.not_list": ("{field}: should be a list", "{field}：应为列表"),
    "input.not_mapping": ("{field}: should be a mapping of fields", "{field}：应为字段映射"),
    "input.pattern": ("{field}: not in the expected form", "{field}：格式不符"),
}
