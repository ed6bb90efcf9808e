"""Models through their families: building, recipes, devices."""
