"""Built-in plugins: registered through the same hooks as everyone else's."""
