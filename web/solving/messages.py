"""Messages: solves under control (the queue, joining a week's solve, running a job again)."""

from __future__ import annotations

from web.catalog import Message

MESSAGES: dict[str, Message] = {
    "solves.queue.next": Message("Queued: next to start.", "排队中：下一个开始。"),
    "solves.queue.ahead": Message("Queued: {n} ahead.", "排队中：前面还有 {n} 个。"),
    "worker.no_queue": Message(
        "rota worker solves the queue's jobs: set ROTA_QUEUE=procrastinate and a PostgreSQL DATABASE_URL.",
        "rota worker 只计算队列中的任务：请设置 ROTA_QUEUE=procrastinate 和 PostgreSQL 的 DATABASE_URL。",
    ),
    "worker.bad_settings": Message("The settings are wrong: {error}", "设置有误：{error}"),
    "solves.queue.no_workers": Message(
        "No solve worker is running: this solve waits until one starts. Please tell the administrator.",
        "目前没有计算进程在运行：此计算要等有进程启动后才会开始。请告知管理员。",
    ),
    "solves.queue.help": Message(
        "This server runs a limited number of solves at once; this one starts when one of them ends.",
        "本服务器同时进行的计算数有上限，前面的计算结束后此计算即开始。",
    ),
    "solves.joined": Message(
        "This week is already being solved: here is that solve (no second one was started). To solve changed data, "
        "cancel it and generate again.",
        "本周已有排班计算在排队或进行中：这就是它（未重复启动）。如数据有改动，请先取消再重新生成。",
    ),
    "solves.rerun": Message("Run again", "再运行一次"),
    "solves.rerun_help": Message(
        "A new solve with the same week, data and settings.", "以相同的周、数据和设置重新计算。"
    ),
    "solves.not_rerunnable": Message(
        "Only a failed or interrupted solve can be run again.", "只有失败或中断的计算可以再运行一次。"
    ),
}
