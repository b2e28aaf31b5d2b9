"""A one-file Django project guarded by aimds-middleware (used by the tests and README).

``/chat/`` (sync view) and ``/achat/`` (async view) sit behind ``GuardMiddleware`` (``AIMDS["paths"]``);
``/decorated/`` and ``/adecorated/`` use the ``@guard`` decorator instead. Every view answers with
what it received, so tests can see which body reached it.
Run it: ``DJANGO_SETTINGS_MODULE=django_project django-admin runserver --pythonpath .`` from this folder.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.urls import path

from aimds_middleware.integrations.django import guard

SECRET_KEY = "example-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
USE_TZ = True
INSTALLED_APPS = ["aimds_middleware.integrations.django.AimdsConfig"]
MIDDLEWARE = ["aimds_middleware.integrations.django.GuardMiddleware"]
AIMDS = {"guard": {"on_error": "block"}, "paths": ["/chat/", "/achat/", "/form/"], "max_body_bytes": 64 * 1024}

CALLS: list[str] = []  # views append their name: tests check a refused request never got here


def make_guard() -> object:
    """A guard factory, usable as ``AIMDS["guard"] = "django_project.make_guard"``."""
    from aimds_middleware import Guard

    return Guard(block_threshold=0.5)


def _echo(request: HttpRequest, name: str) -> JsonResponse:
    CALLS.append(name)
    body = request.body
    return JsonResponse({"received": json.loads(body) if body else None, "received_bytes": len(body),
                         "content_length": request.META.get("CONTENT_LENGTH")})


def chat(request: HttpRequest) -> JsonResponse:
    return _echo(request, "chat")


async def achat(request: HttpRequest) -> JsonResponse:
    return _echo(request, "achat")


def form(request: HttpRequest) -> JsonResponse:
    CALLS.append("form")
    return JsonResponse(dict(request.POST.items()))


REPLY = {"text": "Paris."}  # what /reply/ answers; tests plant a canary in it


async def reply(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"choices": [{"message": {"role": "assistant", "content": REPLY["text"]}}]})


@guard
def decorated(request: HttpRequest) -> JsonResponse:
    return _echo(request, "decorated")


@guard(json_paths=["query"], block_status=422)
async def adecorated(request: HttpRequest) -> JsonResponse:
    return _echo(request, "adecorated")


urlpatterns = [
    path("chat/", chat),
    path("achat/", achat),
    path("form/", form),
    path("reply/", reply),
    path("decorated/", decorated),
    path("adecorated/", adecorated),
]
