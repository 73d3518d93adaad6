"""Who may do what: accounts, roles, passwords and sign-in sessions. No web code here: the web
app and the CLI both call these functions."""
