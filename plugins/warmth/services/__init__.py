"""The rules of 送温暖 as plain functions (no request globals): pages, the API, the demo and the
tests call them. Each takes the acting ``account`` and raises :mod:`core.errors` for the user."""
