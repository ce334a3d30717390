"""Routes that belong to no feature: logging in and out, the password, the language."""
