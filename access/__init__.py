"""Who may see what: users, roles, tokens, sessions and the audit log (issue 7)."""
