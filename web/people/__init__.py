"""The community's people: the list and the person form (`pages`, `forms`), weekly availability and absences
(`availability`, `availability_grid`), importing and exporting a spreadsheet (`import_pages`, `spreadsheet`) and
the JSON API (`api`)."""
