"""What waits on whom: "My work" (tasks.py), the board (board.py) and the daily reminders
(reminders.py). Every due date is compared with today in the organisation's time zone."""
from domain.work.board import Board, board, may_see_board  # noqa: F401
from domain.work.reminders import recipients, send_reminders  # noqa: F401
from domain.work.tasks import (GROUP_CAP, TASKS, TASKS_BY_KEY, Group, Task, Work,  # noqa: F401
                               _sum_if, inbox, list_filter, my_work, task_condition,
                               today_and_soon)
