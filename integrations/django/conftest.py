"""Configure Django from the one-file project before the tests in this folder import Django parts."""

from __future__ import annotations

import django
import django_project
from django.conf import settings

if not settings.configured:
    settings.configure(**{k: getattr(django_project, k) for k in dir(django_project) if k.isupper()})
    django.setup()
