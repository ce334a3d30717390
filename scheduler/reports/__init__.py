"""What people read: labels in Chinese and English, the printed week, calendars, the files beside rota.json."""
