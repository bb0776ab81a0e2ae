"""The intake form's own keys, in a module of their own: the adult editors bind them and the shortcut
list (``shortcuts_help``) shows them, and a leaf module lets both read them without an import circle
or loading the editors (and the search behind them) into the first window."""

ALLEGED_HARM_KEY = "Ctrl+Shift+G"  # an adult on the intake; Ctrl+Shift+H locks, G restricts only on a contact
