"""The outbox: notifications stored first, sent by a worker over e-mail and WeCom (issue 26)."""
