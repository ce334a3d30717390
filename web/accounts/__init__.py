"""Accounts: roles, invitations by one-time link, the admins' accounts page and the server's account commands."""
