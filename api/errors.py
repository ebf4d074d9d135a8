"""Errors as JSON: 404 naming the unknown id, 422 with a readable message, each with the version."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["BadParameter", "UnknownEntity", "error_response", "install_error_handlers"]


class UnknownEntity(Exception):
    """No entity has this id (HTTP 404)."""

    def __init__(self, ident: str, what: str = "entity") -> None:
        super().__init__(f"unknown {what} {ident!r}")
        self.ident = ident


class BadParameter(Exception):
    """A parameter is well-formed but unusable, e.g. a date that is not a date (HTTP 422)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"query parameter {name!r}: {message}")
        self.name = name


def _version(request: Request) -> str:
    version = request.scope.get("govgraph.version")
    if version is None:
        state = getattr(request.app.state, "govgraph", None)
        version = state.snapshot.version if state is not None and state._snapshot else "unknown"
    return str(version)


def error_response(
    request: Request, status: int, error: str, detail: str, **extra: Any
) -> JSONResponse:
    body = {"error": error, "detail": detail, **extra, "version": _version(request)}
    return JSONResponse(jsonable_encoder(body), status_code=status)


def _describe(err: dict[str, Any]) -> str:
    where = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
    place = {"query": "query parameter", "path": "path parameter"}.get(
        str(err.get("loc", ("",))[0]), "parameter"
    )
    return f"{place} {'.'.join(where)!r}: {err.get('msg', 'is invalid')}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UnknownEntity)
    async def unknown_entity(request: Request, exc: UnknownEntity) -> JSONResponse:
        return error_response(request, 404, "not_found", str(exc), id=exc.ident)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> JSONResponse:
        return error_response(request, 422, "invalid_parameter", str(exc), parameter=exc.name)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {k: v for k, v in dict(e).items() if k in ("loc", "msg", "type")} for e in exc.errors()
        ]
        detail = "; ".join(_describe(e) for e in errors) or "invalid request"
        return error_response(request, 422, "invalid_parameter", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = "not_found" if exc.status_code == 404 else "http_error"
        return error_response(request, exc.status_code, error, str(exc.detail))
