"""Which task of the upper region's plan a task carries out: suggestions by text similarity.

A district plan restates its city's plan in its own words: tasks are reworded, reordered, merged, dropped, and
local ones are added. The suggestions rank the parent plan's tasks for each task by character-bigram TF-IDF
cosine (``fazhi.lib.similarity``) over the task's area heading, title and text; a person confirms a link
with ``actions.link_task``. Below ``THRESHOLD`` nothing is suggested: the task is probably local.

Measured on the test plans in ``tests/fixtures/linking`` and the real 新城区 2024 plan (docparse seed 000),
both against the same written city plan (``tests/test_parent_links.py``): the right city task ranks first for
12 of 13 linked tasks of the written district plan and for 24 of 24 hand-labelled tasks of the real plan. At
the threshold, 33 of 37 linked tasks get a suggestion and every one of them is right; 7 of 8 local tasks get
none. The threshold was chosen on these same plans (there is no held-out set yet), so expect less elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.lib.similarity import Similarity

from .models import Plan, PlanStatus, Task, TaskKind

# Cosine below which a parent task is not suggested. Chosen on the two measured plans above: right links
# scored 0.07–0.56 (four of 37 below 0.10), local tasks' best candidates 0.04–0.13 (one of 8 above 0.10).
THRESHOLD = 0.10


@dataclass(frozen=True)
class Suggestion:
    parent_task: Task
    score: float  # cosine similarity in [0, 1]


@dataclass(frozen=True)
class TaskSuggestions:
    task: Task
    suggestions: list[Suggestion]  # best first; empty when no parent task reaches the threshold

    @property
    def best(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None


def suggest_parent_tasks(
    task_or_plan: Task | Plan, parent_plan: Plan, limit: int = 3, threshold: float = THRESHOLD
) -> list[TaskSuggestions]:
    """For each task of a plan (or for one task), up to ``limit`` tasks of ``parent_plan`` it may carry out.

    Returns one ``TaskSuggestions`` per task (kind "task", not areas), in plan order; for a single task, a
    list of one (empty for an area).
    Scores use statistics of both plans' tasks, so a task gets the same suggestions alone as within its plan.
    Deterministic: equal scores keep the parent plan's order.
    """
    plan = task_or_plan if isinstance(task_or_plan, Plan) else task_or_plan.plan
    own = _tasks_with_context(plan)
    parents = _tasks_with_context(parent_plan)
    if isinstance(task_or_plan, Task):
        wanted = [(task, text) for task, text in own if task.pk == task_or_plan.pk]
    else:
        wanted = own
    model = Similarity([text for _, text in parents] + [text for _, text in own])
    candidates = [text for _, text in parents]
    results: list[TaskSuggestions] = []
    for task, text in wanted:
        ranked = model.rank(text, candidates, limit=limit)
        suggestions = [
            Suggestion(parents[index][0], round(score, 4)) for index, score in ranked if score >= threshold
        ]
        results.append(TaskSuggestions(task, suggestions))
    return results


def _tasks_with_context(plan: Plan) -> list[tuple[Task, str]]:
    """The plan's tasks with the text compared: the headings above the task, its title and its text."""
    nodes = list(plan.tasks.order_by("position", "pk"))
    by_pk = {node.pk: node for node in nodes}
    out: list[tuple[Task, str]] = []
    for node in nodes:
        if node.kind != TaskKind.TASK:
            continue
        headings: list[str] = []
        parent_id = node.parent_id
        while parent_id is not None and parent_id in by_pk and len(headings) < 10:
            headings.append(by_pk[parent_id].title)
            parent_id = by_pk[parent_id].parent_id
        out.append((node, "\n".join([*reversed(headings), node.title, node.text])))
    return out


def parent_plans_for(plan: Plan) -> list[Plan]:
    """The upper region's published plans a plan may carry out: the same year first, then other years, most
    recent first. Empty for a plan of a region without an upper region."""
    parent_region_id = plan.region.parent_id
    if parent_region_id is None:
        return []
    plans = list(
        Plan.objects.filter(region_id=parent_region_id, status=PlanStatus.PUBLISHED)
        .exclude(pk=plan.pk)
        .order_by("-year", "-published_at", "-pk")
    )
    return sorted(plans, key=lambda candidate: candidate.year != plan.year)
