"""Reading and writing question formats other than the native YAML."""
