"""Built-in huodong plugins, one package per activity type or capability."""
