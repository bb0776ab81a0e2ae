"""The threshold consistency exercise for ``mash-desk screenshots``: a manager's page with the demo's
closed exercise and its results, and a practitioner's vignette to rate (in the full run, also the
rating refused at its fields)."""

from __future__ import annotations

from mash_desk.domain.exercises import ExerciseStatus
from mash_desk.gui.partnership.exercise_page import ExercisesPage
from mash_desk.gui.partnership.exercise_rating_page import VignettesToRatePage
from mash_desk.tools.screenshots.shooter import Shooter


def shoot_exercises(shooter: Shooter, *, full: bool) -> None:
    window = shooter.window("maria")
    area = window.partnership_area
    page = area.page("exercises") if area is not None else None
    if area is not None and isinstance(page, ExercisesPage):
        area.show_page("exercises")
        shooter.settle()
        closed = next((row for row in page.model.rows() if row.status is ExerciseStatus.CLOSED), None)
        if closed is not None:
            page.choose(closed.id)
            shooter.save(window, "83-exercise-results")
    window.close()
    window = shooter.window("sam")
    area = window.partnership_area
    rating = area.page("vignettes") if area is not None else None
    if area is not None and isinstance(rating, VignettesToRatePage):
        area.show_page("vignettes")
        shooter.save(window, "84-vignette-to-rate")
        if full and rating.current() is not None:
            rating.save()
            shooter.save(window, "85-vignette-rating-refused")
    window.close()
