"""The weekly snapshot email: figures from the query layer, rendered for mail clients, sent once."""
