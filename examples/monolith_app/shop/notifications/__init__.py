"""Notifications capability: a transactional outbox of customer e-mails."""
