"""Pages: parse, authorise, call one service or selector, render. `pages` holds the organisations'
and roles' pages, `sign_in` signing in and out, passwords and the second factor."""

from .pages import public_home

__all__ = ["public_home"]
