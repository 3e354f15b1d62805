from django.conf import settings

from sinergi.celery import app


def test_every_scheduled_task_is_registered_with_celery():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"sinergi.partnerships.daily", "sinergi.selection.expire_offers"} <= scheduled
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
