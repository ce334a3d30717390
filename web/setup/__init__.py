"""The community's set-up: roles, posts and shifts, coverage, meal rules, team duties, successions, general
settings, bans and pairs.

`service` checks a whole set-up (every id it names is defined; the people still make a valid scenario) and saves
it; `forms` turns what was typed into set-up models; `views` the rows of the list pages; `kinds` the list, add,
edit and delete pages of each kind of item, made by one route factory; `pages` the overview, general settings,
those kinds' routes and a post's shifts; `bans` and `pairs` their own list pages; `api` the JSON API.
"""
