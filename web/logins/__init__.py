"""Logins: server-side sessions with time-outs, login throttling, the account page (password, log out everywhere)."""
