"""One router per file: auth (login, password, language), people, generate (solve jobs), and the JSON API."""
