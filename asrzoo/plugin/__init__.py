"""How asrzoo finds and checks plugins: hook specs, the plugin objects, the manager,
the registry, install and scaffold."""
