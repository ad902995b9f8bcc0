"""Accounts: passwords, logins, signing in (and its throttling), teachers, affectations, and
the director's code de secours."""
