"""Qt views. They get their collaborators in __init__ and never touch the database."""
